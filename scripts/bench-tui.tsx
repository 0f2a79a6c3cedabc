// npm run bench:tui: the real chat-tui binary's start (spawn to first frame,
// and --help, medians of 20), its RSS with 10 rooms of history loaded from a
// real server; then the time from an incoming message or a keypress to the
// frame being written, with 1k, 10k and 100k messages in the room, and the
// RSS, the real App rendering through Ink into an in-memory terminal (100x30).
//   node dist/scripts/bench-tui.js [--samples 200] [--starts 20] [--only-start] [--bin dist/tui/other.mjs]
import * as grpc from '@grpc/grpc-js';
import { render } from 'ink';
import * as pty from 'node-pty';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import React from 'react';
import { loadChatPackage } from '../protos/load.js';
import { startBinary, stopBinary } from '../test/processes.js';
import type { ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { createController } from '../tui/actions.js';
import { App } from '../tui/App.js';
import { ChatClient } from '../tui/client.js';
import type { Line } from '../tui/domain.js';
import { createChatStore } from '../tui/store.js';
import { decode } from '../tui/wire.js';
import { decodedMessage } from '../test/support/chat-message.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '200' },
    starts: { type: 'string', default: '20' },
    'only-start': { type: 'boolean', default: false },
    // Another build of the binary, to compare (it must sit in dist/tui/, where its relative paths resolve).
    bin: { type: 'string' },
  },
});
const SAMPLES = Number(values.samples);
const STARTS = Number(values.starts);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class FakeStdout extends Writable {
  columns = 100;
  rows = 30;
  isTTY = true;
  onWrite: (() => void) | null = null;
  override _write(_chunk: unknown, _enc: string, cb: () => void) {
    const f = this.onWrite;
    this.onWrite = null;
    f?.();
    cb();
  }
}

function fakeStdin(): PassThrough & { isTTY: boolean; setRawMode(): void; ref(): void; unref(): void } {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function measure(size: number) {
  const store = createChatStore({ username: 'Me', userId: 'me', server: 'bench', room: 'big' });
  const lines: Line[] = Array.from({ length: size }, (_, i) => ({
    key: `s${i + 1}`, seq: i + 1, type: 'TEXT', userId: `u${i % 7}`, username: `user${i % 7}`,
    text: `history message number ${i + 1} with some ordinary chat text in it`, timestamp: Date.now() - (size - i) * 1000,
  }));
  // Fill the room directly: the renderer's cost is what is measured, beyond the client's own cap.
  store.setState((s) => ({ rooms: { ...s.rooms, big: { ...s.rooms.big!, lines, lastSeq: size, reachedStart: true } } }));
  const client = new ChatClient(store, '127.0.0.1:9'); // never called: typing and receiving need no server
  const controller = createController(store, client, () => undefined);
  const stdout = new FakeStdout();
  const stdin = fakeStdin();
  const app = render(<App store={store} controller={controller} onNeedOlder={() => undefined} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 60,
  });
  await sleep(200);
  let missed = 0;
  // A frame that never comes is reported, not waited for forever.
  const frame = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        missed++;
        stdout.onWrite = null;
        resolve();
      }, 1000);
      stdout.onWrite = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const incoming: number[] = [];
  const keys: number[] = [];
  let seq = size;
  for (let i = 0; i < SAMPLES; i++) {
    const m: ChatMessage__Output = decodedMessage({ user_id: 'u1', username: 'user1', message: `live ${i}`, timestamp: Date.now(), room_id: 'big', seq: ++seq });
    let wrote = frame();
    let t0 = performance.now();
    store.getState().receive('big', [decode(m, 'me')]);
    await wrote;
    incoming.push(performance.now() - t0);
    await sleep(20); // past the frame throttle, so each sample is a fresh frame
    wrote = frame();
    t0 = performance.now();
    stdin.write(String.fromCharCode(97 + (i % 26))); // varied, so every key changes the visible input
    await wrote;
    keys.push(performance.now() - t0);
    await sleep(20);
  }
  app.unmount();
  client.close();
  return { size, incoming, keys, missed, rss: process.memoryUsage().rss / 1024 / 1024 };
}

const BIN = values.bin ? path.resolve(values.bin) : fileURLToPath(new URL('../tui/chat-tui.cjs', import.meta.url));
// No developer's config file: the binary starts as it would for a new user.
const CONFIG_HOME = mkdtempSync(path.join(tmpdir(), 'bench-tui-'));
const ENV = { ...process.env, TERM: 'xterm-256color', XDG_CONFIG_HOME: CONFIG_HOME, CHAT_CONFIG: '' };

/** CPU time (user + system) a live process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Wall time from spawning the real chat-tui binary in a pty to its first
 * frame (the sidebar's title written; no server needed, the frame comes
 * before the connection), and the CPU time it had used by then.
 */
async function firstFrames(n: number): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const p = pty.spawn(process.execPath, [BIN, '--user', 'Bench', '--server', '127.0.0.1:9'], { cols: 100, rows: 30, env: ENV });
    await new Promise<void>((resolve) => {
      let seen = '';
      p.onData((d) => {
        seen += d;
        if (seen.includes('Rooms')) resolve();
      });
    });
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(p.pid));
    p.kill();
    await sleep(100);
  }
  return { wall, cpu };
}

/** Wall time of `chat-tui --help` to its exit, and of `node -e 0` for scale. */
function helps(n: number): { help: number[]; node: number[] } {
  const time = (args: string[]) => {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { env: ENV, stdio: 'ignore' });
    return performance.now() - t0;
  };
  return { help: Array.from({ length: n }, () => time([BIN, '--help'])), node: Array.from({ length: n }, () => time(['-e', '0'])) };
}

/**
 * The binary's RSS with 10 rooms of history loaded: a real server (memory
 * store, all of each room replayed) with `perRoom` messages in each room,
 * chat-tui joining all ten.
 */
async function rssWithRooms(rooms = 10, perRoom = 500): Promise<{ rss: number; settled: number; lines: number }> {
  // One more than the messages: the filler's LEAVE is stored after them.
  const server = await startBinary(['--store', 'memory', '--history', String(perRoom + 1), '--rate-limit', 'off']);
  const { proto } = loadChatPackage();
  const client = new proto.chat.ChatService(server.target, grpc.credentials.createInsecure());
  const ids = Array.from({ length: rooms }, (_, i) => `room${i + 1}`);
  await Promise.all(
    ids.map(
      (room) =>
        new Promise<void>((resolve) => {
          const call = client.JoinChat();
          const last = `${room} message ${perRoom}:`;
          call.on('data', (m: ChatMessage__Output) => {
            if (!m.message.startsWith(last)) return;
            call.end();
            resolve();
          });
          call.on('error', () => undefined);
          call.write({ user_id: `filler-${room}`, username: `Filler${room.slice(4)}`, room_id: room, type: 'JOIN' });
          for (let i = 1; i <= perRoom; i++) call.write({ type: 'TEXT', message: `${room} message ${i}: some ordinary chat text of a usual length, here and there a word more` });
        }),
    ),
  );
  client.close();
  const p = pty.spawn(process.execPath, [BIN, '--user', 'Reader', '--room', ids[0]!, '--server', server.target], { cols: 100, rows: 30, env: ENV });
  let screen = '';
  p.onData((d) => (screen += d));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 400 && !screen.includes(text); i++) await sleep(25);
    if (!screen.includes(text)) throw new Error(`never saw ${text}`);
  };
  await waitFor(`${ids[0]} message ${perRoom}:`);
  for (const room of ids.slice(1)) {
    screen = '';
    p.write(`/join ${room}\r`);
    await waitFor(`${room} message ${perRoom}:`);
  }
  await sleep(2000); // member lists in, a GC or two
  const rss = rssMb(p.pid);
  // Idle for a while: V8's memory reducer gives back what the bursts took.
  await sleep(8000);
  const settled = rssMb(p.pid);
  p.kill();
  await stopBinary(server);
  return { rss, settled, lines: rooms * perRoom };
}

/** RSS of Node itself doing nothing, 2 s in: the floor under any Node program on this machine. */
async function nodeAloneRss(): Promise<number> {
  const p = pty.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { cols: 100, rows: 30, env: ENV });
  await sleep(2000);
  const rss = rssMb(p.pid);
  p.kill();
  return rss;
}

const med = (xs: number[]) => pct(xs, 50);
const frames = await firstFrames(STARTS);
const help = helps(STARTS);
console.log(`chat-tui start, median of ${STARTS} (this machine's node -e 0: ${med(help.node).toFixed(0)} ms):`);
console.log(`  first frame  ${med(frames.wall).toFixed(0)} ms wall (min ${Math.min(...frames.wall).toFixed(0)}), ${med(frames.cpu).toFixed(0)} ms CPU used by then`);
console.log(`  --help       ${med(help.help).toFixed(0)} ms wall (min ${Math.min(...help.help).toFixed(0)})`);
const loaded = await rssWithRooms();
console.log(`  RSS          ${loaded.rss.toFixed(1)} MB 2 s after joining 10 rooms (${loaded.lines} messages of history loaded), ${loaded.settled.toFixed(1)} MB 10 s after`);
// What of that is the client itself: Node alone, and chat-tui with the same ten rooms nearly empty.
const bare = await nodeAloneRss();
const empty = await rssWithRooms(10, 1);
console.log(`               floor: node alone ${bare.toFixed(1)} MB; chat-tui with 10 rooms of 1 message ${empty.rss.toFixed(1)} MB 2 s after, ${empty.settled.toFixed(1)} MB 10 s after`);
rmSync(CONFIG_HOME, { recursive: true, force: true });
if (values['only-start']) process.exit(0);

console.log(`bench:tui: ${SAMPLES} samples per size, 100x30 terminal`);
console.log('messages   msg p50   msg p99   key p50   key p99   rss(MB)  no-frame');
const results = [];
for (const size of [1_000, 10_000, 100_000]) {
  const r = await measure(size);
  results.push(r);
  console.log(
    `${String(size).padStart(8)} ${pct(r.incoming, 50).toFixed(2).padStart(9)} ${pct(r.incoming, 99).toFixed(2).padStart(9)} ` +
      `${pct(r.keys, 50).toFixed(2).padStart(9)} ${pct(r.keys, 99).toFixed(2).padStart(9)} ${r.rss.toFixed(0).padStart(9)} ${String(r.missed).padStart(9)}`,
  );
}
const worst = Math.max(...results.flatMap((r) => [pct(r.incoming, 50), pct(r.keys, 50)]));
console.log(`${worst < 16 ? 'PASS' : 'MISS'} median frame time under 16 ms at every size (worst ${worst.toFixed(2)} ms)`);
process.exit(worst < 16 ? 0 : 1);
