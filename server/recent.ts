// A room's newest stored messages, kept encoded, so a joiner's history and a
// resumer's missed messages are written from memory: no store read and no
// protobuf encoding per member (in a reconnect storm every resuming member
// used to read and encode the same rows for itself). It holds only what it can
// vouch for: every stored message with a seq in (coveredAfter, newest]. A
// request it cannot answer whole gets null, and the room reads the store.
import type { Encoded } from './wire.js';

export class RecentMessages {
  private seqs: number[] = [];
  private bufs: Encoded[] = [];
  /** null: nothing known yet (fill() not called, or forgotten). 0: from the room's first message. */
  private coveredAfter: number | null = null;

  constructor(readonly capacity: number) {}

  /** Knows the store's newest messages: fill() has been called since the last forget(). */
  get known(): boolean {
    return this.coveredAfter !== null;
  }

  /**
   * Starts from the store's newest messages (oldest first, `capacity` asked
   * for); fewer than that means the room holds no more.
   */
  fill(messages: ReadonlyArray<{ seq: number; buf: Encoded }>): void {
    if (this.capacity === 0) return; // kept nothing: every request goes to the store
    this.seqs = messages.map((m) => m.seq);
    this.bufs = messages.map((m) => own(m.buf));
    this.coveredAfter = messages.length < this.capacity ? 0 : (messages[0]?.seq ?? 1) - 1;
  }

  /** A message just delivered (seqs rise). Ignored until fill(). */
  push(seq: number, buf: Encoded): void {
    if (this.coveredAfter === null) return;
    this.seqs.push(seq);
    this.bufs.push(own(buf));
    // Trim in steps, not one shift per message.
    if (this.seqs.length >= 2 * this.capacity) {
      const drop = this.seqs.length - this.capacity;
      this.coveredAfter = this.seqs[drop - 1] ?? this.coveredAfter;
      this.seqs = this.seqs.slice(drop);
      this.bufs = this.bufs.slice(drop);
    }
  }

  /** Messages were skipped (the store did not have them when asked): start again from the store. */
  forget(): void {
    this.seqs = [];
    this.bufs = [];
    this.coveredAfter = null;
  }

  /** The newest `limit` messages with seq <= upTo, oldest first, as the store would give them; null when not all are here. */
  newest(upTo: number, limit: number): Encoded[] | null {
    if (this.coveredAfter === null) return null;
    const end = this.indexAfter(upTo);
    const start = Math.max(0, end - limit);
    // Fewer than asked for: right only when nothing older exists.
    if (end - start < limit && this.coveredAfter !== 0) return null;
    return this.bufs.slice(start, end);
  }

  /** Every message with afterSeq < seq <= upTo, oldest first; null when some may be missing here. */
  between(afterSeq: number, upTo: number): Encoded[] | null {
    if (this.coveredAfter === null || afterSeq < this.coveredAfter) return null;
    return this.bufs.slice(this.indexAfter(afterSeq), this.indexAfter(upTo));
  }

  /** The index of the first message with seq > `seq`. */
  private indexAfter(seq: number): number {
    let i = this.seqs.length;
    while (i > 0 && (this.seqs[i - 1] as number) > seq) i--;
    return i;
  }
}

/**
 * A copy with memory of its own: a small Buffer is a slice of an 8 KB pool
 * shared with whatever else was allocated meanwhile (grpc-js frames), and one
 * kept slice keeps its whole pool alive.
 */
function own(buf: Encoded): Encoded {
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length) return buf;
  const copy = Buffer.allocUnsafeSlow(buf.length);
  buf.copy(copy);
  return copy as Encoded;
}
