// This server's live rooms and open streams. Rooms are made on first join and
// dropped when their last member leaves and their last post is delivered; the
// store keeps their history either way. The hub also tells every room when the
// store comes and goes, and posts the LEAVE of a member whose server died.
import type { Logger } from './log.js';
import { Room } from './room.js';
import type { Bus, Closable, Feed, FeedHealth, MemberInfo, Presence } from './types.js';
import type { Wire } from './wire.js';

export const STORE_DOWN = 'The server lost its message store; messages cannot be sent until it is back.';
export const STORE_UP = 'The message store is back; sending works again.';

export class Hub {
  private readonly rooms = new Map<string, Room>();
  /** Rooms with a release() check under way. */
  private readonly releasing = new Set<Room>();
  /** Every open stream, so shutdown can end each one. */
  readonly sessions = new Set<Closable>();

  constructor(
    private readonly feed: Feed,
    private readonly presence: Presence,
    private readonly wire: Wire,
    private readonly log: Logger,
    /** The history a joiner gets (--history): each room keeps that many of its newest messages encoded. */
    private readonly historyLimit = 50,
    /** Issue 13: where a lost Session user's OFFLINE goes (null: no Session streams to tell). */
    private readonly bus: Bus | null = null,
  ) {
    feed.onHealth?.((health) => this.storeHealth(health));
    presence.onLost?.((room, username, session) => this.announceLost(room, username, session));
  }

  /** Issue 16: what every room here does with the stored room events it delivers (room-policy.ts). */
  onRoomEvent: Room['onEvent'] = null;

  room(id: string): Room {
    let room = this.rooms.get(id);
    if (!room) {
      room = new Room(id, this.feed, this.presence, this.wire, this.log, this.historyLimit);
      room.onEvent = this.onRoomEvent;
      this.rooms.set(id, room);
    }
    return room;
  }

  /** Issue 16: the room object live here now, if any (made by room(), not yet let go). */
  liveRoom(id: string): Room | undefined {
    return this.rooms.get(id);
  }

  /** Forget a room object once nothing uses it (called after a member leaves). */
  release(room: Room): void {
    // One check per room at a time: fifty members leaving at once need one, not fifty.
    if (this.releasing.has(room)) return;
    this.releasing.add(room);
    void room.settled().then(() => {
      this.releasing.delete(room);
      if (this.rooms.get(room.id) !== room) return;
      if (room.idle) {
        this.rooms.delete(room.id);
        room.close();
      } else if (room.members.size === 0) {
        // Emptied, with something posted since the check began (a LEAVE held in its window): check again.
        this.release(room);
      }
    });
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

  /** A member whose server stopped answering: tell the room it has gone. */
  private announceLost(roomId: string, username: string, session: boolean): void {
    // A Session user keeps the room in its list: its server dying is presence, not a LEAVE.
    if (session) {
      this.bus?.publish({ to: 'room', signal: { t: 'presence', rooms: [roomId], username, presence: 'OFFLINE', reason: '' } });
      return;
    }
    const room = this.room(roomId);
    room.lost(username);
    this.release(room);
  }

  private storeHealth(health: FeedHealth): void {
    if (health === 'down') this.log.error('Lost the connection to the message store; retrying', { event: 'store_down' }); // issue 17: JSON log fields
    else this.log.info('The message store is back', { event: 'store_up' }); // issue 17: JSON log fields
    for (const room of this.rooms.values()) {
      room.notice(health === 'down' ? STORE_DOWN : STORE_UP, health === 'down' ? 'NOTICE_ERROR' : 'NOTICE_INFO');
    }
  }
}
