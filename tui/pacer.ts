// The client's half of the server's rate limit: the same token bucket, kept
// here, so messages go out at the pace the server accepts instead of being
// refused. The server's limit is per user, so one pacer serves every room.
// Pure bookkeeping over an injected clock: outgoing.ts asks and schedules.

export interface RateLimit {
  /** Messages a second, sustained. */
  rate: number;
  /** Messages at once after a quiet spell. */
  burst: number;
}

export class Pacer {
  /** False until the server has said what its limit is (or that it says nothing): nothing is paced blind. */
  private known = true;
  private limit: RateLimit | null = null;
  private tokens = 0;
  private at: number;
  /** Posts taken before the limit was known: they count once it is. */
  private takenBlind = 0;
  /** The current server has answered (setLimit): posts without a limit are no longer counted blind. */
  private answered = false;
  /** The server said "not before": nothing goes out until then. */
  private holdUntil = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.at = now();
  }

  /**
   * The server's limit (null: none). The bucket holds half the server's burst:
   * the server counts a message when it arrives, and a burst written here can
   * reach the wire late (a busy event loop, a slow link) and land together with
   * the ones written after it, so the server's bucket must have room to spare.
   */
  setLimit(limit: RateLimit | null): void {
    this.known = true;
    this.answered = true;
    const blind = this.takenBlind;
    // Counted once, against this answer: posts to a server without a limit must
    // not weigh on the next server's bucket (a move with --server a,b).
    this.takenBlind = 0;
    if (!limit || !(limit.rate > 0)) {
      this.limit = null;
      return;
    }
    const burst = Math.max(1, Math.floor(limit.burst / 2));
    // With a burst of 1 there is no spare token: go a little slower instead.
    this.limit = { rate: limit.burst > 1 ? limit.rate : limit.rate * 0.9, burst };
    this.tokens = burst - blind;
    this.at = this.now();
  }

  /** A new server is being asked for its limit: hold every post until it answers (setLimit). */
  unknown(): void {
    this.known = false;
    this.answered = false;
  }

  /** Whether posts may be paced at all yet (see unknown()). */
  get ready(): boolean {
    return this.known;
  }

  /** Milliseconds until the next post may go (0: now). */
  wait(): number {
    const t = this.now();
    const held = Math.max(0, this.holdUntil - t);
    if (!this.limit) return Math.ceil(held);
    this.refill(t);
    const short = this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.limit.rate) * 1000;
    return Math.ceil(Math.max(held, short));
  }

  /** A post went out. */
  take(): void {
    if (!this.limit) {
      if (!this.answered) this.takenBlind++;
      return;
    }
    this.refill(this.now());
    this.tokens -= 1;
  }

  /** The server refused a post for rate and asked for `ms` of quiet. */
  backOff(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + ms);
    // Whatever we believed, the server's bucket is empty now.
    if (this.limit) {
      this.tokens = Math.min(this.tokens, 0);
      this.at = this.now();
    }
  }

  private refill(t: number): void {
    if (!this.limit) return;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.at) / 1000) * this.limit.rate);
    this.at = t;
  }
}
