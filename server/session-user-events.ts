// Issue 13: what a live Session does with the events about its own user
// (joined, left, read, away: from any session of the user on any server), and
// the OFFLINE told to the user's rooms once the user's last session here has
// stayed gone past the grace (session-registry.ts).
import { roomAccess } from './access.js';
import type { SessionContext } from './session-context.js';
import type { LiveSession } from './session-types.js';
import type { UserEvent } from './types.js';

export async function applyUserEvent(s: LiveSession, event: UserEvent): Promise<void> {
  switch (event.t) {
    case 'joined': {
      if (s.rooms.has(event.room) || roomAccess(event.room, s.username) !== null) return;
      await s.enterRoom(event.room, { announce: false });
      // Someone already there (the peer of a direct conversation that just
      // arrived) still thinks this user is away from the room: say it is here.
      const away = (await s.ctx.store.users.awayOf([s.userKey])).get(s.userKey);
      const presence = away === undefined ? 'ONLINE' : 'AWAY';
      s.ctx.bus.publish({ to: 'room', signal: { t: 'presence', rooms: [event.room], username: s.username, presence, reason: away ?? '' } });
      return;
    }
    case 'left':
      if (s.rooms.leave(event.room, false)) s.writer.event({ left: { room_id: event.room, reason: event.reason } });
      return;
    case 'read':
      return s.writer.event({ read: { room_id: event.room, seq: event.seq } });
    case 'away':
      return s.writer.event({
        presence: { username: s.username, presence: event.reason === null ? 'ONLINE' : 'AWAY', away_reason: event.reason ?? '' },
      });
  }
}

/** OFFLINE to the user's rooms, unless a stream of the user is in one of them anywhere (or the user came back). */
export async function announceOffline(ctx: SessionContext, userKey: string, username: string): Promise<void> {
  if (!ctx.registry.awaitingOffline(userKey)) return;
  const rooms = await ctx.store.users.rooms(userKey);
  let elsewhere = false;
  for (const room of rooms) {
    const members = await ctx.presence.members(room);
    if ((elsewhere = members.some((m) => m.username.toLowerCase() === userKey))) break;
  }
  if (!ctx.registry.settleDeparture(userKey) || elsewhere) return;
  ctx.bus.publish({ to: 'room', signal: { t: 'presence', rooms, username, presence: 'OFFLINE', reason: '' } });
}
