// What a joiner is replayed before it goes live: the room's recent history
// between its SYSTEM marks, or (resuming) everything after the seq it saw and
// a caught-up mark. Replayed messages come from the room's newest kept
// encoded (recent.ts) when they hold it all, else from the store, page by
// page as the reader drains. The marks are encoded at most once a second per
// room rather than once per joiner (their timestamps may be a second old).
import type { NoticeKind } from '../protos/generated/chat/NoticeKind.js';
import { parseDirectRoom } from '../protos/rules.js';
import type { Outbox } from './outbox.js';
import type { Store } from './store/types.js';
import { systemNotice, toWire, type Encoded, type Wire } from './wire.js';

/** Stored messages read (and written to a resuming reader) per store call. */
export const REPLAY_PAGE = 500;

export interface JoinOptions {
  resumeAfterSeq?: number;
  historyLimit: number;
  /** No JOIN notice (a Session coming online in a room already in its user's list: presence, not a join). */
  quiet?: boolean;
}

/** What join() found in its turn: history ends at `latest`; `replay` is it, encoded, when memory held it all. */
export interface ReplayPlan {
  latest: number;
  resume: boolean;
  replay: Encoded[] | null;
}

/** How long an encoded mark is reused. */
const MARK_REUSE_MS = 1000;

export type MarkKind = 'start' | 'end' | 'caught-up';

export class ReplayMarks {
  private readonly marks = new Map<MarkKind, { at: number; buf: Encoded }>();

  constructor(
    private readonly roomId: string,
    private readonly wire: Wire,
  ) {}

  get(kind: MarkKind): Encoded {
    const now = Date.now();
    const kept = this.marks.get(kind);
    if (kept && now - kept.at < MARK_REUSE_MS) return kept.buf;
    const [text, notice]: [string, NoticeKind] =
      kind === 'start'
        ? [`--- Recent messages in ${parseDirectRoom(this.roomId) ? 'this conversation' : this.roomId} ---`, 'NOTICE_HISTORY_START']
        : kind === 'end'
          ? ['--- End of history ---', 'NOTICE_HISTORY_END']
          : ['Caught up', 'NOTICE_CAUGHT_UP'];
    const buf = this.wire.encode(systemNotice(this.roomId, text, notice));
    this.marks.set(kind, { at: now, buf });
    return buf;
  }
}

/** Writes the plan's replay to the joiner's outbox (held until the caller releases it). */
export async function replayTo(
  outbox: Outbox,
  plan: ReplayPlan,
  opts: JoinOptions,
  room: { id: string; store: Store; wire: Wire; marks: ReplayMarks },
): Promise<void> {
  const { latest, resume, replay } = plan;
  const encode = (m: Parameters<typeof toWire>[0]) => room.wire.encode(toWire(m));
  if (resume) {
    if (replay) for (const buf of replay) outbox.replay(buf);
    else await replayStored(outbox, room, opts.resumeAfterSeq ?? latest, latest);
  } else if (opts.historyLimit > 0 && latest > 0) {
    const recent = replay ?? (await room.store.before(room.id, latest + 1, opts.historyLimit)).map(encode);
    if (recent.length > 0) {
      outbox.replay(room.marks.get('start'));
      for (const buf of recent) outbox.replay(buf);
      outbox.replay(room.marks.get('end'));
    }
  }
  if (opts.resumeAfterSeq !== undefined) outbox.replay(room.marks.get('caught-up'));
}

/** Everything stored after `afterSeq` up to `latest`, a page at a time as the reader takes it. */
async function replayStored(outbox: Outbox, room: { id: string; store: Store; wire: Wire }, afterSeq: number, latest: number): Promise<void> {
  let cursor = afterSeq;
  while (cursor < latest && !outbox.isClosed) {
    const page = await room.store.after(room.id, cursor, Math.min(REPLAY_PAGE, latest - cursor));
    if (page.length === 0) break;
    for (const m of page) {
      if (m.seq > latest) break;
      outbox.replay(room.wire.encode(toWire(m)));
      cursor = m.seq;
    }
    await outbox.idle();
  }
}
