// The store a command-line tool (export, import, check) works on: --store,
// else CHAT_STORE, else the config file's `store`, else the server's default,
// the same order the server itself uses. Opens the store alone: no feed, no
// presence heartbeat, nothing that would act as a server in a Redis cluster.
import { Option, type Command } from 'commander';
import { readToml } from '../config-file.js';
import { connectRedis, isRedisSpec, parseRedisSpec } from '../store/redis/connect.js';
import { RedisStore } from '../store/redis/store.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';

export function addStoreOptions(program: Command): Command {
  return program
    .addOption(new Option('--store <spec>', 'memory, sqlite, sqlite:PATH or redis://HOST:PORT[/DB] (default: as the server: CHAT_STORE, the config file, sqlite)'))
    .addOption(new Option('--config <file>', 'take the store from this chat-server config file').env('CHAT_CONFIG'));
}

export function storeSpec(opts: { store?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.store) return opts.store;
  if (env.CHAT_STORE) return env.CHAT_STORE;
  if (opts.config) {
    const fromFile = readToml(opts.config).store;
    if (typeof fromFile === 'string') return fromFile;
  }
  return 'sqlite';
}

export async function openStoreOnly(spec: string): Promise<Store> {
  if (!isRedisSpec(spec)) return openStore(spec);
  const target = parseRedisSpec(spec);
  const redis = await connectRedis(target, 'chat-server-tool');
  return new RedisStore(redis, target.maxLen);
}

/** For a command (`export`, `import`): the store its flags name, or null once the reason is on stderr. */
export async function openToolStore(command: string, opts: { store?: string; config?: string }): Promise<Store | null> {
  try {
    return await openStoreOnly(storeSpec(opts));
  } catch (err) {
    process.stderr.write(`chat-server ${command}: ${(err as Error).message}\n`);
    return null;
  }
}
