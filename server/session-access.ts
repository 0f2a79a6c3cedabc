// Issue 13: who may use a room through a Session frame, and what a room id in
// a frame may be. PLACEHOLDER until server/access.ts (branch `access`) lands:
// then roomAccess is imported from there and this local copy goes.
import { DIRECT_PREFIX, directPeer, parseDirectRoom } from '../protos/rules.js';
import type { Status } from './types.js';
import { checkRoom, sanitizeText, type Checked } from './validate.js';

/** null: allowed. A non-direct room is open; a direct room only to its two participants. */
export function roomAccess(roomId: string, username: string): Status | null {
  if (!roomId.startsWith(DIRECT_PREFIX)) return null;
  if (directPeer(roomId, username) !== null) return null;
  return { code: 'PERMISSION_DENIED', details: `${roomId} is a direct conversation of two other people` };
}

/** A room name (as checkRoom takes it) or a valid direct conversation id. */
export function checkRoomId(raw: string): Checked<string> {
  const trimmed = raw.trim();
  if (!trimmed.startsWith(DIRECT_PREFIX)) return checkRoom(raw);
  if (parseDirectRoom(trimmed) === null) return { ok: false, error: `'${sanitizeText(trimmed.slice(0, 80))}' is not a direct conversation id (@name/name)` };
  return { ok: true, value: trimmed };
}
