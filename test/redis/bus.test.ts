// Issue 13: the bus between servers sharing Redis. Two backends (two servers:
// each its own command and subscriber connections): every message published
// by either reaches both exactly once, and the room feed on the same
// subscriber connection goes on working beside it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../server/log.js';
import { openBackend, type Backend } from '../../server/store/open.js';
import type { Published } from '../../server/types.js';
import type { BusMessage } from '../../server/types.js';
import { eventually, sleep } from '../helpers.js';
import { startRedis, type RedisProcess } from '../processes.js';

describe('RedisBus', () => {
  let redis: RedisProcess;
  const log = createLogger('silent');
  let servers: Backend[] = [];

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const b of servers) await b.close();
    await redis.stop();
  });

  it('brings every message to every server, the publisher included, exactly once', async () => {
    servers = [await openBackend(`${redis.url}/4`, log), await openBackend(`${redis.url}/4`, log)];
    const heard: BusMessage[][] = servers.map(() => []);
    servers.forEach((s, i) => s.bus.onMessage((m) => heard[i]?.push(m)));

    const N = 100;
    const sent: BusMessage[] = [];
    const sentBy: BusMessage[][] = [[], []];
    for (let i = 0; i < N; i++) {
      for (const [from, s] of servers.entries()) {
        const message: BusMessage =
          i % 2
            ? { to: 'user', event: { t: 'away', user: `u${from}`, reason: i % 4 === 1 ? null : `r${i} ✓` } }
            : { to: 'room', signal: { t: 'typing', room: `@a/b${i}`, username: `server${from}`, typing: true } };
        sent.push(message);
        sentBy[from]?.push(message);
        s.bus.publish(message);
      }
    }
    // Nothing is delivered inside publish(): it goes round through Redis.
    assert.deepEqual(heard, [[], []]);
    const key = (m: BusMessage): string => JSON.stringify(m);
    await eventually(() => heard.every((h) => h.length >= sent.length), 'every message on both servers');
    await sleep(200); // a message delivered twice would arrive by now
    for (const [i, h] of heard.entries()) {
      assert.equal(h.length, sent.length, `server ${i}: each message once`);
      assert.deepEqual(h.map(key).sort(), sent.map(key).sort(), `server ${i}: the same messages, intact`);
      // One publisher's messages keep their order.
      for (const [from, own] of sentBy.entries()) {
        const ownKeys = new Set(own.map(key));
        assert.deepEqual(h.map(key).filter((k) => ownKeys.has(k)), own.map(key), `server ${i}: server ${from}'s in order`);
      }
    }
  });

  it('shares the subscriber connection with the room feed without mixing them up', async () => {
    const [a, b] = servers as [Backend, Backend];
    const heard: BusMessage[] = [];
    b.bus.onMessage((m) => heard.push(m));
    const batches: Published[] = [];
    await b.feed.subscribe('lobby', { deliver: (batch) => batches.push(batch), catchUp: () => undefined });
    await a.feed.publish('lobby', [{ user_id: 'u', username: 'alice', message: 'hello', timestamp: 1, type: 'TEXT' }], 'tok');
    a.bus.publish({ to: 'room', signal: { t: 'presence', rooms: ['lobby'], username: 'alice', presence: 'AWAY', reason: 'lunch' } });
    await eventually(() => batches.length === 1 && heard.length === 1, 'the feed batch and the bus message');
    assert.deepEqual(batches[0]?.messages.map((m) => m.message), ['hello']);
    assert.deepEqual(heard, [{ to: 'room', signal: { t: 'presence', rooms: ['lobby'], username: 'alice', presence: 'AWAY', reason: 'lunch' } }]);
  });

  it('stops delivering once closed, while the other server still hears', async () => {
    const [a, b] = servers as [Backend, Backend];
    const heardA: BusMessage[] = [];
    const heardB: BusMessage[] = [];
    a.bus.onMessage((m) => heardA.push(m));
    b.bus.onMessage((m) => heardB.push(m));
    await a.bus.close();
    b.bus.publish({ to: 'user', event: { t: 'read', user: 'alice', room: 'lobby', seq: 3 } });
    await eventually(() => heardB.length === 1, 'server b hears its own message');
    await sleep(100);
    assert.deepEqual(heardA, [], 'a closed bus hears nothing');
    a.bus.publish({ to: 'user', event: { t: 'read', user: 'alice', room: 'lobby', seq: 4 } });
    await sleep(100);
    assert.equal(heardB.length, 1, 'a closed bus publishes nothing');
  });
});

describe('RedisBus across a Redis restart', () => {
  it('hears the bus again once the connections are back (resubscribed)', async () => {
    const redis = await startRedis();
    const log = createLogger('silent');
    const servers = [await openBackend(`${redis.url}/4`, log), await openBackend(`${redis.url}/4`, log)];
    try {
      const heard: BusMessage[] = [];
      servers[1]?.bus.onMessage((m) => heard.push(m));
      await redis.kill();
      await redis.restart();
      // Published while a connection is still coming back is lost (the bus keeps nothing): publish until one arrives.
      let n = 0;
      await eventually(() => {
        servers[0]?.bus.publish({ to: 'user', event: { t: 'read', user: 'alice', room: 'lobby', seq: ++n } });
        return heard.length > 0;
      }, 'a message after the restart', 10_000);
      servers[0]?.bus.publish({ to: 'user', event: { t: 'joined', user: 'alice', room: 'after' } });
      const joined = (): BusMessage[] => heard.filter((m) => m.to === 'user' && m.event.t === 'joined');
      await eventually(() => joined().length > 0, 'the next message');
      await sleep(100);
      assert.equal(joined().length, 1, 'once, not once per resubscription');
    } finally {
      for (const s of servers) await s.close();
      await redis.stop();
    }
  });
});
