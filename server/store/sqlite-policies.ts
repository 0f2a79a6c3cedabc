// Issue 16: rooms' policies in the SQLite file, on the store's own Database
// handle (sqlite.ts). Two tables, created if missing so an existing chat.db
// gains them on open:
// - room_policy: one row per room that has a topic or is invite-only;
// - room_policy_users: one row per (room, user, role), role 'op', 'ban'
//   (note: the reason), 'mute' (until: ms since the epoch, 0 for no end) or
//   'invite'.
// Every write is one statement or one transaction, so two processes sharing
// the file cannot interleave inside one (claimOperator checks and inserts in one).
import type Database from 'better-sqlite3';
import { emptyPolicy } from './policy.js';
import type { PolicyChange, RoomPolicies, RoomPolicy } from './types.js';
import { userKey } from './user-names.js';

const POLICY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS room_policy (
    room_id TEXT PRIMARY KEY,
    topic   TEXT NOT NULL DEFAULT '',
    private INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS room_policy_users (
    room_id TEXT NOT NULL,
    user    TEXT NOT NULL,
    role    TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    until   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, role, user)
  ) WITHOUT ROWID;
`;

type Role = 'op' | 'ban' | 'mute' | 'invite';

export class SqlitePolicies implements RoomPolicies {
  private readonly selectRoom: Database.Statement;
  private readonly selectUsers: Database.Statement;
  private readonly upsertTopic: Database.Statement;
  private readonly upsertPrivate: Database.Statement;
  private readonly upsertUser: Database.Statement;
  private readonly deleteUser: Database.Statement;
  private readonly claimTx: (room: string, user: string) => boolean;

  constructor(db: Database.Database) {
    db.exec(POLICY_SCHEMA);
    this.selectRoom = db.prepare('SELECT topic, private FROM room_policy WHERE room_id = ?');
    this.selectUsers = db.prepare('SELECT user, role, note, until FROM room_policy_users WHERE room_id = ?');
    this.upsertTopic = db.prepare('INSERT INTO room_policy (room_id, topic) VALUES (?, ?) ON CONFLICT (room_id) DO UPDATE SET topic = excluded.topic');
    this.upsertPrivate = db.prepare(
      'INSERT INTO room_policy (room_id, private) VALUES (?, ?) ON CONFLICT (room_id) DO UPDATE SET private = excluded.private',
    );
    this.upsertUser = db.prepare(`
      INSERT INTO room_policy_users (room_id, user, role, note, until) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (room_id, role, user) DO UPDATE SET note = excluded.note, until = excluded.until
    `);
    this.deleteUser = db.prepare('DELETE FROM room_policy_users WHERE room_id = ? AND role = ? AND user = ?');
    const countOps = db.prepare("SELECT COUNT(*) FROM room_policy_users WHERE room_id = ? AND role = 'op'").pluck();
    this.claimTx = db.transaction((room: string, user: string) => {
      if ((countOps.get(room) as number) > 0) return false;
      this.upsertUser.run(room, user, 'op', '', 0);
      return true;
    });
  }

  async get(room: string): Promise<RoomPolicy> {
    const policy = emptyPolicy();
    const row = this.selectRoom.get(room) as { topic: string; private: number } | undefined;
    if (row) {
      policy.topic = row.topic;
      policy.private = row.private !== 0;
    }
    const ops = policy.operators as Set<string>;
    const banned = policy.banned as Map<string, string>;
    const muted = policy.muted as Map<string, number>;
    const invited = policy.invited as Set<string>;
    for (const u of this.selectUsers.all(room) as Array<{ user: string; role: Role; note: string; until: number }>) {
      if (u.role === 'op') ops.add(u.user);
      else if (u.role === 'ban') banned.set(u.user, u.note);
      else if (u.role === 'mute') muted.set(u.user, u.until);
      else if (u.role === 'invite') invited.add(u.user);
    }
    return policy;
  }

  async apply(room: string, change: PolicyChange): Promise<void> {
    const set = (role: Role, user: string, note = '', until = 0) => this.upsertUser.run(room, userKey(user), role, note, until);
    const unset = (role: Role, user: string) => this.deleteUser.run(room, role, userKey(user));
    switch (change.t) {
      case 'topic':
        return void this.upsertTopic.run(room, change.topic);
      case 'private':
        return void this.upsertPrivate.run(room, change.on ? 1 : 0);
      case 'op':
        return void set('op', change.user);
      case 'deop':
        return void unset('op', change.user);
      case 'ban':
        return void set('ban', change.user, change.reason);
      case 'unban':
        return void unset('ban', change.user);
      case 'mute':
        return void set('mute', change.user, '', change.until);
      case 'unmute':
        return void unset('mute', change.user);
      case 'invite':
        return void set('invite', change.user);
    }
  }

  async claimOperator(room: string, user: string): Promise<boolean> {
    return this.claimTx(room, userKey(user));
  }
}
