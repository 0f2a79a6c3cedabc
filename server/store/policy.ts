// Issue 16: a room's policy as a value (store/types.ts RoomPolicy): the empty
// one, and one change applied to it. Pure; the memory store keeps policies
// this way, and the SQLite and Redis stores keep the same facts in their own
// shapes (sqlite-policies.ts, redis/policies.ts).
import type { PolicyChange, RoomPolicy } from './types.js';
import { userKey } from './user-names.js';

export function emptyPolicy(): RoomPolicy {
  return { topic: '', private: false, operators: new Set(), banned: new Map(), muted: new Map(), invited: new Set() };
}

/** The policy after `change` (a new value; `policy` is left as it was). */
export function applyChange(policy: RoomPolicy, change: PolicyChange): RoomPolicy {
  const next: RoomPolicy = {
    topic: policy.topic,
    private: policy.private,
    operators: new Set(policy.operators),
    banned: new Map(policy.banned),
    muted: new Map(policy.muted),
    invited: new Set(policy.invited),
  };
  const ops = next.operators as Set<string>;
  const banned = next.banned as Map<string, string>;
  const muted = next.muted as Map<string, number>;
  const invited = next.invited as Set<string>;
  switch (change.t) {
    case 'topic':
      next.topic = change.topic;
      break;
    case 'private':
      next.private = change.on;
      break;
    case 'op':
      ops.add(userKey(change.user));
      break;
    case 'deop':
      ops.delete(userKey(change.user));
      break;
    case 'ban':
      banned.set(userKey(change.user), change.reason);
      break;
    case 'unban':
      banned.delete(userKey(change.user));
      break;
    case 'mute':
      muted.set(userKey(change.user), change.until);
      break;
    case 'unmute':
      muted.delete(userKey(change.user));
      break;
    case 'invite':
      invited.add(userKey(change.user));
      break;
  }
  return next;
}
