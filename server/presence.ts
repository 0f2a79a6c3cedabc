// Who is in a room, on a server of its own: its own members (the Presence
// seam in types.ts; redis/presence.ts is the one for several servers).
import type { Member, MemberInfo, Presence } from './types.js';

export function distinctUsers(entries: Iterable<MemberInfo>): MemberInfo[] {
  const byUser = new Map<string, MemberInfo>();
  for (const m of entries) {
    if (!byUser.has(m.user_id)) byUser.set(m.user_id, { user_id: m.user_id, username: m.username });
  }
  return [...byUser.values()].sort((a, b) => a.username.localeCompare(b.username));
}

export class LocalPresence implements Presence {
  private readonly rooms = new Map<string, Map<number, MemberInfo>>();

  add(room: string, member: Member): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Map()));
    members.set(member.sessionId, { user_id: member.userId, username: member.username });
  }

  remove(room: string, member: Member): void {
    const members = this.rooms.get(room);
    if (!members) return;
    members.delete(member.sessionId);
    if (members.size === 0) this.rooms.delete(room);
  }

  members(room: string): Promise<MemberInfo[]> {
    return Promise.resolve(this.now(room));
  }

  counts(rooms: readonly string[]): Promise<Map<string, number>> {
    return Promise.resolve(new Map(rooms.map((r) => [r, this.now(r).length])));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private now(room: string): MemberInfo[] {
    return distinctUsers(this.rooms.get(room)?.values() ?? []);
  }
}
