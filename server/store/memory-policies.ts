// Issue 16: rooms' policies in process memory (the memory store's; the SQLite
// and Redis stores keep the same in theirs).
import { applyChange, emptyPolicy } from './policy.js';
import type { PolicyChange, RoomPolicies, RoomPolicy } from './types.js';
import { userKey } from './user-names.js';

export class MemoryPolicies implements RoomPolicies {
  private readonly rooms = new Map<string, RoomPolicy>();

  get(room: string): Promise<RoomPolicy> {
    return Promise.resolve(this.rooms.get(room) ?? emptyPolicy());
  }

  apply(room: string, change: PolicyChange): Promise<void> {
    this.rooms.set(room, applyChange(this.rooms.get(room) ?? emptyPolicy(), change));
    return Promise.resolve();
  }

  claimOperator(room: string, user: string): Promise<boolean> {
    const policy = this.rooms.get(room) ?? emptyPolicy();
    if (policy.operators.size > 0) return Promise.resolve(false);
    this.rooms.set(room, applyChange(policy, { t: 'op', user: userKey(user) }));
    return Promise.resolve(true);
  }
}
