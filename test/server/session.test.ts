// Issue 13: the Session stream on a real server: hello and welcome, rooms that
// follow the user, quiet presence and explicit joins, JoinChat and Session
// users in one room, idempotent resends, and batched frames.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { version } from '../../protos/rules.js';
import { fullHistory, join, suiteServer } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';

describe('Session: hello, rooms, posts', () => {
  const fx = suiteServer({ history: 20 });

  it('answers a hello with a welcome (name, id, server info, the rooms of Hello.join) and then each room', async () => {
    const s = new SessionClient(fx.server.target, hello('Alice', { join: ['lobby', '#dev'] }));
    try {
      const w = await s.welcome();
      assert.equal(s.events[0]?.event, 'welcome', 'the welcome is the first event');
      assert.equal(w.username, 'Alice');
      assert.equal(w.user_id, 'alice-id');
      assert.equal(w.server?.version, version);
      assert.equal(w.server?.history, 20);
      assert.equal(w.server?.max_message_bytes, 4096);
      assert.deepEqual(w.rooms.map((r) => r.room_id), ['lobby', 'dev']);
      assert.equal(w.away, false);
      s.post('dev', 'hello dev', 'm-1');
      await s.waitForText('dev', 'hello dev');
      const echo = s.messages('dev').find((m) => m.message === 'hello dev');
      assert.equal(echo?.client_msg_id, 'm-1', 'the echo carries the client id');
      assert.equal(echo?.username, 'Alice');
    } finally {
      await s.end();
    }
  });

  it('refuses a first frame that is not a hello, and a bad name, with the status', async () => {
    const bad = new SessionClient(fx.server.target, { username: '' });
    assert.equal((await bad.waitForStatus()).code, grpc.status.INVALID_ARGUMENT);
    bad.cancel();
    const s = new SessionClient(fx.server.target, hello('Zed'));
    const held = await s.welcome().then(() => s);
    const other = new SessionClient(fx.server.target, { username: 'zed', user_id: 'someone-else' });
    assert.equal((await other.waitForStatus()).code, grpc.status.ALREADY_EXISTS);
    other.cancel();
    await held.end();
  });

  it('keeps the rooms of a user across sessions: an explicit join stores one JOIN, a reconnect none', async () => {
    const a = new SessionClient(fx.server.target, hello('Bea'));
    await a.welcome();
    a.join('garden');
    await a.waitFor(() => a.of('room').some((r) => r.room_id === 'garden'), 'the room event');
    a.post('garden', 'first', 'g-1');
    await a.waitForText('garden', 'first');
    await a.end();
    const b = new SessionClient(fx.server.target, hello('Bea'));
    const w = await b.welcome();
    assert.deepEqual(w.rooms.map((r) => r.room_id), ['garden'], 'the room follows the user');
    await b.waitForText('garden', 'first');
    b.post('garden', 'second', 'g-2');
    await b.waitForText('garden', 'second');
    await b.end();
    const stored = await fullHistory(fx.client, 'garden');
    assert.deepEqual(
      stored.map((m) => `${m.type} ${m.message}`),
      ['JOIN Bea joined the room', 'TEXT first', 'TEXT second'],
      'one JOIN for the explicit join; no JOIN or LEAVE for sessions coming and going',
    );
  });

  it('puts a JoinChat user and a Session user in one room: each sees the other', async () => {
    const s = new SessionClient(fx.server.target, hello('Cleo', { join: ['mixed'] }));
    await s.welcome();
    const seed = join(fx.client, 'Dan', 'mixed');
    await seed.waitFor((r) => r.some((m) => m.notice === 'NOTICE_HISTORY_END' || m.type === 'JOIN'), 'joined');
    await s.waitFor(() => s.messages('mixed').some((m) => m.type === 'JOIN' && m.username !== 'Cleo'), "Dan's JOIN");
    seed.say('from the seed');
    await s.waitForText('mixed', 'from the seed');
    s.post('mixed', 'from the session', 'x-1');
    await seed.waitForText('from the session');
    assert.ok(seed.texts().includes('Cleo: from the session'));
    seed.leave();
    await seed.waitForStatus();
    await s.end();
  });

  it('does not store a resent client_msg_id twice: the resend gets the stored message back', async () => {
    const s = new SessionClient(fx.server.target, hello('Eve', { join: ['dedupe'] }));
    await s.welcome();
    s.post('dedupe', 'only once', 'same-id');
    await s.waitForText('dedupe', 'only once');
    s.post('dedupe', 'only once', 'same-id');
    await s.waitFor(() => s.messages('dedupe').filter((m) => m.message === 'only once').length === 2, 'the second echo');
    const echoes = s.messages('dedupe').filter((m) => m.message === 'only once');
    assert.equal(echoes[0]?.seq, echoes[1]?.seq, 'both echoes are the one stored message');
    await s.end();
    const stored = (await fullHistory(fx.client, 'dedupe')).filter((m) => m.message === 'only once');
    assert.equal(stored.length, 1);
  });

  it('batches: a burst of 200 posts (10 writers in 10 rooms) reaches a reader of all of them in far fewer than 200 frames', async () => {
    // A grpc-js client sends one message per round trip (each write waits for
    // the last to be flushed), so one writer's burst reaches the server spread
    // over many turns; ten writers at once is a burst the server sees as one.
    const rooms = Array.from({ length: 10 }, (_, i) => `burst-${i}`);
    const reader = new SessionClient(fx.server.target, hello('Reader', { join: rooms }));
    await reader.welcome();
    const writers = rooms.map((room, i) => new SessionClient(fx.server.target, hello(`Writer${i}`, { join: [room] })));
    await Promise.all(writers.map((w) => w.welcome()));
    await reader.waitFor(() => reader.messages().filter((m) => m.type === 'JOIN' && m.username !== 'Reader').length === 10, "the writers' JOINs");
    const before = reader.frames;
    for (let n = 0; n < 20; n++) writers.forEach((w, i) => w.post(`burst-${i}`, `burst ${n}`, `b-${n}`));
    await reader.waitFor(() => rooms.every((room) => reader.texts(room).length === 20), 'every post', 10_000);
    const frames = reader.frames - before;
    rooms.forEach((room, i) => {
      assert.deepEqual(reader.texts(room), Array.from({ length: 20 }, (_, n) => `Writer${i}: burst ${n}`), `${room}: each post once, in order`);
    });
    assert.ok(frames <= 50, `200 messages came in ${frames} frames`);
    console.log(`# batching: 200 posts in 10 rooms reached the reader in ${frames} frames`);
    await Promise.all(writers.map((w) => w.end()));
    await reader.end();
  });
});
