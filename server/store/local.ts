// A server of its own: the feed is the store's append followed by a direct
// call back to the room, and presence is this process's own members. (For
// several servers, redis/feed.ts and redis/presence.ts fill the same seams.)
import type { Feed, FeedHandler, Member, MemberInfo, Presence } from '../types.js';
import type { Appended, Draft, Store } from './types.js';

/** The single-server feed: the store's append, then straight to the room. */
export class LocalFeed implements Feed {
  private readonly handlers = new Map<string, FeedHandler>();

  constructor(readonly store: Store) {}

  async publish(room: string, drafts: readonly Draft[], token: string): Promise<Appended[]> {
    const appended = await this.store.append(room, drafts);
    const messages = appended.filter((m) => !m.duplicate);
    if (messages.length > 0) this.handlers.get(room)?.deliver({ messages, token });
    return appended;
  }

  subscribe(room: string, handler: FeedHandler): Promise<number> {
    this.handlers.set(room, handler);
    return this.store.latestSeq(room);
  }

  unsubscribe(room: string, handler: FeedHandler): void {
    if (this.handlers.get(room) === handler) this.handlers.delete(room);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** One entry per user (a user may hold several streams to a room), sorted by name. */
export function distinctUsers(entries: Iterable<MemberInfo>): MemberInfo[] {
  const byUser = new Map<string, MemberInfo>();
  for (const m of entries) {
    if (!byUser.has(m.user_id)) byUser.set(m.user_id, { user_id: m.user_id, username: m.username });
  }
  return [...byUser.values()].sort((a, b) => a.username.localeCompare(b.username));
}

export class LocalPresence implements Presence {
  /** The room's Member objects themselves (no copy per stream); MemberInfo is made when asked. */
  private readonly rooms = new Map<string, Map<number, Member>>();

  add(room: string, member: Member): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Map()));
    members.set(member.sessionId, member);
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
    // Counted, not listed: ListRooms over 20,000 members must not sort them by name.
    return Promise.resolve(new Map(rooms.map((r) => [r, this.distinct(r)])));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private now(room: string): MemberInfo[] {
    const members = this.rooms.get(room)?.values() ?? [];
    return distinctUsers(Array.from(members, (m) => ({ user_id: m.userId, username: m.username })));
  }

  private distinct(room: string): number {
    const members = this.rooms.get(room);
    if (!members) return 0;
    const users = new Set<string>();
    for (const m of members.values()) users.add(m.userId);
    return users.size;
  }
}
