// Prometheus metrics over HTTP after a scripted chat: streams, rooms, posted,
// delivered and refused counts, store latency, event-loop delay, queue depth
// and slow-reader disconnects. The counters are per process; this file's
// servers are the only ones in its process.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import { connect, eventually, join, memberNames, startServer, tempDir, unary } from '../helpers.js';
import { sample, scrape } from '../metrics.js';

describe('metrics', () => {
  it('counts a scripted chat: streams, rooms, posted, delivered, refused by reason, store latency', async (t) => {
    const tmp = tempDir();
    const server = await startServer({
      store: `sqlite:${path.join(tmp.dir, 'm.db')}`,
      metricsPort: 0,
      // Twelve messages each, then (at one per 100 s) nothing more for the rest of the test.
      rateLimit: { rate: 0.01, burst: 12 },
      maxMessageBytes: 100,
    });
    const [c1, c2] = [connect(server.target), connect(server.target)];
    t.after(async () => {
      c1.close();
      c2.close();
      await server.stop();
      tmp.cleanup();
    });
    const url = server.running.metrics?.url ?? '';
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    const alice = join(c1, 'Alice', 'ops');
    const bob = join(c2, 'Bob', 'ops');
    await alice.waitForText('Bob joined the room');
    let m = await scrape(url);
    assert.equal(sample(m, 'chat_streams_open', { kind: 'chat' }), 2);
    assert.equal(sample(m, 'chat_rooms_active'), 1);
    assert.equal(sample(m, 'chat_room_members'), 2);

    for (let i = 0; i < 10; i++) alice.say(`a${i}`);
    bob.say('b0');
    bob.say('b1');
    alice.say('a10');
    alice.say('a11');
    await bob.waitForText('a11');
    await alice.waitForText('b1');
    alice.say('x'.repeat(101)); // too long
    for (let i = 0; i < 3; i++) alice.say(`over the limit ${i}`);
    await alice.waitFor((r) => r.filter((x) => x.notice === 'NOTICE_NOT_SENT').length === 4, 'four refusals');
    await unary<object, RoomList__Output>(c1.ListRooms.bind(c1), {});

    m = await scrape(url);
    assert.equal(sample(m, 'chat_messages_posted_total'), 14, 'twelve from Alice, two from Bob');
    assert.equal(sample(m, 'chat_messages_refused_total', { reason: 'too_long' }), 1);
    assert.equal(sample(m, 'chat_messages_refused_total', { reason: 'rate_limited' }), 3);
    assert.equal(sample(m, 'chat_messages_refused_total', { reason: 'store_failed' }), 0);
    const received = alice.received.length + bob.received.length;
    assert.equal(sample(m, 'chat_messages_delivered_total'), received, 'every message written is one the clients received');
    assert.equal(sample(m, 'chat_calls_total', { method: 'ListRooms', code: 'OK' }), 1);
    assert.ok((sample(m, 'chat_store_operation_seconds_count', { op: 'append' }) ?? 0) >= 1, 'appends timed');
    assert.ok((sample(m, 'chat_store_operation_seconds_count', { op: 'rooms' }) ?? 0) >= 1, 'ListRooms read the store');
    assert.equal(sample(m, 'chat_store_errors_total', { op: 'append' }), undefined, 'no store errors');
    assert.equal(sample(m, 'chat_store_up'), 1);
    assert.equal(typeof sample(m, 'nodejs_eventloop_lag_p99_seconds'), 'number', 'event-loop delay');
    assert.equal(typeof sample(m, 'process_resident_memory_bytes'), 'number');
    assert.equal(sample(m, 'chat_outbox_queued_max'), 0, 'fast readers: nothing queued');

    bob.leave();
    alice.leave();
    await eventually(async () => sample(await scrape(url), 'chat_rooms_active') === 0, 'the room closes');
    m = await scrape(url);
    assert.equal(sample(m, 'chat_streams_open', { kind: 'chat' }), 0);
    assert.equal(sample(m, 'chat_room_members'), 0);
    assert.equal(sample(m, 'chat_calls_total', { method: 'JoinChat', code: 'OK' }), 2);
  });

  it('shows a stalled reader\'s queue, then its disconnect', async (t) => {
    const server = await startServer({ metricsPort: 0, maxQueue: 1000 });
    const [c0, c1] = [connect(server.target), connect(server.target)];
    t.after(async () => {
      c0.close();
      c1.close();
      await server.stop();
    });
    const url = server.running.metrics?.url ?? '';
    const before = sample(await scrape(url), 'chat_slow_reader_disconnects_total') ?? NaN;
    const stalled = join(c0, 'Sleepy', 'flood');
    const reader = join(c1, 'Reader', 'flood');
    const writer = join(c1, 'Writer', 'flood');
    // Reader and Writer may join within one presence window (one notice, not sent to them): ask the member list.
    await eventually(async () => (await memberNames(c1, 'flood')).length === 3, 'all three in');
    stalled.call.pause();
    const filler = 'x'.repeat(2000);
    const flood = (from: number, n: number): void => {
      for (let i = from; i < from + n; i++) writer.say(`${i} ${filler}`);
    };
    const texts = () => reader.received.filter((r) => r.type === 'TEXT').length;
    flood(0, 800);
    await reader.waitFor(() => texts() === 800, 'the first 800', 30_000);
    let m = await scrape(url);
    const queued = sample(m, 'chat_outbox_queued_max') ?? 0;
    assert.ok(queued > 0 && queued <= 1000, `Sleepy's outbox holds ${queued}`);
    assert.equal(sample(m, 'chat_outbox_queued_messages'), queued, 'only Sleepy is behind');
    assert.equal(sample(m, 'chat_slow_reader_disconnects_total'), before);

    flood(800, 1200);
    await reader.waitForText('Sleepy left the room', 30_000);
    m = await scrape(url);
    assert.equal(sample(m, 'chat_slow_reader_disconnects_total'), before + 1);
    assert.equal(sample(m, 'chat_outbox_queued_max'), 0, 'the queue went with the stream');
    stalled.call.resume();
    await stalled.waitForStatus(10_000);
    reader.leave();
    writer.leave();
  });
});
