// Issue 13: users' rooms, read markers and away state in process memory (the
// memory store's; sqlite-users.ts and redis/users.ts keep the same in theirs).
import type { UserState } from './types.js';
import { byName, onlyKey, spelling, userKey as key } from './user-names.js';

interface UserRecord {
  /** The name as last spelt. */
  name: string;
  /** Insertion order is the user's order. */
  rooms: Set<string>;
  read: Map<string, number>;
  away: string | null;
}

export class MemoryUsers implements UserState {
  private readonly users = new Map<string, UserRecord>();

  private record(user: string): UserRecord {
    const k = key(user);
    let r = this.users.get(k);
    if (!r) this.users.set(k, (r = { name: spelling(user), rooms: new Set(), read: new Map(), away: null }));
    else if (!onlyKey(user)) r.name = spelling(user);
    return r;
  }

  rooms(user: string): Promise<string[]> {
    return Promise.resolve([...(this.users.get(key(user))?.rooms ?? [])]);
  }

  addRoom(user: string, room: string): Promise<boolean> {
    const r = this.record(user);
    if (r.rooms.has(room)) return Promise.resolve(false);
    r.rooms.add(room);
    return Promise.resolve(true);
  }

  removeRoom(user: string, room: string): Promise<boolean> {
    const r = this.users.get(key(user));
    if (!r?.rooms.delete(room)) return Promise.resolve(false);
    r.read.delete(room);
    return Promise.resolve(true);
  }

  roomMembers(room: string): Promise<string[]> {
    const names: string[] = [];
    for (const r of this.users.values()) if (r.rooms.has(room)) names.push(r.name);
    return Promise.resolve(names.sort(byName));
  }

  readMarks(user: string): Promise<Map<string, number>> {
    return Promise.resolve(new Map(this.users.get(key(user))?.read ?? []));
  }

  markRead(user: string, room: string, seq: number): Promise<number> {
    const r = this.record(user);
    const now = Math.max(r.read.get(room) ?? 0, seq);
    r.read.set(room, now);
    return Promise.resolve(now);
  }

  awayOf(users: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const u of users) {
      const away = this.users.get(key(u))?.away;
      if (away !== null && away !== undefined) out.set(key(u), away);
    }
    return Promise.resolve(out);
  }

  setAway(user: string, reason: string | null): Promise<void> {
    this.record(user).away = reason;
    return Promise.resolve();
  }
}
