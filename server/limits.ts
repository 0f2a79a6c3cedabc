// Abuse limits, per server: a token bucket per user for posting, and the
// admission rules for a new stream (one live identity per username, a cap on
// rooms per user and on streams per connection). Pure bookkeeping: the
// session asks, and says when a stream ends.

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

/** Buckets kept before full ones (idle keys) are swept out, so many keys cannot grow the map for ever. */
const SWEEP_AT = 10_000;

export class TokenBuckets {
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

export interface AdmissionLimits {
  maxRoomsPerUser: number;
  maxStreamsPerConnection: number;
}

export type Refusal = { code: 'ALREADY_EXISTS' | 'RESOURCE_EXHAUSTED'; details: string };

interface Holder {
  userId: string;
  streams: number;
}

export class Admission {
  private readonly names = new Map<string, Holder>();
  private readonly roomsByUser = new Map<string, Map<string, number>>();
  private readonly streamsByPeer = new Map<string, number>();

  constructor(private readonly limits: AdmissionLimits) {}

  /** A stream opened on a connection (before its first message). */
  openStream(peer: string): Refusal | null {
    const n = this.streamsByPeer.get(peer) ?? 0;
    if (n >= this.limits.maxStreamsPerConnection) {
      return {
        code: 'RESOURCE_EXHAUSTED',
        details: `too many chat streams on one connection (the limit is ${this.limits.maxStreamsPerConnection}); close some first`,
      };
    }
    this.streamsByPeer.set(peer, n + 1);
    return null;
  }

  closeStream(peer: string): void {
    const n = (this.streamsByPeer.get(peer) ?? 1) - 1;
    if (n <= 0) this.streamsByPeer.delete(peer);
    else this.streamsByPeer.set(peer, n);
  }

  /** The first message named user and room: may this identity join? */
  join(username: string, userId: string, room: string): Refusal | null {
    const key = username.toLowerCase();
    const holder = this.names.get(key);
    if (holder && holder.userId !== userId) {
      return {
        code: 'ALREADY_EXISTS',
        details: `the name '${username}' is in use by someone else right now; choose another name`,
      };
    }
    const rooms = this.roomsByUser.get(userId) ?? new Map<string, number>();
    if (!rooms.has(room) && rooms.size >= this.limits.maxRoomsPerUser) {
      return {
        code: 'RESOURCE_EXHAUSTED',
        details: `you are in ${rooms.size} rooms, the most one user may be in; leave one first`,
      };
    }
    this.names.set(key, { userId, streams: (holder?.streams ?? 0) + 1 });
    rooms.set(room, (rooms.get(room) ?? 0) + 1);
    this.roomsByUser.set(userId, rooms);
    return null;
  }

  /** Returns true when that was the identity's last stream here: the name is free on this server. */
  leave(username: string, userId: string, room: string): boolean {
    const key = username.toLowerCase();
    const holder = this.names.get(key);
    let freed = false;
    if (holder && holder.userId === userId) {
      if (holder.streams <= 1) {
        this.names.delete(key);
        freed = true;
      } else holder.streams--;
    }
    const rooms = this.roomsByUser.get(userId);
    if (!rooms) return freed;
    const n = (rooms.get(room) ?? 1) - 1;
    if (n <= 0) rooms.delete(room);
    else rooms.set(room, n);
    if (rooms.size === 0) this.roomsByUser.delete(userId);
    return freed;
  }

  /** Whether this identity holds the name on this server. */
  holds(username: string, userId: string): boolean {
    return this.names.get(username.toLowerCase())?.userId === userId;
  }

  /** No user holds anything (for tests of the bookkeeping). */
  get empty(): boolean {
    return this.names.size === 0 && this.roomsByUser.size === 0 && this.streamsByPeer.size === 0;
  }
}
