// The batches a room has handed to the feed and not yet seen delivered back:
// which sessions each stored message must skip (the joiners a JOIN
// announces), and who waits for all of them to be delivered (settled()).
// A delivery can arrive before the store's answer (Redis), so a batch learns
// its first seq from whichever comes first.
import { randomBytes } from 'node:crypto';
import type { Outbox } from './outbox.js';
import type { Draft } from './store/types.js';

export interface PendingPost {
  draft: Draft;
  /** Sessions that must not receive it live (the joiners a JOIN announces). */
  exclude?: ReadonlySet<number>;
  /** Told when the store refuses the message. */
  sender?: Outbox;
}

interface InFlight {
  posts: PendingPost[];
  /** Known once the store answers or its delivery arrives. */
  firstSeq?: number;
}

// Tags are unique across servers so a room recognises only its own batches.
const TOKEN_PREFIX = randomBytes(6).toString('hex');
let tokens = 0;

export class InFlightBatches {
  private readonly batches = new Map<string, InFlight>();
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.batches.size;
  }

  /** A batch on its way to the store; answers its tag for the feed. */
  add(posts: PendingPost[]): string {
    const token = `${TOKEN_PREFIX}.${++tokens}`;
    this.batches.set(token, { posts });
    return token;
  }

  /** The store kept `posts` (resends dropped), the first at `firstSeq`. */
  stored(token: string, posts: PendingPost[], firstSeq: number): void {
    const entry = this.batches.get(token);
    if (!entry) return;
    entry.posts = posts;
    entry.firstSeq = firstSeq;
  }

  /** The feed delivered the batch tagged `token` (this server's own), starting at `firstSeq`. */
  arrived(token: string, firstSeq: number): void {
    const entry = this.batches.get(token);
    if (entry) entry.firstSeq = firstSeq;
  }

  /** The store refused the batch: nothing of it will be delivered. */
  failed(token: string): void {
    this.batches.delete(token);
    this.wake();
  }

  /** The sessions the stored message `seq` must skip, if it is one of ours. */
  excludeFor(seq: number): ReadonlySet<number> | undefined {
    for (const entry of this.batches.values()) {
      if (entry.firstSeq === undefined) continue;
      const post = entry.posts[seq - entry.firstSeq];
      if (seq >= entry.firstSeq && post) return post.exclude;
    }
    return undefined;
  }

  /** Drops the batches whose every message is at or below `delivered`. */
  forget(delivered: number): void {
    for (const [token, entry] of this.batches) {
      if (entry.firstSeq !== undefined && entry.firstSeq + entry.posts.length - 1 <= delivered) this.batches.delete(token);
    }
    this.wake();
  }

  /** Resolves once no batch is in flight, or after `ms` (a feed that never brings them back). */
  async drained(ms: number): Promise<void> {
    if (this.batches.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    clearTimeout(timer);
  }

  private wake(): void {
    if (this.batches.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
