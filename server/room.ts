// A room: its members on this server and the one `post` path every stored
// message takes. post() queues a draft; a flush (once per event-loop turn, so
// bursts become one store write) hands the batch to the feed, which stores it
// (assigning seqs) and delivers it back, in seq order, to the room on every
// server that shares the store; each delivered message is encoded once for all
// local members. Room operations run one at a time on a promise chain, so seq
// order is delivery order and a joiner's history snapshot meets the live
// stream with no gap and no overlap; each waits its turn in a time budget all
// rooms share (turn-budget.ts), so no turn of the event loop runs every room's
// work at once. JOIN/LEAVE notices are coalesced (presence-notices.ts),
// replays come from the newest messages kept encoded (recent.ts, replay.ts),
// in-flight.ts tracks batches through the feed and room-flush.ts stores one.
import type { Logger } from './log.js';
import type { Outbox } from './outbox.js';
import type { Draft, StoredMessage } from './store/types.js';
import { InFlightBatches, type PendingPost } from './in-flight.js';
import { REPLAY_PAGE, ReplayMarks, replayTo, type JoinOptions, type ReplayPlan } from './replay.js';
import type { Feed, FeedHandler, Member, Presence, Published } from './types.js';
import type { NoticeKind } from '../protos/generated/chat/NoticeKind.js';
import { PresenceNotices } from './presence-notices.js';
import { parseDirectRoom } from '../protos/rules.js';
import { RecentMessages } from './recent.js';
import { roomWork, type TurnBudget } from './turn-budget.js';
import { systemNotice, toWire, type Wire } from './wire.js';
import { storeBatch } from './room-flush.js';

export type { JoinOptions };

/** How long settled() waits for the feed to bring this server's own posts back. */
const SETTLE_DELIVERY_MS = 1000;

const ignore = (): undefined => undefined;

export class Room implements FeedHandler {
  readonly members = new Map<number, Member>();
  private pending: PendingPost[] = [];
  private flushScheduled = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** The highest seq handed to local members; null until subscribed to the feed. */
  private delivered: number | null = null;
  private readonly inflight = new InFlightBatches();
  /** The newest messages, encoded, for replays (recent.ts). */
  private readonly recent: RecentMessages;
  private readonly marks: ReplayMarks;
  /** Sessions whose join() is queued on the chain and has not run yet, and whether the join is quiet. */
  private readonly joining = new Map<number, boolean>();
  /** Posts waiting on the chain behind a join (post()). */
  private held = 0;
  /** A direct conversation (issue 13): two people, who need no JOIN/LEAVE lines, whatever stream they come through. */
  private readonly direct: boolean;
  /** JOIN and LEAVE notices, held briefly and posted one per window (presence-notices.ts). */
  private readonly notices = new PresenceNotices((n) => this.enqueue(n.draft, { exclude: n.exclude }));
  /** Issue 16: told of every stored room event this room delivers here (room-policy.ts: caches, kicks). */
  onEvent: ((room: Room, message: StoredMessage) => void) | null = null;

  constructor(
    readonly id: string,
    private readonly feed: Feed,
    private readonly presence: Presence,
    private readonly wire: Wire,
    private readonly log: Logger,
    /** How many of the newest messages to keep encoded for replays (the history limit). */
    recentCapacity = 50,
    private readonly budget: TurnBudget = roomWork,
  ) {
    this.recent = new RecentMessages(Math.min(Math.max(0, recentCapacity), REPLAY_PAGE));
    this.marks = new ReplayMarks(id, wire);
    this.direct = parseDirectRoom(id) !== null;
  }

  get idle(): boolean {
    return (
      this.members.size === 0 &&
      this.joining.size === 0 &&
      this.pending.length === 0 &&
      !this.flushScheduled &&
      this.inflight.size === 0 &&
      !this.notices.holding
    );
  }

  /**
   * A message for the room; JOIN/LEAVE notices held so far are posted before
   * it, so order with them is kept. A member's post that arrives while its own
   * join still waits its turn waits behind it, so its JOIN comes first; and
   * while any post waits so, later ones wait behind it (else one arriving just
   * after the join ran would overtake the one held for it).
   */
  post(draft: Draft, opts: { sender?: Member } = {}): void {
    const sender = opts.sender?.outbox;
    const go = (): void => {
      this.notices.flush();
      this.enqueue(draft, { sender });
    };
    if ((opts.sender && this.joining.has(opts.sender.sessionId)) || this.held > 0) {
      this.held++;
      void this.run(async () => {
        this.held--;
        go();
      });
    } else go();
  }

  private enqueue(draft: Draft, opts: { exclude?: ReadonlySet<number>; sender?: Outbox }): void {
    this.pending.push({ draft, ...opts });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate: every message read in this turn of the event loop joins the
    // batch; then the store write waits its turn in the budget like the rest
    // (every room's flush falls due in the same check phase), so the chain
    // needs no turn of its own before the wait.
    this.run(
      () =>
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => this.budget.turn())
          .then(() => this.flush()),
      false,
    );
  }

  /**
   * Adds the member, replays history to it (the last N, or everything after
   * resumeAfterSeq) and announces it to the others.
   */
  join(member: Member, opts: JoinOptions): Promise<void> {
    // Not an async function: in a storm thousands of joins wait their turn for
    // seconds, and each suspended frame (its generator and registers) was
    // promoted to the old space by the wait, garbage once the join ran.
    this.joining.set(member.sessionId, opts.quiet === true);
    return this.run(() => this.admitJoining(member, opts)).then((admitted) => (admitted === null ? undefined : this.replay(member, admitted, opts)));
  }

  private async admitJoining(member: Member, opts: JoinOptions): Promise<ReplayPlan | null> {
    try {
      return await this.admit(member, opts);
    } finally {
      this.joining.delete(member.sessionId);
    }
  }

  /** Everything up to the plan's `latest` is stored; everything after reaches the held queue live. */
  private async replay(member: Member, admitted: ReplayPlan, opts: JoinOptions): Promise<void> {
    try {
      await replayTo(member.outbox, admitted, opts, { id: this.id, store: this.feed.store, wire: this.wire, marks: this.marks });
    } finally {
      member.outbox.release();
    }
  }

  /**
   * join()'s turn on the chain: the member is in and its JOIN held. Answers
   * the seq its history ends at, whether it resumes, and what to replay when
   * the room's recent messages hold all of it (null: read the store); null
   * when the stream ended meanwhile.
   */
  private async admit(member: Member, opts: JoinOptions): Promise<ReplayPlan | null> {
    await this.open();
    // Another server's batch may be stored but not yet delivered here. Deliver
    // it now, so the snapshot below is the store's newest: a resume's caught-up
    // mark then really comes after everything stored before the join.
    await this.fetchMissed(null);
    const latest = this.delivered ?? 0;
    // The stream may have ended while this join waited its turn: leave() found
    // nothing to remove then, so adding it now would leave a ghost member.
    if (member.outbox.isClosed) return null;
    if (!this.recent.known) await this.fillRecent(latest);
    // A resume point past the newest seq means this server's history is not the
    // one the client saw (a wiped store): give it the recent history instead.
    const resume = opts.resumeAfterSeq !== undefined && opts.resumeAfterSeq <= latest;
    const replay = resume ? this.recent.between(opts.resumeAfterSeq ?? latest, latest) : this.recent.newest(latest, opts.historyLimit);
    member.outbox.hold();
    this.members.set(member.sessionId, member);
    this.presence.add(this.id, member);
    if (!opts.quiet && !this.direct) this.notices.joined(member.sessionId, member.username);
    return { latest, resume, replay };
  }

  /** Reads the room's newest messages once, so later joins replay from memory. */
  private async fillRecent(latest: number): Promise<void> {
    const capacity = this.recent.capacity;
    if (capacity === 0) return;
    const stored = latest === 0 ? [] : await this.feed.store.before(this.id, latest + 1, capacity);
    this.recent.fill(stored.map((m) => ({ seq: m.seq, buf: this.wire.encode(toWire(m)) })));
  }

  /** Removes the member; with `announce`, the others get a stored LEAVE. */
  leave(member: Member, announce: boolean): void {
    if (!this.members.delete(member.sessionId)) {
      // Left while its join waits its turn (admit() will find the outbox closed).
      // A quiet join is a Session user coming back to a room it was in all along:
      // its leave is the one that room hears. A JoinChat join was never announced.
      if (announce && !this.direct && this.joining.get(member.sessionId) === true) this.notices.left(member);
      return;
    }
    this.presence.remove(this.id, member);
    member.outbox.close();
    if (announce && !this.direct) this.notices.left(member);
  }

  /** A member on another server whose server stopped answering. */
  lost(username: string): void {
    this.notices.left({ username }, ' (connection lost)');
  }

  /** An unstored SYSTEM line for everyone here (e.g. the store went away). */
  notice(message: string, kind: NoticeKind): void {
    const buf = this.wire.encode(systemNotice(this.id, message, kind));
    for (const member of this.members.values()) member.outbox.send(buf);
  }

  /**
   * Resolves once every post queued so far is stored and delivered; with
   * `notices`, JOIN/LEAVE notices still held count as queued (up to a window).
   */
  async settled({ notices = true } = {}): Promise<void> {
    if (notices) await this.notices.posted();
    await this.run(async () => undefined);
    await this.inflight.drained(SETTLE_DELIVERY_MS);
  }

  /** Stops listening to the feed; the hub calls it once the room is idle. */
  close(): void {
    this.notices.close();
    this.feed.unsubscribe(this.id, this);
  }

  deliver(batch: Published): void {
    void this.run(() => this.deliverBatch(batch)).catch((err: unknown) => {
      this.log.error(`[${this.id}] delivery failed: ${String(err)}`);
    });
  }

  catchUp(): void {
    void this.run(() => this.fetchMissed(null)).catch((err: unknown) => {
      this.log.warn(`[${this.id}] could not catch up after reconnecting to the store: ${String(err)}`);
    });
  }

  /** Runs `op` after the room's earlier operations, in its turn of the shared time budget (turn-budget.ts) unless `gated` is false. */
  private run<T>(op: () => Promise<T>, gated = true): Promise<T> {
    const result = (gated ? this.chain.then(this.nextTurn) : this.chain).then(op);
    this.chain = result.catch(ignore);
    return result;
  }

  /** run()'s wait for a turn, one closure for all of the room's operations (a storm queues thousands). */
  private readonly nextTurn = (): Promise<void> => this.budget.turn();

  /** Subscribes on first use (and again after a failed attempt); runs on the chain. */
  private async open(): Promise<number> {
    this.delivered ??= await this.feed.subscribe(this.id, this);
    return this.delivered;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const posts = this.pending;
    this.pending = [];
    if (posts.length === 0) return;
    const { feed, wire, log, inflight } = this;
    await storeBatch(this.id, posts, { feed, wire, log, inflight, open: () => this.open(), delivered: () => this.delivered ?? 0 });
  }

  private async deliverBatch({ messages, token }: Published): Promise<void> {
    const first = messages[0];
    if (this.delivered === null || !first) return;
    if (first.seq > this.delivered + 1) {
      // The feed skipped some (a lost connection): fetch them, so members see no hole.
      try {
        await this.fetchMissed(first.seq - 1);
      } catch (err) {
        this.log.error(`[${this.id}] could not fetch seqs ${this.delivered + 1}-${first.seq - 1}: ${String(err)}`);
        this.recent.forget(); // the store may hold what was skipped: later replays read it there
      }
    }
    this.inflight.arrived(token, first.seq);
    for (const m of messages) this.send(m);
    this.inflight.forget(this.delivered ?? 0);
  }

  /** Delivers what the store holds after `delivered`, up to `upTo` (null: the newest). */
  private async fetchMissed(upTo: number | null): Promise<void> {
    if (this.delivered === null) return;
    const store = this.feed.store;
    const latest = upTo ?? (await store.latestSeq(this.id));
    while (this.delivered < latest) {
      const before: number = this.delivered;
      const page = await store.after(this.id, before, Math.min(REPLAY_PAGE, latest - before));
      for (const m of page) if (m.seq <= latest) this.send(m);
      // No progress: the rest is not in the store (trimmed, or lost with it).
      if (this.delivered === before) {
        this.delivered = latest;
        this.recent.forget(); // it cannot vouch for what it never saw
      }
    }
  }

  private send(message: StoredMessage): void {
    if (this.delivered === null || message.seq <= this.delivered) return;
    const exclude = this.inflight.excludeFor(message.seq);
    const buf = this.wire.encode(toWire(message));
    for (const member of this.members.values()) {
      if (!exclude?.has(member.sessionId)) member.outbox.send(buf);
    }
    this.recent.push(message.seq, buf);
    this.delivered = message.seq;
    if (message.type === 'EVENT') this.onEvent?.(this, message);
  }
}
