// What a --store spec turns into: the history store, the feed that carries
// stored messages to the rooms, and who is present. memory and sqlite run in
// this process alone; redis:// is shared by every server pointed at it.
import { randomBytes } from 'node:crypto';
import { LocalFeed } from './feed.js';
import type { Logger } from './log.js';
import { LocalPresence } from './presence.js';
import { connectRedis, isRedisSpec, parseRedisSpec } from './redis/connect.js';
import { RedisFeed } from './redis/feed.js';
import { RedisPresence } from './redis/presence.js';
import { RedisStore } from './redis/store.js';
import { describeStore, openStore } from './store/open.js';
import type { Feed, NameClaims, Presence } from './types.js';

export interface Backend {
  /** The spec for logs, without secrets. */
  description: string;
  feed: Feed;
  presence: Presence;
  /** null: this server alone decides who holds a name (Admission). */
  names: NameClaims | null;
  close(): Promise<void>;
}

export function describeBackend(spec: string): string {
  return isRedisSpec(spec) ? parseRedisSpec(spec).display : describeStore(spec);
}

export async function openBackend(spec: string, log: Logger): Promise<Backend> {
  if (!isRedisSpec(spec)) {
    const feed = new LocalFeed(openStore(spec));
    const presence = new LocalPresence();
    return { description: describeStore(spec), feed, presence, names: null, close: () => feed.close() };
  }
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
  return {
    description: target.display,
    feed,
    presence,
    names: presence.names,
    async close() {
      await presence.close();
      await feed.close();
    },
  };
}
