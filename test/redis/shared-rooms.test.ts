// Two chat-server processes sharing one real redis-server: messages, notices,
// history, member lists and seqs cross between them; a killed server's members
// go away; a Redis outage is reported and recovered from.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import { STORE_DOWN, STORE_UP } from '../../server/hub.js';
import { STALE_MS } from '../../server/store/redis/presence.js';
import { assertConsecutive, connect, eventually, fullHistory, join, memberNames, namedIn, unary, type Chatter } from '../helpers.js';
import { freePort, runBinary, startBinary, startRedis, stopBinary, type RedisProcess, type Spawned } from '../processes.js';
import { startRedisPair, type RedisPair } from '../support/redis-pair.js';

/** Stored messages only (seq > 0), as "seq TYPE name: text". */
const stored = (c: Chatter): ChatMessage__Output[] => c.received.filter((m) => m.seq > 0);

describe('two servers sharing Redis', () => {
  let pair: RedisPair;
  let redis: RedisProcess;
  let a: Spawned;
  let b: Spawned;
  let ca: ChatServiceClient;
  let cb: ChatServiceClient;
  const open: Chatter[] = [];
  const track = (c: Chatter): Chatter => (open.push(c), c);

  before(async () => {
    pair = await startRedisPair();
    ({ redis, a, b, ca, cb } = pair);
  });
  after(async () => {
    for (const c of open) c.call.cancel();
    await pair.stop();
  });

  it('shows users on either server each other\'s messages, notices, history and members', async () => {
    const alice = track(join(ca, 'Alice', 'lobby'));
    await eventually(async () => (await memberNames(cb, 'lobby')).includes('Alice'), 'B to list Alice');
    const bob = track(join(cb, 'Bob', 'lobby'));
    await alice.waitForText('Bob joined the room');
    alice.say('hello from A');
    await bob.waitForText('hello from A');
    bob.say('hello from B');
    await alice.waitForText('hello from B');

    assert.deepEqual(await memberNames(ca, 'lobby'), ['Alice', 'Bob']);
    assert.deepEqual(await memberNames(cb, 'lobby'), ['Alice', 'Bob']);
    const rooms = await unary<object, RoomList__Output>(cb.ListRooms.bind(cb), {});
    const lobby = rooms.rooms.find((r) => r.room_id === 'lobby');
    assert.equal(lobby?.member_count, 2);
    assert.equal(lobby?.latest_seq, 4, 'two JOINs and two messages');

    // The same seqs on both servers, and the messages in the same order.
    const tail = (c: Chatter) => stored(c).map((m) => `${m.seq} ${m.type} ${m.message}`);
    assert.deepEqual(tail(alice), ['2 JOIN Bob joined the room', '3 TEXT hello from A', '4 TEXT hello from B']);
    // Bob's own JOIN is not sent to him (the seed's rule), on any server.
    assert.deepEqual(tail(bob), ['1 JOIN Alice joined the room', '3 TEXT hello from A', '4 TEXT hello from B']);

    // A newcomer on B gets history that was posted on A, between the seed's separators.
    const carol = track(join(cb, 'Carol', 'lobby'));
    await carol.waitFor((r) => r.some((m) => m.notice === 'NOTICE_HISTORY_END'), 'the history block');
    assert.deepEqual(carol.lines(), [
      'SYSTEM System: --- Recent messages in lobby ---',
      'JOIN System: Alice joined the room',
      'JOIN System: Bob joined the room',
      'TEXT Alice: hello from A',
      'TEXT Bob: hello from B',
      'SYSTEM System: --- End of history ---',
    ]);
    await alice.waitForText('Carol joined the room');

    // Scrollback on A reads what was posted on B.
    const page = await unary<object, HistoryPage__Output>(ca.GetHistory.bind(ca), { room_id: 'lobby', before_seq: 0, limit: 3 });
    assert.deepEqual(page.messages.map((m) => m.seq), [3, 4, 5]);
    assert.equal(page.reached_start, false);

    // Alice leaves A; what she missed is replayed on B when she resumes there.
    const lastSeen = Math.max(...stored(alice).map((m) => m.seq));
    alice.leave();
    await bob.waitForText('Alice left the room');
    bob.say('while you were away');
    await carol.waitForText('while you were away');
    const back = track(join(cb, 'Alice', 'lobby', { resume_after_seq: lastSeen }));
    await back.waitFor((r) => r.some((m) => m.notice === 'NOTICE_CAUGHT_UP'), 'the caught-up mark');
    assert.deepEqual(
      back.received.map((m) => `${m.type} ${m.message}`),
      ['LEAVE Alice left the room', 'TEXT while you were away', 'SYSTEM Caught up'],
    );
    for (const c of [bob, carol, back]) c.leave();
  });

  it('numbers concurrent posts on both servers once each, in one order everyone sees', async () => {
    const perServer = 4;
    const each = 60;
    const chatters = [
      ...Array.from({ length: perServer }, (_, i) => track(join(ca, `a${i}`, 'race'))),
      ...Array.from({ length: perServer }, (_, i) => track(join(cb, `b${i}`, 'race'))),
    ];
    await eventually(async () => (await memberNames(ca, 'race')).length === 2 * perServer, 'everyone in the room');
    // And announced: each server holds its JOINs for a presence window, so wait for them to be stored before the texts.
    const announced = async () => (await fullHistory(ca, 'race')).filter((m) => m.type === 'JOIN').flatMap((m) => namedIn(m.message));
    await eventually(async () => (await announced()).length === 2 * perServer, 'every JOIN stored');
    for (let n = 0; n < each; n++) for (const c of chatters) c.say(`msg ${n}`);
    const total = each * chatters.length;
    for (const c of chatters) {
      await c.waitFor((r) => r.filter((m) => m.type === 'TEXT').length === total, `${total} texts`, 20_000);
    }
    // Everyone's view of the texts is the same gapless sequence with the same seqs.
    const texts = chatters.map((c) => c.received.filter((m) => m.type === 'TEXT').map((m) => `${m.seq}|${m.username}|${m.message}`));
    for (const c of chatters) assertConsecutive(c.received.filter((m) => m.type === 'TEXT').map((m) => m.seq), 'one chatter');
    for (const t of texts.slice(1)) assert.deepEqual(t, texts[0]);
    const seqs = (texts[0] ?? []).map((l) => Number(l.split('|')[0]));
    assert.equal(new Set(seqs).size, total, 'no seq given twice');
    const page = await unary<object, HistoryPage__Output>(cb.GetHistory.bind(cb), { room_id: 'race', before_seq: 0, limit: 500 });
    const all = page.messages.map((m) => m.seq);
    assertConsecutive(all, 'stored history');
    for (const c of chatters) c.leave();
  });

  it('gives a username to one live identity across servers', async () => {
    const nina = track(join(ca, 'Nina', 'north'));
    await eventually(async () => (await memberNames(cb, 'north')).includes('Nina'), 'B to list Nina');
    const impostor = join(cb, 'nina', 'south', { user_id: 'impostor-id' });
    const refused = await impostor.waitForStatus();
    assert.equal(refused.code, grpc.status.ALREADY_EXISTS, refused.details);
    assert.equal(refused.details, "the name 'nina' is in use by someone else right now (on another server); choose another name");
    // The same identity may hold streams on both (a reconnect that moved server).
    const moved = track(join(cb, 'Nina', 'south'));
    await eventually(async () => (await memberNames(ca, 'south')).includes('Nina'), 'A to list Nina in south');
    nina.leave();
    moved.leave();
    // Once her last stream anywhere has ended, the name is free everywhere.
    await eventually(async () => (await memberNames(ca, 'south')).length === 0, 'Nina gone');
    const next = track(join(cb, 'nina', 'south', { user_id: 'impostor-id' }));
    await eventually(async () => (await memberNames(ca, 'south')).includes('nina'), 'the new nina listed');
    assert.equal(next.status, null, 'the new nina is in');
    next.leave();
  });

  it('drops a killed server\'s members within seconds and tells the room they left', async () => {
    const c = await startBinary(['--store', redis.url, '--rate-limit', 'off']);
    const cc = connect(c.target);
    try {
      const dave = track(join(cc, 'Dave', 'crash'));
      await eventually(async () => (await memberNames(cb, 'crash')).includes('Dave'), 'B to list Dave');
      const erin = track(join(cb, 'Erin', 'crash'));
      await dave.waitForText('Erin joined the room');
      const twin = join(cb, 'Dave', 'elsewhere', { user_id: 'twin-id' });
      assert.equal((await twin.waitForStatus()).code, grpc.status.ALREADY_EXISTS, 'Dave is taken while his server lives');
      const killedAt = Date.now();
      await stopBinary(c, 'SIGKILL');
      await eventually(async () => !(await memberNames(cb, 'crash')).includes('Dave'), 'Dave to disappear', STALE_MS + 10_000);
      await erin.waitForText('Dave left the room (connection lost)', 5000);
      const took = Date.now() - killedAt;
      assert.ok(took < STALE_MS + 6000, `took ${took} ms`);
      assert.deepEqual(await memberNames(ca, 'crash'), ['Erin']);
      // The dead server's claim on the name has lapsed with its members.
      const newDave = track(join(cb, 'Dave', 'elsewhere', { user_id: 'twin-id' }));
      await eventually(async () => (await memberNames(ca, 'elsewhere')).includes('Dave'), 'the new Dave listed');
      assert.equal(newDave.status, null);
      newDave.leave();
      erin.leave();
    } finally {
      cc.close();
      await stopBinary(c, 'SIGKILL');
    }
  });
});

describe('Redis failures', () => {
  it('refuses to start when Redis cannot be reached, with one clear line', async () => {
    const port = await freePort();
    const run = runBinary(['--port', '0', '--store', `redis://127.0.0.1:${port}`], { timeout: 15_000 });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim(), `chat-server: cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('reports a lost Redis, stores nothing it cannot, and recovers by itself', async () => {
    const redis = await startRedis();
    const [x, y] = await Promise.all([startBinary(['--store', redis.url, '--rate-limit', 'off']), startBinary(['--store', redis.url, '--rate-limit', 'off'])]);
    const cx = connect(x.target);
    const cy = connect(y.target);
    try {
      const alice = join(cx, 'Alice', 'outage');
      await eventually(async () => (await memberNames(cy, 'outage')).includes('Alice'), 'Y to list Alice');
      const bob = join(cy, 'Bob', 'outage');
      await alice.waitForText('Bob joined the room');
      alice.say('before');
      await bob.waitForText('before');
      const beforeSeq = stored(bob).find((m) => m.message === 'before')?.seq ?? 0;

      await redis.kill();
      await alice.waitForText(STORE_DOWN);
      await bob.waitForText(STORE_DOWN);
      assert.equal(alice.received.find((m) => m.message === STORE_DOWN)?.notice, 'NOTICE_ERROR');
      alice.say('during');
      await alice.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT' && m.refused === 'during'), 'the not-sent notice');
      assert.match(alice.received.find((m) => m.notice === 'NOTICE_NOT_SENT')?.message ?? '', /could not store it/);

      await redis.restart();
      await alice.waitForText(STORE_UP, 10_000);
      await bob.waitForText(STORE_UP, 10_000);
      alice.say('after');
      await bob.waitForText('after');
      await alice.waitForText('after');
      const after = stored(bob).find((m) => m.message === 'after');
      assert.equal(after?.seq, beforeSeq + 1, 'the refused message took no seq; the counter survived the restart');
      for (const c of [alice, bob]) {
        assert.equal(c.received.filter((m) => m.message === 'during').length, 0, 'nothing unstored was echoed');
        assert.equal(c.status, null, 'the stream stayed open');
      }
      alice.leave();
      bob.leave();
    } finally {
      cx.close();
      cy.close();
      await Promise.all([stopBinary(x), stopBinary(y)]);
      await redis.stop();
    }
  });
});
