// Metrics of two servers sharing Redis: the bus lag each measures for batches
// arriving over pub/sub, and the store going away and coming back
// (chat_store_up, messages refused with store_failed).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, join } from '../helpers.js';
import { sample, scrape } from '../metrics.js';
import type { RedisProcess, Spawned } from '../processes.js';
import { startRedisPair, type RedisPair } from '../support/redis-pair.js';

const metricsUrl = (s: Spawned): string => /Metrics on (http:\/\/\S+)/.exec(s.stderr())?.[1] ?? '';

describe('metrics with Redis', () => {
  let pair: RedisPair;
  let redis: RedisProcess;
  let a: Spawned;
  let b: Spawned;
  before(async () => {
    pair = await startRedisPair(() => ['--metrics-port', '0']);
    ({ redis, a, b } = pair);
    await eventually(() => metricsUrl(a) !== '' && metricsUrl(b) !== '', 'the metrics lines');
  });
  after(async () => {
    await pair.stop();
  });

  it('measures the bus lag and reports the store lost and back', async () => {
    const { ca, cb } = pair;
    const alice = join(ca, 'Alice', 'bus');
    const bob = join(cb, 'Bob', 'bus');
    await alice.waitForText('Bob joined the room');
    alice.say('over the bus');
    await bob.waitForText('over the bus');
    const [ma, mb] = [await scrape(metricsUrl(a)), await scrape(metricsUrl(b))];
    assert.equal(sample(ma, 'chat_messages_posted_total'), 1);
    assert.equal(sample(mb, 'chat_messages_posted_total'), 0, "B stored none of its clients' texts");
    const lagged = sample(mb, 'chat_bus_lag_seconds_count') ?? 0;
    assert.ok(lagged >= 2, `B timed the batches it received over pub/sub (${lagged})`);
    assert.ok((sample(mb, 'chat_bus_lag_seconds_sum') ?? Infinity) < lagged * 1, 'each well under a second on loopback');
    assert.equal(sample(ma, 'chat_store_up'), 1);

    await redis.kill();
    await eventually(async () => sample(await scrape(metricsUrl(a)), 'chat_store_up') === 0, 'A sees the store down');
    alice.say('while Redis is away');
    await alice.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT' && m.refused === 'while Redis is away'), 'the refusal');
    assert.equal(sample(await scrape(metricsUrl(a)), 'chat_messages_refused_total', { reason: 'store_failed' }), 1);
    await redis.restart();
    await eventually(async () => sample(await scrape(metricsUrl(a)), 'chat_store_up') === 1, 'A sees the store back', 15_000);
    alice.leave();
    bob.leave();
  });
});
