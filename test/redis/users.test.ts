// Issue 13: the UserState contract, checked the same way on MemoryUsers, a
// SQLite file (closed and reopened to prove it persists) and a real
// redis-server (a fresh connection each time, and two racing connections).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import { MemoryUsers } from '../../server/store/memory-users.js';
import { connectRedis, parseRedisSpec } from '../../server/store/redis/connect.js';
import { RedisStore } from '../../server/store/redis/store.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import type { Store, UserState } from '../../server/store/types.js';
import { tempDir } from '../helpers.js';
import { startRedis, type RedisProcess } from '../processes.js';

/** Opens another handle on the same users' state (for SQLite and Redis: a new file handle or connection). */
type Open = () => Promise<UserState>;

interface Kind {
  name: string;
  /** State that outlives its handles (closed and opened again). */
  persistent: boolean;
  /** Empty state, and how to open handles on it. */
  fresh(): Promise<Open>;
}

let redis: RedisProcess;
const tmp = tempDir();
/** Stores opened by a test, closed after it (SQLite files, Redis connections). */
let stores: Store[] = [];
let admin: Redis;

async function closeStores(): Promise<void> {
  for (const s of stores) await s.close();
  stores = [];
}

let files = 0;
const kinds: Kind[] = [
  {
    name: 'memory',
    persistent: false,
    async fresh() {
      const users = new MemoryUsers();
      return async () => users;
    },
  },
  {
    name: 'sqlite',
    persistent: true,
    async fresh() {
      const file = path.join(tmp.dir, `users-${++files}.db`);
      return async () => {
        const store = new SqliteStore(file);
        stores.push(store);
        return store.users;
      };
    },
  },
  {
    name: 'redis',
    persistent: true,
    async fresh() {
      await admin.flushdb();
      return async () => {
        const store = new RedisStore(await connectRedis(parseRedisSpec(`${redis.url}/3`), 'users-test'), 1000);
        stores.push(store);
        return store.users;
      };
    },
  },
];

before(async () => {
  redis = await startRedis();
  admin = await connectRedis(parseRedisSpec(`${redis.url}/3`), 'users-test-admin');
});
afterEach(closeStores);
after(async () => {
  await admin.quit();
  await redis.stop();
  tmp.cleanup();
});

for (const kind of kinds) {
  describe(`UserState contract: ${kind.name}`, () => {
    it('keeps each user\'s rooms in the order added, apart from other users', async () => {
      const users = await (await kind.fresh())();
      assert.deepEqual(await users.rooms('alice'), [], 'nobody has rooms yet');
      for (const room of ['lobby', 'zeta', '@alice/bob', 'alpha']) assert.equal(await users.addRoom('Alice', room), true, room);
      await users.addRoom('bob', 'alpha');
      assert.deepEqual(await users.rooms('alice'), ['lobby', 'zeta', '@alice/bob', 'alpha'], 'insertion order, not sorted');
      assert.deepEqual(await users.rooms('bob'), ['alpha']);
    });

    it('addRoom is idempotent: a room there already stays where it is; removed and added again it goes last', async () => {
      const users = await (await kind.fresh())();
      await users.addRoom('alice', 'a');
      await users.addRoom('alice', 'b');
      await users.addRoom('alice', 'c');
      assert.equal(await users.addRoom('ALICE', 'a'), false, 'already there');
      assert.deepEqual(await users.rooms('alice'), ['a', 'b', 'c'], 'not moved by a second add');
      assert.equal(await users.removeRoom('alice', 'a'), true);
      assert.equal(await users.removeRoom('alice', 'a'), false, 'not there any more');
      assert.equal(await users.removeRoom('nobody', 'a'), false, 'an unknown user has nothing to remove');
      assert.equal(await users.addRoom('alice', 'a'), true, 'added again');
      assert.deepEqual(await users.rooms('alice'), ['b', 'c', 'a']);
      await users.removeRoom('alice', 'a');
      await users.addRoom('alice', 'd');
      assert.deepEqual(await users.rooms('alice'), ['b', 'c', 'd'], 'the last removed, a new one still goes last');
    });

    it('removeRoom forgets the room\'s read marker only', async () => {
      const users = await (await kind.fresh())();
      await users.addRoom('alice', 'a');
      await users.addRoom('alice', 'b');
      await users.markRead('alice', 'a', 5);
      await users.markRead('alice', 'b', 7);
      await users.markRead('bob', 'a', 3);
      assert.deepEqual(await users.readMarks('alice'), new Map([['a', 5], ['b', 7]]));
      await users.removeRoom('Alice', 'a');
      assert.deepEqual(await users.readMarks('alice'), new Map([['b', 7]]), 'a forgotten, b kept');
      assert.deepEqual(await users.readMarks('bob'), new Map([['a', 3]]), 'another user\'s marker kept');
      await users.addRoom('alice', 'a');
      assert.deepEqual(await users.readMarks('alice'), new Map([['b', 7]]), 'added again: read from nothing');
      assert.equal(await users.markRead('alice', 'a', 2), 2, 'a new marker starts where it is set');
    });

    it('roomMembers answers names as last spelt, sorted case-insensitively, and only of that room', async () => {
      const users = await (await kind.fresh())();
      assert.deepEqual(await users.roomMembers('lobby'), [], 'nobody yet');
      await users.addRoom('carol', 'lobby');
      await users.addRoom('alice', 'lobby');
      await users.addRoom('Bob', 'lobby');
      await users.addRoom('dave', 'other');
      assert.deepEqual(await users.roomMembers('lobby'), ['alice', 'Bob', 'carol']);
      await users.addRoom('ALICE', 'other');
      assert.deepEqual(await users.roomMembers('lobby'), ['ALICE', 'Bob', 'carol'], 'spelling follows the last add, even of another room');
      await users.setAway('CaRoL', 'out');
      assert.deepEqual(await users.roomMembers('lobby'), ['ALICE', 'Bob', 'CaRoL'], 'and the last setAway');
      // The key alone (a direct room's peer, known from the room id) keeps the spelling the user gave.
      await users.addRoom('bob', '@alice/bob');
      await users.markRead('alice', '@alice/bob', 1);
      await users.setAway('carol', null);
      assert.deepEqual(await users.roomMembers('lobby'), ['ALICE', 'Bob', 'CaRoL'], 'a lower-cased key replaces no spelling');
      assert.deepEqual(await users.roomMembers('@alice/bob'), ['Bob']);
      await users.removeRoom('bob', 'lobby');
      assert.deepEqual(await users.roomMembers('lobby'), ['ALICE', 'CaRoL']);
      assert.deepEqual(await users.roomMembers('other'), ['ALICE', 'dave']);
    });

    it('markRead never moves a marker back, and answers the marker now', async () => {
      const users = await (await kind.fresh())();
      assert.deepEqual(await users.readMarks('alice'), new Map(), 'never read: absent');
      assert.equal(await users.markRead('alice', 'r', 5), 5);
      assert.equal(await users.markRead('alice', 'r', 3), 5, 'back: refused');
      assert.equal(await users.markRead('ALICE', 'r', 5), 5, 'same: unchanged');
      assert.equal(await users.markRead('Alice', 'r', 9), 9, 'forward, under any spelling');
      assert.equal(await users.markRead('alice', 's', 1), 1);
      assert.deepEqual(await users.readMarks('aLiCe'), new Map([['r', 9], ['s', 1]]));
      const many = await Promise.all([4, 12, 2, 11, 8].map((seq) => users.markRead('alice', 'r', seq)));
      for (const [i, seq] of [4, 12, 2, 11, 8].entries()) assert.ok((many[i] ?? 0) >= seq, `answer ${many[i]} for ${seq}`);
      assert.equal((await users.readMarks('alice')).get('r'), 12, 'concurrent calls end at the highest');
    });

    it('setAway keeps a reason (empty allowed) until back; awayOf keys by lower-cased name', async () => {
      const users = await (await kind.fresh())();
      assert.deepEqual(await users.awayOf([]), new Map());
      assert.deepEqual(await users.awayOf(['alice', 'nobody']), new Map(), 'nobody away');
      await users.setAway('Alice', 'lunch');
      await users.setAway('bob', '');
      await users.setAway('carol', 'gone');
      await users.setAway('CAROL', null);
      assert.deepEqual(await users.awayOf(['ALICE', 'Bob', 'carol', 'dave']), new Map([['alice', 'lunch'], ['bob', '']]));
      await users.setAway('alice', 'meeting');
      assert.deepEqual(await users.awayOf(['alice']), new Map([['alice', 'meeting']]), 'a new reason replaces the old');
      await users.setAway('ALICE', null);
      assert.deepEqual(await users.awayOf(['alice', 'bob']), new Map([['bob', '']]), 'back');
      assert.deepEqual(await users.rooms('alice'), [], 'away state adds no rooms');
    });

    it('treats names case-insensitively (and trimmed) everywhere', async () => {
      const users = await (await kind.fresh())();
      await users.addRoom('Alice', 'a');
      assert.equal(await users.addRoom('aLICE', 'a'), false);
      await users.addRoom(' ALICE ', 'b');
      assert.deepEqual(await users.rooms('alice'), ['a', 'b']);
      assert.deepEqual(await users.rooms('ALICE'), ['a', 'b']);
      assert.deepEqual(await users.roomMembers('b'), ['ALICE'], 'one user, spelt as last (trimmed)');
      assert.equal(await users.removeRoom('alice', 'a'), true);
      assert.deepEqual(await users.rooms('Alice'), ['b']);
    });

    if (kind.persistent) {
      it('keeps everything when closed and opened again', async () => {
        const open = await kind.fresh();
        const first = await open();
        for (const room of ['x', 'a', 'm']) await first.addRoom('Alice', room);
        await first.addRoom('bob', 'a');
        await first.markRead('Alice', 'a', 42);
        await first.setAway('Bob', 'brb');
        await closeStores();

        const second = await open();
        assert.deepEqual(await second.rooms('alice'), ['x', 'a', 'm']);
        assert.deepEqual(await second.roomMembers('a'), ['Alice', 'Bob']);
        assert.deepEqual(await second.readMarks('ALICE'), new Map([['a', 42]]));
        assert.equal(await second.markRead('alice', 'a', 41), 42, 'still never back');
        assert.deepEqual(await second.awayOf(['bob']), new Map([['bob', 'brb']]));
        assert.equal(await second.addRoom('alice', 'n'), true);
        assert.deepEqual(await second.rooms('alice'), ['x', 'a', 'm', 'n'], 'positions continue after the reopen');
      });

      it('two handles on the same state see each other\'s writes, and racing markReads end at the highest', async () => {
        const open = await kind.fresh();
        const [a, b] = [await open(), await open()];
        await a.addRoom('alice', 'r');
        assert.deepEqual(await b.rooms('alice'), ['r']);
        // Interleaved calls from two handles (with Redis, two connections): none may lower the marker.
        for (let round = 0; round < 5; round++) {
          const room = `race-${round}`;
          const seqs = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 200) + 1);
          const answers = await Promise.all(seqs.map((seq, i) => (i % 2 ? a : b).markRead('alice', room, seq)));
          seqs.forEach((seq, i) => assert.ok((answers[i] ?? 0) >= seq, `answer ${answers[i]} for ${seq}`));
          assert.equal((await a.readMarks('alice')).get(room), 200, `${room}: the highest won`);
          assert.equal((await b.readMarks('alice')).get(room), 200);
        }
        // Racing adds of the same rooms: each room once, every room in the list.
        const rooms = Array.from({ length: 50 }, (_, i) => `room-${i}`);
        const added = await Promise.all(rooms.flatMap((room) => [a.addRoom('bob', room), b.addRoom('BOB', room)]));
        assert.equal(added.filter(Boolean).length, rooms.length, 'each room added once');
        const listed = await a.rooms('bob');
        assert.deepEqual([...listed].sort(), [...rooms].sort());
        assert.deepEqual(await b.rooms('bob'), listed, 'one order for both');
      });
    }
  });
}

describe('UserState in SQLite: an existing chat.db', () => {
  it('gains the user tables on open, its history untouched', async () => {
    const file = path.join(tmp.dir, 'old.db');
    // A file as an older server left it: history tables only.
    const old = new Database(file);
    old.exec(`
      CREATE TABLE rooms (room_id TEXT PRIMARY KEY, latest_seq INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE messages (room_id TEXT NOT NULL, seq INTEGER NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL,
        message TEXT NOT NULL, timestamp INTEGER NOT NULL, type TEXT NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID;
      INSERT INTO rooms VALUES ('lobby', 1);
      INSERT INTO messages VALUES ('lobby', 1, 'u1', 'Alice', 'from before', 1700000000000, 'TEXT');
    `);
    old.close();
    const store = new SqliteStore(file);
    stores.push(store);
    assert.deepEqual((await store.after('lobby', 0, 10)).map((m) => m.message), ['from before']);
    await store.users.addRoom('Alice', 'lobby');
    assert.equal(await store.users.markRead('alice', 'lobby', 1), 1);
    await closeStores();
    const again = new SqliteStore(file);
    stores.push(again);
    assert.deepEqual(await again.users.rooms('alice'), ['lobby']);
    assert.deepEqual(await again.users.readMarks('alice'), new Map([['lobby', 1]]));
    const tables = new Database(file, { readonly: true });
    const plan = tables.prepare("EXPLAIN QUERY PLAN SELECT user FROM user_rooms WHERE room_id = 'lobby'").all() as Array<{ detail: string }>;
    tables.close();
    assert.match(plan.map((p) => p.detail).join('\n'), /USING (COVERING )?INDEX user_rooms_room/, 'roomMembers reads by index, not a scan');
  });
});
