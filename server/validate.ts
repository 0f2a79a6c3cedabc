// Input rules for everything a client sends. Pure functions: each returns the
// cleaned value or a sentence a person can act on.

import { ANY_CONTROL as HAS_CONTROL, BIDI, CONTROL, DEFAULT_ROOM, DIRECT_PREFIX, parseDirectRoom } from '../protos/rules.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_USERNAME = 32;
const MAX_ROOM = 64;
const MAX_USER_ID = 128;

// Escape sequences are removed whole, so no parameter bytes are left behind:
// CSI (ESC [ or the C1 CSI), OSC/DCS/APC/PM strings up to their terminator,
// and other ESC sequences (intermediates plus a final byte, e.g. ESC ( B).
const ESCAPES =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]P^_X]|[\u0090\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
const ROOM = /^[\p{L}\p{N}._-]+$/u;

export function checkUsername(raw: string): Checked<string> {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, error: 'username is empty: choose a name of 1-32 characters' };
  if (HAS_CONTROL.test(name) || BIDI.test(name)) {
    BIDI.lastIndex = 0;
    return { ok: false, error: 'username contains control characters; use printable characters only' };
  }
  const length = [...name].length;
  if (length > MAX_USERNAME) {
    return { ok: false, error: `username is ${length} characters long; the limit is ${MAX_USERNAME}` };
  }
  return { ok: true, value: name };
}

export function checkRoom(raw: string): Checked<string> {
  const trimmed = raw.trim();
  if (trimmed.startsWith(DIRECT_PREFIX)) return checkDirectRoom(trimmed);
  const room = trimmed.startsWith('#') ? trimmed.slice(1) : trimmed;
  if (trimmed.length === 0) return { ok: true, value: DEFAULT_ROOM };
  if (room.length === 0) return { ok: false, error: "room name is empty after '#'" };
  const length = [...room].length;
  if (length > MAX_ROOM) return { ok: false, error: `room name is ${length} characters long; the limit is ${MAX_ROOM}` };
  if (!ROOM.test(room)) {
    return { ok: false, error: `room name '${sanitizeText(room)}' may only contain letters, digits, '.', '_' and '-'` };
  }
  return { ok: true, value: room };
}

/**
 * Issue 13: a direct conversation's id (`@alice/bob`, protos/rules.ts
 * directRoomId) is kept as it is; it must be exactly what directRoomId makes of
 * two valid usernames, so one conversation never has two ids.
 */
function checkDirectRoom(id: string): Checked<string> {
  const shown = sanitizeText(id);
  const pair = parseDirectRoom(id);
  if (!pair) {
    return {
      ok: false,
      error: `'${shown}' is not a direct conversation id: those are '@' and the two lower-cased names, percent-encoded, sorted and joined by '/' (e.g. @alice/bob)`,
    };
  }
  for (const name of pair) {
    const user = checkUsername(name);
    if (!user.ok) return { ok: false, error: `'${shown}' names an impossible user: ${user.error}` };
  }
  return { ok: true, value: id };
}

/** An empty user_id is allowed (the server makes one up); a present one must be printable and short. */
export function checkUserId(raw: string): Checked<string> {
  if (raw.length > MAX_USER_ID) return { ok: false, error: `user_id is longer than ${MAX_USER_ID} characters` };
  if (HAS_CONTROL.test(raw)) return { ok: false, error: 'user_id contains control characters' };
  return { ok: true, value: raw.trim() };
}

/** Removes everything that could drive a terminal; keeps newlines and tabs. */
export function sanitizeText(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROL, '').replace(BIDI, '');
}

export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
