// Backups: Store.import on every store, and `chat-server export` / `import`
// moving a room from SQLite to Redis and back with seqs, authors and times
// intact, a refusal for a room that already holds messages, and --append.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStoreOnly } from '../../server/commands/store-spec.js';
import { ImportConflictError, type Store, type StoredMessage } from '../../server/store/types.js';
import { connect, join, startServer, tempDir } from '../helpers.js';
import { SERVER_BIN, startBinary, startRedis, stopBinary, type RedisProcess } from '../processes.js';

const msg = (seq: number, message: string, type: StoredMessage['type'] = 'TEXT'): StoredMessage => ({
  room_id: 'imp', seq, user_id: `u${seq}`, username: `User ${seq}`, message, timestamp: 1_700_000_000_000 + seq, type,
});

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [SERVER_BIN, ...args], { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
}

async function everything(spec: string, room: string): Promise<StoredMessage[]> {
  const store = await openStoreOnly(spec);
  try {
    return await store.after(room, 0, 100_000);
  } finally {
    await store.close();
  }
}

describe('backups', () => {
  let redis: RedisProcess;
  const tmp = tempDir();
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
    tmp.cleanup();
  });

  it('imports given seqs into an empty room, and only there, on memory, SQLite and Redis', async () => {
    for (const spec of ['memory', `sqlite:${path.join(tmp.dir, 'contract.db')}`, `${redis.url}/4`]) {
      const store: Store = await openStoreOnly(spec);
      try {
        await store.import('imp', [msg(5, 'five'), msg(6, 'six', 'JOIN'), msg(9, 'nine')], 0);
        assert.deepEqual(await store.after('imp', 0, 10), [msg(5, 'five'), msg(6, 'six', 'JOIN'), msg(9, 'nine')], spec);
        assert.equal(await store.latestSeq('imp'), 9, spec);
        assert.equal(await store.firstSeq('imp'), 5, spec);
        assert.ok((await store.rooms()).some((r) => r.room_id === 'imp' && r.latest_seq === 9), `${spec}: listed`);
        // A second batch follows the first; a post after the import continues the count.
        await store.import('imp', [msg(10, 'ten')], 9);
        const [next] = await store.append('imp', [{ user_id: 'x', username: 'X', message: 'new', timestamp: 1, type: 'TEXT' }]);
        assert.equal(next?.seq, 11, `${spec}: seq continues after the import`);
        // A room that has moved on is refused, with nothing written.
        await assert.rejects(store.import('imp', [msg(12, 'late')], 0), (e: unknown) => e instanceof ImportConflictError && e.latestSeq === 11, spec);
        await assert.rejects(store.import('imp', [msg(12, 'a'), msg(12, 'b')], 11), /seq 12 does not come after seq 12/, spec);
        assert.equal(await store.latestSeq('imp'), 11, `${spec}: nothing written by the refused imports`);
      } finally {
        await store.close();
      }
    }
  });

  it('moves a room SQLite -> Redis -> SQLite with seqs, authors and times, past the rate limit', async () => {
    const sqliteA = `sqlite:${path.join(tmp.dir, 'a.db')}`;
    const sqliteB = `sqlite:${path.join(tmp.dir, 'b.db')}`;
    const redisSpec = `${redis.url}/5`;
    // A room with history: joins, 120 texts from one user (more than a burst), unicode, lines, a leave.
    const server = await startServer({ store: sqliteA });
    const client = connect(server.target);
    const alice = join(client, 'Alice', 'moving');
    const bob = join(client, 'Bob', 'moving');
    await alice.waitForText('Bob joined the room');
    for (let i = 0; i < 120; i++) alice.say(i === 7 ? 'two\nlines ✓ 日本' : `message ${i}`);
    await bob.waitForText('message 119');
    bob.leave();
    await alice.waitForText('Bob left the room');
    alice.leave();
    await alice.waitForStatus();
    client.close();
    await server.stop();
    const original = await everything(sqliteA, 'moving');
    assert.equal(original.length, 124, 'two joins, 120 texts, two leaves');

    const file = path.join(tmp.dir, 'moving.jsonl');
    const exported = cli(['export', '--room', 'moving', '--store', sqliteA, '--out', file]);
    assert.equal(exported.status, 0, exported.stderr);
    assert.equal(exported.stderr, "exported 124 messages of 'moving' (seq 1-124)\n");
    const imported = cli(['import', file, '--store', redisSpec]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(imported.stderr, "imported 124 messages into 'moving' (seq 1-124)\n");
    assert.deepEqual(await everything(redisSpec, 'moving'), original, 'Redis holds the room as SQLite did');

    // A server on Redis (rate limit on) replays it and numbers the next post after it.
    const live = await startBinary(['--store', redisSpec]);
    const c2 = connect(live.target);
    try {
      const carol = join(c2, 'Carol', 'moving');
      await carol.waitForText('message 119');
      const replayed = carol.received.filter((m) => m.type === 'TEXT');
      assert.deepEqual(replayed.map((m) => [m.seq, m.username, Number(m.timestamp)]), original.filter((m) => m.type === 'TEXT').slice(-replayed.length).map((m) => [m.seq, m.username, m.timestamp]));
      carol.say('after the move');
      await carol.waitForText('after the move');
      assert.equal(carol.received.find((m) => m.message === 'after the move')?.seq, 126, 'after seq 124 and her own JOIN (125)');
      carol.leave();
      await carol.waitForStatus();
    } finally {
      c2.close();
      await stopBinary(live);
    }

    // Importing into the room again is refused, and says what to do instead.
    const again = cli(['import', file, '--store', redisSpec]);
    assert.equal(again.status, 1);
    assert.equal(again.stderr, "chat-server import: room 'moving' already holds messages (up to seq 127); import into an empty room or store, another room (--room NAME), or pass --append to add these after them with new seqs\n");

    // Back to a fresh SQLite file, through stdout and stdin.
    const back = cli(['export', '--room', 'moving', '--store', redisSpec]);
    assert.equal(back.status, 0, back.stderr);
    assert.equal(back.stdout.split('\n').filter(Boolean).length, 127);
    const intoB = cli(['import', '-', '--store', sqliteB], back.stdout);
    assert.equal(intoB.status, 0, intoB.stderr);
    const fromRedis = await everything(redisSpec, 'moving');
    assert.deepEqual(await everything(sqliteB, 'moving'), fromRedis, 'SQLite holds the room as Redis did');
    assert.deepEqual(fromRedis.slice(0, 124), original);

    // --append adds a copy after what is there, with new seqs and the same authors and times.
    const appended = cli(['import', file, '--store', sqliteB, '--append']);
    assert.equal(appended.status, 0, appended.stderr);
    assert.equal(appended.stderr, "imported 124 messages into 'moving' (seq 128-251)\n");
    const all = await everything(sqliteB, 'moving');
    assert.deepEqual(all.slice(127).map(({ seq, ...rest }) => ({ ...rest, seq: seq - 127 })), original);
  });

  // Issue 16: replies and room events travel; with --append they follow their targets' new seqs.
  it('keeps replies and events through export and import, and renumbers their targets with --append', async () => {
    const spec = `sqlite:${path.join(tmp.dir, 'events.db')}`;
    // In the order export writes the fields.
    const line = ({ seq, message, type = 'TEXT', ...extras }: { seq: number; message: string; type?: string } & Record<string, unknown>) =>
      JSON.stringify({ seq, user_id: 'u', username: 'Ann', message, timestamp: 1, type, room: 'ev', ...extras });
    const file = [
      line({ seq: 1, message: 'hello' }),
      line({ seq: 2, message: 'hi back', reply_to: 1, reply_quote: 'Ann: hello' }),
      line({ seq: 3, type: 'EVENT', action: 'EDIT', target_seq: 1, detail: 'hello all', message: 'Ann edited a message: hello all' }),
      line({ seq: 4, type: 'EVENT', action: 'MUTE', subject: 'Bob', minutes: 5, message: 'Bob was muted by Ann for 5 minutes' }),
    ].join('\n');
    const first = cli(['import', '-', '--store', spec], `${file}\n`);
    assert.equal(first.status, 0, first.stderr);
    const exported = cli(['export', '--room', 'ev', '--store', spec]);
    assert.equal(exported.stdout, `${file}\n`, 'export writes back what was imported, field for field');
    const appended = cli(['import', '-', '--store', spec, '--append'], exported.stdout);
    assert.equal(appended.status, 0, appended.stderr);
    const all = await everything(spec, 'ev');
    assert.deepEqual(
      all.slice(4).map((m) => [m.seq, m.type, m.reply_to, m.action, m.target_seq, m.subject, m.minutes]),
      [
        [5, 'TEXT', undefined, undefined, undefined, undefined, undefined],
        [6, 'TEXT', 5, undefined, undefined, undefined, undefined],
        [7, 'EVENT', undefined, 'EDIT', 5, undefined, undefined],
        [8, 'EVENT', undefined, 'MUTE', undefined, 'Bob', 5],
      ],
    );
    const store = await openStoreOnly(spec);
    try {
      assert.equal((await store.amendments('ev', [5])).get(5)?.text, 'hello all', 'the copied edit amends the copy');
    } finally {
      await store.close();
    }
  });

  it('refuses a bad line with its number, and --room renames', async () => {
    const spec = `sqlite:${path.join(tmp.dir, 'c.db')}`;
    const line = (o: object) => JSON.stringify({ seq: 1, user_id: 'u', username: 'U', message: 'm', timestamp: 1, type: 'TEXT', room: 'r', ...o });
    const bad = cli(['import', '-', '--store', spec], `${line({})}\n${line({ seq: 2, type: 'SHOUT' })}\n`);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, 'chat-server import: line 2: type should be one of TEXT, JOIN, LEAVE, EVENT\n');
    const renamed = cli(['import', '-', '--store', spec, '--room', 'elsewhere'], `${line({ message: 'hi\u001b[31m' })}\n`);
    assert.equal(renamed.status, 0, renamed.stderr);
    assert.equal(renamed.stderr, "imported 1 messages into 'elsewhere' (seq 1-1)\n");
    assert.deepEqual((await everything(spec, 'elsewhere')).map((m) => m.message), ['hi'], 'escape sequences removed, as from a client');
    assert.deepEqual(await everything(spec, 'r'), [], 'nothing from the refused file');
  });
});
