// Issue 13: a room's member list with presence, for ListMembers and the
// Session's `members` frame alike. Who has a stream in the room right now
// (Presence, on every server) is ONLINE, or AWAY with the reason they gave;
// with `includeOffline`, Session users who keep the room in their list
// (UserState.roomMembers) but have no stream anywhere are OFFLINE.
import type { PresenceState__Output } from '../protos/generated/chat/PresenceState.js';
import type { UserState } from './store/types.js';
import type { Presence } from './types.js';

/** One entry of a member list, as the wire's Member carries it. */
export interface ListedMember {
  user_id: string;
  username: string;
  presence: PresenceState__Output;
  /** AWAY only: the reason given with /away (may be empty). */
  away_reason: string;
}

export interface MemberSources {
  presence: Pick<Presence, 'members'>;
  users: Pick<UserState, 'roomMembers' | 'awayOf'>;
}

const key = (name: string): string => name.trim().toLowerCase();

/** The room's members: the live ones in Presence's order (by name), then the offline ones by name ignoring case. */
export async function memberList(room: string, sources: MemberSources, includeOffline: boolean): Promise<ListedMember[]> {
  const [live, kept] = await Promise.all([
    sources.presence.members(room),
    includeOffline ? sources.users.roomMembers(room) : Promise.resolve([] as string[]),
  ]);
  const away = await sources.users.awayOf(live.map((m) => m.username));
  const online: ListedMember[] = live.map((m) => {
    const reason = away.get(key(m.username));
    return reason === undefined
      ? { user_id: m.user_id, username: m.username, presence: 'ONLINE', away_reason: '' }
      : { user_id: m.user_id, username: m.username, presence: 'AWAY', away_reason: reason };
  });
  const here = new Set(live.map((m) => key(m.username)));
  // An offline user has no stream, so no user_id to give; their name is what people know them by.
  const offline: ListedMember[] = kept
    .filter((name) => !here.has(key(name)))
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }))
    .map((name) => ({ user_id: '', username: name, presence: 'OFFLINE', away_reason: '' }));
  return [...online, ...offline];
}
