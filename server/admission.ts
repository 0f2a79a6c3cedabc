// What this server has let in: which identity holds each username here (over
// how many streams), the rooms each user is in, and the streams each client
// connection holds. Pure bookkeeping: admit() reads it through AdmissionView,
// a stream records its identity once admitted and says when it ends.
import type { Identity, Refusal } from './types.js';

export interface AdmissionLimits {
  maxRoomsPerUser: number;
  maxStreamsPerConnection: number;
}

/** What admit() may ask about this server's streams. */
export interface AdmissionView {
  readonly maxRoomsPerUser: number;
  /** The user_id that holds this username on this server (case ignored), if any. */
  nameHolder(username: string): string | undefined;
  /** The rooms this user_id is in on this server, with how many streams each. */
  roomsOf(userId: string): ReadonlyMap<string, number>;
}

interface Holder {
  userId: string;
  streams: number;
}

/** A user's rooms: most are in one, which needs no Map of its own. */
type UserRooms = { room: string; streams: number } | Map<string, number>;

const NO_ROOMS: ReadonlyMap<string, number> = new Map();

export class Admission implements AdmissionView {
  private readonly names = new Map<string, Holder>();
  private readonly roomsByUser = new Map<string, UserRooms>();
  private readonly streamsByPeer = new Map<string, number>();

  constructor(private readonly limits: AdmissionLimits) {}

  get maxRoomsPerUser(): number {
    return this.limits.maxRoomsPerUser;
  }

  nameHolder(username: string): string | undefined {
    return this.names.get(username.toLowerCase())?.userId;
  }

  roomsOf(userId: string): ReadonlyMap<string, number> {
    const rooms = this.roomsByUser.get(userId);
    if (!rooms) return NO_ROOMS;
    return rooms instanceof Map ? rooms : new Map([[rooms.room, rooms.streams]]);
  }

  /** A stream opened on a connection (before its first message). */
  openStream(peer: string): Refusal | null {
    const n = this.streamsByPeer.get(peer) ?? 0;
    if (n >= this.limits.maxStreamsPerConnection) {
      return {
        code: 'RESOURCE_EXHAUSTED',
        details: `too many chat streams on one connection (the limit is ${this.limits.maxStreamsPerConnection}); close some first`,
      };
    }
    this.streamsByPeer.set(peer, n + 1);
    return null;
  }

  closeStream(peer: string): void {
    const n = (this.streamsByPeer.get(peer) ?? 1) - 1;
    if (n <= 0) this.streamsByPeer.delete(peer);
    else this.streamsByPeer.set(peer, n);
  }

  /** An admitted stream: its identity now holds the name here and counts in its room. */
  enter({ username, userId, room }: Identity): void {
    this.holdName(username, userId);
    const rooms = this.roomsByUser.get(userId);
    if (!rooms) this.roomsByUser.set(userId, { room, streams: 1 });
    else if (rooms instanceof Map) rooms.set(room, (rooms.get(room) ?? 0) + 1);
    else if (rooms.room === room) rooms.streams++;
    else this.roomsByUser.set(userId, new Map([[rooms.room, rooms.streams], [room, 1]]));
  }

  /** An admitted stream ended. True when it was the identity's last one here: the name is free on this server. */
  leave({ username, userId, room }: Identity): boolean {
    const freed = this.releaseName(username, userId);
    const rooms = this.roomsByUser.get(userId);
    if (!rooms) return freed;
    if (!(rooms instanceof Map)) {
      if (rooms.room === room && --rooms.streams <= 0) this.roomsByUser.delete(userId);
      return freed;
    }
    const n = (rooms.get(room) ?? 1) - 1;
    if (n <= 0) rooms.delete(room);
    else rooms.set(room, n);
    if (rooms.size === 0) this.roomsByUser.delete(userId);
    return freed;
  }

  /**
   * The name alone, for one more holder (a Session stream holds the name once,
   * whatever rooms it carries; those are counted in the user's own list).
   */
  holdName(username: string, userId: string): void {
    const key = username.toLowerCase();
    const holder = this.names.get(key);
    this.names.set(key, { userId, streams: (holder?.userId === userId ? holder.streams : 0) + 1 });
  }

  /** One holder of the name let go. True when it was the last: the name is free on this server. */
  releaseName(username: string, userId: string): boolean {
    const key = username.toLowerCase();
    const holder = this.names.get(key);
    if (!holder || holder.userId !== userId) return false;
    if (holder.streams <= 1) {
      this.names.delete(key);
      return true;
    }
    holder.streams--;
    return false;
  }

  /** Whether this identity holds the name on this server. */
  holds(username: string, userId: string): boolean {
    return this.nameHolder(username) === userId;
  }

  /** No user holds anything (for tests of the bookkeeping). */
  get empty(): boolean {
    return this.names.size === 0 && this.roomsByUser.size === 0 && this.streamsByPeer.size === 0;
  }
}
