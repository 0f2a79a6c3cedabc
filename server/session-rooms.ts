// Issue 13: a Session stream's memberships, one per room of its user's list.
// Each has its own outbox (the room's replay and slow-reader rules stay
// per room) whose sink is the session's frame writer, so all of them share
// one frame per turn. They hold neither the name (the session does, once) nor
// a count in Admission (the user's list counts the rooms).
import { Membership } from './membership.js';
import { Outbox } from './outbox.js';
import type { FrameWriter } from './frame-writer.js';
import type { SessionHandle } from './session-registry.js';
import type { SessionContext } from './session-types.js';
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

export class SessionRooms {
  private readonly joined = new Map<string, Membership>();

  constructor(private readonly owner: RoomsOwner) {}

  has(room: string): boolean {
    return this.joined.has(room);
  }

  get(room: string): Membership | undefined {
    return this.joined.get(room);
  }

  ids(): string[] {
    return [...this.joined.keys()];
  }

  /** Joins the room (nothing when already in it); `announce` stores a JOIN. */
  join(room: string, resumeAfterSeq: number | undefined, announce: boolean): void {
    if (this.joined.has(room)) return;
    const { ctx, writer, username, userId, id, peer, handle } = this.owner;
    const outbox = new Outbox(writer, ctx.limits.maxQueue, (queued) => this.owner.overflow(room, queued));
    const membership = new Membership({ username, userId, room }, id, outbox, ctx, peer, true);
    this.joined.set(room, membership);
    ctx.registry.enterRoom(room, handle);
    membership.enter(resumeAfterSeq, { announce }).catch((err: unknown) => {
      if (this.joined.get(room) !== membership) return;
      this.leave(room, false);
      this.owner.failed(room, err);
    });
  }

  /** Leaves the room; `announce` stores a LEAVE. False when not in it. */
  leave(room: string, announce: boolean): boolean {
    const membership = this.joined.get(room);
    if (!membership) return false;
    this.joined.delete(room);
    this.owner.ctx.registry.leaveRoom(room, this.owner.handle);
    membership.leave(announce);
    return true;
  }

  /** Resolves once everything posted through any room so far is stored and delivered. */
  async settled(): Promise<void> {
    await Promise.all([...this.joined.values()].map((m) => m.settled()));
  }

  /**
   * The session ended: every room is left quietly (presence, not a LEAVE), in
   * its turn of room work, as JoinChat streams leave theirs; then `then`.
   */
  leaveAll(then: () => void): void {
    const all = [...this.joined];
    this.joined.clear();
    for (const [room] of all) this.owner.ctx.registry.leaveRoom(room, this.owner.handle);
    roomWork.defer(() => {
      for (const [, m] of all) m.leave(false);
      then();
    });
  }
}
