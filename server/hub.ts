// Every live room and session of this server. Rooms are made on first join and
// dropped when their last member leaves and their last post is delivered; the
// store keeps their history either way.
import type { Logger } from './log.js';
import { Room } from './room.js';
import type { Store } from './store/types.js';
import type { Wire } from './wire.js';

export interface MemberInfo {
  user_id: string;
  username: string;
}

export interface Closable {
  /** Tells the session's client the server is going away, flushes, and ends its stream. */
  shutdown(message: string, graceMs: number): Promise<void>;
}

export class Hub {
  private readonly rooms = new Map<string, Room>();
  readonly sessions = new Set<Closable>();

  constructor(
    readonly store: Store,
    readonly wire: Wire,
    readonly log: Logger,
  ) {}

  room(id: string): Room {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Room(id, this.store, this.wire, this.log);
      this.rooms.set(id, room);
    }
    return room;
  }

  /** Forget a room object once nothing uses it (called after a member leaves). */
  release(room: Room): void {
    void room.settled().then(() => {
      if (room.idle && this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    });
  }

  /** Distinct users (a user may hold several streams to one room). */
  members(roomId: string): MemberInfo[] {
    const byUser = new Map<string, MemberInfo>();
    for (const m of this.rooms.get(roomId)?.members.values() ?? []) {
      if (!byUser.has(m.userId)) byUser.set(m.userId, { user_id: m.userId, username: m.username });
    }
    return [...byUser.values()].sort((a, b) => a.username.localeCompare(b.username));
  }

  liveRoomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** Waits until every room has stored and delivered what was posted. */
  async settled(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((r) => r.settled()));
  }
}
