// Issue 13: users' rooms, read markers and away state in the SQLite file, on
// the store's own Database handle (sqlite.ts). Three tables, created if
// missing so an existing chat.db gains them on open:
// - user_names: one row per user (lower-cased key): the name as last spelt and
//   the away reason (NULL: not away);
// - user_rooms: the user's rooms with a position (the user's order), indexed
//   by room so roomMembers reads only that room's rows;
// - user_reads: read markers, apart from user_rooms since a marker may be set
//   for a room the list does not hold (as MemoryUsers allows).
// Every write is one statement or one transaction, so two processes sharing the
// file cannot interleave inside one (markRead's max() runs inside the upsert).
import type Database from 'better-sqlite3';
import type { UserState } from './types.js';
import { byName, spelling, userKey } from './user-names.js';

const USERS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS user_names (
    user TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    away TEXT
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS user_rooms (
    user     TEXT NOT NULL,
    room_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user, room_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS user_rooms_room ON user_rooms (room_id);
  CREATE TABLE IF NOT EXISTS user_reads (
    user    TEXT NOT NULL,
    room_id TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (user, room_id)
  ) WITHOUT ROWID;
`;

export class SqliteUsers implements UserState {
  private readonly selectRooms: Database.Statement;
  private readonly insertRoom: Database.Statement;
  private readonly deleteRoom: Database.Statement;
  private readonly deleteRead: Database.Statement;
  private readonly selectMembers: Database.Statement;
  private readonly selectReads: Database.Statement;
  private readonly upsertRead: Database.Statement;
  private readonly upsertName: Database.Statement;
  private readonly upsertAway: Database.Statement;
  private readonly selectAway: Database.Statement;
  private readonly addTx: (user: string, room: string) => boolean;
  private readonly removeTx: (user: string, room: string) => boolean;
  private readonly readTx: (user: string, room: string, seq: number) => number;

  constructor(private readonly db: Database.Database) {
    db.exec(USERS_SCHEMA);
    this.selectRooms = db.prepare('SELECT room_id FROM user_rooms WHERE user = ? ORDER BY position').pluck();
    // One statement takes the next position and inserts, so the position cannot be taken twice.
    this.insertRoom = db.prepare(`
      INSERT INTO user_rooms (user, room_id, position)
        SELECT @user, @room, COALESCE(MAX(position), 0) + 1 FROM user_rooms WHERE user = @user
      ON CONFLICT (user, room_id) DO NOTHING
    `);
    this.deleteRoom = db.prepare('DELETE FROM user_rooms WHERE user = ? AND room_id = ?');
    this.deleteRead = db.prepare('DELETE FROM user_reads WHERE user = ? AND room_id = ?');
    this.selectMembers = db
      .prepare('SELECT COALESCE(n.name, r.user) FROM user_rooms r LEFT JOIN user_names n ON n.user = r.user WHERE r.room_id = ?')
      .pluck();
    this.selectReads = db.prepare('SELECT room_id, seq FROM user_reads WHERE user = ?');
    this.upsertRead = db
      .prepare(`
        INSERT INTO user_reads (user, room_id, seq) VALUES (?, ?, ?)
        ON CONFLICT (user, room_id) DO UPDATE SET seq = MAX(seq, excluded.seq)
        RETURNING seq
      `)
      .pluck();
    // A lower-cased key never replaces a spelling (user-names.ts onlyKey).
    this.upsertName = db.prepare(
      'INSERT INTO user_names (user, name) VALUES (?, ?) ON CONFLICT (user) DO UPDATE SET name = excluded.name WHERE excluded.name <> excluded.user',
    );
    this.upsertAway = db.prepare(
      "INSERT INTO user_names (user, name, away) VALUES (?, ?, ?) ON CONFLICT (user) DO UPDATE SET name = CASE WHEN excluded.name <> excluded.user THEN excluded.name ELSE name END, away = excluded.away",
    );
    this.selectAway = db.prepare('SELECT away FROM user_names WHERE user = ?').pluck();
    this.addTx = db.transaction((user: string, room: string) => {
      this.upsertName.run(userKey(user), spelling(user));
      return this.insertRoom.run({ user: userKey(user), room }).changes > 0;
    });
    this.removeTx = db.transaction((user: string, room: string) => {
      const removed = this.deleteRoom.run(userKey(user), room).changes > 0;
      if (removed) this.deleteRead.run(userKey(user), room);
      return removed;
    });
    this.readTx = db.transaction((user: string, room: string, seq: number) => {
      this.upsertName.run(userKey(user), spelling(user));
      return this.upsertRead.get(userKey(user), room, seq) as number;
    });
  }

  async rooms(user: string): Promise<string[]> {
    return this.selectRooms.all(userKey(user)) as string[];
  }

  async addRoom(user: string, room: string): Promise<boolean> {
    return this.addTx(user, room);
  }

  async removeRoom(user: string, room: string): Promise<boolean> {
    return this.removeTx(user, room);
  }

  async roomMembers(room: string): Promise<string[]> {
    return (this.selectMembers.all(room) as string[]).sort(byName);
  }

  async readMarks(user: string): Promise<Map<string, number>> {
    const rows = this.selectReads.all(userKey(user)) as Array<{ room_id: string; seq: number }>;
    return new Map(rows.map((r) => [r.room_id, r.seq]));
  }

  async markRead(user: string, room: string, seq: number): Promise<number> {
    return this.readTx(user, room, seq);
  }

  async awayOf(users: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const u of users) {
      const away = this.selectAway.get(userKey(u)) as string | null | undefined;
      if (away !== null && away !== undefined) out.set(userKey(u), away);
    }
    return out;
  }

  async setAway(user: string, reason: string | null): Promise<void> {
    this.upsertAway.run(userKey(user), spelling(user), reason);
  }
}
