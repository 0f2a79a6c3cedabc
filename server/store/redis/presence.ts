// Members across servers: a sorted set per room whose entries are
// [server, session, user_id, username] scored by the last heartbeat (Redis's
// clock). Each server refreshes its own entries every HEARTBEAT_MS; entries
// older than STALE_MS belong to a server that stopped (crashed, cut off) and
// are removed by whichever live server claims them first (ZREM returns 1 to one
// server only), which then posts a LEAVE unless the user is back elsewhere.
// The same heartbeat keeps this server's username claims (names.ts) fresh.
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.js';
import { distinctUsers } from '../local.js';
import type { Member, MemberInfo, Presence } from '../../types.js';
import { membersKey, PRESENCE_ROOMS_KEY } from './keys.js';
import { RedisNames } from './names.js';

const HEARTBEAT_MS = 2000;
export const STALE_MS = 8000;

/** `kind` 1: a Session stream's membership (entries written before issue 13 have four parts). */
type EntryTuple = [server: string, session: number, user_id: string, username: string, kind?: 1];

export class RedisPresence implements Presence {
  /** room -> session -> entry, for this server's members. */
  private readonly local = new Map<string, Map<number, string>>();
  /** Redis clock minus ours, from the last heartbeat. */
  private offset = 0;
  /** Since when the connection has been up: no reaping until every server had time to beat. */
  private upSince = Date.now();
  private readonly timer: NodeJS.Timeout;
  private beating = false;
  private lostListener: (room: string, username: string, session: boolean) => void = () => undefined;
  /** Username claims, kept fresh by this presence's heartbeat and on its clock. */
  readonly names: RedisNames;

  constructor(
    private readonly redis: Redis,
    private readonly server: string,
    private readonly log: Logger,
  ) {
    this.names = new RedisNames(redis, server, STALE_MS, () => this.now(), log);
    redis.on('ready', () => (this.upSince = Date.now()));
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  onLost(listener: (room: string, username: string, session: boolean) => void): void {
    this.lostListener = listener;
  }

  add(room: string, member: Member): void {
    const tuple: EntryTuple = [this.server, member.sessionId, member.userId, member.username];
    if (member.session) tuple.push(1);
    const entry = JSON.stringify(tuple);
    let sessions = this.local.get(room);
    if (!sessions) this.local.set(room, (sessions = new Map()));
    sessions.set(member.sessionId, entry);
    // A failure here is repaired by the next heartbeat, which re-adds every local entry.
    this.redis
      .multi()
      .zadd(membersKey(room), this.now(), entry)
      .sadd(PRESENCE_ROOMS_KEY, room)
      .exec()
      .catch(() => undefined);
  }

  remove(room: string, member: Member): void {
    const sessions = this.local.get(room);
    const entry = sessions?.get(member.sessionId);
    if (!sessions || entry === undefined) return;
    sessions.delete(member.sessionId);
    if (sessions.size === 0) this.local.delete(room);
    this.redis.zrem(membersKey(room), entry).catch(() => undefined);
  }

  async members(room: string): Promise<MemberInfo[]> {
    return distinctUsers(this.live(await this.redis.zrangebyscore(membersKey(room), this.now() - STALE_MS, '+inf')));
  }

  async counts(rooms: readonly string[]): Promise<Map<string, number>> {
    if (rooms.length === 0) return new Map();
    const since = this.now() - STALE_MS;
    const pipe = this.redis.pipeline();
    for (const room of rooms) pipe.zrangebyscore(membersKey(room), since, '+inf');
    const replies = (await pipe.exec()) ?? [];
    return new Map(
      rooms.map((room, i) => {
        const [err, entries] = replies[i] ?? [null, []];
        if (err) throw err;
        return [room, distinctUsers(this.live(entries as string[])).length];
      }),
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    const pipe = this.redis.pipeline();
    for (const [room, sessions] of this.local) pipe.zrem(membersKey(room), ...sessions.values());
    this.local.clear();
    this.names.releaseAll(pipe);
    await pipe.exec().catch(() => undefined);
  }

  private now(): number {
    return Date.now() + this.offset;
  }

  private live(entries: readonly string[]): MemberInfo[] {
    const out: MemberInfo[] = [];
    for (const e of entries) {
      const parsed = parseEntry(e);
      if (parsed) out.push({ user_id: parsed[2], username: parsed[3] });
    }
    return out;
  }

  private async beat(): Promise<void> {
    if (this.beating || this.redis.status !== 'ready') return;
    this.beating = true;
    try {
      const [seconds, micros] = await this.redis.time();
      this.offset = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - Date.now();
      const now = this.now();
      const pipe = this.redis.pipeline();
      for (const [room, sessions] of this.local) {
        const args: Array<string | number> = [];
        for (const entry of sessions.values()) args.push(now, entry);
        pipe.zadd(membersKey(room), ...args).sadd(PRESENCE_ROOMS_KEY, room);
      }
      this.names.refresh(pipe, now);
      await pipe.exec();
      if (Date.now() - this.upSince >= STALE_MS) await this.reap(now);
    } catch (err) {
      this.log.debug(`presence heartbeat failed: ${String(err)}`);
    } finally {
      this.beating = false;
    }
  }

  private async reap(now: number): Promise<void> {
    for (const room of await this.redis.smembers(PRESENCE_ROOMS_KEY)) {
      const key = membersKey(room);
      const stale = await this.redis.zrangebyscore(key, '-inf', `(${now - STALE_MS}`);
      for (const entry of stale) {
        const parsed = parseEntry(entry);
        if (parsed?.[0] === this.server) continue; // ours: refreshed above, removed on leave
        if ((await this.redis.zrem(key, entry)) !== 1 || !parsed) continue; // another server claimed it
        const [, , userId, username, kind] = parsed;
        const back = (await this.members(room)).some((m) => m.user_id === userId);
        this.log.info(`User ${username} (${userId}) in '${room}' was on a server that stopped answering`, { event: 'lost', user: username, room }); // issue 17: JSON log fields
        if (!back) this.lostListener(room, username, kind === 1);
      }
      if ((await this.redis.zcard(key)) === 0) await this.redis.srem(PRESENCE_ROOMS_KEY, room);
    }
  }
}

function parseEntry(entry: string): EntryTuple | null {
  try {
    const v = JSON.parse(entry) as unknown;
    if (Array.isArray(v) && (v.length === 4 || v.length === 5) && typeof v[2] === 'string' && typeof v[3] === 'string') return v as EntryTuple;
  } catch {
    // not ours
  }
  return null;
}
