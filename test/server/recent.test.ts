// A room's newest messages kept encoded for replays (server/recent.ts): what it
// vouches for, and that replays from it read exactly as replays from the store.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RecentMessages } from '../../server/recent.js';
import type { Encoded } from '../../server/wire.js';
import { connect, fullHistory, join, startServer, tempDir, type Chatter, type TestServer } from '../helpers.js';

const enc = (seq: number) => Buffer.from(`m${seq}`) as Encoded;
const text = (bufs: Encoded[] | null) => bufs?.map((b) => b.toString()) ?? null;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('recent messages, the bookkeeping', () => {
  it('knows a whole short room, and only the tail of a long one', () => {
    const short = new RecentMessages(5);
    assert.equal(short.newest(3, 5), null, 'nothing before fill()');
    short.fill(range(1, 3).map((seq) => ({ seq, buf: enc(seq) })));
    assert.deepEqual(text(short.newest(3, 5)), ['m1', 'm2', 'm3'], 'fewer than asked: the room holds no more');
    assert.deepEqual(text(short.between(0, 3)), ['m1', 'm2', 'm3']);

    const long = new RecentMessages(5);
    long.fill(range(6, 10).map((seq) => ({ seq, buf: enc(seq) })));
    assert.deepEqual(text(long.newest(10, 3)), ['m8', 'm9', 'm10']);
    assert.equal(long.newest(10, 6), null, 'older ones may exist');
    assert.deepEqual(text(long.between(5, 10)), ['m6', 'm7', 'm8', 'm9', 'm10']);
    assert.equal(long.between(4, 10), null, 'seq 5 is not here');
    long.push(11, enc(11));
    assert.deepEqual(text(long.newest(10, 2)), ['m9', 'm10'], 'up to the snapshot, not past it');
    assert.deepEqual(text(long.between(9, 11)), ['m10', 'm11']);
  });

  it('trims to its capacity as messages arrive, and forgets on request', () => {
    const r = new RecentMessages(3);
    r.fill([]);
    for (const seq of range(1, 20)) r.push(seq, enc(seq));
    assert.deepEqual(text(r.newest(20, 3)), ['m18', 'm19', 'm20']);
    assert.equal(r.between(0, 20), null, 'the oldest are gone');
    assert.deepEqual(text(r.between(17, 20)), ['m18', 'm19', 'm20']);
    // Seqs with holes (an import): the holes are not messages, nothing is missing.
    r.push(25, enc(25));
    assert.deepEqual(text(r.between(19, 25)), ['m20', 'm25']);
    r.forget();
    assert.equal(r.newest(25, 1), null);
    r.push(26, enc(26));
    assert.equal(r.between(25, 26), null, 'nothing kept until filled again');
  });

  it('keeps its own copy of a pooled buffer', () => {
    const r = new RecentMessages(2);
    const pooled = Buffer.from('pooled') as Encoded; // a slice of Node's shared 8 KB pool
    assert.notEqual(pooled.buffer.byteLength, pooled.length);
    r.fill([{ seq: 1, buf: pooled }]);
    const kept = r.newest(1, 1)?.[0];
    assert.equal(kept?.toString(), 'pooled');
    assert.equal(kept?.buffer.byteLength, kept?.length, 'memory of its own');
  });
});

describe('replays from memory read as the store', () => {
  it('gives joiners and resumers, near and far, what the store holds, also after a restart', async () => {
    const tmp = tempDir();
    const store = `sqlite:${path.join(tmp.dir, 'chat.db')}`;
    let server: TestServer | null = await startServer({ store, history: 5 });
    try {
      const client = connect(server.target);
      const writer = join(client, 'Writer', 'ring');
      for (let i = 0; i < 30; i++) writer.say(`t${i}`);
      await writer.waitForText('t29');
      const stored = await fullHistory(client, 'ring');
      const line = (m: { type: string; message: string; seq: number }) => `${m.seq} ${m.type} ${m.message}`;
      const storedAfter = (seq: number) => stored.filter((m) => m.seq > seq).map(line);
      const replayed = (c: Chatter) => c.received.filter((m) => m.seq > 0).map(line);

      // From memory: a joiner's last 5, a resume within them.
      const near = join(client, 'Near', 'ring', { resume_after_seq: stored.at(-3)?.seq ?? 0 });
      const fresh = join(client, 'Fresh', 'ring');
      // From the store: a resume from long before what memory keeps.
      const far = join(client, 'Far', 'ring', { resume_after_seq: 2 });
      for (const c of [near, far]) await c.waitFor((r) => r.some((m) => m.notice === 'NOTICE_CAUGHT_UP'), 'caught up');
      await fresh.waitFor((r) => r.some((m) => m.notice === 'NOTICE_HISTORY_END'), 'its history');
      assert.deepEqual(replayed(near), storedAfter(stored.at(-3)?.seq ?? 0));
      assert.deepEqual(replayed(far), storedAfter(2));
      assert.deepEqual(replayed(fresh), stored.slice(-5).map(line));
      for (const c of [writer, near, fresh, far]) c.leave();
      client.close();
      await server.stop();

      // A new process on the same file: the first joiner's room reads its newest from the store once.
      server = await startServer({ store, history: 5 });
      const again = connect(server.target);
      const storedNow = await fullHistory(again, 'ring');
      const late = join(again, 'Late', 'ring');
      await late.waitFor((r) => r.some((m) => m.notice === 'NOTICE_HISTORY_END'), 'its history');
      assert.deepEqual(replayed(late), storedNow.slice(-5).map(line));
      late.leave();
      again.close();
    } finally {
      await server?.stop();
      tmp.cleanup();
    }
  });
});
