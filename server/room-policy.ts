// Issue 16: this server's view of rooms' policies (topic, operators, bans,
// mutes, invite-only), and the doors that apply them. Policies live in the
// store (Store.policies, shared by every server on it); each server caches
// a room's and applies each policy EVENT the room delivers through its feed
// to it (and reads it again), which every server sharing the store gets, so a
// ban or mute on server A applies on B as soon as B's room delivers it. A room not
// live here is read from the store every time (nothing would tell this server
// it changed); a cached one is read again in the background after REFRESH_MS
// as a backstop.
//
// The doors: enter() (JoinChat admit, Session join: bans, invite-only, and the
// first user of a room without an operator becomes its operator), read()
// (GetHistory, SearchHistory, ListMembers, Session fetch_history/members),
// postRefusal() (mutes and bans, before Membership.post), listRooms(). And
// delivered(): a KICK or BAN ends the subject's memberships in the room here.
import { DIRECT_PREFIX } from '../protos/rules.js';
import type { Logger } from './log.js';
import { entryRefusal, eventChange, isOperator, listedFor, policyFields, postRefusal, removal } from './permissions.js';
import type { Room } from './room.js';
import { applyChange, emptyPolicy } from './store/policy.js';
import type { PolicyChange, RoomPolicy, Store, StoredMessage } from './store/types.js';
import { userKey } from './store/user-names.js';
import type { Status, UserEvent } from './types.js';

/** How old a cached policy may get before it is read again in the background. */
export const REFRESH_MS = 30_000;

interface Cached {
  policy: RoomPolicy;
  at: number;
  /** The live room object it was read under (undefined: the room was not live here). */
  room: Room | undefined;
}

/** What the cache needs of this server: which rooms are live here, and its Session users. */
export interface PolicyHost {
  /** The room object live on this server now, if any. */
  liveRoom(id: string): Room | undefined;
  /** A user event for this server's sessions of that user only (a kick is done by every server for its own). */
  userEventHere(event: UserEvent): void;
}

const isDirect = (room: string): boolean => room.startsWith(DIRECT_PREFIX);

export class RoomPolicyService {
  readonly serverOperators: ReadonlySet<string>;
  private readonly cache = new Map<string, Cached>();
  /** Loads under way, shared by everyone asking meanwhile. */
  private readonly loading = new Map<string, Promise<RoomPolicy>>();
  /** Bumped when a room's policy changes: a load begun before it must not be cached. */
  private readonly generation = new Map<string, number>();
  /** JoinChat streams by member id: how to end one (kicked, banned). */
  private readonly enders = new Map<number, (status: Status) => void>();
  host: PolicyHost | null = null;

  constructor(
    private readonly store: Store,
    serverOperators: readonly string[],
    private readonly log: Logger,
  ) {
    this.serverOperators = new Set(serverOperators.map(userKey).filter((n) => n !== ''));
  }

  /** The room's policy: cached while it is live here and fresh, else read from the store. */
  get(room: string): Promise<RoomPolicy> {
    if (isDirect(room)) return Promise.resolve(emptyPolicy());
    const c = this.cache.get(room);
    if (c && this.valid(room, c)) {
      if (Date.now() - c.at > REFRESH_MS) void this.load(room).catch(() => undefined);
      return Promise.resolve(c.policy);
    }
    return this.load(room);
  }

  /** Read from the store now (moderation decides on this, not on the cache). */
  fresh(room: string): Promise<RoomPolicy> {
    this.loading.delete(room);
    return this.load(room);
  }

  /**
   * The room's policy changed (a delivered event): the cached one gets the
   * change at once, so the next post is judged by it; a load begun before it
   * is not cached, and a fresh read follows.
   */
  private changed(room: string, change: PolicyChange): void {
    this.loading.delete(room);
    this.generation.set(room, (this.generation.get(room) ?? 0) + 1);
    const c = this.cache.get(room);
    if (c) this.cache.set(room, { ...c, policy: applyChange(c.policy, change) });
    void this.load(room).catch(() => undefined);
  }

  private valid(room: string, c: Cached): boolean {
    return c.room !== undefined && this.host?.liveRoom(room) === c.room;
  }

  private load(room: string): Promise<RoomPolicy> {
    const pending = this.loading.get(room);
    if (pending) return pending;
    const gen = this.generation.get(room) ?? 0;
    const live = this.host?.liveRoom(room);
    const p = this.store.policies.get(room).then(
      (policy) => {
        if (this.loading.get(room) === p) this.loading.delete(room);
        if ((this.generation.get(room) ?? 0) === gen) this.cache.set(room, { policy, at: Date.now(), room: live });
        return policy;
      },
      (err: unknown) => {
        if (this.loading.get(room) === p) this.loading.delete(room);
        throw err;
      },
    );
    this.loading.set(room, p);
    return p;
  }

  /**
   * May `user` join the room? null when yes; then, if the room has no
   * operator, the user becomes its operator (the first to join).
   * `listed`: the room is already in the user's Session list.
   */
  async enter(room: string, user: string, listed = false): Promise<Status | null> {
    if (isDirect(room)) return null;
    const policy = await this.get(room);
    const refused = entryRefusal(room, policy, this.serverOperators, user, { listed });
    if (refused) return { code: 'PERMISSION_DENIED', details: refused };
    if (policy.operators.size === 0 && (await this.store.policies.claimOperator(room, user))) {
      this.log.info(`User ${user} is the first operator of room '${room}'`, { event: 'operator', user, room });
      this.changed(room, { t: 'op', user });
    }
    return null;
  }

  /** May `user` (null: a call that does not say who) read the room's history, search it or list its members? */
  async read(room: string, user: string | null): Promise<Status | null> {
    if (isDirect(room)) return null;
    const policy = await this.get(room);
    const listed = user !== null && policy.private ? (await this.store.users.rooms(user)).includes(room) : false;
    const refused = entryRefusal(room, policy, this.serverOperators, user, { listed });
    return refused ? { code: 'PERMISSION_DENIED', details: refused } : null;
  }

  /**
   * Why `user` may not post in the room now (muted, banned), or null. From the
   * cache, synchronously (posts do not wait on the store): every door that lets
   * a member in has read the room's policy; one not cached yet is read now and
   * applies from the next post.
   */
  postRefusal(room: string, user: string): string | null {
    if (isDirect(room)) return null;
    const c = this.cache.get(room);
    if (!c || !this.valid(room, c) || Date.now() - c.at > REFRESH_MS) void this.load(room).catch(() => undefined);
    return c ? postRefusal(room, c.policy, user, Date.now()) : null;
  }

  /** postRefusal(), waiting for the store when the room's policy is not cached at all (a Session post may wait). */
  postCheck(room: string, user: string): string | null | Promise<string | null> {
    if (isDirect(room) || this.cache.has(room)) return this.postRefusal(room, user);
    return this.get(room).then((policy) => postRefusal(room, policy, user, Date.now()));
  }

  /** Whether `user` operates the room (its own operators, or the server's): who may delete others' messages. */
  async isOperator(room: string, user: string): Promise<boolean> {
    if (isDirect(room)) return false;
    return isOperator(await this.get(room), this.serverOperators, user);
  }

  /** RoomState's topic, private and operator for `user`. */
  async stateFields(room: string, user: string): Promise<{ topic: string; private: boolean; operator: boolean }> {
    if (isDirect(room)) return { topic: '', private: false, operator: false };
    return policyFields(await this.get(room), this.serverOperators, user);
  }

  /** ListRooms: which of the rooms `user` may see (invite-only rooms only to those who may enter), with topic and private. */
  async listRooms(rooms: readonly string[], user: string | null): Promise<Map<string, { topic: string; private: boolean }>> {
    const out = new Map<string, { topic: string; private: boolean }>();
    let mine: Set<string> | null = null;
    const policies = await Promise.all(rooms.map((r) => this.get(r)));
    for (let i = 0; i < rooms.length; i++) {
      const room = rooms[i] as string;
      const policy = policies[i] as RoomPolicy;
      if (policy.private && user !== null && mine === null) mine = new Set(await this.store.users.rooms(user));
      if (!listedFor(room, policy, this.serverOperators, user, { listed: mine?.has(room) ?? false })) continue;
      out.set(room, { topic: policy.topic, private: policy.private });
    }
    return out;
  }

  /** A JoinChat stream's membership (member id) and how to end it when kicked or banned. */
  register(sessionId: number, end: (status: Status) => void): void {
    this.enders.set(sessionId, end);
  }

  unregister(sessionId: number): void {
    this.enders.delete(sessionId);
  }

  /**
   * The room delivered an EVENT here (Room.send, on every server): a policy
   * change drops the cache; a KICK or BAN ends the subject's memberships in the
   * room on this server: a JoinChat stream with PERMISSION_DENIED and the
   * reason, a Session's room with a `left` event (the moderating server took
   * the room off the user's list).
   */
  delivered(room: Room, m: StoredMessage): void {
    const change = eventChange(m);
    if (change) this.changed(room.id, change);
    const gone = removal(m);
    if (!gone) return;
    for (const member of [...room.members.values()]) {
      if (!member.session && userKey(member.username) === gone.user) {
        this.enders.get(member.sessionId)?.({ code: 'PERMISSION_DENIED', details: gone.details });
      }
    }
    // Every session of the user here that holds the room leaves it (one still joining too).
    this.host?.userEventHere({ t: 'left', user: gone.user, room: room.id, reason: gone.details });
  }
}
