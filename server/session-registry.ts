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
  /** A user's one session here, or a Set of them when several: most users have one (a Set each was 20,000 Sets). */
  private readonly byUser = new Map<string, SessionHandle | Set<SessionHandle>>();
  private readonly byRoom = new Map<string, Set<SessionHandle>>();
  /**
   * Users whose last session here ended: waiting out the grace (timer), or past
   * it (timer null) until their OFFLINE is decided. A session of the user that
   * starts meanwhile is a return: nobody is told anything.
   */
  private readonly departing = new Map<string, { timer: NodeJS.Timeout | null; offline: () => void }>();
  /**
   * Hellos received and not yet through, by user: in a storm a hello waits its
   * turn for seconds, past the grace of the session it replaces; such a user
   * is returning, not gone, and is not announced OFFLINE and then ONLINE.
   */
  private readonly arriving = new Map<string, number>();

  constructor(
    readonly bus: Bus,
    private readonly encodeEvent: (event: SessionEvent) => Buffer,
  ) {
    bus.onMessage((message) => this.dispatch(message));
  }

  /** A session started. True when its user came back within the grace: nobody was told the user left. */
  add(session: SessionHandle): boolean {
    const key = session.userKey;
    const had = this.byUser.get(key);
    if (had === undefined) this.byUser.set(key, session);
    else if (had instanceof Set) had.add(session);
    else if (had !== session) this.byUser.set(key, new Set([had, session]));
    const departed = this.departing.get(key);
    if (departed === undefined) return false;
    if (departed.timer !== null) clearTimeout(departed.timer);
    this.departing.delete(key);
    return true;
  }

  /** A hello naming the user was received; arrived() once it is through (started, refused, or its stream ended). */
  arrive(userKey: string): void {
    this.arriving.set(userKey, (this.arriving.get(userKey) ?? 0) + 1);
  }

  arrived(userKey: string): void {
    const left = (this.arriving.get(userKey) ?? 0) - 1;
    if (left > 0) return void this.arriving.set(userKey, left);
    this.arriving.delete(userKey);
    // The hello an OFFLINE waited for came to nothing: it is decided now.
    const departed = this.departing.get(userKey);
    if (departed && departed.timer === null) departed.offline();
  }

  /** Whether the user's grace is over, no session of the user started since and none is on its way. */
  awaitingOffline(userKey: string): boolean {
    return this.departing.get(userKey)?.timer === null && !this.arriving.has(userKey);
  }

  /** The OFFLINE is decided (told, or not owed): true when it still stands (awaitingOffline). */
  settleDeparture(userKey: string): boolean {
    if (!this.awaitingOffline(userKey)) return false;
    this.departing.delete(userKey);
    return true;
  }

  /** The server is stopping: no OFFLINE is owed (its sessions will resume elsewhere). */
  close(): void {
    for (const { timer } of this.departing.values()) if (timer !== null) clearTimeout(timer);
    this.departing.clear();
  }

  /**
   * Forgets the session everywhere; true when it was its user's last session
   * here. Then `offline` runs after the grace unless a session of the user
   * starts (or a hello of the user arrives) first; it decides the OFFLINE
   * (awaitingOffline, settleDeparture), and runs again if a hello it had to
   * wait for comes to nothing. The grace starts now, not once the session's rooms are left
   * (that waits its turn of room work): in a reconnect storm the new session's
   * hello is often queued ahead of the old one's leaving, and must find the
   * user departing (a return), not gone (a newcomer, announced ONLINE to every
   * member of every room of the user: 49 events per session in rooms of 50).
   */
  remove(session: SessionHandle, rooms: Iterable<string>, offline: () => void): boolean {
    for (const room of rooms) removeFrom(this.byRoom, room, session);
    const had = this.byUser.get(session.userKey);
    if (had === session) this.byUser.delete(session.userKey);
    else if (had instanceof Set) {
      had.delete(session);
      if (had.size === 1) this.byUser.set(session.userKey, had.values().next().value as SessionHandle);
    }
    if (this.byUser.has(session.userKey)) return false;
    const userKey = session.userKey;
    const before = this.departing.get(userKey);
    if (before?.timer) clearTimeout(before.timer);
    const departed: { timer: NodeJS.Timeout | null; offline: () => void } = { timer: null, offline };
    const timer = setTimeout(() => {
      departed.timer = null;
      if (!this.arriving.has(userKey)) offline();
    }, OFFLINE_GRACE_MS);
    timer.unref();
    departed.timer = timer;
    this.departing.set(userKey, departed);
    return true;
  }

  /** How many sessions the user has on this server. */
  sessionsOf(userKey: string): number {
    const had = this.byUser.get(userKey);
    return had === undefined ? 0 : had instanceof Set ? had.size : 1;
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
      if (sessions instanceof Set) for (const s of [...sessions]) s.userEvent(message.event);
      else sessions?.userEvent(message.event);
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
