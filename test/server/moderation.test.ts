// Issue 16 over real gRPC, on the memory store and on a SQLite file: the first
// joiner of a room is its operator; every moderation act (topic, op, deop,
// kick, ban, unban, mute, unmute, invite, private) is for operators only and
// stored as a readable room event; a kick or ban ends the user's JoinChat
// stream and Session room with the reason; what a banned, muted or uninvited
// user gets from every RPC; topics in the welcome and ListRooms; operators from
// the server's config.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { startChatServer } from '../../server/server.js';
import { openBackend } from '../../server/store/open.js';
import type { Store } from '../../server/store/types.js';
import { baseConfig, connect, eventually, sleep, tempDir } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';
import {
  denied,
  errorFor,
  eventIn,
  getHistory,
  joinChat,
  listMembers,
  listRooms,
  moderate,
  noErrorFor,
  refused,
  searchHistory,
} from '../support/moderation.js';

interface Served {
  client: ChatServiceClient;
  store: Store;
  target: string;
  session(name: string, join?: string[]): SessionClient;
}

/** A server on loopback whose store the test may also read and set up directly; everything is closed after the test. */
async function serve(t: TestContext, spec: string, overrides: Partial<Config> = {}): Promise<Served> {
  const config = { ...baseConfig, store: spec, ...overrides };
  const log = createLogger(config.logLevel);
  const backend = await openBackend(spec, log);
  const running = await startChatServer(config, backend, log);
  const target = `127.0.0.1:${running.port}`;
  const client = connect(target);
  const sessions: SessionClient[] = [];
  t.after(async () => {
    for (const s of sessions) if (!s.status) s.cancel();
    client.close();
    await running.shutdown();
  });
  return {
    client,
    store: backend.feed.store,
    target,
    session(name, join = []) {
      const s = new SessionClient(target, hello(name, { join }));
      sessions.push(s);
      return s;
    },
  };
}

/** The room's state in a session's welcome or latest room event. */
function stateOf(s: SessionClient, room: string) {
  const fromEvents = s.of('room').filter((r) => r.room_id === room).at(-1);
  return fromEvents ?? s.of('welcome')[0]?.rooms.find((r) => r.room_id === room);
}

const ONLY_OPS = (what: string) => new RegExp(`^only an operator of #lounge can ${what}$`);

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`moderation (${kind} store)`, () => {
    const spec = (t: TestContext): string => {
      if (kind === 'memory') return 'memory';
      const dir = tempDir();
      t.after(() => dir.cleanup());
      return `sqlite:${path.join(dir.dir, 'chat.db')}`;
    };

    it('the first user to join a room is its operator (Session or JoinChat); later ones are not', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      const w = await alice.welcome();
      assert.equal(w.rooms.find((r) => r.room_id === 'lounge')?.operator, true, 'the first joiner is the operator');
      const bob = srv.session('Bob', ['lounge']);
      const wb = await bob.welcome();
      assert.equal(wb.rooms.find((r) => r.room_id === 'lounge')?.operator, false, 'the second is not');
      // A JoinChat user first into another room is its operator too: its topic is hers to set.
      const { outcome, stream } = await joinChat(srv.client, 'Carol', 'den');
      assert.equal(outcome, 'admitted');
      assert.deepEqual([...(await srv.store.policies.get('den')).operators], ['carol']);
      stream.call.cancel();
      // No operators in direct conversations.
      assert.equal((await srv.store.policies.get('@alice/bob')).operators.size, 0);
    });

    it('non-operators may do nothing; an operator may make them one and take it back', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      const bob = srv.session('Bob', ['lounge']);
      const carol = srv.session('Carol', ['lounge']);
      await Promise.all([bob.welcome(), carol.welcome()]);
      const tries: Array<[Parameters<typeof moderate>[2], string, string, string]> = [
        ['TOPIC', '', 'hello', 'set the topic'],
        ['OP', 'Bob', '', 'make operators'],
        ['DEOP', 'Alice', '', 'remove operators'],
        ['KICK', 'Carol', '', 'kick'],
        ['BAN', 'Carol', '', 'ban'],
        ['UNBAN', 'Carol', '', 'unban'],
        ['MUTE', 'Carol', '', 'mute'],
        ['UNMUTE', 'Carol', '', 'unmute'],
        ['INVITE', 'Dan', '', 'invite'],
        ['PRIVATE', '', 'on', 'make the room invite-only or open it'],
      ];
      for (const [action, subject, detail, what] of tries) {
        const rid = moderate(bob, 'lounge', action, subject, detail);
        await refused(bob, rid, grpc.status.PERMISSION_DENIED, ONLY_OPS(what), `Bob ${action}`);
      }
      assert.equal((await srv.store.policies.get('lounge')).topic, '', 'nothing changed');

      const op = moderate(alice, 'lounge', 'OP', 'Bob');
      const made = await eventIn(carol, 'lounge', 'OP');
      noErrorFor(alice, op);
      assert.equal(made.message, 'Alice made Bob an operator');
      assert.equal(made.type, 'SYSTEM');
      assert.equal(made.subject, 'Bob');
      // Now Bob may set the topic.
      moderate(bob, 'lounge', 'TOPIC', '', 'release on Friday');
      assert.equal((await eventIn(carol, 'lounge', 'TOPIC')).message, 'Bob set the topic: release on Friday');
      // An operator may not kick another (deop first); nobody kicks themselves.
      await refused(bob, moderate(bob, 'lounge', 'KICK', 'alice'), grpc.status.PERMISSION_DENIED, /^alice is an operator of #lounge; \/deop them first$/, 'op kicks op');
      await refused(alice, moderate(alice, 'lounge', 'KICK', 'Alice'), grpc.status.INVALID_ARGUMENT, /you cannot kick yourself/, 'self kick');
      await refused(alice, moderate(alice, 'lounge', 'OP', 'bob'), grpc.status.FAILED_PRECONDITION, /^bob is already an operator of #lounge$/, 'op twice');

      moderate(alice, 'lounge', 'DEOP', 'Bob');
      assert.equal((await eventIn(carol, 'lounge', 'DEOP')).message, 'Alice removed Bob from the operators');
      await refused(bob, moderate(bob, 'lounge', 'TOPIC', '', 'mine'), grpc.status.PERMISSION_DENIED, ONLY_OPS('set the topic'), 'deopped Bob');
      await refused(alice, moderate(alice, 'lounge', 'DEOP', 'Bob'), grpc.status.FAILED_PRECONDITION, /^Bob is not an operator of #lounge$/, 'deop twice');
      await refused(alice, moderate(alice, 'lounge', 'EDIT', 'Bob'), grpc.status.INVALID_ARGUMENT, /not something a moderate frame can do/, 'EDIT');
      await refused(alice, moderate(alice, 'lounge', 'KICK', ''), grpc.status.INVALID_ARGUMENT, /^who\? kick needs a user's name/, 'no subject');
      await refused(alice, moderate(alice, 'lounge', 'KICK', 'Nobody'), grpc.status.NOT_FOUND, /^Nobody is not in #lounge$/, 'kick a stranger');
    });

    it('the topic: a readable event for seed clients, in the welcome, room events and ListRooms', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      const seed = await joinChat(srv.client, 'Seed', 'lounge');
      assert.equal(seed.outcome, 'admitted');
      moderate(alice, 'lounge', 'TOPIC', '', 'release on Friday');
      await seed.stream.waitForText('Alice set the topic: release on Friday');
      const line = seed.stream.received.find((m) => m.message === 'Alice set the topic: release on Friday');
      assert.equal(line?.type, 'SYSTEM');
      assert.ok((line?.seq ?? 0) > 0, 'stored');
      assert.equal(line?.action, 'TOPIC');
      assert.equal(line?.detail, 'release on Friday');
      // A later session sees it in its welcome, a joiner in its room event; ListRooms shows it.
      const bob = srv.session('Bob', ['lounge']);
      assert.equal((await bob.welcome()).rooms.find((r) => r.room_id === 'lounge')?.topic, 'release on Friday');
      const carol = srv.session('Carol');
      await carol.welcome();
      carol.join('lounge');
      await carol.waitFor(() => stateOf(carol, 'lounge') !== undefined, 'the room event');
      assert.equal(stateOf(carol, 'lounge')?.topic, 'release on Friday');
      const info = (await listRooms(srv.client, null)).find((r) => r.room_id === 'lounge');
      assert.equal(info?.topic, 'release on Friday');
      assert.equal(info?.private, false);
      // History pages carry the event too, as SYSTEM with its action.
      const page = await getHistory(srv.client, 'lounge', 'Bob');
      assert.ok(page.messages.some((m) => m.action === 'TOPIC' && m.type === 'SYSTEM' && m.message === 'Alice set the topic: release on Friday'));
      seed.stream.call.cancel();
    });

    it('a kick ends a JoinChat stream and a Session room with the reason; the kicked may come back', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      const carol = await joinChat(srv.client, 'Carol', 'lounge');
      assert.equal(carol.outcome, 'admitted');
      const dan = srv.session('Dan', ['lounge', 'other']);
      await dan.welcome();
      await dan.waitFor(() => dan.messages('lounge').some((m) => m.message === '--- End of history ---'), 'Dan in lounge');

      moderate(alice, 'lounge', 'KICK', 'Carol', 'spam');
      const status = await carol.stream.waitForStatus();
      assert.equal(status.code, grpc.status.PERMISSION_DENIED);
      assert.equal(status.details, 'kicked from #lounge by Alice: spam');
      assert.equal((await eventIn(alice, 'lounge', 'KICK')).message, 'Carol was kicked by Alice (spam)');

      moderate(alice, 'lounge', 'KICK', 'dan', 'flood');
      await dan.waitFor(() => dan.of('left').some((l) => l.room_id === 'lounge'), 'left lounge');
      assert.deepEqual(dan.of('left'), [{ room_id: 'lounge', reason: 'kicked from #lounge by Alice: flood' }]);
      assert.deepEqual(await srv.store.users.rooms('dan'), ['other'], 'lounge is off Dan\'s list');
      const texts = alice.messages('lounge').filter((m) => m.seq > 0).map((m) => `${m.type} ${m.message}`);
      assert.ok(texts.includes('SYSTEM dan was kicked by Alice (flood)'), texts.join('\n'));
      assert.ok(!texts.some((l) => l.startsWith('LEAVE')), `a kick stores no LEAVE: ${texts.join('\n')}`);
      // Dan's session goes on, and Dan may join again; so may Carol.
      dan.join('lounge');
      await dan.waitFor(() => dan.of('room').some((r) => r.room_id === 'lounge'), 'Dan back in lounge');
      const again = await joinChat(srv.client, 'Carol', 'lounge');
      assert.equal(again.outcome, 'admitted');
      again.stream.call.cancel();
    });

    it('a ban ends the streams and shuts every door (JoinChat, Session, GetHistory, SearchHistory, ListMembers) until unbanned', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      alice.post('lounge', 'the secret plan');
      await alice.waitForText('lounge', 'the secret plan');
      const eveStream = await joinChat(srv.client, 'Eve', 'lounge');
      assert.equal(eveStream.outcome, 'admitted');
      const eve = srv.session('Eve', ['lounge']);
      await eve.welcome();

      moderate(alice, 'lounge', 'BAN', 'Eve', 'trolling');
      const status = await eveStream.stream.waitForStatus();
      assert.equal(status.code, grpc.status.PERMISSION_DENIED);
      assert.equal(status.details, 'banned from #lounge by Alice: trolling');
      await eve.waitFor(() => eve.of('left').some((l) => l.room_id === 'lounge'), 'the session leaves lounge');
      assert.equal(eve.of('left')[0]?.reason, 'banned from #lounge by Alice: trolling');
      assert.equal((await eventIn(alice, 'lounge', 'BAN')).message, 'Eve was banned by Alice (trolling)');

      const BANNED = /^you are banned from #lounge \(trolling\)$/;
      assert.equal((await joinChat(srv.client, 'eve', 'lounge')).outcome, `PERMISSION_DENIED: you are banned from #lounge (trolling)`);
      await refused(eve, eve.join('lounge'), grpc.status.PERMISSION_DENIED, BANNED, 'Session join');
      await refused(eve, eve.send({ fetch_history: { room_id: 'lounge' } }), grpc.status.PERMISSION_DENIED, BANNED, 'fetch_history');
      await refused(eve, eve.send({ members: { room_id: 'lounge' } }), grpc.status.PERMISSION_DENIED, BANNED, 'members');
      await refused(eve, eve.post('lounge', 'let me in'), grpc.status.NOT_FOUND, /not in room lounge/, 'post');
      await denied(getHistory(srv.client, 'lounge', 'Eve'), BANNED, 'GetHistory');
      await denied(searchHistory(srv.client, 'lounge', 'EVE', 'secret'), BANNED, 'SearchHistory');
      await denied(listMembers(srv.client, 'lounge', 'Eve'), BANNED, 'ListMembers');
      // A new session's welcome has no lounge.
      const eve2 = srv.session('Eve');
      assert.ok(!(await eve2.welcome()).rooms.some((r) => r.room_id === 'lounge'));
      // Others are not affected.
      assert.equal((await getHistory(srv.client, 'lounge', 'Bob')).messages.some((m) => m.message === 'the secret plan'), true);

      moderate(alice, 'lounge', 'UNBAN', 'eve');
      assert.equal((await eventIn(alice, 'lounge', 'UNBAN')).message, 'eve was unbanned by Alice');
      await eventually(async () => (await getHistory(srv.client, 'lounge', 'Eve').then(() => true, () => false)), 'GetHistory lets Eve in');
      const back = await joinChat(srv.client, 'Eve', 'lounge');
      assert.equal(back.outcome, 'admitted');
      back.stream.call.cancel();
      await refused(alice, moderate(alice, 'lounge', 'UNBAN', 'eve'), grpc.status.FAILED_PRECONDITION, /^eve is not banned from #lounge$/, 'unban twice');
    });

    it('a muted user reads but every post is refused with the time left, until unmuted or the mute runs out', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      const frank = srv.session('Frank', ['lounge']);
      await frank.welcome();
      const gina = await joinChat(srv.client, 'Gina', 'lounge');
      assert.equal(gina.outcome, 'admitted');

      moderate(alice, 'lounge', 'MUTE', 'Frank', 'calm down', 10);
      assert.equal((await eventIn(frank, 'lounge', 'MUTE')).message, 'Frank was muted by Alice for 10 minutes (calm down)');
      frank.post('lounge', 'can I talk?', 'f-1');
      await frank.waitFor(() => frank.messages('lounge').some((m) => m.notice === 'NOTICE_NOT_SENT'), 'the refusal');
      const notice = frank.messages('lounge').find((m) => m.notice === 'NOTICE_NOT_SENT');
      assert.match(notice?.message ?? '', /^Message not sent \(you are muted in #lounge \(for 10 more minutes\)\): "can I talk\?"/);
      assert.equal(notice?.client_msg_id, 'f-1');
      // Reading still works.
      assert.ok((await getHistory(srv.client, 'lounge', 'Frank')).messages.length > 0);

      moderate(alice, 'lounge', 'MUTE', 'Gina', '', 0);
      await gina.stream.waitForText('Gina was muted by Alice');
      gina.stream.say('me too?');
      await gina.stream.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT'), 'the refusal');
      assert.match(gina.stream.received.find((m) => m.notice === 'NOTICE_NOT_SENT')?.message ?? '', /^Message not sent \(you are muted in #lounge\): "me too\?"/);

      moderate(alice, 'lounge', 'UNMUTE', 'Frank');
      assert.equal((await eventIn(frank, 'lounge', 'UNMUTE')).message, 'Frank was unmuted by Alice');
      frank.post('lounge', 'thanks', 'f-2');
      await alice.waitForText('lounge', 'thanks');
      assert.ok(!alice.texts('lounge').includes('Frank: can I talk?'), 'the refused post was never stored');

      // A mute runs out on its own: set in the store to end in a moment, in a room this server has not read yet.
      await srv.store.policies.apply('nook', { t: 'mute', user: 'hana', until: Date.now() + 1500 });
      const hana = srv.session('Hana', ['nook']);
      await hana.welcome();
      hana.post('nook', 'too soon', 'h-1');
      await hana.waitFor(() => hana.messages('nook').some((m) => m.notice === 'NOTICE_NOT_SENT'), 'refused while muted');
      assert.match(hana.messages('nook').find((m) => m.notice === 'NOTICE_NOT_SENT')?.message ?? '', /you are muted in #nook \(for 1 more minute\)/);
      await sleep(1600);
      hana.post('nook', 'now then', 'h-2');
      await hana.waitForText('nook', 'now then');
      assert.deepEqual(hana.texts('nook'), ['Hana: now then']);
      gina.stream.call.cancel();
    });

    it('an invite-only room: absent from ListRooms, its history and doors shut to the uninvited; an invite opens them', async (t) => {
      const srv = await serve(t, spec(t));
      const alice = srv.session('Alice', ['vault']);
      await alice.welcome();
      alice.post('vault', 'the secret plan');
      await alice.waitForText('vault', 'the secret plan');
      const henry = srv.session('Henry');
      await henry.welcome();

      moderate(alice, 'vault', 'PRIVATE', '', 'on');
      assert.equal((await eventIn(alice, 'vault', 'PRIVATE')).message, 'Alice made the room invite-only');
      const SHUT = /^#vault is invite-only; ask one of its operators to \/invite you$/;
      await refused(henry, henry.join('vault'), grpc.status.PERMISSION_DENIED, SHUT, 'Session join');
      await refused(henry, henry.send({ fetch_history: { room_id: 'vault' } }), grpc.status.PERMISSION_DENIED, SHUT, 'fetch_history');
      await refused(henry, henry.send({ members: { room_id: 'vault' } }), grpc.status.PERMISSION_DENIED, SHUT, 'members');
      assert.equal((await joinChat(srv.client, 'Henry', 'vault')).outcome, 'PERMISSION_DENIED: #vault is invite-only; ask one of its operators to /invite you');
      await denied(getHistory(srv.client, 'vault', 'Henry'), SHUT, 'GetHistory');
      await denied(searchHistory(srv.client, 'vault', 'Henry', 'secret'), SHUT, 'SearchHistory');
      await denied(listMembers(srv.client, 'vault', 'Henry'), SHUT, 'ListMembers');
      await denied(getHistory(srv.client, 'vault', null), /^#vault is invite-only; this call does not say who you are/, 'anonymous GetHistory');
      const names = async (who: string | null) => (await listRooms(srv.client, who)).map((r) => r.room_id);
      assert.ok(!(await names('Henry')).includes('vault'), 'absent for Henry');
      assert.ok(!(await names(null)).includes('vault'), 'absent for an anonymous call');
      const mine = (await listRooms(srv.client, 'Alice')).find((r) => r.room_id === 'vault');
      assert.equal(mine?.private, true, 'Alice (a member) sees it, marked private');
      assert.equal(stateOf(alice, 'vault')?.private ?? (await alice.welcome()).rooms[0]?.private, false, 'it was open at the welcome');

      moderate(alice, 'vault', 'INVITE', 'Henry');
      assert.equal((await eventIn(alice, 'vault', 'INVITE')).message, 'Alice invited Henry');
      await eventually(async () => (await names('Henry')).includes('vault'), 'Henry sees the room');
      henry.join('vault');
      await henry.waitFor(() => henry.of('room').some((r) => r.room_id === 'vault'), 'Henry joins');
      assert.equal(stateOf(henry, 'vault')?.private, true);
      assert.ok((await getHistory(srv.client, 'vault', 'Henry')).messages.some((m) => m.message === 'the secret plan'));
      const ivy = await joinChat(srv.client, 'Ivy', 'vault');
      assert.equal(ivy.outcome, 'PERMISSION_DENIED: #vault is invite-only; ask one of its operators to /invite you');

      moderate(alice, 'vault', 'PRIVATE', '', 'off');
      assert.equal((await eventIn(alice, 'vault', 'PRIVATE').then(() => alice.messages('vault').filter((m) => m.action === 'PRIVATE').length)), 1);
      await alice.waitFor(() => alice.messages('vault').filter((m) => m.action === 'PRIVATE').length === 2, 'the second PRIVATE');
      assert.equal(alice.messages('vault').filter((m) => m.action === 'PRIVATE')[1]?.message, 'Alice opened the room to everyone');
      assert.equal((await joinChat(srv.client, 'Ivy', 'vault')).outcome, 'admitted');
    });

    it('config operators moderate every room and cannot be kicked, banned, muted or deopped by room operators', async (t) => {
      const srv = await serve(t, spec(t), { operators: ['Root'] });
      const alice = srv.session('Alice', ['lounge']);
      await alice.welcome();
      const root = srv.session('root', ['lounge']);
      const w = await root.welcome();
      assert.equal(w.rooms.find((r) => r.room_id === 'lounge')?.operator, true, 'a config operator is an operator of every room');
      const bob = srv.session('Bob', ['lounge']);
      await bob.welcome();
      moderate(root, 'lounge', 'KICK', 'Bob', 'testing');
      await bob.waitFor(() => bob.of('left').length > 0, 'Bob kicked');
      assert.equal(bob.of('left')[0]?.reason, 'kicked from #lounge by root: testing');
      // The room's own operator may not act on the server's.
      for (const action of ['KICK', 'BAN', 'MUTE'] as const) {
        await refused(alice, moderate(alice, 'lounge', action, 'ROOT'), grpc.status.PERMISSION_DENIED, /^ROOT is an operator of every room on this server; nobody can/, action);
      }
      await refused(alice, moderate(alice, 'lounge', 'DEOP', 'root'), grpc.status.PERMISSION_DENIED, /^root is an operator of every room on this server/, 'DEOP');
      // A config operator may act on a room operator.
      moderate(root, 'lounge', 'MUTE', 'Alice', '', 5);
      assert.equal((await eventIn(alice, 'lounge', 'MUTE')).message, 'Alice was muted by root for 5 minutes');
      // And the TOPIC rule holds for rooms whose only operators are the server's: operators only.
      const err = await errorFor(bob, moderate(bob, 'lounge', 'TOPIC', '', 'x'));
      assert.equal(err.code, grpc.status.PERMISSION_DENIED);
    });
  });
}
