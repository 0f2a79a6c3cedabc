// Ending a stream politely loses nothing: what the server has queued for it,
// its own echoes included, is written before the stream ends with OK. And a
// resent post (same client_msg_id) is stored once.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { describe, it } from 'node:test';
import { connect, fullHistory, join, sleep, startServer, suiteServer } from '../helpers.js';

describe('stream endings and resends', () => {
  const fixture = suiteServer({ store: 'memory' });

  it('writes all 100 echoes to a client that half-closes right after its last post, then ends with OK', async () => {
    const c = connect(fixture.server.target, { 'grpc.use_local_subchannel_pool': 1 });
    const bot = join(c, 'Closer', 'flush');
    await bot.waitFor((r) => r.length > 0 || bot.status !== null, 'the join').catch(() => undefined);
    for (let i = 0; i < 100; i++) bot.call.write({ type: 'TEXT', message: `m${i}`, client_msg_id: `c${i}` });
    bot.call.end();
    const status = await bot.waitForStatus(10_000);
    assert.equal(status.code, grpc.status.OK, status.details);
    const echoes = bot.received.filter((m) => m.type === 'TEXT' && m.username === 'Closer');
    assert.deepEqual(echoes.map((m) => m.message), Array.from({ length: 100 }, (_, i) => `m${i}`));
    assert.deepEqual(echoes.map((m) => m.client_msg_id), Array.from({ length: 100 }, (_, i) => `c${i}`), 'each echo carries its id');
    c.close();
  });

  it('sends LEAVE after posts and still gets every echo before the stream ends', async () => {
    const c = connect(fixture.server.target, { 'grpc.use_local_subchannel_pool': 1 });
    const bot = join(c, 'Leaver', 'flush2');
    for (let i = 0; i < 50; i++) bot.say(`x${i}`);
    bot.call.write({ type: 'LEAVE' });
    const status = await bot.waitForStatus(10_000);
    assert.equal(status.code, grpc.status.OK, status.details);
    assert.equal(bot.received.filter((m) => m.type === 'TEXT' && m.username === 'Leaver').length, 50);
    c.close();
  });

  it('stores a resent client_msg_id once, on this stream or a later one, and echoes the stored one to the sender', async () => {
    const c = connect(fixture.server.target);
    const a = join(c, 'Resender', 'idem');
    a.call.write({ type: 'TEXT', message: 'only once', client_msg_id: 'same-id' });
    a.call.write({ type: 'TEXT', message: 'only once', client_msg_id: 'same-id' });
    await a.waitFor((r) => r.filter((m) => m.client_msg_id === 'same-id').length >= 2, 'two echoes of the one message');
    const echoes = a.received.filter((m) => m.client_msg_id === 'same-id');
    assert.equal(echoes[0]?.seq, echoes[1]?.seq, 'the duplicate is answered with the stored message');
    a.leave();
    await a.waitForStatus();
    // A reconnect that resends the same id: still one.
    const b = join(c, 'Resender', 'idem');
    b.call.write({ type: 'TEXT', message: 'only once', client_msg_id: 'same-id' });
    b.say('after');
    await b.waitForText('after');
    const stored = (await fullHistory(c, 'idem')).filter((m) => m.type === 'TEXT');
    assert.deepEqual(stored.map((m) => m.message), ['only once', 'after']);
    // Another user may use the same id: ids are per user.
    const other = join(c, 'Someone', 'idem');
    other.call.write({ type: 'TEXT', message: 'mine', client_msg_id: 'same-id' });
    await other.waitForText('mine');
    b.leave();
    other.leave();
    c.close();
  });

  it('refuses every post after one refused for rate until that one is sent again, so resends keep their order', async () => {
    const server = await startServer({ rateLimit: { rate: 20, burst: 2 } });
    const c = connect(server.target);
    try {
      const a = join(c, 'Burst', 'order');
      for (let i = 1; i <= 6; i++) a.call.write({ type: 'TEXT', message: `p${i}`, client_msg_id: `id${i}` });
      await a.waitFor((r) => r.filter((m) => m.notice === 'NOTICE_NOT_SENT').length >= 4, 'four refusals');
      const refused = a.received.filter((m) => m.notice === 'NOTICE_NOT_SENT');
      assert.deepEqual(refused.map((m) => m.client_msg_id), ['id3', 'id4', 'id5', 'id6'], 'all after the first refusal');
      assert.ok(refused.every((m) => m.retry_after_ms > 0), 'each says how long to wait');
      // A later post that is not the refused one is refused too, even once a token is back.
      await sleep(120);
      a.call.write({ type: 'TEXT', message: 'p7', client_msg_id: 'id7' });
      await a.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT' && m.client_msg_id === 'id7'), 'p7 refused behind the barrier');
      // The client resends in its order, paced: everything lands in order.
      for (let i = 3; i <= 7; i++) {
        a.call.write({ type: 'TEXT', message: `p${i}`, client_msg_id: `id${i}` });
        await sleep(60);
      }
      await a.waitFor((r) => r.some((m) => m.type === 'TEXT' && m.message === 'p7'), 'p7 stored');
      const stored = (await fullHistory(c, 'order')).filter((m) => m.type === 'TEXT').map((m) => m.message);
      assert.deepEqual(stored, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7']);
      a.leave();
    } finally {
      c.close();
      await server.stop();
    }
  });
});
