// The rate limit, per server: a token bucket per user for posting (and per
// address for token checks); with Redis, posting is limited per user across
// every server (store/redis/rate.ts) behind the same PostLimits. The caps on
// who may come in are admit.ts's rules over admission.ts's bookkeeping.

export interface RateLimit {
  /** Messages per second, sustained. */
  rate: number;
  /** Messages that may be sent at once after a quiet spell. */
  burst: number;
}

/** "RATE[/BURST]" or "off" (null). */
export function parseRateLimit(spec: string): RateLimit | null {
  if (spec.trim().toLowerCase() === 'off') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+)\s*)?$/.exec(spec);
  const rate = Number(m?.[1]);
  if (!m || !(rate > 0)) throw new Error(`'${spec}' is not RATE[/BURST] (e.g. 5/50) or off`);
  const burst = m[2] === undefined ? Math.max(1, Math.ceil(rate * 10)) : Number(m[2]);
  if (burst < 1) throw new Error(`burst in '${spec}' must be at least 1`);
  return { rate, burst };
}

/**
 * The posting rate limit as a post sees it (Membership.post). TokenBuckets
 * answers at once, for this server alone; with Redis (issue 16) the bucket is
 * the cluster's, and the answer comes back from Redis (store/redis/rate.ts).
 */
export interface PostLimits {
  /** The limit it keeps (null: off). */
  readonly limit: RateLimit | null;
  /** Takes one token for `key`; false means over the limit. */
  take(key: string): boolean | Promise<boolean>;
  /** Milliseconds until `key` has a whole token again (0: it has one now), as of its last take. */
  waitMs(key: string): number;
  /** The user's last stream here ended: what it kept for the key may go. */
  forget(key: string): void;
  describe(): string;
}

/** Buckets kept before full ones (idle keys) are swept out, so many keys cannot grow the map for ever. */
const SWEEP_AT = 10_000;

export class TokenBuckets implements PostLimits {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweepAt = SWEEP_AT;

  constructor(
    private readonly rateLimit: RateLimit | null,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The limit it keeps (null: off). */
  get limit(): RateLimit | null {
    return this.rateLimit;
  }

  /** Takes one token for `key`; false means over the limit. */
  take(key: string): boolean {
    if (!this.rateLimit) return true;
    if (this.buckets.size >= this.sweepAt) this.sweep();
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.rateLimit.burst, at: t };
    b.tokens = Math.min(this.rateLimit.burst, b.tokens + ((t - b.at) / 1000) * this.rateLimit.rate);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    return true;
  }

  /** Milliseconds until `key` has a whole token again (0: it has one now). */
  waitMs(key: string): number {
    const b = this.buckets.get(key);
    if (!this.rateLimit || !b) return 0;
    const tokens = Math.min(this.rateLimit.burst, b.tokens + ((this.now() - b.at) / 1000) * this.rateLimit.rate);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.rateLimit.rate) * 1000);
  }

  /** Drops a user's bucket if it would be full again anyway (called as a stream ends), so idle users cost nothing. */
  forget(key: string): void {
    const b = this.buckets.get(key);
    if (!b || !this.rateLimit) return;
    const refilled = b.tokens + ((this.now() - b.at) / 1000) * this.rateLimit.rate;
    if (refilled >= this.rateLimit.burst) this.buckets.delete(key);
  }

  /** Drops every bucket that has refilled: a full bucket is what a missing key means anyway. */
  private sweep(): void {
    for (const key of [...this.buckets.keys()]) this.forget(key);
    // Still big: these keys are all busy; look again once it has doubled.
    this.sweepAt = Math.max(SWEEP_AT, this.buckets.size * 2);
  }

  /** How many keys hold a bucket (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  describe(): string {
    return this.rateLimit ? `${this.rateLimit.rate} messages a second (bursts of ${this.rateLimit.burst})` : 'off';
  }
}
