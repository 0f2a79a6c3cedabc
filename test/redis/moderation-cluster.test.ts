// Issue 16 across servers: two chat servers sharing one real redis-server.
// A moderation act on server A holds on server B at once: a ban ends the
// banned user's streams on B and shuts B's doors to them; a kick ends a
// JoinChat stream and a Session room on B with the reason; a mute refuses
// posts on B; the topic and an invite-only room show in B's ListRooms and
// room states; policies live in Redis, so B agrees on who the operator is.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { connect, eventually, startServer, type TestServer } from '../helpers.js';
import { startRedis, type RedisProcess } from '../processes.js';
import { hello, SessionClient } from '../session-client.js';
import { denied, eventIn, getHistory, joinChat, listMembers, listRooms, moderate, refused, searchHistory } from '../support/moderation.js';

describe('moderation across two servers sharing Redis', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  let ca: ChatServiceClient;
  let cb: ChatServiceClient;
  const open: SessionClient[] = [];
  const session = (on: TestServer, name: string, join: string[] = []): SessionClient => {
    const s = new SessionClient(on.target, hello(name, { join }));
    open.push(s);
    return s;
  };

  before(async () => {
    redis = await startRedis();
    a = await startServer({ store: redis.url });
    b = await startServer({ store: redis.url });
    ca = connect(a.target);
    cb = connect(b.target);
  });
  after(async () => {
    for (const s of open) if (!s.status) s.cancel();
    ca.close();
    cb.close();
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  });

  it('a room has one first operator whichever server its users joined through', async () => {
    const alice = session(a, 'Alice', ['hall']);
    assert.equal((await alice.welcome()).rooms[0]?.operator, true);
    const bob = session(b, 'Bob', ['hall']);
    assert.equal((await bob.welcome()).rooms[0]?.operator, false, 'Bob on B is not the operator');
    await refused(bob, moderate(bob, 'hall', 'TOPIC', '', 'mine'), grpc.status.PERMISSION_DENIED, /^only an operator of #hall can set the topic$/, 'Bob on B');
  });

  it('a ban on A ends the user\'s JoinChat stream and Session room on B, and B shuts every door to them', async () => {
    const alice = session(a, 'Alice2', ['forum']);
    await alice.welcome();
    alice.post('forum', 'the secret plan');
    await alice.waitForText('forum', 'the secret plan');
    const eveStream = await joinChat(cb, 'Eve', 'forum');
    assert.equal(eveStream.outcome, 'admitted');
    const eve = session(b, 'Eve', ['forum']);
    await eve.welcome();
    await eve.waitFor(() => eve.messages('forum').some((m) => m.message === '--- End of history ---'), 'Eve in forum on B');

    moderate(alice, 'forum', 'BAN', 'Eve', 'spam');
    const status = await eveStream.stream.waitForStatus();
    assert.equal(status.code, grpc.status.PERMISSION_DENIED);
    assert.equal(status.details, 'banned from #forum by Alice2: spam');
    await eve.waitFor(() => eve.of('left').some((l) => l.room_id === 'forum'), 'the Session on B leaves forum');
    assert.deepEqual(eve.of('left'), [{ room_id: 'forum', reason: 'banned from #forum by Alice2: spam' }]);

    const BANNED = /^you are banned from #forum \(spam\)$/;
    assert.equal((await joinChat(cb, 'Eve', 'forum')).outcome, 'PERMISSION_DENIED: you are banned from #forum (spam)');
    await refused(eve, eve.join('forum'), grpc.status.PERMISSION_DENIED, BANNED, 'Session join on B');
    await refused(eve, eve.send({ fetch_history: { room_id: 'forum' } }), grpc.status.PERMISSION_DENIED, BANNED, 'fetch_history on B');
    await denied(getHistory(cb, 'forum', 'Eve'), BANNED, 'GetHistory on B');
    await denied(searchHistory(cb, 'forum', 'Eve', 'secret'), BANNED, 'SearchHistory on B');
    await denied(listMembers(cb, 'forum', 'Eve'), BANNED, 'ListMembers on B');
    // A server where the room is not live reads the ban from Redis too.
    const c = await startServer({ store: redis.url });
    try {
      const cc = connect(c.target);
      await denied(getHistory(cc, 'forum', 'Eve'), BANNED, 'GetHistory on a third server');
      cc.close();
    } finally {
      await c.stop();
    }
  });

  it('a kick on A ends a JoinChat stream and a Session room on B with the reason; the room leaves the user\'s list everywhere', async () => {
    const alice = session(a, 'Alice3', ['yard']);
    await alice.welcome();
    const carol = await joinChat(cb, 'Carol', 'yard');
    assert.equal(carol.outcome, 'admitted');
    const dan = session(b, 'Dan', ['yard']);
    await dan.welcome();
    // Dan's second session, on A, finds yard in Dan's list and joins it too.
    const danOnA = session(a, 'Dan');
    assert.ok((await danOnA.welcome()).rooms.some((r) => r.room_id === 'yard'));
    const inYard = (s: SessionClient) => () => s.messages('yard').some((m) => m.message === '--- End of history ---');
    await Promise.all([dan.waitFor(inYard(dan), 'Dan on B in yard'), danOnA.waitFor(inYard(danOnA), 'Dan on A in yard')]);

    moderate(alice, 'yard', 'KICK', 'Carol', 'off topic');
    const status = await carol.stream.waitForStatus();
    assert.equal(status.code, grpc.status.PERMISSION_DENIED);
    assert.equal(status.details, 'kicked from #yard by Alice3: off topic');

    moderate(alice, 'yard', 'KICK', 'Dan', 'flood');
    await dan.waitFor(() => dan.of('left').length > 0, 'Dan on B leaves yard');
    assert.deepEqual(dan.of('left'), [{ room_id: 'yard', reason: 'kicked from #yard by Alice3: flood' }]);
    await danOnA.waitFor(() => danOnA.of('left').length > 0, 'Dan\'s session on A leaves yard too');
    assert.equal(danOnA.of('left')[0]?.reason, 'kicked from #yard by Alice3: flood');
    const kick = await eventIn(alice, 'yard', 'KICK');
    assert.equal(kick.message, 'Carol was kicked by Alice3 (off topic)');
    // Kicked, not banned: back in through B.
    assert.equal((await joinChat(cb, 'Carol', 'yard')).outcome, 'admitted');
  });

  it('a mute on A refuses the user\'s posts on B; the topic and an invite-only room show on B', async () => {
    const alice = session(a, 'Alice4', ['club']);
    await alice.welcome();
    const frank = session(b, 'Frank', ['club']);
    await frank.welcome();
    await frank.waitFor(() => frank.messages('club').some((m) => m.message === '--- End of history ---'), 'Frank in club');
    moderate(alice, 'club', 'MUTE', 'Frank', '', 3);
    await eventIn(frank, 'club', 'MUTE');
    frank.post('club', 'hello?', 'f-1');
    await frank.waitFor(() => frank.messages('club').some((m) => m.notice === 'NOTICE_NOT_SENT'), 'the refusal on B');
    assert.match(frank.messages('club').find((m) => m.notice === 'NOTICE_NOT_SENT')?.message ?? '', /you are muted in #club \(for 3 more minutes\)/);

    moderate(alice, 'club', 'TOPIC', '', 'members only');
    await eventIn(frank, 'club', 'TOPIC');
    moderate(alice, 'club', 'PRIVATE', '', 'on');
    await eventIn(frank, 'club', 'PRIVATE');
    const seen = await listRooms(cb, 'Frank');
    assert.deepEqual(seen.filter((r) => r.room_id === 'club').map((r) => [r.topic, r.private]), [['members only', true]]);
    await eventually(async () => !(await listRooms(cb, 'Gus')).some((r) => r.room_id === 'club'), 'club absent from B\'s ListRooms for Gus');
    await denied(getHistory(cb, 'club', 'Gus'), /^#club is invite-only/, 'GetHistory on B');
    const frank2 = session(b, 'Frank');
    const w = await frank2.welcome();
    assert.deepEqual(w.rooms.filter((r) => r.room_id === 'club').map((r) => [r.topic, r.private, r.operator]), [['members only', true, false]]);
  });
});
