// The pipe tests' helpers: chat-tui as a child with piped stdio, a SQLite
// chat-server binary, and what the server stored.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { connect, fullHistory, tempDir } from '../helpers.js';
import { startBinary, stopBinary, TUI_BIN, type Spawned } from '../processes.js';

export interface Run {
  code: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
  write(text: string): void;
  end(text?: string): void;
}

export function tui(args: string[]): Run {
  const child = spawn(process.execPath, [TUI_BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return {
    code,
    stdout: () => out,
    stderr: () => err,
    write: (text) => child.stdin.write(text),
    end: (text) => child.stdin.end(text),
  };
}

export const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

export async function storedTexts(target: string, room: string, user: string): Promise<string[]> {
  const c = connect(target);
  try {
    return (await fullHistory(c, room)).filter((m) => m.type === 'TEXT' && m.username === user).map((m) => m.message);
  } finally {
    c.close();
  }
}

export async function sqliteServer(t: { after(fn: () => Promise<void>): void }, extra: string[] = []): Promise<{ server: Spawned; db: string }> {
  const tmp = tempDir();
  const db = path.join(tmp.dir, 'chat.db');
  const server = await startBinary(['--store', `sqlite:${db}`, ...extra]);
  t.after(async () => {
    await stopBinary(server);
    tmp.cleanup();
  });
  return { server, db };
}

