// One stream's outgoing queue. It hands grpc-js buffers while fewer than
// WINDOW are waiting in the stream (grpc-js's own high-water mark is 16
// objects, which would turn every burst into drain round-trips) and queues the
// rest until 'drain', so a slow reader costs its own queue, never anyone
// else's time. Live messages beyond
// `limit` queued mean the reader has fallen too far behind: onOverflow ends it.
// A replay (history, resume) is written page by page as the reader drains, and
// live messages arriving meanwhile are held, then released in order.
import type { Encoded } from './wire.js';
import { metrics } from './metrics.js';

export interface Sink {
  write(chunk: Encoded): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** Messages handed to the stream and not yet flushed to HTTP/2. */
  readonly writableLength: number;
}

/**
 * Messages allowed to wait inside grpc-js before the outbox holds the rest.
 * Kept small: a message parked in grpc-js costs heap while it waits and, when
 * the stream is cancelled, an error object with a stack trace each (1.2 s of a
 * 20,000-stream reconnect storm at 128); one waiting here is dropped for free.
 */
export const WINDOW = 32;

// An idle stream's outbox holds no arrays: queues and waiter lists are made on first use.
export class Outbox {
  private queue: Encoded[] | null = null;
  private held: Encoded[] | null = null;
  private blocked = false;
  private closed = false;
  private idleWaiters: Array<() => void> | null = null;
  /** Made the first time the stream pushes back. */
  private drainListener: (() => void) | null = null;

  constructor(
    private readonly sink: Sink,
    private readonly limit: number,
    private readonly onOverflow: (queued: number) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Messages waiting here (not yet handed to grpc-js), held live ones included. */
  get queued(): number {
    return (this.queue?.length ?? 0) + (this.held?.length ?? 0);
  }

  /** A live message: delivered after any replay in progress. */
  send(buf: Encoded): void {
    if (this.closed) return;
    if (this.held) this.held.push(buf);
    else this.enqueue(buf);
    this.checkLimit();
  }

  /** Start a replay: live messages wait until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** A replayed message: written ahead of held live ones, not counted against the limit. */
  replay(buf: Encoded): void {
    if (!this.closed) this.enqueue(buf);
  }

  release(): void {
    const held = this.held;
    this.held = null;
    if (!held || this.closed) return;
    for (const buf of held) this.enqueue(buf);
  }

  /** Resolves once everything queued has been handed to grpc-js (or the outbox closed). */
  idle(): Promise<void> {
    if (this.closed || (!this.blocked && !this.queue)) return Promise.resolve();
    return new Promise((resolve) => (this.idleWaiters ??= []).push(resolve));
  }

  close(): void {
    this.closed = true;
    this.queue = null;
    this.held = null;
    this.wakeIdle();
  }

  private enqueue(buf: Encoded): void {
    if (this.blocked || this.queue) {
      (this.queue ??= []).push(buf);
      return;
    }
    this.sink.write(buf);
    metrics.delivered.inc();
    if (this.sink.writableLength >= WINDOW) this.block();
  }

  private block(): void {
    this.blocked = true;
    this.sink.once('drain', (this.drainListener ??= () => this.onDrain()));
  }

  private onDrain(): void {
    this.blocked = false;
    const queue = this.queue;
    if (this.closed || !queue) return this.wakeIdle();
    let i = 0;
    while (i < queue.length) {
      this.sink.write(queue[i++] as Encoded);
      metrics.delivered.inc();
      if (this.sink.writableLength >= WINDOW) {
        this.block();
        break;
      }
    }
    this.queue = i === queue.length ? null : queue.slice(i);
    if (!this.blocked) this.wakeIdle();
  }

  private checkLimit(): void {
    // While a replay runs the queue holds replayed pages; only live messages count.
    const queued = this.held ? this.held.length : (this.queue?.length ?? 0);
    if (queued > this.limit) {
      metrics.slowReaders.inc();
      this.close();
      this.onOverflow(queued);
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    if (!waiters) return;
    this.idleWaiters = null;
    for (const wake of waiters) wake();
  }
}
