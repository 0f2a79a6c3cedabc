// What a --store spec turns into: the history store, the feed that carries
// stored messages to the rooms, who is present, and (shared between servers
// only) who holds which name. memory and sqlite run in this process alone;
// redis:// is shared by every server pointed at it.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { PostLimits, RateLimit } from '../limits.js';
import type { Logger } from '../log.js';
import { LocalBus } from '../local-bus.js';
import type { Bus, Feed, NameClaims, Presence } from '../types.js';
import { LocalFeed, LocalPresence } from './local.js';
import { MemoryStore } from './memory.js';
import { RedisBus } from './redis/bus.js';
import { connectRedis, isRedisSpec, parseRedisSpec } from './redis/connect.js';
import { RedisFeed } from './redis/feed.js';
import { RedisPresence } from './redis/presence.js';
import { RedisPostLimits } from './redis/rate.js';
import { RedisStore } from './redis/store.js';
import { SqliteStore } from './sqlite.js';
import { StoreUnavailable, type Store } from './types.js';

export interface Backend {
  /** The spec for logs, without secrets. */
  description: string;
  feed: Feed;
  presence: Presence;
  /** null: this server alone decides who holds a name (Admission). */
  names: NameClaims | null;
  /** Issue 13: user events, typing and presence for every server (LocalBus alone, RedisBus shared). */
  bus: Bus;
  /** Issue 16, shared backends only (Redis): the posting rate limit across servers; absent: each server counts alone. */
  postLimits?(limit: RateLimit): PostLimits;
  close(): Promise<void>;
}

function defaultSqlitePath(env: NodeJS.ProcessEnv = process.env): string {
  const dataHome = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'chat-tui', 'chat.db');
}

export function describeBackend(spec: string): string {
  if (isRedisSpec(spec)) return parseRedisSpec(spec).display;
  if (spec === 'memory') return 'memory';
  if (spec === 'sqlite') return `sqlite:${defaultSqlitePath()}`;
  return spec;
}

/** "memory", "sqlite" (the default file in the user's data directory) or "sqlite:PATH". */
export function openStore(spec: string): Store {
  if (spec === 'memory') return new MemoryStore();
  if (spec === 'sqlite') return new SqliteStore(defaultSqlitePath());
  if (spec.startsWith('sqlite:') && spec.length > 'sqlite:'.length) return new SqliteStore(spec.slice('sqlite:'.length));
  throw new Error(`unknown store '${spec}': use memory, sqlite, sqlite:PATH or redis://HOST:PORT[/DB]`);
}

/** Opens the backend, or rejects with StoreUnavailable saying what could not be used and why. */
export async function openBackend(spec: string, log: Logger): Promise<Backend> {
  try {
    return isRedisSpec(spec) ? await openRedis(spec, log) : openLocal(spec);
  } catch (err) {
    if (err instanceof StoreUnavailable) throw err;
    throw new StoreUnavailable(`cannot open store ${safeDescribe(spec)}: ${(err as Error).message}`);
  }
}

function safeDescribe(spec: string): string {
  try {
    return describeBackend(spec);
  } catch {
    return `'${spec}'`;
  }
}

function openLocal(spec: string): Backend {
  const feed = new LocalFeed(openStore(spec));
  const bus = new LocalBus();
  return {
    description: describeBackend(spec),
    feed,
    presence: new LocalPresence(),
    names: null,
    bus,
    async close() {
      await bus.close();
      await feed.close();
    },
  };
}

async function openRedis(spec: string, log: Logger): Promise<Backend> {
  const target = parseRedisSpec(spec);
  const server = randomBytes(6).toString('hex');
  const cmd = await connectRedis(target, `chat-server-${server}`);
  let sub;
  try {
    sub = await connectRedis(target, `chat-server-${server}-sub`);
  } catch (err) {
    cmd.disconnect();
    throw err;
  }
  const feed = new RedisFeed(new RedisStore(cmd, target.maxLen), cmd, sub, log);
  const presence = new RedisPresence(cmd, server, log);
  let bus: RedisBus;
  try {
    // On the feed's connections: the feed ignores the bus channel, the bus every other.
    bus = await RedisBus.open(cmd, sub, log);
  } catch (err) {
    await presence.close().catch(() => undefined);
    await feed.close().catch(() => undefined);
    throw err;
  }
  return {
    description: target.display,
    feed,
    presence,
    names: presence.names,
    bus,
    postLimits: (limit) => new RedisPostLimits(cmd, limit, log),
    async close() {
      // First: the bus only stops listening; the feed then closes the connections it shares.
      await bus.close();
      await presence.close();
      await feed.close();
    },
  };
}
