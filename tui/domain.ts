// chat-tui's own words for what happens in a chat. wire.ts turns the server's
// messages into these; outgoing.ts, the store and the components know nothing
// else (no proto type goes past wire.ts and connection.ts).

/** MARKER: the pane's "new messages" line (never stored, never from the server). */
export type LineType = 'TEXT' | 'JOIN' | 'LEAVE' | 'SYSTEM' | 'LOCAL' | 'MARKER';

/** One thing a room shows: a stored message (seq > 0), or a notice for this session only (seq 0). */
export interface Line {
  /** Stable React key: the seq for stored messages, a counter otherwise. */
  key: string;
  seq: number;
  type: LineType;
  userId: string;
  username: string;
  text: string;
  timestamp: number;
  pending?: boolean;
  /** Issue 16: the seq this message answers, and the server's one-line quote of it ("Alice: text…"). */
  replyTo?: number;
  replyQuote?: string;
  /** Changed by its author since it was posted (`text` is the new text). */
  edited?: boolean;
  /** Deleted: shown as a tombstone (`text` is empty). */
  deleted?: boolean;
  /** Reactions, in the order they first came. */
  reactions?: readonly Reaction[];
}

/** Issue 16: one emoji on a message and who gave it, in the order they did. */
export interface Reaction {
  emoji: string;
  users: readonly string[];
}

/** Issue 16: what a room event does to a message the room holds (keyed by room + seq). */
export type Amendment =
  | { kind: 'edit'; targetSeq: number; text: string }
  | { kind: 'delete'; targetSeq: number }
  | { kind: 'react' | 'unreact'; targetSeq: number; emoji: string; by: string };

/** Issue 16: what a moderator (or anyone, for an open room's topic) can do to a room. */
export type ModAction = 'topic' | 'kick' | 'ban' | 'unban' | 'mute' | 'unmute' | 'op' | 'deop' | 'invite' | 'private';

/** A moderation act as asked for (the moderate frame) or as it happened (a room event). */
export interface ModerationAct {
  action: ModAction;
  /** The user acted on (kick, ban, unban, mute, unmute, op, deop, invite). */
  subject: string;
  /** topic: the topic; kick, ban, mute: the reason; private: "on" or "off". */
  detail: string;
  /** mute: for how long (0: until unmuted). */
  minutes: number;
}

/** What one room's stream says, in the order it says it. */
export type RoomEvent =
  /** Someone posted; `own` when it is the echo of one of ours (`clientMsgId`: the id we gave it, if the server echoes ids). */
  | { kind: 'message'; line: Line; own: boolean; clientMsgId: string }
  /** The server says something to this session or the room (history markers, errors, shutdown). */
  | { kind: 'notice'; line: Line }
  /** Someone joined or left: shown, and the member list is stale. */
  | { kind: 'memberChange'; line: Line }
  /**
   * One of ours was refused; `refused` is the start of its text (protos/rules.ts
   * refusedPrefix), `clientMsgId` its id (servers that echo ids), `retryAfterMs`
   * > 0 when it was the rate limit and may go again after that wait.
   */
  | { kind: 'notSent'; line: Line; refused: string; clientMsgId: string; retryAfterMs: number }
  /** After a resume: everything missed has arrived, so what is still unconfirmed never got there. */
  | { kind: 'caughtUp' }
  /** Issue 16: an edit, delete or reaction, applied to the line it targets; its own line is never shown (only its seq counts). */
  | { kind: 'amend'; line: Line; amend: Amendment }
  /** Issue 16: a topic or moderation act: shown as a notice line, and it changes the room (topic, operator, private). */
  | { kind: 'moderation'; line: Line; act: ModerationAct; actor: string };

/** The line an event shows, if it shows one. */
export function lineOf(event: RoomEvent): Line | undefined {
  return event.kind === 'caughtUp' ? undefined : event.line;
}

/** `refused`: the server ended every stream for good (bad token, name taken); no retry is coming. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'refused';

export interface ConnectionStatus {
  state: ConnectionState;
  /** Why it is not online (the server's or the transport's words); empty when online. */
  detail: string;
  /** When the next try is due (reconnecting only). */
  retryAt: number | null;
}

/** A message typed here and not yet echoed by the server, as the store shows it. */
export interface PendingMessage {
  id: number;
  text: string;
  /** Written to a stream at least once (it may still never have arrived). */
  sent: boolean;
}

/** Issue 15: one page of search matches, newest first; `nextBefore` is where the next page starts (`more`). */
export interface SearchPage {
  lines: Line[];
  more: boolean;
  nextBefore: number;
}

/** Issue 13: how present a person is. */
export type Presence = 'online' | 'away' | 'offline';

export interface MemberInfo {
  username: string;
  presence: Presence;
  /** Away only: the reason given with /away (may be empty). */
  awayReason: string;
}

/** One of the user's rooms as the server keeps it (Welcome, a `room` event). */
export interface RoomInfo {
  roomId: string;
  /** A direct conversation; `peer` is the other participant. */
  direct: boolean;
  peer: string;
  latestSeq: number;
  /** How far the user has read (0: nothing yet). */
  readSeq: number;
  unread: number;
  mentions: number;
  /** Issue 16: the room's topic, invite-only, and whether this user may moderate it. */
  topic: string;
  private: boolean;
  operator: boolean;
}

/** What the server's rate limit is (null: none). */
export interface Limits {
  rate: number;
  burst: number;
}

/**
 * What the Session stream says that is not a room's message: wire.ts makes
 * these of SessionEvents; client.ts applies them. Room messages stay
 * RoomEvents and go through the per-room batch path (applyBatch).
 */
export type SessionNews =
  | { kind: 'welcome'; username: string; userId: string; limit: Limits | null; rooms: RoomInfo[]; away: boolean; awayReason: string }
  | { kind: 'room'; room: RoomInfo }
  | { kind: 'left'; roomId: string; reason: string }
  | { kind: 'read'; roomId: string; seq: number }
  | { kind: 'typing'; roomId: string; username: string; typing: boolean }
  | { kind: 'presence'; member: MemberInfo }
  | { kind: 'history'; requestId: number; roomId: string; lines: Line[]; reachedStart: boolean }
  | { kind: 'members'; requestId: number; roomId: string; members: MemberInfo[] }
  | { kind: 'error'; requestId: number; roomId: string; code: number; details: string };

/** One event of a server frame, in order: a room's message, or news. */
export type SessionItem = { kind: 'roomEvent'; roomId: string; event: RoomEvent } | SessionNews;

export interface RoomSummary {
  roomId: string;
  memberCount: number;
  /** Issue 16. */
  topic?: string;
  private?: boolean;
}

let localKeys = 0;

/** Keys for lines that have no seq (notices, local lines): unique in this process. */
export function localKey(): string {
  return `l${++localKeys}`;
}
