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
      announceHere(s, event.room, await s.enterRoom(event.room, { announce: false }));
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

/**
 * A room entered after the welcome (a join, a direct conversation that just
 * arrived): whoever is already there (the conversation's peer) may think this
 * user is away from it. Once the user is in (so a member list asked for from
 * now on agrees), say it is here.
 */
export function announceHere(s: LiveSession, room: string, entered: { joined: Promise<void> } | null): void {
  void entered?.joined
    .then(() => s.ctx.store.users.awayOf([s.userKey]))
    .then((aways) => {
      const away = aways.get(s.userKey);
      const presence = away === undefined ? 'ONLINE' : 'AWAY';
      s.ctx.bus.publish({ to: 'room', signal: { t: 'presence', rooms: [room], username: s.username, presence, reason: away ?? '' } });
    })
    .catch(() => undefined);
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
