// A time budget for room work per turn of the event loop. better-sqlite3
// answers synchronously, so a room's chain of operations (flush, deliver to
// its members, the next join, its replay) runs to the end in microtasks, and
// every room whose work was due ran in the same turn: 2 s of a join storm, 7 s
// of a reconnect storm in one turn, while no stream was read or written.
//
// Every room operation asks turn() first. Pieces of work are granted one at a
// time, in the order asked: the next is granted once the one before has run as
// far as it can without waiting (its microtasks drained). Once a slice has
// lasted `sliceMs`, the rest wait for a later turn (setImmediate), so I/O and
// timers run in between. Work that waits on the network (Redis) holds nothing:
// the next piece is granted as soon as it waits.

/** Room work allowed per turn of the event loop before the rest waits for the next. */
export const SLICE_MS = 8;

export class TurnBudget {
  /** Waiting pieces from `head` on: a storm queues tens of thousands, and shift() on such an array copies it each time. */
  private queue: Array<(() => void) | undefined> = [];
  private head = 0;
  /** When this slice of work began (performance.now()); null: none open. */
  private sliceStart: number | null = null;
  /** A piece of work has been granted and the next grant is scheduled. */
  private pumping = false;

  constructor(
    readonly sliceMs = SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Pieces of work waiting for their turn. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Resolves when a piece of work may run: at once within this turn's slice, else in a later turn. */
  turn(): Promise<void> {
    return new Promise((resolve) => this.defer(resolve));
  }

  /** Runs `piece` in its turn (turn() without a promise, for work that needs no answer). */
  defer(piece: () => void): void {
    this.queue.push(piece);
    if (!this.pumping) this.pump();
  }

  private pump(): void {
    const next = this.queue[this.head];
    if (!next) {
      this.pumping = false;
      this.queue = [];
      this.head = 0;
      return;
    }
    this.pumping = true;
    const now = this.now();
    if (this.sliceStart === null) {
      this.sliceStart = now;
      // The slice ends with this turn of the loop: the check phase comes after I/O.
      setImmediate(this.endSlice);
    } else if (now - this.sliceStart >= this.sliceMs) {
      // Spent: the rest goes on in a later turn, after I/O. endSlice is queued
      // first, so this runs in a fresh slice.
      setImmediate(this.resume);
      return;
    }
    this.queue[this.head++] = undefined; // not kept alive by the queue once run
    // Let go of the spent front now and then (amortised: each piece is copied at most once).
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    next();
    // process.nextTick from a microtask runs once the microtask queue is empty,
    // i.e. once the work just granted has run as far as it can without waiting.
    queueMicrotask(this.afterPiece);
  }

  private readonly resume = (): void => this.pump();
  private readonly afterPiece = (): void => process.nextTick(this.resume);

  private readonly endSlice = (): void => {
    this.sliceStart = null;
  };
}

/** The one budget every room of this process shares: they share one event loop. */
export const roomWork = new TurnBudget();
