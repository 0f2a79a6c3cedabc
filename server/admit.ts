// Who a stream's first message says it is, or why it may not be: every rule a
// newcomer must pass, in one pure function (no I/O, no clock, no state). The
// parts that wait on the network happen around it: the token is checked before
// (its name is an input here), and with Redis the name is claimed across
// servers after (nameTakenElsewhere is that step's refusal).
import type { ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { roomAccess } from './access.js';
import type { AdmissionView } from './admission.js';
import type { Identity, Refusal } from './types.js';
import { checkRoom, checkUserId, checkUsername } from './validate.js';

export type FirstMessage = Pick<ChatMessage__Output, 'username' | 'room_id' | 'user_id'>;

export interface AdmitContext {
  /** With accounts: the name the stream's token may speak as; null on a server without accounts. */
  tokenName: string | null;
  /** This server's streams: who holds which name, who is in which rooms. */
  here: AdmissionView;
  /** A user_id for a client that sent none. */
  newUserId(): string;
}

export type Admitted = { ok: true; identity: Identity } | { ok: false; refusal: Refusal };

const refuse = (code: Refusal['code'], details: string): Admitted => ({ ok: false, refusal: { code, details } });

export function admit(first: FirstMessage, ctx: AdmitContext): Admitted {
  const username = checkUsername(first.username);
  if (!username.ok) return refuse('INVALID_ARGUMENT', `invalid username: ${username.error}`);
  const room = checkRoom(first.room_id);
  if (!room.ok) return refuse('INVALID_ARGUMENT', `invalid room: ${room.error}`);
  const userId = checkUserId(first.user_id);
  if (!userId.ok) return refuse('INVALID_ARGUMENT', `invalid user_id: ${userId.error}`);

  const name = username.value;
  if (ctx.tokenName !== null && ctx.tokenName.toLowerCase() !== name.toLowerCase()) {
    return refuse('PERMISSION_DENIED', `this token belongs to '${ctx.tokenName}'; it cannot speak as '${name}'`);
  }
  // A direct conversation only to its participants: the name is the token's with accounts, as given without.
  const denied = roomAccess(room.value, name);
  if (denied) return { ok: false, refusal: denied };
  const holder = ctx.here.nameHolder(name);
  // With accounts the token proves who this is: a second client of the same
  // account (another user_id: a Session and a seed client, two machines) is the
  // same person, and speaks as the identity already holding the name here.
  const id = ctx.tokenName !== null && holder !== undefined ? holder : userId.value || ctx.newUserId();
  if (holder !== undefined && holder !== id) {
    return refuse('ALREADY_EXISTS', `the name '${name}' is in use by someone else right now; choose another name`);
  }
  const rooms = ctx.here.roomsOf(id);
  if (!rooms.has(room.value) && rooms.size >= ctx.here.maxRoomsPerUser) {
    return refuse('RESOURCE_EXHAUSTED', `you are in ${rooms.size} rooms, the most one user may be in; leave one first`);
  }
  return { ok: true, identity: { username: name, userId: id, room: room.value } };
}

/** Another server sharing the store has this name under another user_id. */
export function nameTakenElsewhere(username: string): Refusal {
  return {
    code: 'ALREADY_EXISTS',
    details: `the name '${username}' is in use by someone else right now (on another server); choose another name`,
  };
}
