// Issue 13: this server's Session streams by user and by room, and the bus
// listener that hands them what concerns them. A UserEvent goes to every
// session of its user here (every server does the same for its own); a
// RoomSignal to the sessions here that are in the room, except the sessions
// of the user it is about (a typist never hears its own typing).
import type { Bus, BusMessage, RoomSignal, UserEvent } from './types.js';

/** What the registry needs of a session. */
export interface SessionHandle {
  /** The lower-cased username. */
  readonly userKey: string;
  userEvent(event: UserEvent): void;
  roomSignal(signal: RoomSignal): void;
}

export class SessionRegistry {
  private readonly byUser = new Map<string, Set<SessionHandle>>();
  private readonly byRoom = new Map<string, Set<SessionHandle>>();

  constructor(readonly bus: Bus) {
    bus.onMessage((message) => this.dispatch(message));
  }

  add(session: SessionHandle): void {
    addTo(this.byUser, session.userKey, session);
  }

  /** Forgets the session everywhere; true when it was its user's last session here. */
  remove(session: SessionHandle, rooms: Iterable<string>): boolean {
    for (const room of rooms) removeFrom(this.byRoom, room, session);
    removeFrom(this.byUser, session.userKey, session);
    return !this.byUser.has(session.userKey);
  }

  /** How many sessions the user has on this server. */
  sessionsOf(userKey: string): number {
    return this.byUser.get(userKey)?.size ?? 0;
  }

  enterRoom(room: string, session: SessionHandle): void {
    addTo(this.byRoom, room, session);
  }

  leaveRoom(room: string, session: SessionHandle): void {
    removeFrom(this.byRoom, room, session);
  }

  private dispatch(message: BusMessage): void {
    if (message.to === 'user') {
      const sessions = this.byUser.get(message.event.user.toLowerCase());
      if (sessions) for (const s of [...sessions]) s.userEvent(message.event);
      return;
    }
    const { signal } = message;
    const sessions = this.byRoom.get(signal.room);
    if (!sessions) return;
    const about = signal.username.toLowerCase();
    for (const s of [...sessions]) if (s.userKey !== about) s.roomSignal(signal);
  }
}

function addTo(map: Map<string, Set<SessionHandle>>, key: string, session: SessionHandle): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(session);
}

function removeFrom(map: Map<string, Set<SessionHandle>>, key: string, session: SessionHandle): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(session);
  if (set.size === 0) map.delete(key);
}
