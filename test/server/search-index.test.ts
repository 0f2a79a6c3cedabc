// SQLite's search index (issue 15), on a file written before search existed:
// a room's messages are indexed by its first search, once, and what is posted
// later by the next search (posting itself does not touch the index).
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../server/store/sqlite.js';
import { tempDir } from '../helpers.js';

// The schema as the store wrote it before search (issue 12's client_msg_id included).
const OLD_SCHEMA = `
  CREATE TABLE rooms (room_id TEXT PRIMARY KEY, latest_seq INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE messages (
    room_id TEXT NOT NULL, seq INTEGER NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL,
    message TEXT NOT NULL, timestamp INTEGER NOT NULL, type TEXT NOT NULL, client_msg_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (room_id, seq)
  ) WITHOUT ROWID;
`;

describe('SQLite search index', () => {
  it('indexes an older file\'s rows on the first search of each room, once, and new messages on the next search', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'old.db');
    const old = new Database(file);
    old.exec(OLD_SCHEMA);
    const insert = old.prepare("INSERT INTO messages VALUES (?, ?, 'u', 'Old', ?, 1700000000000, ?, '')");
    // Rows written out of seq order (as a room interleaves with others): the index must still give newest first.
    for (const [room, seq, text, type] of [
      ['b', 2, 'old needle two', 'TEXT'],
      ['a', 1, 'old needle in a', 'TEXT'],
      ['b', 1, 'old needle one', 'TEXT'],
      ['b', 3, 'needle joined', 'JOIN'],
    ] as const) {
      insert.run(room, seq, text, type);
    }
    old.exec("INSERT INTO rooms VALUES ('a', 1), ('b', 3)");
    old.close();

    const store = new SqliteStore(file);
    const seqs = async (room: string) => (await store.search(room, ['needle'], null, 10)).messages.map((m) => `${m.seq} ${m.message}`);
    assert.deepEqual(await seqs('b'), ['2 old needle two', '1 old needle one'], 'old rows found, newest first, TEXT only');
    assert.deepEqual(await seqs('a'), ['1 old needle in a']);
    await store.append('b', [{ user_id: 'u', username: 'New', message: 'new needle', timestamp: 1700000001000, type: 'TEXT' }]);
    await store.close();
    const peek = new Database(file, { readonly: true });
    const before = peek.prepare('SELECT COUNT(*) AS n FROM message_search_rows').get() as { n: number };
    peek.close();
    assert.equal(before.n, 3, 'posting did not index: the next search will');

    const again = new SqliteStore(file);
    const after = (await again.search('b', ['needle'], null, 10)).messages.map((m) => m.seq);
    assert.deepEqual(after, [4, 2, 1], 'reopened: the index is not built twice, and the new message is in it');
    await again.close();
    const db = new Database(file, { readonly: true });
    const indexed = db.prepare('SELECT COUNT(*) AS n FROM message_search_rows').get() as { n: number };
    db.close();
    assert.equal(indexed.n, 4, 'one index row per TEXT message');
    tmp.cleanup();
  });
});
