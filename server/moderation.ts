// Issue 16: a Session's `moderate` frame (TOPIC, OP, DEOP, KICK, BAN, UNBAN,
// MUTE, UNMUTE, INVITE, PRIVATE). permissions.ts decides on the room's policy
// as the store has it now; a refusal is a SessionError. A permitted act
// changes the policy in the store, takes a kicked or banned user's room off
// the user's list, and is then stored as an EVENT in the room through its one
// post path, so every member on every server reads it ("Carol was kicked by
// Alice (spam)") and every server's room acts on it (room-policy.ts delivered:
// caches drop, the subject's memberships end).
import { status } from '@grpc/grpc-js';
import type { Moderate__Output } from '../protos/generated/chat/Moderate.js';
import { DIRECT_PREFIX } from '../protos/rules.js';
import { roomAccess } from './access.js';
import { decide, roomLabel } from './permissions.js';
import type { LiveSession } from './session-types.js';
import type { Draft } from './store/types.js';
import { userKey } from './store/user-names.js';
import { checkRoom } from './validate.js';

export async function moderate(s: LiveSession, f: Moderate__Output, rid: number): Promise<void> {
  const checked = checkRoom(f.room_id);
  if (!checked.ok) return s.error(status.INVALID_ARGUMENT, `invalid room: ${checked.error}`, rid, f.room_id.slice(0, 100));
  const room = checked.value;
  const denied = roomAccess(room, s.username);
  if (denied) return s.error(status.PERMISSION_DENIED, denied.details, rid, room);
  if (room.startsWith(DIRECT_PREFIX)) return s.error(status.FAILED_PRECONDITION, 'a direct conversation has no operators and nothing to moderate', rid, room);
  const { ctx } = s;
  const policy = await ctx.policy.fresh(room);
  // One clock reading for the decision and the event: every server works a mute's end out from the event's time.
  const now = Date.now();
  const decision = decide(
    { action: f.action, subject: f.subject, detail: f.detail, minutes: f.minutes },
    { room, actor: s.username, policy, serverOperators: ctx.policy.serverOperators, now },
  );
  if (!decision.ok) return s.error(status[decision.code], decision.details, rid, room);
  const { event } = decision;
  if (event.action === 'KICK' && !(await isInRoom(s, room, event.subject))) {
    return s.error(status.NOT_FOUND, `${event.subject} is not in ${roomLabel(room)}`, rid, room);
  }
  if (decision.change) await ctx.store.policies.apply(room, decision.change);
  // Off the user's list before the event is out: a kicked user's next welcome has no such room.
  if (decision.removes) await ctx.store.users.removeRoom(event.subject, room);
  ctx.log.info(`[${room}] ${event.message}`, { event: 'moderation', user: s.username, room });
  const draft: Draft = {
    user_id: s.userId,
    username: s.username,
    message: event.message,
    timestamp: now,
    type: 'EVENT',
    action: event.action,
    subject: event.subject,
    detail: event.detail,
    minutes: event.minutes,
  };
  const target = ctx.rooms.room(room);
  target.post(draft);
  ctx.rooms.release(target);
}

/** Someone to kick: in the room right now (any stream, any server) or keeping it in their list. */
async function isInRoom(s: LiveSession, room: string, subject: string): Promise<boolean> {
  const k = userKey(subject);
  const live = await s.ctx.presence.members(room);
  if (live.some((m) => userKey(m.username) === k)) return true;
  return (await s.ctx.store.users.roomMembers(room)).some((n) => userKey(n) === k);
}
