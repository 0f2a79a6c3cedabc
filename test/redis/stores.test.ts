// The Store contract, checked the same way on every store: memory, a SQLite
// file and a real redis-server. The rooms above them rely on exactly this.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBackend, type Backend } from '../../server/store/open.js';
import { createLogger } from '../../server/log.js';
import type { Draft } from '../../server/store/types.js';
import { tempDir } from '../helpers.js';
import { fromLine, toLine } from '../../server/commands/jsonl.js';
import { startRedis, type RedisProcess } from '../processes.js';

const draft = (message: string, type: Draft['type'] = 'TEXT'): Draft => ({
  user_id: 'u1',
  username: 'Üser | "quoted"',
  message,
  timestamp: 1_700_000_000_123,
  type,
});

describe('store contract', () => {
  let redis: RedisProcess;
  const tmp = tempDir();
  const backends: Backend[] = [];
  const log = createLogger('silent');

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const b of backends) await b.close();
    await redis.stop();
    tmp.cleanup();
  });

  const specs = (): Array<[string, string]> => [
    ['memory', 'memory'],
    ['sqlite', `sqlite:${path.join(tmp.dir, 'contract.db')}`],
    ['redis', `${redis.url}/2`],
  ];

  it('stores a user\'s client message id once: a resend, in a later batch or the same one, answers the stored seq', async () => {
    for (const [name, spec] of specs()) {
      const backend = await openBackend(spec, log);
      backends.push(backend);
      const store = backend.feed.store;
      const post = (text: string, id: string, user = 'u1'): Draft => ({ ...draft(text), user_id: user, client_msg_id: id });
      const first = await store.append('ids', [post('a', 'x.1'), post('b', 'x.2')]);
      assert.deepEqual(first.map((m) => [m.seq, m.duplicate ?? false]), [[1, false], [2, false]], name);
      const again = await store.append('ids', [post('b', 'x.2'), post('c', 'x.3'), post('c', 'x.3'), post('b', 'x.2', 'u2')]);
      assert.deepEqual(
        again.map((m) => [m.seq, m.duplicate ?? false]),
        [[2, true], [3, false], [3, true], [4, false]],
        `${name}: resends answer the stored seq; another user's same id is theirs`,
      );
      assert.equal(await store.latestSeq('ids'), 4, `${name}: only new messages count`);
      assert.deepEqual((await store.after('ids', 0, 10)).map((m) => `${m.message}:${m.client_msg_id ?? ''}`), ['a:x.1', 'b:x.2', 'c:x.3', 'b:x.2'], name);
    }
  });

  // Issue 16.
  it('keeps replies and room events, gets one message, and folds amendments the same way in memory, SQLite and Redis; export/import keep them', async () => {
    const results: unknown[] = [];
    for (const [name, spec] of specs()) {
      const backend = await openBackend(spec, log);
      backends.push(backend);
      const store = backend.feed.store;
      const by = (username: string, d: Partial<Draft>): Draft => ({ ...draft(''), username, type: 'EVENT', ...d });
      await store.append('amend', [draft('one'), draft('two'), { ...draft('re: one'), reply_to: 1, reply_quote: 'Üser: one' }]);
      await store.append('amend', [
        by('Ann', { action: 'REACT', target_seq: 1, detail: '👍', message: 'Ann reacted 👍' }),
        by('Bob', { action: 'REACT', target_seq: 1, detail: '👍', message: 'Bob reacted 👍' }),
        by('ann', { action: 'REACT', target_seq: 1, detail: '👍', message: 'a second REACT by the same user counts once' }),
        by('Üser | "quoted"', { action: 'EDIT', target_seq: 1, detail: 'one, edited', message: 'edited' }),
        by('Bob', { action: 'REACT', target_seq: 1, detail: '🎉', message: 'Bob reacted 🎉' }),
        by('ANN', { action: 'UNREACT', target_seq: 1, detail: '👍', message: 'Ann took back 👍' }),
        by('Üser | "quoted"', { action: 'DELETE', target_seq: 2, message: 'deleted' }),
        by('Bob', { action: 'REACT', target_seq: 2, detail: '👍', message: 'after the delete: nothing' }),
        by('Olga', { action: 'MUTE', subject: 'Bob', minutes: 10, detail: 'spam', message: 'Bob was muted' }),
      ]);
      const reply = await store.get('amend', 3);
      assert.equal(reply?.reply_to, 1, name);
      assert.equal(reply?.reply_quote, 'Üser: one', name);
      assert.equal(await store.get('amend', 99), null, `${name}: no such seq`);
      const mute = await store.get('amend', 12);
      assert.deepEqual([mute?.type, mute?.action, mute?.subject, mute?.minutes, mute?.detail, mute?.target_seq], ['EVENT', 'MUTE', 'Bob', 10, 'spam', undefined], name);
      assert.equal((await store.get('amend', 1))?.reply_to, undefined, `${name}: unset fields stay absent`);
      const amended = await store.amendments('amend', [1, 2, 3]);
      assert.deepEqual([...amended.keys()].sort(), [1, 2], `${name}: only messages acted on`);
      assert.deepEqual(amended.get(1), { text: 'one, edited', edited: true, deleted: false, reactions: [{ emoji: '👍', users: ['Bob'] }, { emoji: '🎉', users: ['Bob'] }] }, name);
      assert.deepEqual(amended.get(2), { text: '', edited: false, deleted: true, reactions: [] }, name);
      // Through the backup format into an empty room of the same store.
      const lines = (await store.after('amend', 0, 100)).map((m) => fromLine(toLine(m), 1));
      await store.import('amend-copy', lines.map((m) => ({ ...m, room_id: 'amend-copy' })), 0);
      assert.deepEqual(await store.amendments('amend-copy', [1, 2]), new Map([[1, amended.get(1)], [2, amended.get(2)]]), `${name}: import keeps events`);
      assert.equal((await store.get('amend-copy', 3))?.reply_quote, 'Üser: one', name);
      results.push(await store.after('amend', 0, 100));
    }
    for (const r of results.slice(1)) assert.deepEqual(r, results[0], 'every store returns the same messages');
  });

  it('numbers, keeps and pages messages the same way in memory, SQLite and Redis', async () => {
    for (const [name, spec] of specs()) {
      const backend = await openBackend(spec, log);
      backends.push(backend);
      const store = backend.feed.store;
      assert.equal(await store.latestSeq('r'), 0, `${name}: empty room`);
      assert.equal(await store.firstSeq('r'), 0, `${name}: empty room has no first`);
      assert.deepEqual(await store.before('r', null, 10), [], name);

      const first = await store.append('r', [draft('one'), draft('two\nlines\ttab'), draft('joined', 'JOIN')]);
      assert.deepEqual(first.map((m) => m.seq), [1, 2, 3], `${name}: seqs from 1`);
      const more = await store.append('r', Array.from({ length: 7 }, (_, i) => draft(`m${i} ✓ 日本`)));
      assert.deepEqual(more.map((m) => m.seq), [4, 5, 6, 7, 8, 9, 10], `${name}: seqs continue`);
      await store.append('other', [draft('elsewhere')]);

      const newest = await store.before('r', null, 3);
      assert.deepEqual(newest.map((m) => m.seq), [8, 9, 10], `${name}: newest page, oldest first`);
      assert.deepEqual((await store.before('r', 4, 10)).map((m) => m.seq), [1, 2, 3], `${name}: before a seq`);
      assert.deepEqual(await store.before('r', 1, 10), [], `${name}: nothing before the first`);
      assert.deepEqual((await store.after('r', 2, 3)).map((m) => m.seq), [3, 4, 5], `${name}: after a seq`);
      assert.deepEqual(await store.after('r', 10, 5), [], `${name}: nothing after the newest`);
      const two = (await store.after('r', 1, 1))[0];
      assert.deepEqual(two, { ...draft('two\nlines\ttab'), room_id: 'r', seq: 2 }, `${name}: fields round-trip`);
      assert.equal((await store.after('r', 2, 1))[0]?.type, 'JOIN', name);
      assert.equal((await store.after('r', 4, 1))[0]?.message, 'm1 ✓ 日本', `${name}: unicode`);
      assert.equal(await store.firstSeq('r'), 1, name);
      assert.equal(await store.latestSeq('r'), 10, name);
      assert.equal(await store.latestSeq('other'), 1, `${name}: rooms are separate`);
      const rooms = (await store.rooms()).filter((r) => r.room_id === 'r' || r.room_id === 'other');
      assert.deepEqual(
        rooms.sort((x, y) => x.room_id.localeCompare(y.room_id)),
        [
          { room_id: 'other', latest_seq: 1 },
          { room_id: 'r', latest_seq: 10 },
        ],
        `${name}: room list`,
      );
    }
  });

  it('searches a room\'s TEXT messages the same way in memory, SQLite and Redis: newest first, paged, every word a prefix', async () => {
    for (const [name, spec] of specs()) {
      const backend = await openBackend(spec, log);
      backends.push(backend);
      const store = backend.feed.store;
      const words = (terms: string[], before: number | null, limit: number) =>
        store.search('find', terms, before, limit).then((p) => ({ ...p, seqs: p.messages.map((m) => m.seq) }));
      assert.deepEqual(await store.search('find', ['x'], null, 10), { messages: [], more: false, next: 0 }, `${name}: empty room`);
      await store.append('find', [
        draft('Deploying the Café build'), // 1
        draft('deploy: joined', 'JOIN'), // 2: not TEXT
        draft('nothing here'), // 3
        draft('re-deploy\nsecond line über'), // 4
        draft('日本語のテキスト'), // 5
        draft('DEPLOYED'), // 6
      ]);
      await store.append('find-other', [draft('deploy elsewhere')]);
      const all = await words(['deplo'], null, 10);
      assert.deepEqual([all.seqs, all.more, all.next], [[6, 4, 1], false, 0], `${name}: newest first, TEXT only, this room only`);
      assert.deepEqual(all.messages[2], { ...draft('Deploying the Café build'), room_id: 'find', seq: 1 }, `${name}: whole messages`);
      assert.deepEqual((await words(['cafe', 'deploying'], null, 10)).seqs, [1], `${name}: accents and case ignored, words ANDed`);
      assert.deepEqual((await words(['uber'], null, 10)).seqs, [4], `${name}: any line of the text`);
      assert.deepEqual((await words(['日本'], null, 10)).seqs, [5], `${name}: a CJK run is a word`);
      assert.deepEqual((await words(['ploy'], null, 10)).seqs, [], `${name}: words match from their start`);
      assert.deepEqual((await words(['deploy', 'nothing'], null, 10)).seqs, [], `${name}: every word`);
      const page1 = await words(['deplo'], null, 2);
      assert.deepEqual([page1.seqs, page1.more, page1.next], [[6, 4], true, 4], `${name}: a page, and where the next starts`);
      const page2 = await words(['deplo'], page1.next, 2);
      assert.deepEqual([page2.seqs, page2.more, page2.next], [[1], false, 0], `${name}: the last page`);
      assert.deepEqual((await words(['deplo'], 1, 10)).seqs, [], `${name}: nothing before the first`);
      // An import is searchable like an append.
      await store.import('find-imported', [{ ...draft('imported needle'), room_id: 'x', seq: 7 }], 0);
      assert.deepEqual((await store.search('find-imported', ['needle'], null, 5)).messages.map((m) => m.seq), [7], `${name}: imported`);
    }
  });

  it('reads a bounded part of a Redis room per search and says where to go on', async () => {
    const backend = await openBackend(`${redis.url}/4`, log);
    backends.push(backend);
    const store = backend.feed.store;
    const { SEARCH_SCAN_MAX } = await import('../../server/store/redis/store.js');
    // One match at seq 1, under SEARCH_SCAN_MAX + 500 others.
    await store.append('deep', [draft('the needle')]);
    for (let i = 0; i < SEARCH_SCAN_MAX + 500; i += 2500) await store.append('deep', Array.from({ length: 2500 }, (_, j) => draft(`hay ${i + j}`)));
    const latest = await store.latestSeq('deep');
    const first = await store.search('deep', ['needle'], null, 10);
    assert.deepEqual([first.messages.length, first.more, first.next], [0, true, latest - SEARCH_SCAN_MAX + 1], 'stopped after the cap, with where it stopped');
    const next = await store.search('deep', ['needle'], first.next, 10);
    assert.deepEqual([next.messages.map((m) => m.message), next.more], [['the needle'], false], 'the next call reads on');
  });

  it('caps a Redis room at about maxlen messages while seq keeps counting', async () => {
    const backend = await openBackend(`${redis.url}/3?maxlen=100`, log);
    backends.push(backend);
    const store = backend.feed.store;
    for (let i = 0; i < 30; i++) await store.append('capped', Array.from({ length: 50 }, (_, j) => draft(`${i}.${j}`)));
    const firstKept = await store.firstSeq('capped');
    const kept = 1500 - firstKept + 1;
    // "~" trimming removes whole stream nodes (100 entries each by default), so a little more may stay.
    assert.ok(kept >= 100 && kept <= 250, `kept ${kept} of 1500`);
    assert.equal(await store.latestSeq('capped'), 1500);
    const all = await store.after('capped', 0, 1000);
    assert.equal(all[0]?.seq, firstKept);
    assert.equal(all.at(-1)?.seq, 1500);
  });
});
