// The rules both ends of the wire follow, written once: chat-server and
// chat-tui import them, so a limit or a text rule cannot drift apart.
import { createRequire } from 'node:module';

/** The room a first message with no room (or a client with no --room) means. */
export const DEFAULT_ROOM = 'general';

/** How much of a refused text travels back in NOTICE_NOT_SENT (clients match pending lines on it). */
export const REFUSED_CHARS = 256;

/** What the server quotes back of a refused text: its first REFUSED_CHARS characters (code points). */
export function refusedPrefix(text: string): string {
  return [...text].slice(0, REFUSED_CHARS).join('');
}

/** Input lines that end a client, in the full-screen and the line mode alike. */
export const QUIT_COMMANDS: readonly string[] = ['/quit', '/exit', '/q'];

// C0 controls but \t and \n, DEL, and the C1 controls: what a terminal may act on.
const CONTROL_CLASS = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f';
// Bidirectional embeddings, overrides and isolates (the "Trojan Source" set).
const BIDI_CLASS = '\\u202a-\\u202e\\u2066-\\u2069';

/** Every control character a message may not carry (tabs and newlines are text). */
export const CONTROL = new RegExp(`[${CONTROL_CLASS}]`, 'g');
/** Any control character at all, newlines included: for names and ids. */
export const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
export const BIDI = new RegExp(`[${BIDI_CLASS}]`, 'g');
/** Both sets in one class, for a client that must show whatever a server sends. */
export const UNSAFE = new RegExp(`[${CONTROL_CLASS}${BIDI_CLASS}]`, 'g');

/** A room as typed by a person: `#` prefix dropped, blank means the default room. */
export function roomName(raw: string): string {
  const trimmed = raw.trim();
  return (trimmed.startsWith('#') ? trimmed.slice(1) : trimmed) || DEFAULT_ROOM;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 2024-01-15, local time. */
export function dateStamp(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** 14:30:15, local time. */
export function clockStamp(d: Date): string {
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * The package's version. Both dist/server/*.js and the bundled
 * dist/tui/chat-tui.cjs sit two folders below package.json, as does this
 * file's own dist/protos/rules.js.
 */
export const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

// ---- Issue 13: direct conversations and typing -----------------------------

/** What starts a direct conversation's room id; no room name may contain it. */
export const DIRECT_PREFIX = '@';

/**
 * The room id of the direct conversation between two users: "@" + both
 * lower-cased names, percent-encoded, sorted, joined by "/". The same for both
 * sides, whoever starts it, and never a valid room name.
 */
export function directRoomId(a: string, b: string): string {
  const [x, y] = [a, b].map((n) => encodeURIComponent(n.trim().toLowerCase())).sort();
  return `${DIRECT_PREFIX}${x}/${y}`;
}

/** The two (lower-cased) participants of a direct room id, or null when it is not one. */
export function parseDirectRoom(roomId: string): [string, string] | null {
  if (!roomId.startsWith(DIRECT_PREFIX)) return null;
  const parts = roomId.slice(DIRECT_PREFIX.length).split('/');
  if (parts.length !== 2) return null;
  try {
    const [a, b] = parts.map((p) => decodeURIComponent(p)) as [string, string];
    if (!a || !b || directRoomId(a, b) !== roomId) return null;
    return [a, b];
  } catch {
    return null;
  }
}

/** The other participant of a direct room (lower-cased), seen from `me`; null when `me` is not in it. */
export function directPeer(roomId: string, me: string): string | null {
  const pair = parseDirectRoom(roomId);
  if (!pair) return null;
  const self = me.trim().toLowerCase();
  if (pair[0] === self) return pair[1];
  if (pair[1] === self) return pair[0];
  return null;
}

/** A typing client repeats its notice at most this often while it types. */
export const TYPING_INTERVAL_MS = 3000;
/** A typing notice not repeated within this long has expired (the typist stopped or went away). */
export const TYPING_EXPIRY_MS = 6000;
