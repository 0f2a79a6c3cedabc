// Issue 16: rooms' policies in Redis, shared by every server on the store.
// Per room (hash-tagged like its other keys): a hash for topic and private,
// a set of operators, a hash of bans (user -> reason), a hash of mutes
// (user -> until, ms since the epoch, 0 for no end) and a set of the invited.
// Every change is one command; claimOperator is one script (add only if none).
import type { Redis } from 'ioredis';
import { emptyPolicy } from '../policy.js';
import type { PolicyChange, RoomPolicies, RoomPolicy } from '../types.js';
import { userKey } from '../user-names.js';

const key = (room: string, part: string): string => `chat:{${room}}:policy:${part}`;

// KEYS: the room's operators. ARGV: user. 1: made operator, 0: the room had one.
const CLAIM = `
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
`;

interface PolicyCommands {
  chatClaimOperator(ops: string, user: string): Promise<number>;
}

export class RedisPolicies implements RoomPolicies {
  private readonly redis: Redis & PolicyCommands;

  /** Uses the store's command connection (RedisStore closes it). */
  constructor(redis: Redis) {
    redis.defineCommand('chatClaimOperator', { numberOfKeys: 1, lua: CLAIM });
    this.redis = redis as Redis & PolicyCommands;
  }

  async get(room: string): Promise<RoomPolicy> {
    const results = await this.redis
      .multi()
      .hgetall(key(room, 'room'))
      .smembers(key(room, 'ops'))
      .hgetall(key(room, 'bans'))
      .hgetall(key(room, 'mutes'))
      .smembers(key(room, 'invited'))
      .exec();
    const failed = results?.find(([err]) => err)?.[0];
    if (failed) throw failed;
    const [info, ops, bans, mutes, invited] = (results ?? []).map(([, v]) => v) as [
      Record<string, string>,
      string[],
      Record<string, string>,
      Record<string, string>,
      string[],
    ];
    const policy = emptyPolicy();
    policy.topic = info?.topic ?? '';
    policy.private = info?.private === '1';
    policy.operators = new Set(ops ?? []);
    policy.banned = new Map(Object.entries(bans ?? {}));
    policy.muted = new Map(Object.entries(mutes ?? {}).map(([u, until]) => [u, Number(until)]));
    policy.invited = new Set(invited ?? []);
    return policy;
  }

  async apply(room: string, change: PolicyChange): Promise<void> {
    const r = this.redis;
    switch (change.t) {
      case 'topic':
        return void (await r.hset(key(room, 'room'), 'topic', change.topic));
      case 'private':
        return void (await r.hset(key(room, 'room'), 'private', change.on ? '1' : '0'));
      case 'op':
        return void (await r.sadd(key(room, 'ops'), userKey(change.user)));
      case 'deop':
        return void (await r.srem(key(room, 'ops'), userKey(change.user)));
      case 'ban':
        return void (await r.hset(key(room, 'bans'), userKey(change.user), change.reason));
      case 'unban':
        return void (await r.hdel(key(room, 'bans'), userKey(change.user)));
      case 'mute':
        return void (await r.hset(key(room, 'mutes'), userKey(change.user), String(change.until)));
      case 'unmute':
        return void (await r.hdel(key(room, 'mutes'), userKey(change.user)));
      case 'invite':
        return void (await r.sadd(key(room, 'invited'), userKey(change.user)));
    }
  }

  async claimOperator(room: string, user: string): Promise<boolean> {
    return (await this.redis.chatClaimOperator(key(room, 'ops'), userKey(user))) === 1;
  }
}
