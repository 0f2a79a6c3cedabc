// Issue 16: the posting rate limit across every server sharing Redis. Each
// user has one token bucket in Redis (same --rate-limit numbers), taken from by
// one Lua script call per post, on Redis's clock, so a user posting through
// several servers gets one burst and one rate in all, not one per server. The
// bucket expires once it would be full again: an idle user costs nothing (a
// missing key is a full bucket). When Redis does not answer, this server
// counts on its own (the local TokenBuckets of a server without Redis) and
// says so once, until Redis answers again.
import type { Redis } from 'ioredis';
import { TokenBuckets, type PostLimits, type RateLimit } from '../../limits.js';
import type { Logger } from '../../log.js';
import { rateKey } from './keys.js';

// KEYS: the bucket. ARGV: rate (tokens a second), burst.
// Returns {1, 0} when a token was taken, {0, ms until one is back} when not.
const TAKE = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = burst
if held[1] and held[2] then
  tokens = math.min(burst, tonumber(held[1]) + math.max(0, ms - tonumber(held[2])) * rate / 1000)
end
local ok, wait = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(ms))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {ok, wait}
`;

interface TakeCommand {
  chatTakeToken(key: string, rate: string, burst: string): Promise<[number, number]>;
}

/** How long a post waits for Redis's answer before this server decides alone. */
const ANSWER_MS = 1000;

export class RedisPostLimits implements PostLimits {
  private readonly redis: Redis & TakeCommand;
  /** When Redis does not answer. */
  private readonly local: TokenBuckets;
  /** key -> performance.now() when its bucket has a token again, after a refusal. */
  private readonly waits = new Map<string, number>();
  private failing = false;

  constructor(
    redis: Redis,
    readonly limit: RateLimit,
    private readonly log: Logger,
    private readonly answerMs = ANSWER_MS,
  ) {
    redis.defineCommand('chatTakeToken', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as Redis & TakeCommand;
    this.local = new TokenBuckets(limit);
  }

  take(key: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.answerMs} ms`)), this.answerMs);
    });
    const asked = this.redis.chatTakeToken(rateKey(key), String(this.limit.rate), String(this.limit.burst));
    return Promise.race([asked, late]).then(
      ([ok, wait]) => {
        clearTimeout(timer);
        if (this.failing) {
          this.failing = false;
          this.log.info('The posting rate limit is counted across servers again (Redis answers)', { event: 'rate_limit_shared' });
        }
        return this.settle(key, ok === 1, wait);
      },
      (err: unknown) => {
        clearTimeout(timer);
        asked.catch(() => undefined);
        if (!this.failing) {
          this.failing = true;
          this.log.warn(`The posting rate limit could not be checked in Redis (${String(err)}); this server counts alone until it can`, {
            event: 'rate_limit_local',
          });
        }
        const ok = this.local.take(key);
        return this.settle(key, ok, ok ? 0 : this.local.waitMs(key));
      },
    );
  }

  waitMs(key: string): number {
    const at = this.waits.get(key);
    return at === undefined ? 0 : Math.max(0, Math.ceil(at - performance.now()));
  }

  forget(key: string): void {
    this.waits.delete(key);
    this.local.forget(key);
  }

  describe(): string {
    return this.local.describe();
  }

  private settle(key: string, ok: boolean, waitMs: number): boolean {
    if (ok) this.waits.delete(key);
    else this.waits.set(key, performance.now() + waitMs);
    return ok;
  }
}
