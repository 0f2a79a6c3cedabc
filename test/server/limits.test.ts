// Abuse limits and dead peers: the rate limit, one identity per name, the
// caps on rooms per user and streams per connection, and keepalive.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parseRateLimit, TokenBuckets } from '../../server/limits.js';
import { connect, eventually, join, memberNames, sleep, startServer, suiteServer } from '../helpers.js';

describe('abuse limits', () => {
  const fx = suiteServer({ rateLimit: { rate: 2, burst: 5 }, maxRoomsPerUser: 3, maxStreamsPerConnection: 8 });

  it('parses RATE[/BURST] and off, and refills a bucket at the rate', () => {
    assert.deepEqual(parseRateLimit('5/50'), { rate: 5, burst: 50 });
    assert.deepEqual(parseRateLimit('0.5'), { rate: 0.5, burst: 5 });
    assert.equal(parseRateLimit('off'), null);
    assert.throws(() => parseRateLimit('fast'), /RATE\[\/BURST\]/);
    assert.throws(() => parseRateLimit('0/5'), /RATE\[\/BURST\]/);
    let now = 0;
    const b = new TokenBuckets({ rate: 2, burst: 3 }, () => now);
    assert.deepEqual([b.take('u'), b.take('u'), b.take('u'), b.take('u')], [true, true, true, false]);
    now += 500; // one token back at 2/s
    assert.deepEqual([b.take('u'), b.take('u')], [true, false]);
    assert.equal(b.take('other'), true, 'buckets are per user');

    // Many one-off keys (addresses guessing tokens) do not pile up: idle, refilled buckets are swept.
    const many = new TokenBuckets({ rate: 1, burst: 2 }, () => now);
    for (let i = 0; i < 10_000; i++) many.take(`addr${i}`);
    now += 5000; // all refilled
    many.take('one more');
    assert.equal(many.size, 1);
    assert.equal(many.take('one more'), true);
    assert.equal(many.take('one more'), false, 'the limit still holds after a sweep');
  });

  it('refuses messages over the rate with a notice, keeps the stream, and leaves others alone', async () => {
    const client = connect(fx.server.target);
    const fast = join(client, 'Fast', 'rate');
    const calm = join(client, 'Calm', 'rate');
    await fast.waitForText('Calm joined the room');
    for (let i = 0; i < 10; i++) fast.say(`burst ${i}`);
    calm.say('calm and steady');
    await fast.waitFor((r) => r.filter((m) => m.notice === 'NOTICE_NOT_SENT').length === 5, 'five refusals');
    await calm.waitForText('calm and steady');
    await calm.waitForText('burst 4');
    const refusals = fast.received.filter((m) => m.notice === 'NOTICE_NOT_SENT');
    assert.deepEqual(refusals.map((m) => m.refused), ['burst 5', 'burst 6', 'burst 7', 'burst 8', 'burst 9']);
    assert.match(refusals[0]?.message ?? '', /sending faster than 2 messages a second \(bursts of 5\)/);
    await sleep(600); // a token back
    fast.say('after a pause');
    await calm.waitForText('after a pause');
    assert.deepEqual(
      calm.texts().filter((t) => t.startsWith('Fast:')),
      ['Fast: burst 0', 'Fast: burst 1', 'Fast: burst 2', 'Fast: burst 3', 'Fast: burst 4', 'Fast: after a pause'],
    );
    assert.equal(fast.status, null, 'the stream stays open');
    fast.leave();
    calm.leave();
    client.close();
  });

  it('gives a username to one live identity at a time', async () => {
    const client = connect(fx.server.target);
    const first = join(client, 'Alice', 'names', { user_id: 'alice-1' });
    await eventually(async () => (await memberNames(client, 'names')).length === 1, 'Alice in');
    const impostor = join(client, 'alice', 'names', { user_id: 'alice-2' });
    const status = await impostor.waitForStatus();
    assert.equal(status.code, grpc.status.ALREADY_EXISTS);
    assert.match(status.details, /the name 'alice' is in use by someone else right now; choose another name/);
    // The same identity may hold several streams (another room, a reconnect).
    const again = join(client, 'Alice', 'names-2', { user_id: 'alice-1' });
    await eventually(async () => (await memberNames(client, 'names-2')).length === 1, 'second stream');
    assert.equal(again.status, null);
    first.leave();
    again.leave();
    await eventually(async () => (await memberNames(client, 'names')).length === 0, 'Alice out');
    await sleep(50);
    const later = join(client, 'Alice', 'names', { user_id: 'alice-2' });
    await eventually(async () => (await memberNames(client, 'names')).length === 1, 'the name free again');
    assert.equal(later.status, null);
    later.leave();
    client.close();
  });

  it('caps rooms per user and streams per connection', async () => {
    const client = connect(fx.server.target);
    const rooms = ['r1', 'r2', 'r3'].map((r) => join(client, 'Roamer', r));
    await eventually(async () => {
      const ms = await Promise.all(['r1', 'r2', 'r3'].map((r) => memberNames(client, r)));
      return ms.every((m) => m.length === 1);
    }, 'three rooms');
    const fourth = join(client, 'Roamer', 'r4');
    const status = await fourth.waitForStatus();
    assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(status.details, /you are in 3 rooms, the most one user may be in; leave one first/);
    for (const r of rooms) assert.equal(r.status, null, 'the other rooms are unaffected');
    for (const r of rooms) r.leave();
    await eventually(async () => {
      const ms = await Promise.all(['r1', 'r2', 'r3'].map((r) => memberNames(client, r)));
      return ms.every((m) => m.length === 0);
    }, 'the three streams closed');

    // 8 streams on one connection are fine; the 9th is refused; another connection is not affected.
    const many = Array.from({ length: 8 }, (_, i) => join(client, `S${i}`, 'streams'));
    await eventually(async () => (await memberNames(client, 'streams')).length === 8, 'eight streams');
    const ninth = join(client, 'S8', 'streams');
    const refused = await ninth.waitForStatus();
    assert.equal(refused.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(refused.details, /too many chat streams on one connection \(the limit is 8\)/);
    // Its own connection: grpc-js otherwise shares one between clients of the same target.
    const other = connect(fx.server.target, { 'grpc.use_local_subchannel_pool': 1 });
    const fine = join(other, 'Elsewhere', 'streams');
    // Joined within the others' presence window, so named in a JOIN of "S1, S2 and 6 others": ask the member list.
    await eventually(async () => (await memberNames(other, 'streams')).includes('Elsewhere'), 'Elsewhere in');
    for (const m of many) m.leave();
    fine.leave();
    other.close();
    client.close();
  });
});

describe('keepalive', () => {
  it('drops a peer that stops answering and tells the room it left', async () => {
    const server = await startServer({ keepaliveSeconds: 1 });
    const client = connect(server.target);
    const watcher = join(client, 'Watcher', 'keepalive');
    // A real client process, then frozen: its socket stays open but nothing answers.
    const helpers = fileURLToPath(new URL('../helpers.js', import.meta.url));
    const script = `import { connect, join } from ${JSON.stringify(helpers)};
      join(connect(${JSON.stringify(server.target)}), 'Sleepy', 'keepalive'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    try {
      await watcher.waitForText('Sleepy joined the room');
      child.kill('SIGSTOP');
      const frozenAt = Date.now();
      await watcher.waitForText('Sleepy left the room', 15_000);
      const took = Date.now() - frozenAt;
      assert.ok(took < 10_000, `noticed after ${took} ms`);
      assert.deepEqual(await memberNames(client, 'keepalive'), ['Watcher']);
    } finally {
      child.kill('SIGKILL');
      watcher.leave();
      client.close();
      await server.stop();
    }
  });
});
