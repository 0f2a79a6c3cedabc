// Issue 13: a Session's hello, from the first frame to live. The hello names
// the user (checked as JoinChat's first message is: name, user_id, the token's
// name, one identity per name here and, with Redis, on every server); then
// Hello.join adds rooms to the user's list, the Welcome lists them all with
// their read state, and each is joined: resuming after the client's cursor, or
// with recent history. A refusal ends the stream with its status.
import { createHash } from 'node:crypto';
import type { ClientFrame__Output } from '../protos/generated/chat/ClientFrame.js';
import { nameTakenElsewhere } from './admit.js';
import { roomState } from './room-state.js';
import { roomAccess } from './access.js';
import { addToList } from './session-frames.js';
import type { StartingSession } from './session-types.js';
import type { Status } from './types.js';
import { checkUserId, checkUsername } from './validate.js';

/** A user_id for a client that sends none: the same for a name every time, so resent posts are still recognised. */
export function stableUserId(username: string): string {
  return `user-${createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 16)}`;
}

/**
 * Runs the hello, in its turn of the shared budget (the stream waits for it:
 * a reconnect storm's thousands of hellos must not all run in one turn);
 * answers why the session may not start, or null once it is live (or ended meanwhile).
 */
export async function startSession(s: StartingSession, frame: ClientFrame__Output): Promise<Status | null> {
  const { ctx } = s;
  const hello = frame.frame === 'hello' ? frame.hello : null;
  if (!hello) return { code: 'INVALID_ARGUMENT', details: 'the first frame of a session must be a hello' };
  const name = checkUsername(hello.username);
  if (!name.ok) return { code: 'INVALID_ARGUMENT', details: `invalid username: ${name.error}` };
  const id = checkUserId(hello.user_id);
  if (!id.ok) return { code: 'INVALID_ARGUMENT', details: `invalid user_id: ${id.error}` };
  const username = name.value;
  const token = s.tokenUser;
  if (token !== null && token.toLowerCase() !== username.toLowerCase()) {
    return { code: 'PERMISSION_DENIED', details: `this token belongs to '${token}'; it cannot speak as '${username}'` };
  }
  const holder = ctx.admission.nameHolder(username);
  // With accounts the token proves who this is: the same account's other client speaks as the identity holding the name (admit.ts).
  const userId = token !== null && holder !== undefined ? holder : id.value || stableUserId(username);
  if (holder !== undefined && holder !== userId) {
    return { code: 'ALREADY_EXISTS', details: `the name '${username}' is in use by someone else right now; choose another name` };
  }
  s.identify(username, userId);
  if (ctx.names) {
    const taken = await ctx.names.claim(username, userId);
    if (s.closed) {
      // Ended while asking: a claim made meanwhile must not outlive the identity's streams here.
      if (taken === null && !ctx.admission.holds(username, userId)) ctx.names.release(username, userId);
      return null;
    }
    if (taken !== null) return nameTakenElsewhere(username);
  }
  const returning = ctx.registry.add(s);

  const announce = new Set<string>();
  for (const raw of hello.join) {
    const listed = await addToList(s, raw, 0);
    if (listed?.added && !listed.direct) announce.add(listed.room);
  }
  const users = ctx.store.users;
  const [list, marks, away] = await Promise.all([users.rooms(s.userKey), users.readMarks(s.userKey), users.awayOf([s.userKey])]);
  const rooms = list.filter((room) => roomAccess(room, username) === null);
  const states = await Promise.all(rooms.map((room) => roomState(ctx.store, room, username, marks.get(room) ?? 0, ctx.policy)));
  if (s.closed) return null;
  const reason = away.get(s.userKey);
  s.writer.event({
    welcome: { username, user_id: userId, server: ctx.serverInfo(), rooms: states, away: reason !== undefined, away_reason: reason ?? '' },
  });
  s.welcomed();
  const resume = new Map(hello.resume.map((c) => [c.room_id, c.after_seq]));
  for (const room of rooms) s.rooms.join(room, resume.get(room), announce.has(room));
  ctx.log.info(`User ${username} (${userId}) started a session with ${rooms.length} rooms`, { event: 'session', user: username, peer: s.peer });
  // The user's first session here, and not a quick return: the user's rooms
  // hear it is online; not those it has just joined, whose stored JOIN says so
  // (a room of newcomers would otherwise cost each member a presence event per joiner).
  const told = rooms.filter((room) => !announce.has(room));
  if (ctx.registry.sessionsOf(s.userKey) === 1 && !returning && told.length > 0) {
    const presence = reason === undefined ? 'ONLINE' : 'AWAY';
    ctx.bus.publish({ to: 'room', signal: { t: 'presence', rooms: told, username, presence, reason: reason ?? '' } });
  }
  return null;
}
