// The one interface every history store keeps (memory.ts, sqlite.ts,
// redis/store.ts), and the error for a store that cannot be had. The room
// above it serialises calls per room, so a store never sees two appends for
// the same room at once.

export type StoredType = 'TEXT' | 'JOIN' | 'LEAVE' | 'EVENT';

/** Issue 16: what a stored room event does (chat.proto MessageAction, without ACTION_NONE). */
export type EventAction = 'EDIT' | 'DELETE' | 'REACT' | 'UNREACT' | 'TOPIC' | 'KICK' | 'BAN' | 'UNBAN' | 'MUTE' | 'UNMUTE' | 'OP' | 'DEOP' | 'INVITE' | 'PRIVATE';

/** Issue 16: the optional parts of a message: a reply's (TEXT), or a room event's (EVENT). Stores keep and return only those set. */
export interface MessageExtras {
  /** TEXT: the seq of the message it answers. */
  reply_to?: number;
  /** TEXT with reply_to: "Author: the first 100 characters" of the original, made when posted. */
  reply_quote?: string;
  /** EVENT: what it does. */
  action?: EventAction;
  /** EVENT (EDIT, DELETE, REACT, UNREACT): the seq acted on. */
  target_seq?: number;
  /** EVENT (moderation): the user acted on. */
  subject?: string;
  /** EVENT: EDIT's new text, REACT's emoji, a topic, a reason. */
  detail?: string;
  /** EVENT (MUTE): for how long. */
  minutes?: number;
}

/** The MessageExtras fields, in the order the stores and the wire carry them. */
export const MESSAGE_EXTRA_KEYS = ['reply_to', 'reply_quote', 'action', 'target_seq', 'subject', 'detail', 'minutes'] as const satisfies ReadonlyArray<keyof MessageExtras>;

/**
 * Copies the extras `from` has set (not '' or 0) onto `to`, leaving the others
 * absent: a store row or a stored message onto a message (sqlite.ts fromRow,
 * wire.ts toWire), so messages without them look as they always did.
 */
export function withExtras<T extends object>(to: T, from: Partial<Record<(typeof MESSAGE_EXTRA_KEYS)[number], string | number>>): T {
  for (const field of MESSAGE_EXTRA_KEYS) {
    const value = from[field];
    if (value) Object.assign(to, { [field]: value });
  }
  return to;
}

/** Issue 16: a message as it is now, from the room's events that target it (store.amendments). */
export interface Amendment {
  /** The current text when edited. */
  text?: string;
  edited: boolean;
  deleted: boolean;
  /** Each emoji with who reacted (names as spelt), in the order they did; emojis in the order first used. */
  reactions: Array<{ emoji: string; users: string[] }>;
}

/** A message the room wants kept; the store gives it its seq. */
export interface Draft extends MessageExtras {
  user_id: string;
  username: string;
  message: string;
  timestamp: number;
  type: StoredType;
  /** The posting client's id for it (TEXT from clients that send one): a user's resend of an id is not stored twice. */
  client_msg_id?: string;
  /** Issue 16, EVENT only: what it does, and to what (chat.proto ChatMessage fields 15-19). */
  action?: EventAction;
  target_seq?: number;
  subject?: string;
  detail?: string;
  minutes?: number;
}

export interface StoredMessage extends Draft {
  room_id: string;
  seq: number;
}

/** What append() gives back for one draft: stored now, or (`duplicate`) the one stored before under the same client id. */
export interface Appended extends StoredMessage {
  duplicate?: true;
}

export interface RoomSummary {
  room_id: string;
  latest_seq: number;
}

/** One page of search matches (store.search). */
export interface SearchPage {
  /** Newest first. */
  messages: StoredMessage[];
  /** Older history may hold more matches: search again with beforeSeq = next. */
  more: boolean;
  /** Where the next page starts; 0 when there is none. */
  next: number;
}

/**
 * Issue 13: what the server remembers about each user, shared by every server
 * on the same store: the user's rooms (direct conversations included) in the
 * user's order, read markers, and away state. Names are case-insensitive:
 * every method keys by the lower-cased name, and answers names as last spelt.
 */
export interface UserState {
  /** The user's rooms in the order they were added (oldest first). */
  rooms(user: string): Promise<string[]>;
  /** Adds the room at the end of the user's list; false when it was there already. */
  addRoom(user: string, room: string): Promise<boolean>;
  /** Takes the room off the user's list (and forgets its read marker); false when it was not there. */
  removeRoom(user: string, room: string): Promise<boolean>;
  /** Everyone who has the room in their list, as they spell their names, sorted case-insensitively. */
  roomMembers(room: string): Promise<string[]>;
  /** The user's read markers: room -> the last seq read (rooms never read are absent). */
  readMarks(user: string): Promise<Map<string, number>>;
  /** Moves the user's marker in the room forward to seq (never back); answers the marker now. */
  markRead(user: string, room: string, seq: number): Promise<number>;
  /** Away users among `users`: lower-cased name -> reason ('' when none given). Absent: not away. */
  awayOf(users: readonly string[]): Promise<Map<string, string>>;
  /** /away reason (a string, possibly empty) or /back (null). */
  setAway(user: string, reason: string | null): Promise<void>;
}

/**
 * Issue 16: a room's rules as the store keeps them (room-policy.ts caches
 * them per server). Names are lower-cased keys (user-names.ts userKey).
 */
export interface RoomPolicy {
  topic: string;
  /** Invite-only: only members, the invited and operators may join or read. */
  private: boolean;
  operators: ReadonlySet<string>;
  /** Banned user -> the reason given ('' for none). */
  banned: ReadonlyMap<string, string>;
  /** Muted user -> until when (ms since the epoch; 0: until unmuted). */
  muted: ReadonlyMap<string, number>;
  invited: ReadonlySet<string>;
}

/** Issue 16: one change to a room's policy (a moderation act that passed permissions.ts). */
export type PolicyChange =
  | { t: 'topic'; topic: string }
  | { t: 'op'; user: string }
  | { t: 'deop'; user: string }
  | { t: 'ban'; user: string; reason: string }
  | { t: 'unban'; user: string }
  | { t: 'mute'; user: string; until: number }
  | { t: 'unmute'; user: string }
  | { t: 'invite'; user: string }
  | { t: 'private'; on: boolean };

/** Issue 16: every room's policy, shared by every server on the same store (memory, SQLite, Redis). */
export interface RoomPolicies {
  /** The room's policy (an empty one for a room nobody set anything in). */
  get(room: string): Promise<RoomPolicy>;
  /** Applies one change; a change that changes nothing is harmless. */
  apply(room: string, change: PolicyChange): Promise<void>;
  /** Makes `user` the room's operator if it has none, atomically across servers; true when it did. */
  claimOperator(room: string, user: string): Promise<boolean>;
}

export interface Store {
  /** Issue 13: users' rooms, read markers and away state, in the same store. */
  readonly users: UserState;
  /** Issue 16: topics, operators, bans, mutes, invite-only rooms. */
  readonly policies: RoomPolicies;
  /**
   * Keeps the drafts in order, assigning consecutive seqs after the room's
   * latest, and answers one entry per draft. A draft whose user already has a
   * message in the room with the same client_msg_id (earlier, or earlier in
   * this batch) is not kept again: its entry is `duplicate`, with the seq of
   * the one kept.
   */
  append(room: string, drafts: readonly Draft[]): Promise<Appended[]>;
  /** Up to `limit` messages with seq < beforeSeq (null: the newest), oldest first. */
  before(room: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]>;
  /** Up to `limit` messages with seq > afterSeq, oldest first. */
  after(room: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;
  /** The room's oldest kept seq (0 when empty): tells scrollback where the beginning is. */
  firstSeq(room: string): Promise<number>;
  latestSeq(room: string): Promise<number>;
  rooms(): Promise<RoomSummary[]>;
  /**
   * Up to `limit` TEXT messages with seq < beforeSeq (null: from the newest),
   * newest first, in which every term (search.ts parseQuery: folded words)
   * starts a word.
   */
  search(room: string, terms: readonly string[], beforeSeq: number | null, limit: number): Promise<SearchPage>;
  /** Issue 16: one message, null when the room never had it or no longer keeps it. */
  get(room: string, seq: number): Promise<StoredMessage | null>;
  /**
   * Issue 16: the messages among `seqs` that the room's EVENTs have acted on
   * (edited, deleted, reacted to), as they are now (amendments.ts foldEvents);
   * seqs nothing acted on are absent.
   */
  amendments(room: string, seqs: readonly number[]): Promise<Map<number, Amendment>>;
  /**
   * Backups (issue 17): writes messages with their own seqs, increasing, after
   * `afterSeq`, which must be the room's latest seq (0: an empty room), checked
   * atomically with the write; the room's latest seq becomes the last one
   * written. Throws ImportConflictError when the room has moved on.
   */
  import(room: string, messages: readonly StoredMessage[], afterSeq: number): Promise<void>;
  close(): Promise<void>;
}

/** The store --store names cannot be used (unknown, unopenable, unreachable); the message says so whole. */
export class StoreUnavailable extends Error {}

/** An import met a room that is not where the import expected it (backups, issue 17). */
export class ImportConflictError extends Error {
  constructor(
    readonly room: string,
    readonly latestSeq: number,
  ) {
    super(`room '${room}' already holds messages up to seq ${latestSeq}`);
  }
}

/** The seqs an import writes must increase past afterSeq (backups, issue 17). */
export function checkImportSeqs(messages: readonly StoredMessage[], afterSeq: number): void {
  let last = afterSeq;
  for (const m of messages) {
    if (!Number.isSafeInteger(m.seq) || m.seq <= last) throw new Error(`seq ${m.seq} does not come after seq ${last}`);
    last = m.seq;
  }
}
