// Redis connections for the shared store: one for commands, one for pub/sub
// (a subscribed connection can do nothing else). Reconnects forever with a
// short backoff, never queues commands while down and never resends one whose
// reply was lost: a resent append would store a message twice.
import { Redis } from 'ioredis';
import { StoreUnavailable } from '../types.js';

export interface RedisTarget {
  /** The URL ioredis connects to (our own query parameters removed). */
  url: string;
  /** For logs and errors: no password. */
  display: string;
  /** Messages kept per room (approximately: Redis trims whole nodes). */
  maxLen: number;
}

const DEFAULT_MAX_LEN = 100_000;

export function isRedisSpec(spec: string): boolean {
  return /^rediss?:\/\//i.test(spec);
}

/** redis://[user:password@]HOST:PORT[/DB][?maxlen=N] (rediss:// for TLS). */
export function parseRedisSpec(spec: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new Error(`'${spec}' is not a Redis URL: use redis://HOST:PORT[/DB]`);
  }
  if (!url.hostname) throw new Error(`'${spec}' names no host: use redis://HOST:PORT[/DB]`);
  const db = url.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new Error(`Redis database '${db}' is not a number`);
  let maxLen = DEFAULT_MAX_LEN;
  const raw = url.searchParams.get('maxlen');
  if (raw !== null) {
    maxLen = Number(raw);
    if (!/^\d+$/.test(raw) || maxLen < 1) throw new Error(`maxlen '${raw}' is not a positive whole number`);
    url.searchParams.delete('maxlen');
  }
  const display = new URL(url);
  if (display.password) display.password = '***';
  return { url: url.toString(), display: display.toString().replace(/\/$/, ''), maxLen };
}

/** Connects, or rejects with the reason (e.g. ECONNREFUSED) after the first failed attempt. */
export async function connectRedis(target: RedisTarget, name: string): Promise<Redis> {
  const redis = new Redis(target.url, {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: 3000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every failed reconnect; the feed reports health instead.
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new StoreUnavailable(`cannot reach Redis at ${target.display}: ${(lastError ?? (err as Error)).message}`);
  }
  return redis;
}
