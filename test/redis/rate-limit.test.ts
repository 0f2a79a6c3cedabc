// Issue 16: with Redis the posting rate limit is one bucket per user across
// every server: a user posting through two servers gets one burst, not one per
// server. The bucket expires once full again (an idle user costs nothing), and
// a server that cannot reach Redis counts alone and says so once.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { createLogger } from '../../server/log.js';
import { rateKey } from '../../server/store/redis/keys.js';
import { RedisPostLimits } from '../../server/store/redis/rate.js';
import { eventually, join, sleep, type Chatter } from '../helpers.js';
import { freePort, type RedisProcess, type Spawned } from '../processes.js';
import { startRedisPair, type RedisPair } from '../support/redis-pair.js';

const refusals = (c: Chatter) => c.received.filter((m) => m.notice === 'NOTICE_NOT_SENT');
const stored = (c: Chatter, from: string) => c.received.filter((m) => m.type === 'TEXT' && m.seq > 0 && m.username === from).map((m) => m.message);

describe('the posting rate limit across servers sharing Redis', () => {
  let pair: RedisPair;
  let redis: RedisProcess;
  let a: Spawned;
  let b: Spawned;
  let ca: ChatServiceClient;
  let cb: ChatServiceClient;
  const open: Chatter[] = [];
  const track = (c: Chatter): Chatter => (open.push(c), c);

  before(async () => {
    // RATE/BURST: two a second, bursts of four.
    pair = await startRedisPair(() => ['--rate-limit', '2/4']);
    ({ redis, a, b, ca, cb } = pair);
  });
  after(async () => {
    for (const c of open) c.call.cancel();
    await pair.stop();
  });

  it('limits a user posting alternately through A and B by one burst in all', async () => {
    const viaA = track(join(ca, 'Alice', 'busy', { user_id: 'alice-id' }));
    const viaB = track(join(cb, 'Alice', 'busy', { user_id: 'alice-id' }));
    const bob = track(join(ca, 'Bob', 'busy', { user_id: 'bob-id' }));
    await viaA.waitFor((r) => r.some((m) => m.notice === 'NOTICE_HISTORY_END' || m.message === 'Bob joined the room'), 'A joined');
    await eventually(() => viaB.received.length > 0, 'B joined');
    await bob.waitForText('Bob joined the room').catch(() => undefined);

    // Eight posts at once, A and B in turn: each server alone would let all eight through (4 + 4).
    for (let i = 0; i < 4; i++) {
      viaA.say(`A${i}`);
      viaB.say(`B${i}`);
    }
    await eventually(() => refusals(viaA).length + refusals(viaB).length + stored(bob, 'Alice').length === 8, 'an answer to each post');
    assert.equal(stored(bob, 'Alice').length, 4, `stored: ${stored(bob, 'Alice').join(' ')}`);
    assert.equal(refusals(viaA).length + refusals(viaB).length, 4);
    for (const refused of [...refusals(viaA), ...refusals(viaB)]) {
      assert.match(refused.message, /sending faster than 2 messages a second \(bursts of 4\)/);
      assert.ok(refused.retry_after_ms > 0 && refused.retry_after_ms <= 600, `retry after ${refused.retry_after_ms} ms`);
    }
    // Each stream's refusals come after its accepted posts (its order is kept), and Bob is not limited by Alice.
    for (const [c, prefix] of [[viaA, 'A'], [viaB, 'B']] as const) {
      const mine = stored(bob, 'Alice').filter((t) => t.startsWith(prefix));
      const refused = refusals(c).map((m) => m.refused);
      assert.deepEqual([...mine, ...refused], [0, 1, 2, 3].map((i) => `${prefix}${i}`));
    }
    bob.say('not limited by Alice');
    await viaB.waitForText('not limited by Alice');

    // Half a second later the shared bucket has one token back: one post passes, through either server.
    await sleep(Math.max(...[...refusals(viaA), ...refusals(viaB)].map((m) => m.retry_after_ms)) + 50);
    viaB.say('after the wait');
    await bob.waitForText('after the wait');
    viaA.say('one too many');
    await viaA.waitFor(() => refusals(viaA).some((m) => m.refused === 'one too many'), 'a refusal through A');
  });

  it('keeps no key for an idle user, and counts alone (saying so once) when Redis does not answer', async () => {
    const direct = new Redis(redis.url);
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));
    try {
      const shared = new RedisPostLimits(direct, { rate: 10, burst: 2 }, log);
      assert.equal(await shared.take('idle-user'), true);
      const ttl = await direct.pttl(rateKey('idle-user'));
      // One token short of a full bucket: 100 ms to refill, plus a second's slack.
      assert.ok(ttl > 0 && ttl <= 1100, `expires in ${ttl} ms`);
      await eventually(async () => (await direct.exists(rateKey('idle-user'))) === 0, 'the bucket to expire', 3000);

      // A connection that never connects: every take is decided here, with the same numbers.
      const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      const alone = new RedisPostLimits(dead, { rate: 0.1, burst: 2 }, log);
      assert.deepEqual([await alone.take('u'), await alone.take('u'), await alone.take('u')], [true, true, false]);
      assert.ok(alone.waitMs('u') > 9000, `wait ${alone.waitMs('u')} ms`);
      const warned = lines.filter((l) => l.includes('could not be checked in Redis'));
      assert.equal(warned.length, 1, lines.join(''));
      dead.disconnect();
    } finally {
      direct.disconnect();
    }
  });
});
