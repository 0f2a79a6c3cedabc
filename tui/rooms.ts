// One room as the screen sees it, and the pure steps that change it: new lines
// in (de-duplicated by seq, counted as unread, cut to MAX_LINES while
// following), older lines paged in, scrolling. store.ts applies them.
import { lineOf, type Line, type PendingMessage, type RoomEvent } from './domain.js';

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
  };
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
  me: { username: string; looking: boolean; now?: number },
): { room: Partial<RoomView>; fresh: RoomEvent[]; alerts: Alert[] } {
  const lines = [...room.lines];
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
    if (e.kind === 'message' && !e.own) {
      arrived++;
      if (mentions(line.text, me.username)) {
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
    },
  };
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
