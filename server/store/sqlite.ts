// History in a SQLite file (the default store). better-sqlite3 is synchronous;
// an append is one transaction for the whole batch the room hands over, and in
// WAL mode with synchronous=NORMAL a committed batch survives the process being
// killed (only a power loss can take the last transactions back).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ftsQuery } from './search.js';
import { SqlitePolicies } from './sqlite-policies.js';
import { SqliteUsers } from './sqlite-users.js';
import { foldEvents } from './amendments.js';
import {
  checkImportSeqs,
  type Amendment,
  ImportConflictError,
  type Appended,
  type Draft,
  type EventAction,
  type RoomPolicies,
  type RoomSummary,
  type SearchPage,
  type Store,
  type UserState,
  withExtras,
  type StoredMessage,
  type StoredType,
} from './types.js';

interface Row {
  room_id: string;
  seq: number;
  user_id: string;
  username: string;
  message: string;
  timestamp: number;
  type: StoredType;
  client_msg_id: string;
  // Issue 16 (0 or '' when unset).
  reply_to: number;
  reply_quote: string;
  action: EventAction | '';
  target_seq: number;
  subject: string;
  detail: string;
  minutes: number;
}

// Issue 16: replies and room events. Files from before get the columns (old
// rows: none of them set), and EVENTs are found by the message they target.
const EXTRA_COLUMNS: ReadonlyArray<[name: string, definition: string]> = [
  ['reply_to', 'INTEGER NOT NULL DEFAULT 0'],
  ['reply_quote', "TEXT NOT NULL DEFAULT ''"],
  ['action', "TEXT NOT NULL DEFAULT ''"],
  ['target_seq', 'INTEGER NOT NULL DEFAULT 0'],
  ['subject', "TEXT NOT NULL DEFAULT ''"],
  ['detail', "TEXT NOT NULL DEFAULT ''"],
  ['minutes', 'INTEGER NOT NULL DEFAULT 0'],
];
const TARGETS = `
  CREATE INDEX IF NOT EXISTS messages_target ON messages (room_id, target_seq) WHERE target_seq > 0;
`;
// INDEXED BY: without statistics the planner would rather walk the room's primary key range.
export const SELECT_TARGETING = `
  SELECT * FROM messages INDEXED BY messages_target
  WHERE room_id = ? AND target_seq IN (SELECT value FROM json_each(?)) AND target_seq > 0 ORDER BY seq
`;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rooms (
    room_id    TEXT PRIMARY KEY,
    latest_seq INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS messages (
    room_id   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    user_id   TEXT NOT NULL,
    username  TEXT NOT NULL,
    message   TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    type      TEXT NOT NULL,
    client_msg_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (room_id, seq)
  ) WITHOUT ROWID;
`;

// Files from before client message ids get the column; old rows have none.
const CLIENT_IDS = `
  CREATE INDEX IF NOT EXISTS messages_client_id ON messages (room_id, user_id, client_msg_id) WHERE client_msg_id <> '';
`;

// Search (issue 15): a contentless FTS5 index (the text is not stored twice)
// over TEXT messages. messages is WITHOUT ROWID, so message_search_rows gives
// each indexed message the integer id FTS5 needs. The index is brought up to
// date lazily: a search first indexes the room's messages stored since the last
// one indexed, in seq order, so within a room ids grow with seq and the index
// hands back the newest matches first without sorting. Posting pays nothing
// for search (a trigger on every insert cost about 30% more server CPU per
// delivered message in `npm run bench`); the first search of a long room pays
// once. The room is indexed too, as one token ('r' + the hex of its name), so a
// search reads only that room's entries.
const SEARCH_INDEX = `
  CREATE TABLE IF NOT EXISTS message_search_rows (
    id      INTEGER PRIMARY KEY,
    room_id TEXT NOT NULL,
    seq     INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS message_search_rows_room ON message_search_rows (room_id, seq);
  CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5(room, body, content='', tokenize='unicode61 remove_diacritics 2');
  DROP TRIGGER IF EXISTS message_search_insert;
`;

const INDEXED_UP_TO = 'SELECT COALESCE(MAX(seq), 0) FROM message_search_rows WHERE room_id = ?';
const INDEX_ROWS = `
  INSERT INTO message_search_rows (room_id, seq)
    SELECT room_id, seq FROM messages WHERE room_id = ? AND seq > ? AND type = 'TEXT' ORDER BY seq
`;
const INDEX_TEXT = `
  INSERT INTO message_search (rowid, room, body)
    SELECT r.id, 'r' || hex(r.room_id), m.message FROM message_search_rows r
      JOIN messages m ON m.room_id = r.room_id AND m.seq = r.seq
    WHERE r.room_id = ? AND r.seq > ?
`;

const SEARCH = `
  SELECT m.* FROM message_search f
    JOIN message_search_rows r ON r.id = f.rowid
    JOIN messages m ON m.room_id = r.room_id AND m.seq = r.seq
  WHERE message_search MATCH ? AND r.seq < ?
  ORDER BY f.rowid DESC LIMIT ?
`;

/** The room as one FTS token; the tokenizer folds case, so SQL's upper-case hex() matches this. */
const roomToken = (room: string): string => `r${Buffer.from(room, 'utf8').toString('hex')}`;

export class SqliteStore implements Store {
  /** Issue 13: users' rooms, read markers and away state, in this file (sqlite-users.ts). */
  readonly users: UserState;
  /** Issue 16: topics, operators, bans, mutes, invite-only rooms, in this file (sqlite-policies.ts). */
  readonly policies: RoomPolicies;
  private readonly db: Database.Database;
  private readonly latest = new Map<string, number>();
  private readonly insert: Database.Statement;
  private readonly setLatest: Database.Statement;
  // Prepared once: db.prepare() per call was a third of a history read's cost.
  private readonly selectBefore: Database.Statement;
  private readonly selectAfter: Database.Statement;
  private readonly selectFirst: Database.Statement;
  private readonly selectLatest: Database.Statement;
  private readonly selectOne: Database.Statement;
  private readonly selectTargeting: Database.Statement;
  private readonly appendTx: (room: string, drafts: readonly Draft[]) => Appended[];

  constructor(file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // A 2 MB page cache (SQLite's stock size; better-sqlite3 builds with 16 MB):
    // writes touch only each room's newest pages and a join reads its last 50,
    // so a bigger cache only holds old history the OS page cache keeps anyway,
    // while growing RSS by the size of the database up to its limit.
    this.db.pragma('cache_size = -2000');
    this.db.exec(SCHEMA);
    const columns = this.db.prepare('PRAGMA table_info(messages)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'client_msg_id')) {
      this.db.exec("ALTER TABLE messages ADD COLUMN client_msg_id TEXT NOT NULL DEFAULT ''");
    }
    for (const [name, definition] of EXTRA_COLUMNS) {
      if (!columns.some((c) => c.name === name)) this.db.exec(`ALTER TABLE messages ADD COLUMN ${name} ${definition}`);
    }
    this.db.exec(CLIENT_IDS);
    this.db.exec(TARGETS);
    this.db.exec(SEARCH_INDEX);
    this.users = new SqliteUsers(this.db);
    this.policies = new SqlitePolicies(this.db);
    for (const row of this.db.prepare('SELECT room_id, latest_seq FROM rooms').all() as RoomSummary[]) {
      this.latest.set(row.room_id, row.latest_seq);
    }
    this.insert = this.db.prepare(
      'INSERT INTO messages (room_id, seq, user_id, username, message, timestamp, type, client_msg_id, ' +
        'reply_to, reply_quote, action, target_seq, subject, detail, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const findClientId = this.db.prepare('SELECT seq FROM messages WHERE room_id = ? AND user_id = ? AND client_msg_id = ?').pluck();
    this.setLatest = this.db.prepare(
      'INSERT INTO rooms (room_id, latest_seq) VALUES (?, ?) ON CONFLICT(room_id) DO UPDATE SET latest_seq = excluded.latest_seq',
    );
    this.selectBefore = this.db.prepare('SELECT * FROM messages WHERE room_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?');
    this.selectAfter = this.db.prepare('SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.selectFirst = this.db.prepare('SELECT MIN(seq) AS seq FROM messages WHERE room_id = ?');
    this.selectLatest = this.db.prepare('SELECT latest_seq FROM rooms WHERE room_id = ?');
    this.selectOne = this.db.prepare('SELECT * FROM messages WHERE room_id = ? AND seq = ?');
    this.selectTargeting = this.db.prepare(SELECT_TARGETING);
    this.appendTx = this.db.transaction((room: string, drafts: readonly Draft[]) => {
      let seq = this.latest.get(room) ?? 0;
      const stored = drafts.map((d): Appended => {
        const cid = d.client_msg_id ?? '';
        // Rows inserted earlier in this transaction count: a batch may hold a resend too.
        const before = cid ? (findClientId.get(room, d.user_id, cid) as number | undefined) : undefined;
        if (before !== undefined) return { ...d, room_id: room, seq: before, duplicate: true };
        seq += 1;
        this.insert.run(room, seq, d.user_id, d.username, d.message, d.timestamp, d.type, cid, ...extraValues(d));
        return { ...d, room_id: room, seq };
      });
      this.setLatest.run(room, seq);
      return stored;
    });
  }

  async append(room: string, drafts: readonly Draft[]): Promise<Appended[]> {
    if (drafts.length === 0) return [];
    const stored = this.appendTx(room, drafts);
    // Only after the commit: a failed transaction must not advance the counter.
    const last = stored.filter((m) => !m.duplicate).at(-1);
    if (last) this.latest.set(room, last.seq);
    return stored;
  }

  async before(room: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]> {
    const rows = this.selectBefore.all(room, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit) as Row[];
    return rows.reverse().map(fromRow);
  }

  async after(room: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const rows = this.selectAfter.all(room, afterSeq, limit) as Row[];
    return rows.map(fromRow);
  }

  async get(room: string, seq: number): Promise<StoredMessage | null> {
    const row = this.selectOne.get(room, seq) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  async amendments(room: string, seqs: readonly number[]): Promise<Map<number, Amendment>> {
    if (seqs.length === 0) return new Map();
    const rows = this.selectTargeting.all(room, JSON.stringify(seqs)) as Row[];
    return foldEvents(rows.map(fromRow));
  }

  async firstSeq(room: string): Promise<number> {
    const row = this.selectFirst.get(room) as { seq: number | null } | undefined;
    return row?.seq ?? 0;
  }

  async latestSeq(room: string): Promise<number> {
    return this.latest.get(room) ?? 0;
  }

  async rooms(): Promise<RoomSummary[]> {
    return [...this.latest].map(([room_id, latest_seq]) => ({ room_id, latest_seq }));
  }

  async search(room: string, terms: readonly string[], beforeSeq: number | null, limit: number): Promise<SearchPage> {
    if (limit <= 0 || terms.length === 0) return { messages: [], more: false, next: 0 };
    this.catchUpIndex(room);
    const match = `room : "${roomToken(room)}" AND body : (${ftsQuery(terms)})`;
    const rows = this.db.prepare(SEARCH).all(match, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit + 1) as Row[];
    const messages = rows.slice(0, limit).map(fromRow);
    const more = rows.length > limit;
    return { messages, more, next: more ? (messages.at(-1)?.seq ?? 0) : 0 };
  }

  /** Indexes what the room stored since its last indexed message (see SEARCH_INDEX). */
  private catchUpIndex(room: string): void {
    this.db.transaction(() => {
      const upTo = this.db.prepare(INDEXED_UP_TO).pluck().get(room) as number;
      if (upTo >= (this.latest.get(room) ?? 0)) return;
      this.db.prepare(INDEX_ROWS).run(room, upTo);
      this.db.prepare(INDEX_TEXT).run(room, upTo);
    })();
  }

  // Backups (issue 17): given seqs into a room whose latest is afterSeq. The
  // check reads the file, not this.latest, inside the write transaction.
  async import(room: string, messages: readonly StoredMessage[], afterSeq: number): Promise<void> {
    checkImportSeqs(messages, afterSeq);
    const last = messages.at(-1)?.seq;
    if (last === undefined) return;
    this.db.transaction(() => {
      const row = this.selectLatest.get(room) as { latest_seq: number } | undefined;
      if ((row?.latest_seq ?? 0) !== afterSeq) throw new ImportConflictError(room, row?.latest_seq ?? 0);
      for (const m of messages) {
        this.insert.run(room, m.seq, m.user_id, m.username, m.message, m.timestamp, m.type, m.client_msg_id ?? '', ...extraValues(m));
      }
      this.setLatest.run(room, last);
    })();
    this.latest.set(room, last);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The issue 16 columns' values for a message, in EXTRA_COLUMNS order. */
function extraValues(m: Draft): [number, string, string, number, string, string, number] {
  return [m.reply_to ?? 0, m.reply_quote ?? '', m.action ?? '', m.target_seq ?? 0, m.subject ?? '', m.detail ?? '', m.minutes ?? 0];
}

/** A row as every store gives it back: a client id, reply or event fields only where the message has them. */
function fromRow(row: Row): StoredMessage {
  const { room_id, seq, user_id, username, message, timestamp, type } = row;
  const m: StoredMessage = { room_id, seq, user_id, username, message, timestamp, type };
  if (row.client_msg_id) m.client_msg_id = row.client_msg_id;
  return withExtras(m, row);
}
