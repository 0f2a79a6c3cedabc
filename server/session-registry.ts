// Issue 13: this server's Session streams by user and by room, and the bus
// listener that hands them what concerns them. A UserEvent goes to every
// session of its user here (every server does the same for its own); a
// RoomSignal to the sessions here that are in its room(s), each once, except
// the sessions of the user it is about (a typist never hears its own typing).
// A signal is encoded once for all its recipients: a user coming online in
// rooms of 50 members would otherwise cost 49 encodings.
import type { SessionEvent } from '../protos/generated/chat/SessionEvent.js';
import type { Bus, BusMessage, RoomSignal, UserEvent } from './types.js';

/** What the registry needs of a session. */
export interface SessionHandle {
  /** The lower-cased username. */
  readonly userKey: string;
  userEvent(event: UserEvent): void;
  /** A typing or presence event, already encoded as one ServerFrame event. */
  signal(encoded: Buffer): void;
}

/** The SessionEvent a signal shows as. */
export function signalEvent(signal: RoomSignal): SessionEvent {
  return signal.t === 'typing'
    ? { typing: { room_id: signal.room, username: signal.username, typing: signal.typing } }
    : { presence: { username: signal.username, presence: signal.presence, away_reason: signal.reason } };
}

/**
 * How long after a user's last session here ends before the others are told
 * the user went OFFLINE: a reconnect (a restart, a network blip, a storm of
 * them) comes back well within it, and then nobody is told anything.
 */
export const OFFLINE_GRACE_MS = 5000;

export class SessionRegistry {
  private readonly byUser = new Map<string, Set<SessionHandle>>();
  private readonly byRoom = new Map<string, Set<SessionHandle>>();
  /** Users whose last session here ended, waiting out the grace before OFFLINE. */
  private readonly departing = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly bus: Bus,
    private readonly encodeEvent: (event: SessionEvent) => Buffer,
  ) {
    bus.onMessage((message) => this.dispatch(message));
  }

  /** A session started. True when its user came back within the grace: nobody was told the user left. */
  add(session: SessionHandle): boolean {
    addTo(this.byUser, session.userKey, session);
    const timer = this.departing.get(session.userKey);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.departing.delete(session.userKey);
    return true;
  }

  /** The user's last session here ended: `offline` runs after the grace unless a session of the user starts first. */
  departed(userKey: string, offline: () => void): void {
    clearTimeout(this.departing.get(userKey));
    const timer = setTimeout(() => {
      this.departing.delete(userKey);
      if (!this.byUser.has(userKey)) offline();
    }, OFFLINE_GRACE_MS);
    timer.unref();
    this.departing.set(userKey, timer);
  }

  /** The server is stopping: no OFFLINE is owed (its sessions will resume elsewhere). */
  close(): void {
    for (const timer of this.departing.values()) clearTimeout(timer);
    this.departing.clear();
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

  /** Issue 16: a user event for this server's sessions of the user only (each server does a kick for its own). */
  userEventHere(event: UserEvent): void {
    this.dispatch({ to: 'user', event });
  }

  private dispatch(message: BusMessage): void {
    if (message.to === 'user') {
      const sessions = this.byUser.get(message.event.user.toLowerCase());
      if (sessions) for (const s of [...sessions]) s.userEvent(message.event);
      return;
    }
    const { signal } = message;
    const about = signal.username.toLowerCase();
    const to = new Set<SessionHandle>();
    for (const room of signal.t === 'typing' ? [signal.room] : signal.rooms) {
      for (const s of this.byRoom.get(room) ?? []) if (s.userKey !== about) to.add(s);
    }
    if (to.size === 0) return;
    const encoded = this.encodeEvent(signalEvent(signal));
    for (const s of to) s.signal(encoded);
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
