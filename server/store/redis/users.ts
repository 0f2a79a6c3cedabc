// Issue 13: users' rooms, read markers and away state in Redis, shared by every
// server on the store (key names in keys.ts). What must not interleave between
// servers runs as one Lua script: adding a room (position = the last + 1, and
// the room's member set), removing one (with its marker), and markRead (the
// marker only moves forward, whoever races).
import type { Redis } from 'ioredis';
import type { UserState } from '../types.js';
import { byName, onlyKey, spelling, userKey } from '../user-names.js';
import { roomUsersKey, USER_AWAY_KEY, USER_NAMES_KEY, userReadKey, userRoomsKey } from './keys.js';

// KEYS: the user's rooms, the room's users, names. ARGV: user key, spelling, room. 1: added, 0: there already.
const ADD_ROOM = `
if ARGV[2] ~= ARGV[1] or redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 0 end
local last = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local pos = 1
if last[2] then pos = tonumber(last[2]) + 1 end
redis.call('ZADD', KEYS[1], pos, ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`;

// KEYS: the user's rooms, the room's users, the user's read marks. ARGV: user key, room. 1: removed, 0: not there.
const REMOVE_ROOM = `
if redis.call('ZREM', KEYS[1], ARGV[2]) == 0 then return 0 end
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[2])
return 1
`;

// KEYS: the user's read marks, names. ARGV: user key, spelling, room, seq. Returns the marker now.
const MARK_READ = `
if ARGV[2] ~= ARGV[1] or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
local raw = redis.call('HGET', KEYS[1], ARGV[3])
local seq = tonumber(ARGV[4])
if raw and tonumber(raw) >= seq then return tonumber(raw) end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
return seq
`;

interface UserCommands {
  chatAddRoom(rooms: string, roomUsers: string, names: string, user: string, name: string, room: string): Promise<number>;
  chatRemoveRoom(rooms: string, roomUsers: string, reads: string, user: string, room: string): Promise<number>;
  chatMarkRead(reads: string, names: string, user: string, name: string, room: string, seq: string): Promise<number>;
}

export class RedisUsers implements UserState {
  private readonly redis: Redis & UserCommands;

  /** Uses the store's command connection (RedisStore closes it). */
  constructor(redis: Redis) {
    redis.defineCommand('chatAddRoom', { numberOfKeys: 3, lua: ADD_ROOM });
    redis.defineCommand('chatRemoveRoom', { numberOfKeys: 3, lua: REMOVE_ROOM });
    redis.defineCommand('chatMarkRead', { numberOfKeys: 2, lua: MARK_READ });
    this.redis = redis as Redis & UserCommands;
  }

  rooms(user: string): Promise<string[]> {
    return this.redis.zrange(userRoomsKey(userKey(user)), 0, -1);
  }

  async addRoom(user: string, room: string): Promise<boolean> {
    const k = userKey(user);
    return (await this.redis.chatAddRoom(userRoomsKey(k), roomUsersKey(room), USER_NAMES_KEY, k, spelling(user), room)) === 1;
  }

  async removeRoom(user: string, room: string): Promise<boolean> {
    const k = userKey(user);
    return (await this.redis.chatRemoveRoom(userRoomsKey(k), roomUsersKey(room), userReadKey(k), k, room)) === 1;
  }

  async roomMembers(room: string): Promise<string[]> {
    const keys = await this.redis.smembers(roomUsersKey(room));
    if (keys.length === 0) return [];
    const names = await this.redis.hmget(USER_NAMES_KEY, ...keys);
    return keys.map((k, i) => names[i] ?? k).sort(byName);
  }

  async readMarks(user: string): Promise<Map<string, number>> {
    const marks = await this.redis.hgetall(userReadKey(userKey(user)));
    return new Map(Object.entries(marks).map(([room, seq]) => [room, Number(seq)]));
  }

  async markRead(user: string, room: string, seq: number): Promise<number> {
    const k = userKey(user);
    return Number(await this.redis.chatMarkRead(userReadKey(k), USER_NAMES_KEY, k, spelling(user), room, String(seq)));
  }

  async awayOf(users: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const keys = [...new Set(users.map(userKey))];
    if (keys.length === 0) return out;
    const reasons = await this.redis.hmget(USER_AWAY_KEY, ...keys);
    keys.forEach((k, i) => {
      const reason = reasons[i];
      if (reason !== null && reason !== undefined) out.set(k, reason);
    });
    return out;
  }

  async setAway(user: string, reason: string | null): Promise<void> {
    const k = userKey(user);
    const tx = this.redis.multi();
    // A lower-cased key never replaces a spelling (user-names.ts onlyKey).
    if (onlyKey(user)) tx.hsetnx(USER_NAMES_KEY, k, spelling(user));
    else tx.hset(USER_NAMES_KEY, k, spelling(user));
    if (reason === null) tx.hdel(USER_AWAY_KEY, k);
    else tx.hset(USER_AWAY_KEY, k, reason);
    const results = await tx.exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }
}
