// A room: its members and the one `post` path every stored message takes.
// post() queues a draft; a flush (once per event-loop turn, so bursts become
// one store transaction) stores the batch, which assigns seqs, then hands each
// message, encoded once, to every member's outbox. Room operations run one at a
// time on a promise chain, so seq order is delivery order and a joiner's
// history snapshot meets the live stream with no gap and no overlap.
import type { Logger } from './log.js';
import type { Outbox } from './outbox.js';
import type { Draft, Store, StoredMessage } from './store/types.js';
import { SYSTEM_USER, systemNotice, toWire, type Wire } from './wire.js';

export interface Member {
  sessionId: number;
  userId: string;
  username: string;
  outbox: Outbox;
}

interface PendingPost {
  draft: Draft;
  /** A session that must not receive it live (the joiner, for its own JOIN). */
  exclude?: number;
  /** Told when the store refuses the message. */
  sender?: Outbox;
}

export interface JoinOptions {
  resumeAfterSeq?: number;
  historyLimit: number;
}

const REPLAY_PAGE = 500;

export class Room {
  readonly members = new Map<number, Member>();
  private pending: PendingPost[] = [];
  private flushScheduled = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    private readonly store: Store,
    private readonly wire: Wire,
    private readonly log: Logger,
  ) {}

  get idle(): boolean {
    return this.members.size === 0 && this.pending.length === 0 && !this.flushScheduled;
  }

  post(draft: Draft, opts: { exclude?: number; sender?: Outbox } = {}): void {
    this.pending.push({ draft, ...opts });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate: every message read in this turn of the event loop joins the batch.
    this.run(() => new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush()));
  }

  /**
   * Adds the member, replays history to it (the last N, or everything after
   * resumeAfterSeq) and announces it to the others.
   */
  async join(member: Member, opts: JoinOptions): Promise<void> {
    const latest = await this.run(async () => {
      member.outbox.hold();
      this.members.set(member.sessionId, member);
      this.post(joinLeave(member, 'JOIN'), { exclude: member.sessionId });
      return this.store.latestSeq(this.id);
    });
    // Everything up to `latest` is committed; everything after reaches the held queue live.
    try {
      // A resume point past the newest seq means this server's history is not the
      // one the client saw (a wiped store): give it the recent history instead.
      if (opts.resumeAfterSeq !== undefined && opts.resumeAfterSeq <= latest) {
        await this.replayAfter(member.outbox, opts.resumeAfterSeq, latest);
      } else {
        await this.replayRecent(member.outbox, latest, opts.historyLimit);
      }
      if (opts.resumeAfterSeq !== undefined) {
        member.outbox.replay(this.wire.encode(systemNotice(this.id, 'Caught up', 'NOTICE_CAUGHT_UP')));
      }
    } finally {
      member.outbox.release();
    }
  }

  /** Removes the member; with `announce`, the others get a stored LEAVE. */
  leave(member: Member, announce: boolean): void {
    if (!this.members.delete(member.sessionId)) return;
    member.outbox.close();
    if (announce) this.post(joinLeave(member, 'LEAVE'));
  }

  /** Resolves once every post queued so far is stored and delivered. */
  settled(): Promise<void> {
    return this.run(async () => undefined);
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.chain.then(op);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let stored: StoredMessage[];
    try {
      stored = await this.store.append(this.id, batch.map((p) => p.draft));
    } catch (err) {
      this.log.error(`[${this.id}] could not store ${batch.length} message(s): ${String(err)}`);
      const notice = this.wire.encode(
        systemNotice(this.id, 'Your message was not sent: the server could not store it. Try again.', 'NOTICE_ERROR'),
      );
      for (const p of batch) p.sender?.send(notice);
      return;
    }
    stored.forEach((message, i) => {
      const exclude = batch[i]?.exclude;
      const buf = this.wire.encode(toWire(message));
      for (const member of this.members.values()) {
        if (member.sessionId !== exclude) member.outbox.send(buf);
      }
    });
  }

  private async replayRecent(outbox: Outbox, latest: number, limit: number): Promise<void> {
    if (limit <= 0 || latest === 0) return;
    const recent = await this.store.before(this.id, latest + 1, limit);
    if (recent.length === 0) return;
    outbox.replay(this.wire.encode(systemNotice(this.id, `--- Recent messages in ${this.id} ---`, 'NOTICE_HISTORY_START')));
    for (const m of recent) outbox.replay(this.wire.encode(toWire(m)));
    outbox.replay(this.wire.encode(systemNotice(this.id, '--- End of history ---', 'NOTICE_HISTORY_END')));
  }

  private async replayAfter(outbox: Outbox, afterSeq: number, latest: number): Promise<void> {
    let cursor = afterSeq;
    while (cursor < latest && !outbox.isClosed) {
      const page = await this.store.after(this.id, cursor, Math.min(REPLAY_PAGE, latest - cursor));
      if (page.length === 0) break;
      for (const m of page) {
        if (m.seq > latest) break;
        outbox.replay(this.wire.encode(toWire(m)));
        cursor = m.seq;
      }
      await outbox.idle();
    }
  }
}

function joinLeave(member: Member, type: 'JOIN' | 'LEAVE'): Draft {
  const verb = type === 'JOIN' ? 'joined' : 'left';
  return { ...SYSTEM_USER, message: `${member.username} ${verb} the room`, timestamp: Date.now(), type };
}
