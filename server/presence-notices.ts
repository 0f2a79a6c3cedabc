// A room's JOIN and LEAVE notices, coalesced. Posting one stored notice per
// member per member was most of the work of a crowd arriving (n(n-1) messages a
// room: a million for 20,000 people in rooms of 50) and of a reconnect storm.
// So the first notice after a quiet spell goes out at once, and for the
// window after it (250 ms, and again while more keep coming) notices are held
// and posted as ONE stored JOIN (and one LEAVE) naming everyone who came (went):
// "Alice joined the room", "Alice and Bob joined the room", "Alice, Bob and 48
// others joined the room". Anything else posted in the room posts what is held
// first, so a joiner's JOIN always comes before its first message and a
// leaver's LEAVE after its last. Someone who joins and leaves within one window
// is never announced, nor is someone who leaves and comes back within one (a
// reconnect: one stream of theirs ends, another begins): they never left. A
// notice is never sent to the sessions it announces (the seed's rule: a joiner
// does not get its own JOIN), so it carries their ids. While windows keep
// ending with notices held (a crowd arriving, a reconnect storm), each is twice
// as long as the last, up to 2 s; a quiet one ends that.
import type { Draft } from './store/types.js';
import { SYSTEM_USER } from './wire.js';

/** How long notices are held after one has been posted. */
export const PRESENCE_WINDOW_MS = 250;
/** While every window ends with notices held, the next is twice as long, up to this. */
export const PRESENCE_WINDOW_MAX_MS = 2000;

/** Who a notice is about. sessionId: this server's stream, when it is one of ours. */
export interface Subject {
  username: string;
  sessionId?: number;
}

/** A notice ready to post: the sessions it names must not receive it. */
export interface NoticePost {
  draft: Draft;
  exclude?: ReadonlySet<number>;
}

export class PresenceNotices {
  /** Held joins by session (insertion order is arrival order). */
  private joins = new Map<number, Subject>();
  /** Held leaves by reason ('' or ' (connection lost)'), each in arrival order. */
  private leaves = new Map<string, Subject[]>();
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  /** The window now open: the first is windowMs, each busy one doubles it. */
  private currentMs: number;

  constructor(
    private readonly post: (notice: NoticePost) => void,
    private readonly windowMs = PRESENCE_WINDOW_MS,
    private readonly maxWindowMs = PRESENCE_WINDOW_MAX_MS,
  ) {
    this.currentMs = windowMs;
  }

  /** Notices are held, waiting for the window to end. */
  get holding(): boolean {
    return this.joins.size > 0 || this.leaves.size > 0;
  }

  joined(sessionId: number, username: string): void {
    // Back within the window (a reconnect): nobody is told it left, nor that it came.
    if (this.takeLeave(username)) return;
    this.joins.set(sessionId, { sessionId, username });
    this.kick();
  }

  /** `why`: said after "left the room", e.g. " (connection lost)". */
  left(subject: Subject, why = ''): void {
    // Came and went within one window: nobody was told it came, so nobody is told it went.
    // Or one stream of a user ended as another of theirs came (held): the user is still here.
    if (this.takeJoin(subject, why)) return;
    let list = this.leaves.get(why);
    if (!list) this.leaves.set(why, (list = []));
    list.push(subject);
    this.kick();
  }

  /**
   * Posts everything held now: LEAVEs first, then the JOIN, so someone who
   * dropped and came back within the window reads as back.
   */
  flush(): void {
    if (!this.holding) return;
    const { joins, leaves } = this;
    this.joins = new Map();
    this.leaves = new Map();
    for (const [why, subjects] of leaves) this.post({ draft: notice('LEAVE', subjects, why) });
    if (joins.size > 0) {
      const exclude = new Set(joins.keys());
      this.post({ draft: notice('JOIN', [...joins.values()], ''), exclude });
    }
    this.wake();
  }

  /** Drops a held plain LEAVE of `username`; true when there was one. */
  private takeLeave(username: string): boolean {
    const list = this.leaves.get('');
    const i = list?.findIndex((s) => s.username === username) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) this.leaves.delete('');
    if (!this.holding) this.wake();
    return true;
  }

  /** Drops the held JOIN of the same stream, or (a plain leave) of another stream of the same user; true when there was one. */
  private takeJoin(subject: Subject, why: string): boolean {
    let session = subject.sessionId !== undefined && this.joins.has(subject.sessionId) ? subject.sessionId : undefined;
    if (session === undefined && why === '') {
      for (const [id, held] of this.joins) {
        if (held.username === subject.username) {
          session = id;
          break;
        }
      }
    }
    if (session === undefined) return false;
    this.joins.delete(session);
    if (!this.holding) this.wake();
    return true;
  }

  /** Resolves once nothing is held (at once when nothing is). */
  posted(): Promise<void> {
    if (!this.holding) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The room is going away (the hub lets a room go only once nothing is held): stop the window. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.timer) return; // a window is open: held until it ends
    this.flush();
    // Not unref'd: what is held must be posted; a window lasts only while notices keep coming.
    this.currentMs = this.windowMs;
    this.timer = setTimeout(this.windowEnd, this.currentMs);
  }

  private readonly windowEnd = (): void => {
    this.timer = null;
    if (!this.holding) return; // quiet: the next notice goes at once
    this.flush();
    // Still busy (a crowd arriving, a reconnect storm): hold the next ones for a longer window.
    this.currentMs = Math.min(this.currentMs * 2, this.maxWindowMs);
    this.timer = setTimeout(this.windowEnd, this.currentMs);
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** One stored JOIN or LEAVE naming its subjects (each name once, in order of arrival). */
export function notice(type: 'JOIN' | 'LEAVE', subjects: readonly Subject[], why: string): Draft {
  const verb = type === 'JOIN' ? 'joined' : 'left';
  const names = [...new Set(subjects.map((s) => s.username))];
  return { ...SYSTEM_USER, message: `${nameList(names)} ${verb} the room${why}`, timestamp: Date.now(), type };
}

/** "Alice", "Alice and Bob", "Alice, Bob and Carol", "Alice, Bob and 48 others". */
export function nameList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
  return `${names[0] ?? ''}, ${names[1] ?? ''} and ${names.length - 2} others`;
}
