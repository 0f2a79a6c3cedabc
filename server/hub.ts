// Every live room and session of this server. Rooms are made on first join and
// dropped when their last member leaves and their last post is delivered; the
// store keeps their history either way.
import type { Feed, FeedHealth } from './feed.js';
import type { Accounts } from './accounts.js';
import type { Admission, TokenBuckets } from './limits.js';
import type { Logger } from './log.js';
import type { MemberInfo, Presence } from './presence.js';
import { joinLeave, Room } from './room.js';
import type { Store } from './store/types.js';
import type { Wire } from './wire.js';

export type { MemberInfo };

export interface Closable {
  /** Tells the session's client the server is going away, flushes, and ends its stream. */
  shutdown(message: string, graceMs: number): Promise<void>;
}

export interface Guards {
  admission: Admission;
  buckets: TokenBuckets;
  /** null: no accounts, anyone may pick a free name. */
  accounts: Accounts | null;
}

export const STORE_DOWN = 'The server lost its message store; messages cannot be sent until it is back.';
export const STORE_UP = 'The message store is back; sending works again.';

export class Hub {
  private readonly rooms = new Map<string, Room>();
  readonly sessions = new Set<Closable>();
  readonly store: Store;

  constructor(
    readonly feed: Feed,
    readonly presence: Presence,
    readonly wire: Wire,
    readonly log: Logger,
    readonly guards: Guards,
  ) {
    this.store = feed.store;
    feed.onHealth((health) => this.storeHealth(health));
    presence.onLost((room, username) => this.announceLost(room, username));
  }

  room(id: string): Room {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Room(id, this.feed, this.presence, this.wire, this.log);
      this.rooms.set(id, room);
    }
    return room;
  }

  /** Forget a room object once nothing uses it (called after a member leaves). */
  release(room: Room): void {
    void room.settled().then(() => {
      if (room.idle && this.rooms.get(room.id) === room) {
        this.rooms.delete(room.id);
        room.close();
      }
    });
  }

  /** A member whose server stopped answering: tell the room it has gone. */
  announceLost(roomId: string, username: string): void {
    const room = this.room(roomId);
    room.post(joinLeave({ username }, 'LEAVE', ' (connection lost)'));
    this.release(room);
  }

  members(roomId: string): Promise<MemberInfo[]> {
    return this.presence.members(roomId);
  }

  liveRoomIds(): string[] {
    return [...this.rooms.keys()];
  }

  /** Waits until every room has stored and delivered what was posted. */
  async settled(): Promise<void> {
    await Promise.all([...this.rooms.values()].map((r) => r.settled()));
  }

  private storeHealth(health: FeedHealth): void {
    if (health === 'down') this.log.error('Lost the connection to the message store; retrying', { event: 'store_down' }); // issue 17: JSON log fields
    else this.log.info('The message store is back', { event: 'store_up' }); // issue 17: JSON log fields
    for (const room of this.rooms.values()) {
      room.notice(health === 'down' ? STORE_DOWN : STORE_UP, health === 'down' ? 'NOTICE_ERROR' : 'NOTICE_INFO');
    }
  }
}
