// The types the server's parts share: who a stream is (Identity), how a call
// ends (Status), a room's Member, and the three seams a backend fills: the
// feed that stores and carries posts, presence (who is in a room) and name
// claims across servers. Types only, so any module may import it without a cycle.
import type { Outbox } from './outbox.js';
import type { Appended, Draft, Store, StoredMessage } from './store/types.js';

/** Who a stream speaks as, and where: what admit() makes of a first message. */
export interface Identity {
  username: string;
  /** The client's own, or one the server made up for a client that sent none. */
  userId: string;
  room: string;
}

/** A gRPC status a call ends with: its name, and words a person can act on. */
export interface Status {
  code:
    | 'INVALID_ARGUMENT'
    | 'PERMISSION_DENIED'
    | 'UNAUTHENTICATED'
    | 'ALREADY_EXISTS'
    | 'RESOURCE_EXHAUSTED'
    | 'UNAVAILABLE'
    | 'INTERNAL';
  details: string;
}

/** Why a stream may not come in: admit()'s answer when it is no. */
export type Refusal = Status;

/** One stream's place in one room. */
export interface Member {
  /** Unique per stream on this server: a user may hold several streams to one room. */
  sessionId: number;
  userId: string;
  username: string;
  outbox: Outbox;
  /** Issue 13: a Session stream's membership: its end is presence (OFFLINE), never a LEAVE. */
  session?: true;
}

/** A member as other people see it (ListMembers). */
export interface MemberInfo {
  user_id: string;
  username: string;
}

/** Issue 16: the account entry a token matched ("scrypt:ID:SALT:HASH"), so a stream can tell when it is no longer valid. */
export interface Credential {
  /** The account's name as the file spells it. */
  username: string;
  entry: string;
}

/** Something holding a client's stream open, which the server ends as it stops. */
export interface Closable {
  /** Tells the client the server is going away, flushes, and ends its stream. */
  shutdown(message: string, graceMs: number): Promise<void>;
  /** Issue 16, with accounts: the account entry this stream's token matched (null until it has been checked). */
  readonly credential?: Credential | null;
  /** Issue 16: its token is no longer valid (account removed, token replaced): ends the stream with `status`. */
  revoke?(status: Status): void;
}

export interface Published {
  messages: StoredMessage[];
  /** The publishing room's tag for the batch, so it can find its own posts (and their exclusions). */
  token: string;
}

export interface FeedHandler {
  /** A stored batch, in seq order; batches may skip seqs after a lost connection. */
  deliver(batch: Published): void;
  /** The feed may have missed messages (its connection came back): fetch from the store. */
  catchUp(): void;
}

/** Store health as the server sees it; rooms tell their members when it changes. */
export type FeedHealth = 'up' | 'down';

/**
 * How a room's stored messages reach the members on this server. A room hands
 * every batch to publish(), which stores it (assigning seqs) and announces it;
 * each server's subscribed room gets the stored batch back through deliver().
 * In one process that is a direct call; with Redis the same batch reaches every
 * server sharing the store, in seq order.
 */
export interface Feed {
  readonly store: Store;
  /** One entry per draft (store/types.ts append); only what was stored now is delivered. */
  publish(room: string, drafts: readonly Draft[], token: string): Promise<Appended[]>;
  /**
   * Starts delivering the room's new messages to `handler`. Resolves with the
   * seq that delivery starts after: everything up to it is already stored.
   */
  subscribe(room: string, handler: FeedHandler): Promise<number>;
  unsubscribe(room: string, handler: FeedHandler): void;
  /** Only a feed with a connection to lose (Redis) has health to report. */
  onHealth?(listener: (health: FeedHealth) => void): void;
  close(): Promise<void>;
}

/**
 * Who is in a room. On one server that is its own members; with Redis it is
 * every server's members, each kept alive by its server's heartbeat.
 */
export interface Presence {
  add(room: string, member: Member): void;
  remove(room: string, member: Member): void;
  /** Distinct users (a user may hold several streams to one room), sorted by name. */
  members(room: string): Promise<MemberInfo[]>;
  /** Distinct users per room. */
  counts(rooms: readonly string[]): Promise<Map<string, number>>;
  /**
   * Only presence shared between servers (Redis) has members of other servers,
   * which it reports here once their server stops answering.
   */
  onLost?(listener: (room: string, username: string, session: boolean) => void): void;
  close(): Promise<void>;
}

/**
 * One user_id per username across every server sharing a store. Admission
 * answers that question for this server's own streams; a backend shared by
 * several servers (Redis) adds these claims, and a server of its own has none.
 */
export interface NameClaims {
  /** Claims the name for this identity: null when it was free or already this user_id's, else the user_id holding it. */
  claim(username: string, userId: string): Promise<string | null>;
  /** This server's last stream of that identity has ended. */
  release(username: string, userId: string): void;
}

/**
 * Issue 13: what happens to a user, for every Session stream of that user on
 * every server (lower-cased name in `user`).
 */
export type UserEvent =
  /** The room was added to the user's list (a join in some session, or a direct message that arrived). */
  | { t: 'joined'; user: string; room: string }
  | { t: 'left'; user: string; room: string; reason: string }
  | { t: 'read'; user: string; room: string; seq: number }
  /** reason null: back. */
  | { t: 'away'; user: string; reason: string | null };

/** Issue 13: what happens in a room that is not stored, for the Session members of the room on every server. */
export type RoomSignal =
  | { t: 'typing'; room: string; username: string; typing: boolean }
  /** One signal for all the user's rooms: each session sharing any of them hears it once. */
  | { t: 'presence'; rooms: readonly string[]; username: string; presence: 'ONLINE' | 'AWAY' | 'OFFLINE'; reason: string };

export type BusMessage = { to: 'user'; event: UserEvent } | { to: 'room'; signal: RoomSignal };

/**
 * Issue 13: the unstored events every server must hear (user events, typing,
 * presence). One process delivers them to itself; with Redis every server
 * sharing the store gets each one, including the one that published it, once.
 */
export interface Bus {
  publish(message: BusMessage): void;
  onMessage(listener: (message: BusMessage) => void): void;
  close(): Promise<void>;
}
