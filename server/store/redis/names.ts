// One live identity per username across every server sharing Redis. A sorted
// set per name holds "SERVER|USER_ID" entries scored by their server's last
// heartbeat; a claim (one Lua script, so two servers cannot both win) is
// refused while an entry of another user_id is fresh. A server that dies
// stops refreshing, and its entries stop counting after STALE_MS.
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.js';
import type { NameClaims } from '../../types.js';
import { nameKey } from './keys.js';

// KEYS: the name's set. ARGV: now, stale-before, entry, user_id, ttl ms.
// Returns the user_id holding the name, or false after claiming it.
const CLAIM = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
for _, e in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local holder = string.match(e, '^[^|]*|(.*)$')
  if holder and holder ~= ARGV[4] then return holder end
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return false
`;

interface ClaimCommand {
  chatClaimName(key: string, now: string, staleBefore: string, entry: string, userId: string, ttl: string): Promise<string | null>;
}

export class RedisNames implements NameClaims {
  private readonly redis: Redis & ClaimCommand;
  /** lower-cased name -> user_id, for names this server's streams hold. */
  private readonly held = new Map<string, string>();

  constructor(
    redis: Redis,
    private readonly server: string,
    private readonly staleMs: number,
    /** Redis's clock, as the presence heartbeat last measured it. */
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    redis.defineCommand('chatClaimName', { numberOfKeys: 1, lua: CLAIM });
    this.redis = redis as Redis & ClaimCommand;
  }

  /** null when the name is ours to use, else the user_id that holds it elsewhere. */
  async claim(username: string, userId: string): Promise<string | null> {
    const name = username.toLowerCase();
    const now = this.now();
    let holder: string | null;
    try {
      holder = await this.redis.chatClaimName(
        nameKey(name),
        String(now),
        String(now - this.staleMs),
        this.entry(userId),
        userId,
        String(this.staleMs * 4),
      );
    } catch (err) {
      // Redis is down: the join will meet that anyway; hold the name from here
      // and let the heartbeat register it once Redis is back.
      this.log.debug(`name claim for ${username} failed: ${String(err)}`);
      holder = null;
    }
    if (holder) return holder;
    this.held.set(name, userId);
    return null;
  }

  release(username: string, userId: string): void {
    const name = username.toLowerCase();
    if (this.held.get(name) !== userId) return;
    this.held.delete(name);
    this.redis.zrem(nameKey(name), this.entry(userId)).catch(() => undefined);
  }

  /** Adds this server's refreshes to a heartbeat pipeline. */
  refresh(pipe: ReturnType<Redis['pipeline']>, now: number): void {
    for (const [name, userId] of this.held) {
      pipe.zadd(nameKey(name), now, this.entry(userId)).pexpire(nameKey(name), this.staleMs * 4);
    }
  }

  /** Lets go of every name (the server is stopping). */
  releaseAll(pipe: ReturnType<Redis['pipeline']>): void {
    for (const [name, userId] of this.held) pipe.zrem(nameKey(name), this.entry(userId));
    this.held.clear();
  }

  private entry(userId: string): string {
    return `${this.server}|${userId}`;
  }
}
