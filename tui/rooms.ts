// One room as the screen sees it, and the pure steps that change it: new lines
// in (de-duplicated by seq, counted as unread, cut to MAX_LINES while
// following), older lines paged in, scrolling. store.ts applies them.
import { applyAmendment } from './amend.js';
import { lineOf, type Line, type PendingMessage, type RoomEvent, type RoomInfo } from './domain.js';
import { showMemberChange, type JoinsMode } from './quiet-joins.js';

export interface RoomView {
  id: string;
  lines: Line[];
  /** Highest seq seen: where a reconnect resumes. */
  lastSeq: number;
  reachedStart: boolean;
  loadingOlder: boolean;
  /** Rows scrolled up from the live bottom (0: following new messages). */
  scroll: number;
  newBelow: number;
  unread: number;
  mentioned: boolean;
  /** Messages naming you since you last looked (the terminal title counts them). */
  mentions: number;
  /** Who is in the room now (ListMembers), for the status line and Tab. */
  members: string[];
  /** Typed but not yet echoed by the server, oldest first (outgoing.ts owns the queue). */
  pending: readonly PendingMessage[];
  /** Issue 13: a direct conversation with `peer` (the server's spelling, else the id's). */
  direct: boolean;
  peer: string;
  /** The server's read marker for the user, as far as this client knows. */
  readSeq: number;
  /** Messages up to this seq were counted by the server (RoomState.unread): a replay of them counts nothing again. */
  countedSeq: number;
  /** The "new messages" line goes above the first message from others after this seq; null: no line. */
  markerSeq: number | null;
  /** Lower-cased name -> when they last spoke here (the smart join filter asks). */
  spoke: Record<string, number>;
  /** Who is typing here: name -> when it expires (tui/typing.ts). */
  typing: Record<string, number>;
  /** The member list has been heard from the server at least once. */
  membersKnown: boolean;
  /** Issue 16: the room's topic, invite-only, and whether the user may moderate it. */
  topic: string;
  private: boolean;
  operator: boolean;
}

/** Lines a room keeps while following the live bottom; older ones are paged in again on demand. */
export const MAX_LINES = 2000;

export function emptyRoom(id: string): RoomView {
  return {
    id,
    lines: [],
    lastSeq: 0,
    reachedStart: false,
    loadingOlder: false,
    scroll: 0,
    newBelow: 0,
    unread: 0,
    mentioned: false,
    mentions: 0,
    members: [],
    pending: [],
    direct: false,
    peer: '',
    readSeq: 0,
    countedSeq: 0,
    markerSeq: null,
    spoke: {},
    typing: {},
    membersKnown: false,
    topic: '',
    private: false,
    operator: false,
  };
}

/** How a room is named on screen: "#general", or "@Bob" for a direct conversation. */
export function roomLabel(room: Pick<RoomView, 'id' | 'direct' | 'peer'> | undefined, id = room?.id ?? ''): string {
  return room?.direct ? `@${room.peer || id}` : `#${id}`;
}

const mentionPatterns = new Map<string, RegExp>();

export function mentions(text: string, username: string): boolean {
  // Compiled once per name: every incoming message asks.
  let pattern = mentionPatterns.get(username);
  if (!pattern) {
    const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escaped}($|[^\\p{L}\\p{N}_])`, 'iu');
    mentionPatterns.set(username, pattern);
  }
  return pattern.test(text);
}

/**
 * Older messages (a room's history replayed on joining) still count as
 * unread and mentions, but ring no bell: only what is said now alerts.
 */
export const ALERT_WINDOW_MS = 2 * 60_000;

/** A message that should reach you although you are not looking: it names you. */
export interface Alert {
  roomId: string;
  from: string;
  text: string;
}

/**
 * A batch from the room's stream applied to the room. `fresh` is the part that
 * was new: a stored message at or below the last seq seen is a resume overlap,
 * already here, and is dropped.
 */
export function receiveEvents(
  room: RoomView,
  events: readonly RoomEvent[],
  me: { username: string; looking: boolean; now?: number; joins?: JoinsMode },
): { room: Partial<RoomView>; fresh: RoomEvent[]; alerts: Alert[] } {
  const lines = [...room.lines];
  let spoke = room.spoke;
  let typing = room.typing;
  let peer = room.peer;
  let { topic, operator } = room;
  let isPrivate = room.private;
  const fresh: RoomEvent[] = [];
  let lastSeq = room.lastSeq;
  let arrived = 0; // others' messages: what unread and newBelow count
  let mentioned = room.mentioned;
  let mentionCount = room.mentions;
  const alerts: Alert[] = [];
  for (const e of events) {
    const line = lineOf(e);
    if (line && line.seq > 0) {
      if (line.seq <= lastSeq) {
        // Already shown. An echo of ours by id still settles its pending message:
        // the server answers a resend of something it stored with the stored one.
        if (e.kind === 'message' && e.own && e.clientMsgId) fresh.push(e);
        continue;
      }
      lastSeq = line.seq;
    }
    fresh.push(e);
    // Held back for the rate limit: it stays pending and goes again by itself, nothing to show.
    if (e.kind === 'notSent' && e.retryAfterMs > 0) continue;
    if (!line) continue;
    // Issue 16: an edit, delete or reaction changes the line it is about and shows nothing of its own.
    if (e.kind === 'amend') {
      applyAmendment(lines, e.amend);
      continue;
    }
    // What the server said of the room (RoomState) is as of countedSeq: only newer acts change it.
    if (e.kind === 'moderation' && line.seq > room.countedSeq) {
      const { action, subject, detail } = e.act;
      if (action === 'topic') topic = detail;
      if (action === 'private') isPrivate = detail === 'on';
      if ((action === 'op' || action === 'deop') && subject.toLowerCase() === me.username.toLowerCase()) operator = action === 'op';
    }
    if (e.kind === 'message') {
      const who = line.username.toLowerCase();
      // The peer's own messages spell their name.
      if (room.direct && who === peer.toLowerCase()) peer = line.username;
      if ((spoke[who] ?? 0) < line.timestamp) spoke = { ...spoke, [who]: line.timestamp };
      // Their message ends their typing notice.
      if (typing[line.username] !== undefined) {
        const { [line.username]: _done, ...rest } = typing;
        typing = rest;
      }
    }
    // The quiet-joins setting: the member list still changes (the event stays fresh), the pane need not say so.
    if (e.kind === 'memberChange' && !showMemberChange(line, { members: room.members.length, membersKnown: room.membersKnown, spoke }, me.joins ?? 'smart')) continue;
    // A replay of what the server already counted (Welcome's unread) counts nothing again.
    if (e.kind === 'message' && !e.own && line.seq > 0 && line.seq <= room.countedSeq) {
      lines.push(line);
      continue;
    }
    if (e.kind === 'message' && !e.own) {
      arrived++;
      // In a direct conversation every message is for you.
      if (room.direct || mentions(line.text, me.username)) {
        mentioned = true;
        mentionCount++;
        if (!me.looking && (me.now ?? Date.now()) - line.timestamp < ALERT_WINDOW_MS) alerts.push({ roomId: room.id, from: line.username, text: line.text });
      }
    }
    lines.push(line);
  }
  const following = room.scroll === 0;
  const trimmed = following && lines.length > MAX_LINES ? lines.slice(lines.length - MAX_LINES) : lines;
  return {
    fresh,
    alerts,
    room: {
      lines: trimmed,
      reachedStart: trimmed.length === lines.length ? room.reachedStart : false,
      lastSeq,
      unread: me.looking ? 0 : room.unread + arrived,
      mentioned: me.looking ? false : mentioned,
      mentions: me.looking ? 0 : mentionCount,
      newBelow: following ? 0 : room.newBelow + arrived,
      spoke,
      typing,
      peer,
      topic,
      private: isPrivate,
      operator,
    },
  };
}

/**
 * What the server says of one of the user's rooms (Welcome, a `room` event):
 * its kind, read marker and counts. `looking`: on screen with the focus, so
 * nothing in it is unread here. `current`: on screen, so the "new messages"
 * line is placed now if it has not been.
 */
export function applyRoomInfo(room: RoomView, info: RoomInfo, me: { looking: boolean; current: boolean }): Partial<RoomView> {
  const readSeq = Math.max(room.readSeq, info.readSeq);
  const unread = me.looking ? 0 : info.unread;
  const mentionCount = me.looking ? 0 : info.mentions;
  const markerSeq = me.current && room.markerSeq === null && info.unread > 0 ? info.readSeq : room.markerSeq;
  return {
    direct: info.direct,
    peer: spelling(room.peer, info.peer),
    readSeq,
    countedSeq: Math.max(room.countedSeq, info.latestSeq),
    unread,
    mentions: mentionCount,
    mentioned: mentionCount > 0 || (info.direct && unread > 0),
    markerSeq,
    topic: info.topic,
    private: info.private,
    operator: info.operator,
  };
}

/** The peer's name as people write it: a server that only knows the id's lower-cased form does not undo a better spelling. */
function spelling(known: string, told: string): string {
  if (!told) return known;
  return known.toLowerCase() === told.toLowerCase() && told === told.toLowerCase() ? known : told;
}

/**
 * The user read the room up to `seq` somewhere (another session, or here): the
 * unread count falls to what is loaded after the marker, never rises.
 */
export function readUpTo(room: RoomView, seq: number, username: string): Partial<RoomView> {
  if (seq <= room.readSeq) return {};
  const after = room.lines.filter((l) => l.seq > seq && l.type === 'TEXT' && l.username.toLowerCase() !== username.toLowerCase());
  const named = room.direct ? after.length : after.filter((l) => mentions(l.text, username)).length;
  const mentionCount = Math.min(room.mentions, named);
  return { readSeq: seq, unread: Math.min(room.unread, after.length), mentions: mentionCount, mentioned: room.mentioned && mentionCount > 0 };
}

/**
 * Where the "new messages" line goes: the index of the first loaded message
 * from someone else after the marker the room was opened with; -1: nowhere.
 */
export function newMessagesAt(room: Pick<RoomView, 'lines' | 'markerSeq'>, username: string): number {
  if (room.markerSeq === null) return -1;
  const marker = room.markerSeq;
  const me = username.toLowerCase();
  return room.lines.findIndex((l) => l.seq > marker && l.type === 'TEXT' && l.username.toLowerCase() !== me);
}

/** A page of older stored lines in front of what the room has (only those before its oldest). */
export function prependLines(room: RoomView, older: readonly Line[], reachedStart: boolean): Partial<RoomView> {
  const firstSeq = room.lines.find((l) => l.seq > 0)?.seq ?? Infinity;
  const add = older.filter((l) => l.seq > 0 && l.seq < firstSeq);
  return { lines: [...add, ...room.lines], reachedStart, loadingOlder: false };
}

export function scrollBy(room: RoomView, rows: number): Partial<RoomView> {
  const scroll = Math.max(0, room.scroll + rows);
  return { scroll, newBelow: scroll === 0 ? 0 : room.newBelow };
}

/** Back at the live bottom, what was paged in while reading goes (PgUp brings it back). */
export function backToBottom(room: RoomView): Partial<RoomView> {
  return room.lines.length > MAX_LINES
    ? { scroll: 0, newBelow: 0, lines: room.lines.slice(room.lines.length - MAX_LINES), reachedStart: false }
    : { scroll: 0, newBelow: 0 };
}
