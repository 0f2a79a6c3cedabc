// Issue 13: a Session stream's memberships, one per room of its user's list.
// Each has its own outbox (the room's replay and slow-reader rules stay
// per room) whose sink is the session's frame writer, so all of them share
// one frame per turn. They hold neither the name (the session does, once) nor
// a count in Admission (the user's list counts the rooms).
import { Membership } from './membership.js';
import { Outbox } from './outbox.js';
import type { FrameWriter } from './frame-writer.js';
import type { SessionHandle } from './session-registry.js';
import type { SessionContext } from './session-context.js';
import { roomWork } from './turn-budget.js';

export interface RoomsOwner {
  /** The session's member id in every room (unique per stream on this server). */
  readonly id: number;
  readonly ctx: SessionContext;
  readonly writer: FrameWriter;
  readonly username: string;
  readonly userId: string;
  readonly handle: SessionHandle;
  /** The client's address, for the logs. */
  readonly peer: string | undefined;
  /** A room's outbox overflowed: the reader fell too far behind. */
  overflow(room: string, queued: number): void;
  /** A room could not be joined (the store failed). */
  failed(room: string, err: unknown): void;
}

/**
 * The memberships by room. Most sessions are in one room (every idle bench
 * session is), so the first is held in two fields and a Map is made only for
 * a second room: 20,000 one-room sessions held 20,000 Maps.
 */
export class SessionRooms {
  private soloRoom: string | null = null;
  private solo: Membership | null = null;
  /** Every membership, in join order, once there are two or more (solo is then null). */
  private joined: Map<string, Membership> | null = null;

  constructor(private readonly owner: RoomsOwner) {}

  has(room: string): boolean {
    return this.get(room) !== undefined;
  }

  get(room: string): Membership | undefined {
    if (this.joined) return this.joined.get(room);
    return room === this.soloRoom ? (this.solo ?? undefined) : undefined;
  }

  ids(): string[] {
    if (this.joined) return [...this.joined.keys()];
    return this.soloRoom === null ? [] : [this.soloRoom];
  }

  private all(): Array<[string, Membership]> {
    if (this.joined) return [...this.joined];
    return this.soloRoom === null || this.solo === null ? [] : [[this.soloRoom, this.solo]];
  }

  private set(room: string, membership: Membership): void {
    if (this.joined) this.joined.set(room, membership);
    else if (this.soloRoom === null) {
      this.soloRoom = room;
      this.solo = membership;
    } else {
      this.joined = new Map(this.all());
      this.joined.set(room, membership);
      this.soloRoom = null;
      this.solo = null;
    }
  }

  private delete(room: string): void {
    if (this.joined) {
      this.joined.delete(room);
    } else if (room === this.soloRoom) {
      this.soloRoom = null;
      this.solo = null;
    }
  }

  private clear(): void {
    this.joined = null;
    this.soloRoom = null;
    this.solo = null;
  }

  /** Joins the room (nothing when already in it); `announce` stores a JOIN. */
  /** Resolves once the member is in the room and its replay is written (or the join failed). */
  join(room: string, resumeAfterSeq: number | undefined, announce: boolean): Promise<void> {
    if (this.has(room)) return Promise.resolve();
    const { ctx, writer, username, userId, id, peer, handle } = this.owner;
    const outbox = new Outbox(writer, ctx.limits.maxQueue, (queued) => this.owner.overflow(room, queued));
    const membership = new Membership({ username, userId, room }, id, outbox, ctx, peer, true);
    this.set(room, membership);
    ctx.registry.enterRoom(room, handle);
    return membership.enter(resumeAfterSeq, { announce }).catch((err: unknown) => {
      if (this.get(room) !== membership) return;
      this.leave(room, false);
      this.owner.failed(room, err);
    });
  }

  /** Leaves the room; `announce` stores a LEAVE. False when not in it. */
  leave(room: string, announce: boolean): boolean {
    const membership = this.get(room);
    if (!membership) return false;
    this.delete(room);
    this.owner.ctx.registry.leaveRoom(room, this.owner.handle);
    membership.leave(announce);
    return true;
  }

  /** Resolves once everything posted through any room so far is stored and delivered. */
  async settled(): Promise<void> {
    await Promise.all(this.all().map(([, m]) => m.settled()));
  }

  /**
   * The session ended: every room is left quietly (presence, not a LEAVE), in
   * its turn of room work, as JoinChat streams leave theirs.
   */
  leaveAll(): void {
    const all = this.all();
    this.clear();
    for (const [room] of all) this.owner.ctx.registry.leaveRoom(room, this.owner.handle);
    roomWork.defer(() => {
      for (const [, m] of all) m.leave(false);
    });
  }
}
