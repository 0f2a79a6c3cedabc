// Issue 13: what a Session carries beyond one room, on the memory and SQLite
// stores: direct conversations (live, offline, private), several sessions of
// one user kept in step, typing, away, members.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { directRoomId } from '../../protos/rules.js';
import { connect, startServer, tempDir, type TestServer } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`Session users (${kind})`, () => {
    let server: TestServer;
    const tmp = tempDir();
    const open: SessionClient[] = [];
    const session = (name: string, extra = {}): SessionClient => {
      const s = new SessionClient(server.target, hello(name, extra));
      open.push(s);
      return s;
    };
    before(async () => {
      server = await startServer({ store: kind === 'memory' ? 'memory' : `sqlite:${path.join(tmp.dir, 'chat.db')}` });
    });
    after(async () => {
      for (const s of open) if (!s.status) s.cancel();
      await server.stop();
      tmp.cleanup();
    });

    it('a direct message reaches the peer who is online: a room event (direct, peer) and the message', async () => {
      const alice = session('Alice');
      const bob = session('Bob');
      await Promise.all([alice.welcome(), bob.welcome()]);
      const dm = directRoomId('Alice', 'Bob');
      alice.join(dm);
      await alice.waitFor(() => alice.of('room').some((r) => r.room_id === dm), 'the DM room event');
      const mine = alice.of('room').find((r) => r.room_id === dm);
      assert.equal(mine?.direct, true);
      assert.equal(mine?.peer, 'bob');
      alice.post(dm, 'hi bob', 'dm-1');
      await bob.waitForText(dm, 'hi bob');
      const theirs = bob.of('room').find((r) => r.room_id === dm);
      assert.equal(theirs?.direct, true);
      assert.equal(theirs?.peer, 'alice');
      assert.deepEqual(bob.texts(dm), ['Alice: hi bob'], 'bob gets the message once');
      // Alice, already in the conversation, hears that Bob is now in it too (her header said offline).
      await alice.waitFor(() => alice.of('presence').some((p) => p.username === 'Bob' && p.presence === 'ONLINE'), "bob's presence");
      bob.post(dm, 'hi alice', 'dm-2');
      await alice.waitForText(dm, 'hi alice');
      const stored = alice.messages(dm).filter((m) => m.seq > 0);
      assert.ok(stored.every((m) => m.type === 'TEXT'), 'a direct room stores no JOIN or LEAVE');
    });

    it('an offline peer finds the direct message in its next welcome, with one unread (a mention)', async () => {
      const dan = session('Dan');
      await dan.welcome();
      const dm = directRoomId('Dan', 'Carol');
      dan.join(dm);
      await dan.waitFor(() => dan.of('room').some((r) => r.room_id === dm), 'the DM room event');
      dan.post(dm, 'are you there?', 'c-1');
      await dan.waitForText(dm, 'are you there?');
      const carol = session('Carol');
      const w = await carol.welcome();
      const state = w.rooms.find((r) => r.room_id === dm);
      assert.ok(state, `the DM is in carol's welcome: ${JSON.stringify(w.rooms)}`);
      assert.equal(state.unread, 1);
      assert.equal(state.mentions, 1, 'every unread direct message counts as a mention');
      assert.equal(state.read_seq, 0);
      await carol.waitForText(dm, 'are you there?');
      carol.send({ read: { room_id: dm, seq: state.latest_seq } });
      await carol.end();
      const again = session('Carol');
      const w2 = await again.welcome();
      assert.equal(w2.rooms.find((r) => r.room_id === dm)?.unread, 0, 'read is remembered');
    });

    it("keeps a direct room to its two participants: a third user's join and fetch_history are PERMISSION_DENIED", async () => {
      const mallory = session('Mallory');
      await mallory.welcome();
      const dm = directRoomId('Alice', 'Bob');
      const j = mallory.join(dm);
      const h = mallory.send({ fetch_history: { room_id: dm } });
      const m = mallory.send({ members: { room_id: dm } });
      const p = mallory.post(dm, 'let me in', 'x');
      await mallory.waitFor(() => mallory.of('error').length >= 4, 'four errors');
      const errors = new Map(mallory.of('error').map((e) => [e.request_id, e]));
      for (const rid of [j, h, m]) {
        assert.equal(errors.get(rid)?.code, grpc.status.PERMISSION_DENIED, `request ${rid}`);
        assert.equal(errors.get(rid)?.room_id, dm);
      }
      assert.equal(errors.get(p)?.code, grpc.status.NOT_FOUND, 'a post to a room not joined');
      assert.equal(mallory.messages(dm).length, 0, 'nothing of the DM reached mallory');
      assert.equal(mallory.status, null, 'the session goes on');
    });

    it('keeps two sessions of one user in step: join, read and leave in one reach the other', async () => {
      const one = session('Erin');
      const two = session('Erin');
      await Promise.all([one.welcome(), two.welcome()]);
      const writer = session('Finn', { join: ['shared'] });
      await writer.welcome();
      writer.post('shared', 'before erin', 'f-1');
      await writer.waitForText('shared', 'before erin');
      one.join('shared');
      await two.waitFor(() => two.of('room').some((r) => r.room_id === 'shared'), 'the room event in the other session');
      await two.waitForText('shared', 'before erin');
      writer.post('shared', 'to both', 'f-2');
      await Promise.all([one.waitForText('shared', 'to both'), two.waitForText('shared', 'to both')]);
      const seq = one.messages('shared').find((m) => m.message === 'to both')?.seq ?? 0;
      one.send({ read: { room_id: 'shared', seq } });
      await two.waitFor(() => two.of('read').some((r) => r.room_id === 'shared' && r.seq === seq), 'the read marker in the other session');
      one.leave('shared');
      await two.waitFor(() => two.of('left').some((l) => l.room_id === 'shared'), 'the leave in the other session');
      await one.waitFor(() => one.of('left').some((l) => l.room_id === 'shared'), 'the leave here');
      const three = session('Erin');
      assert.ok(!(await three.welcome()).rooms.some((r) => r.room_id === 'shared'), 'gone from the list');
    });

    it('relays typing to the other members of the room, never to the typist (any of its sessions)', async () => {
      const gil = session('Gil', { join: ['typing'] });
      const gil2 = session('Gil');
      const hal = session('Hal', { join: ['typing'] });
      await Promise.all([gil.welcome(), gil2.welcome(), hal.welcome()]);
      const inRoom = (s: SessionClient) => s.of('room').some((r) => r.room_id === 'typing') || s.of('welcome').some((w) => w.rooms.some((r) => r.room_id === 'typing'));
      await gil2.waitFor(() => inRoom(gil2), 'the second session in the room');
      // Joined (not only listed): its history has arrived.
      await gil2.waitFor(() => gil2.messages('typing').some((m) => m.notice === 'NOTICE_HISTORY_END'), 'the room joined');
      gil.send({ typing: { room_id: 'typing', typing: true } });
      gil.send({ typing: { room_id: 'typing', typing: true } }); // within a second: not passed on
      await hal.waitFor(() => hal.of('typing').length > 0, 'the typing event');
      gil.send({ typing: { room_id: 'typing', typing: false } });
      await hal.waitFor(() => hal.of('typing').length > 1, 'the stop');
      assert.deepEqual(
        hal.of('typing').map((t) => `${t.room_id} ${t.username} ${t.typing}`),
        ['typing Gil true', 'typing Gil false'],
      );
      hal.send({ typing: { room_id: 'typing', typing: true } });
      await gil.waitFor(() => gil.of('typing').length > 0, "hal's typing");
      assert.ok(gil.of('typing').every((t) => t.username === 'Hal') && gil2.of('typing').every((t) => t.username === 'Hal'));
    });

    it('answers fetch_history and members with the request id; away reaches the members', async () => {
      const ida = session('Ida', { join: ['lounge'] });
      const jon = session('Jon', { join: ['lounge'] });
      await Promise.all([ida.welcome(), jon.welcome()]);
      for (let i = 0; i < 3; i++) ida.post('lounge', `line ${i}`, `l-${i}`);
      await ida.waitForText('lounge', 'line 2');
      const rid = ida.send({ fetch_history: { room_id: 'lounge', limit: 2 } });
      await ida.waitFor(() => ida.of('history').length > 0, 'the history page');
      const page = ida.of('history')[0];
      assert.equal(page?.request_id, rid);
      assert.deepEqual(page?.messages.map((m) => m.message), ['line 1', 'line 2']);
      jon.send({ away: { away: true, reason: 'lunch' } });
      await ida.waitFor(() => ida.of('presence').some((p) => p.username === 'Jon' && p.presence === 'AWAY'), "jon's away");
      const mid = ida.send({ members: { room_id: 'lounge' } });
      await ida.waitFor(() => ida.of('members').length > 0, 'the members');
      const list = ida.of('members')[0];
      assert.equal(list?.request_id, mid);
      assert.deepEqual(list?.members.map((m) => `${m.username} ${m.presence} ${m.away_reason}`), ['Ida ONLINE ', 'Jon AWAY lunch']);
      const client = connect(server.target);
      client.close();
    });
  });
}
