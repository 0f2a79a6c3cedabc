// Issue 13: who may see a room. A room with a name is open to anyone the server
// lets in; a direct conversation (`@alice/bob`, protos/rules.ts) only to its
// two participants, on every RPC (JoinChat, GetHistory, SearchHistory,
// ListMembers, ListRooms, Session). Pure: the caller's name is an input. With
// accounts it is the token's name; without accounts it is whatever name the
// client gives (the first message's, or the x-chat-user header of a unary
// call), unauthenticated like every name on such a server.
import { DIRECT_PREFIX, parseDirectRoom } from '../protos/rules.js';
import type { Status } from './types.js';
import { checkUsername, sanitizeText, type Checked } from './validate.js';

/** The metadata header a unary call names its user with on a server without accounts. */
export const USER_HEADER = 'x-chat-user';

/**
 * null when `username` may see the room (read, join, list, search); otherwise
 * the PERMISSION_DENIED status to end the call with. `username` null: the call
 * did not say who it is (a unary call without accounts and without x-chat-user).
 */
export function roomAccess(roomId: string, username: string | null): Status | null {
  if (!roomId.startsWith(DIRECT_PREFIX)) return null;
  const shown = sanitizeText(roomId);
  const pair = parseDirectRoom(roomId);
  // checkRoom refuses such ids first; refusing here too keeps a caller that skipped it from opening one.
  if (!pair) return { code: 'PERMISSION_DENIED', details: `'${shown}' is not a direct conversation anyone can be in` };
  if (username === null) {
    return {
      code: 'PERMISSION_DENIED',
      details: `'${shown}' is a private conversation between ${sanitizeText(pair[0])} and ${sanitizeText(pair[1])}; this call does not say who you are (send your name in the ${USER_HEADER} header)`,
    };
  }
  if (isParticipant(pair, username)) return null;
  return {
    code: 'PERMISSION_DENIED',
    details: `'${shown}' is a private conversation between ${sanitizeText(pair[0])} and ${sanitizeText(pair[1])}; only they can see it`,
  };
}

/** Whether `username` (null: unknown) may see the room: for lists, which leave out what the caller may not see. */
export function canSee(roomId: string, username: string | null): boolean {
  return roomAccess(roomId, username) === null;
}

function isParticipant(pair: readonly [string, string], username: string): boolean {
  const me = username.trim().toLowerCase();
  return pair[0] === me || pair[1] === me;
}

/**
 * The name a unary call claims on a server without accounts: its x-chat-user
 * header, trimmed and checked like any username. A missing or blank header is
 * null (the call is anonymous: open rooms only); a bad one is an error to show.
 */
export function claimedName(metadata: { get(key: string): Array<string | Buffer> }): Checked<string | null> {
  const raw = metadata.get(USER_HEADER)[0];
  if (raw === undefined || String(raw).trim() === '') return { ok: true, value: null };
  const name = checkUsername(String(raw));
  if (!name.ok) return { ok: false, error: `invalid ${USER_HEADER} header: ${name.error}` };
  return name;
}

/**
 * Who a unary call is: with accounts (`tokenName` given, already verified) the
 * token's name, whatever the header says; without accounts the header's.
 */
export function unaryCaller(
  metadata: { get(key: string): Array<string | Buffer> },
  tokenName: string | null,
): Checked<string | null> {
  return tokenName !== null ? { ok: true, value: tokenName } : claimedName(metadata);
}
