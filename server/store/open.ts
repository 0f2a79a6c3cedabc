// Turns a --store spec into a Store: "memory", "sqlite" (the default file in
// the user's data directory) or "sqlite:PATH".
import os from 'node:os';
import path from 'node:path';
import { MemoryStore } from './memory.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'chat-tui', 'chat.db');
}

export class StoreSpecError extends Error {}

export function describeStore(spec: string): string {
  if (spec === 'memory') return 'memory';
  if (spec === 'sqlite') return `sqlite:${defaultSqlitePath()}`;
  return spec;
}

export function openStore(spec: string): Store {
  if (spec === 'memory') return new MemoryStore();
  if (spec === 'sqlite') return new SqliteStore(defaultSqlitePath());
  if (spec.startsWith('sqlite:') && spec.length > 'sqlite:'.length) return new SqliteStore(spec.slice('sqlite:'.length));
  throw new StoreSpecError(`unknown store '${spec}': use memory, sqlite, sqlite:PATH or redis://HOST:PORT[/DB]`);
}
