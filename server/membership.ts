// One admitted identity in one room, reached through one stream's outbox:
// from holding its name, through joining the room (history or what it missed,
// then live), posting, to leaving. It knows nothing of the stream that carries
// it, so a stream carrying several rooms can hold several of these.
import type { Admission } from './admission.js';
import { nameTakenElsewhere } from './admit.js';
import type { TokenBuckets } from './limits.js';
import type { Logger } from './log.js';
import type { Draft } from './store/types.js';
import { metrics } from './metrics.js';
import type { Outbox } from './outbox.js';
import type { Room } from './room.js';
import type { Identity, Member, NameClaims, Refusal } from './types.js';
import { isBlank, sanitizeText, utf8Bytes } from './validate.js';
import { notSent, type Wire } from './wire.js';

/** Where rooms come from (the hub): made on first use, let go once unused. */
export interface RoomDirectory {
  room(id: string): Room;
  release(room: Room): void;
}

let lastSessionId = 0;
/** A stream's member id, unique on this server across JoinChat and Session streams. */
export function newSessionId(): number {
  return ++lastSessionId;
}

/** How long a refused post's resend is awaited before its barrier lapses anyway. */
const BARRIER_MAX_MS = 10_000;

export interface MembershipContext {
  admission: Admission;
  /** null: a server of its own, no other servers to ask about names. */
  names: NameClaims | null;
  rooms: RoomDirectory;
  /** The posting rate limit, per user. */
  buckets: TokenBuckets;
  wire: Wire;
  log: Logger;
  limits: { historyLimit: number; maxMessageBytes: number };
}

export class Membership {
  private room: Room | null = null;
  private readonly member: Member;
  private gone = false;
  /**
   * After a refusal for rate: later posts are refused until the refused one
   * (`id`) comes again, or until `until` (ms since the epoch) for a client
   * without ids or one that never resends.
   */
  private barrier: { id: string; until: number } | null = null;

  /** Records the admitted identity here: from now on it holds its name and counts in its room. */
  constructor(
    readonly identity: Identity,
    sessionId: number,
    outbox: Outbox,
    private readonly ctx: MembershipContext,
    /** The client's address, for the logs. */
    private readonly peer?: string,
    /**
     * A Session stream's place in one of its user's rooms: the stream holds the
     * name (once for all its rooms), and the user's list counts the rooms, so
     * Admission is not told; it joins quietly unless enter() says otherwise.
     */
    private readonly session = false,
  ) {
    this.member = { sessionId, userId: identity.userId, username: identity.username, outbox };
    if (!session) ctx.admission.enter(identity);
  }

  /**
   * Asks the other servers sharing the store whether the name is free for this
   * user_id: null when it is. Returns null at once (no promise) when there are
   * no other servers to ask.
   */
  claimElsewhere(): Promise<Refusal | null> | null {
    const { names, admission } = this.ctx;
    if (!names) return null;
    const { username, userId } = this.identity;
    return names.claim(username, userId).then((holder) => {
      if (this.gone) {
        // Left while asking: a claim made meanwhile must not outlive the identity's streams here.
        if (holder === null && !admission.holds(username, userId)) names.release(username, userId);
        return null;
      }
      return holder === null ? null : nameTakenElsewhere(username);
    });
  }

  /**
   * Joins the room: replays its recent history (or everything after
   * resumeAfterSeq), then live messages, and announces the join. Rejects when
   * the store cannot load the room.
   */
  enter(resumeAfterSeq: number | undefined, { announce = !this.session } = {}): Promise<void> {
    const room = this.ctx.rooms.room(this.identity.room);
    this.room = room;
    this.ctx.log.info(`User ${this.member.username} (${this.member.userId}) joining room '${room.id}'`, this.fields('join'));
    return room.join(this.member, { resumeAfterSeq, historyLimit: this.ctx.limits.historyLimit, quiet: !announce });
  }

  /** A TEXT from the client: checked (size, control characters, rate) and handed to the room's one post path. */
  post(raw: string, clientMsgId = ''): void {
    const { room, member } = this;
    const { buckets, limits, log, wire } = this.ctx;
    if (!room || this.gone || isBlank(raw)) return;
    const refuse = (why: 'too_long' | 'rate_limited' | 'empty', reason: string, text: string, retryAfterMs = 0) => {
      metrics.refused.inc({ reason: why });
      log.info(`[${room.id}] ${member.username}: message not posted (${why.replace('_', ' ')})`, this.fields('refused'));
      member.outbox.send(wire.encode(notSent(room.id, reason, text, { clientMsgId, retryAfterMs })));
    };
    const bytes = utf8Bytes(raw);
    if (bytes > limits.maxMessageBytes) {
      return refuse('too_long', `it is ${bytes} bytes long and the limit is ${limits.maxMessageBytes} bytes`, sanitizeText(raw));
    }
    const text = sanitizeText(raw);
    // Said, so a client waiting for every echo is not left waiting for this one.
    if (isBlank(text)) return refuse('empty', 'nothing is left once control characters are removed', raw);
    // Once a post is refused for rate, every later one on this stream is refused
    // too, until the client sends the refused one again (by its id; without
    // ids, until the wait is over): whatever it wrote meanwhile comes back to
    // it, so its resends go out, and are stored, in the order it wrote them.
    const now = Date.now();
    const barrier = this.barrier;
    if (barrier && (barrier.until < now || (clientMsgId !== '' && clientMsgId === barrier.id))) this.barrier = null;
    if (this.barrier !== null || !buckets.take(member.userId)) {
      const wait = Math.max(buckets.waitMs(member.userId), 1);
      this.barrier ??= { id: clientMsgId, until: now + (clientMsgId ? BARRIER_MAX_MS : wait) };
      return refuse('rate_limited', `you are sending faster than ${buckets.describe()} allows`, text, wait);
    }
    // The text itself only at debug: info logs are for operators, not a transcript.
    if (log.enabled('debug')) log.debug(`[${room.id}] ${member.username}: ${text}`, { ...this.fields('post'), text });
    const draft: Draft = { user_id: member.userId, username: member.username, message: text, timestamp: now, type: 'TEXT' };
    if (clientMsgId) draft.client_msg_id = clientMsgId;
    room.post(draft, { sender: member });
  }

  /** Resolves once everything this membership posted so far is stored and delivered (its echoes queued). */
  settled(): Promise<void> {
    // Notices still held are about others (its own posts sent whatever was held before them).
    return this.room?.settled({ notices: false }) ?? Promise.resolve();
  }

  /** The structured fields of a log line about this membership (JSON logs). */
  private fields(event: string): { event: string; user: string; room: string; peer?: string } {
    return { event, user: this.identity.username, room: this.identity.room, ...(this.peer ? { peer: this.peer } : {}) };
  }

  /**
   * Undoes whatever was done: lets go of the name (when this was the identity's
   * last stream here) and leaves the room, with a stored LEAVE for the others
   * when `announce`.
   */
  leave(announce: boolean): void {
    if (this.gone) return;
    this.gone = true;
    const { admission, names, buckets, log, rooms } = this.ctx;
    const { username, userId } = this.identity;
    if (!this.session && admission.leave(this.identity)) names?.release(username, userId);
    const room = this.room;
    if (!room) return;
    // A Session's rate limit is the user's across its rooms: the session forgets it as it ends.
    if (!this.session) buckets.forget(userId);
    room.leave(this.member, announce);
    if (announce) log.info(`User ${username} left room '${room.id}'`, this.fields('leave'));
    rooms.release(room);
  }
}
