// Issue 13 over real gRPC: a direct conversation is seen only by its two
// participants through JoinChat, GetHistory, SearchHistory, ListMembers and
// ListRooms, by token with accounts and by x-chat-user without; and
// ListMembers' presence (ONLINE, AWAY with a reason, OFFLINE with include_offline).
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import type { MemberList__Output } from '../../protos/generated/chat/MemberList.js';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import type { SearchResults__Output } from '../../protos/generated/chat/SearchResults.js';
import { directRoomId } from '../../protos/rules.js';
import { USER_HEADER } from '../../server/access.js';
import { addUser } from '../../server/accounts.js';
import type { Config } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { startChatServer } from '../../server/server.js';
import { openBackend } from '../../server/store/open.js';
import type { Store } from '../../server/store/types.js';
import { baseConfig, Chatter, connect, eventually, join, tempDir } from '../helpers.js';

const DM = directRoomId('Alice', 'Bob');

/** A server on loopback with the memory store, whose store the test may set up directly. */
async function serve(t: TestContext, overrides: Partial<Config> = {}): Promise<{ client: ChatServiceClient; store: Store }> {
  const config = { ...baseConfig, ...overrides };
  const log = createLogger(config.logLevel);
  const backend = await openBackend('memory', log);
  const running = await startChatServer(config, backend, log);
  const client = connect(`127.0.0.1:${running.port}`);
  t.after(async () => {
    client.close();
    await running.shutdown();
  });
  return { client, store: backend.feed.store };
}

/** Who a unary call says it is: an x-chat-user header, a token, both or neither. */
interface Who {
  name?: string;
  token?: string;
}

function metadata({ name, token }: Who): grpc.Metadata {
  const md = new grpc.Metadata();
  if (name !== undefined) md.set(USER_HEADER, name);
  if (token !== undefined) md.set('authorization', `Bearer ${token}`);
  return md;
}

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

function ask<Req, Res>(fn: Unary<Req, Res>, req: Req, who: Who): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, metadata(who), (err, res) => (err || !res ? reject(err) : resolve(res))));
}

const history = (c: ChatServiceClient, room: string, who: Who) =>
  // Every stored message, so a JOIN or LEAVE in a direct room (there must be none) would show.
  ask<object, HistoryPage__Output>(c.GetHistory.bind(c), { room_id: room }, who).then((p) =>
    p.messages.map((m) => (m.type === 'TEXT' ? m.message : `${m.type} ${m.username}`)),
  );
const search = (c: ChatServiceClient, room: string, who: Who) =>
  ask<object, SearchResults__Output>(c.SearchHistory.bind(c), { room_id: room, query: 'secret' }, who).then((p) => p.messages.map((m) => m.message));
const members = (c: ChatServiceClient, room: string, who: Who, includeOffline = false) =>
  ask<object, MemberList__Output>(c.ListMembers.bind(c), { room_id: room, include_offline: includeOffline }, who).then((l) =>
    l.members.map((m) => `${m.username} ${m.presence}${m.away_reason ? ` (${m.away_reason})` : ''}`),
  );
const rooms = (c: ChatServiceClient, who: Who) =>
  ask<object, RoomList__Output>(c.ListRooms.bind(c), {}, who).then((l) => l.rooms.map((r) => r.room_id));

/** The call fails with this code and details matching. */
async function failsWith(p: Promise<unknown>, code: grpc.status, details: RegExp, what: string): Promise<void> {
  await assert.rejects(p, (e: grpc.ServiceError) => {
    assert.equal(e.code, code, `${what}: ${e.details}`);
    assert.match(e.details, details, what);
    return true;
  });
}

/** Everything an outsider may try on the direct room, each refused; ListRooms leaves it out. */
async function assertShutOut(c: ChatServiceClient, who: Who, details: RegExp): Promise<void> {
  const what = JSON.stringify({ ...who, token: who.token ? '(token)' : undefined });
  await failsWith(history(c, DM, who), grpc.status.PERMISSION_DENIED, details, `GetHistory ${what}`);
  await failsWith(search(c, DM, who), grpc.status.PERMISSION_DENIED, details, `SearchHistory ${what}`);
  await failsWith(members(c, DM, who), grpc.status.PERMISSION_DENIED, details, `ListMembers ${what}`);
  await failsWith(members(c, DM, who, true), grpc.status.PERMISSION_DENIED, details, `ListMembers include_offline ${what}`);
  const listed = await rooms(c, who);
  assert.ok(listed.includes('general'), `${what} still sees open rooms: ${listed.join(', ')}`);
  assert.ok(!listed.includes(DM), `${what} does not see the direct room: ${listed.join(', ')}`);
}

/** What a participant gets from every unary call on the direct room. */
async function assertLetIn(c: ChatServiceClient, who: Who): Promise<void> {
  const what = JSON.stringify({ ...who, token: who.token ? '(token)' : undefined });
  assert.deepEqual(await history(c, DM, who), ['the secret plan'], `GetHistory ${what}`);
  assert.deepEqual(await search(c, DM, who), ['the secret plan'], `SearchHistory ${what}`);
  assert.deepEqual(await members(c, DM, who), ['Alice ONLINE', 'Bob ONLINE'], `ListMembers ${what}`);
  assert.ok((await rooms(c, who)).includes(DM), `ListRooms ${what}`);
}

/** A JoinChat stream's first message, with the metadata given; resolves with how it ended or 'admitted'. */
async function joinOutcome(c: ChatServiceClient, username: string, who: Who): Promise<string> {
  const stream = new Chatter(c, { username, room_id: DM, type: 'JOIN', user_id: `${username.toLowerCase()}-id` }, metadata(who));
  try {
    await stream.waitFor((r) => r.some((m) => m.message === '--- End of history ---'), 'the history', 5000);
    return 'admitted';
  } catch {
    const status = await stream.waitForStatus();
    return `${grpc.status[status.code]}: ${status.details}`;
  } finally {
    stream.call.cancel();
  }
}

const PRIVATE = /^'@alice\/bob' is a private conversation between alice and bob; only they can see it$/;

describe('direct rooms without accounts (names from the first message or x-chat-user)', () => {
  it('lets only the two participants join, read, search, list members and see the room', async (t) => {
    const { client } = await serve(t);
    const carol = join(client, 'Carol', 'general');
    const alice = new Chatter(client, { username: 'Alice', room_id: DM, type: 'JOIN', user_id: 'alice-id' });
    t.after(() => {
      carol.leave();
      alice.leave();
    });
    // A seed client named Alice is admitted like to any room, and posts.
    alice.say('the secret plan');
    await alice.waitForText('the secret plan');
    const bob = new Chatter(client, { username: 'Bob', room_id: DM, type: 'JOIN', user_id: 'bob-id' });
    t.after(() => bob.leave());
    await bob.waitForText('the secret plan');
    await eventually(async () => (await members(client, 'general', {})).includes('Carol ONLINE'), 'Carol in general');

    // Carol (already in general under carol-id) is refused the direct room, whatever case she types.
    assert.match(await joinOutcome(client, 'Carol', {}), /^PERMISSION_DENIED: '@alice\/bob' is a private conversation between alice and bob; only they can see it$/);
    assert.match(await joinOutcome(client, 'CAROL', {}), /^PERMISSION_DENIED/);
    await assertShutOut(client, { name: 'carol' }, PRIVATE);
    await assertShutOut(client, {}, /this call does not say who you are \(send your name in the x-chat-user header\)/);
    await assertShutOut(client, { name: '   ' }, /does not say who you are/);

    await assertLetIn(client, { name: 'alice' });
    await assertLetIn(client, { name: 'BOB' });
    // Open rooms stay open without a name.
    assert.deepEqual(await members(client, 'general', {}), ['Carol ONLINE']);
    // A name no one may have, and an @ id directRoomId would not make, are INVALID_ARGUMENT.
    await failsWith(history(client, 'general', { name: 'x'.repeat(33) }), grpc.status.INVALID_ARGUMENT, /^invalid x-chat-user header: username is 33 characters long/, 'long name');
    await failsWith(history(client, '@bob/alice', { name: 'alice' }), grpc.status.INVALID_ARGUMENT, /^invalid room: '@bob\/alice' is not a direct conversation id/, 'unsorted id');
    assert.match(await joinOutcomeIn(client, '@Alice/bob'), /^INVALID_ARGUMENT: invalid room: '@Alice\/bob' is not a direct conversation id/);
  });
});

/** joinOutcome for another room id: the stream's end, or 'admitted'. */
async function joinOutcomeIn(c: ChatServiceClient, room: string): Promise<string> {
  const stream = new Chatter(c, { username: 'Alice', room_id: room, type: 'JOIN', user_id: 'alice-id' });
  try {
    const status = await stream.waitForStatus();
    return `${grpc.status[status.code]}: ${status.details}`;
  } finally {
    stream.call.cancel();
  }
}

describe('direct rooms with accounts (names from tokens)', () => {
  it("goes by the token's name: a header cannot claim a participant's name", async (t) => {
    const tmp = tempDir();
    t.after(() => tmp.cleanup());
    const file = path.join(tmp.dir, 'users.json');
    const [aliceToken, bobToken, carolToken] = [await addUser(file, 'Alice'), await addUser(file, 'Bob'), await addUser(file, 'carol')];
    const { client } = await serve(t, { users: file });
    const as = (token: string | undefined, name?: string): Who => ({ token, ...(name === undefined ? {} : { name }) });

    const carol = new Chatter(client, { username: 'carol', room_id: 'general', type: 'JOIN', user_id: 'carol-id' }, metadata(as(carolToken)));
    const alice = new Chatter(client, { username: 'Alice', room_id: DM, type: 'JOIN', user_id: 'alice-id' }, metadata(as(aliceToken)));
    t.after(() => {
      carol.leave();
      alice.leave();
    });
    alice.say('the secret plan');
    await alice.waitForText('the secret plan');
    const bob = new Chatter(client, { username: 'Bob', room_id: DM, type: 'JOIN', user_id: 'bob-id' }, metadata(as(bobToken)));
    t.after(() => bob.leave());
    await bob.waitForText('the secret plan');
    await eventually(async () => (await members(client, 'general', as(carolToken))).includes('carol ONLINE'), 'carol in general');

    assert.match(await joinOutcome(client, 'carol', as(carolToken)), /^PERMISSION_DENIED: '@alice\/bob' is a private conversation/);
    assert.equal(await joinOutcome(client, 'alice', as(carolToken, 'alice')), "PERMISSION_DENIED: this token belongs to 'carol'; it cannot speak as 'alice'");
    await assertShutOut(client, as(carolToken, 'alice'), PRIVATE);
    await assertShutOut(client, as(carolToken), PRIVATE);
    // No token: nothing at all, as before.
    await failsWith(history(client, DM, { name: 'alice' }), grpc.status.UNAUTHENTICATED, /this server needs an account/, 'no token');

    await assertLetIn(client, as(bobToken));
    // The header is ignored with accounts: Alice's token is Alice's, whatever it says.
    await assertLetIn(client, as(aliceToken, 'carol'));
  });
});

describe('ListMembers presence', () => {
  it('lists live members ONLINE or AWAY with their reason, and with include_offline those who keep the room OFFLINE', async (t) => {
    const { client, store } = await serve(t);
    for (const name of ['Dave', 'erin', 'Alice']) await store.users.addRoom(name, 'lounge');
    await store.users.setAway('frank', 'at lunch');
    await store.users.setAway('Dave', 'gone fishing');
    const alice = join(client, 'Alice', 'lounge');
    const frank = join(client, 'Frank', 'lounge');
    t.after(() => alice.leave());
    await eventually(async () => (await members(client, 'lounge', {})).length === 2, 'Alice and Frank in the room');

    assert.deepEqual(await members(client, 'lounge', {}), ['Alice ONLINE', 'Frank AWAY (at lunch)']);
    assert.deepEqual(await members(client, 'lounge', {}, true), ['Alice ONLINE', 'Frank AWAY (at lunch)', 'Dave OFFLINE', 'erin OFFLINE']);

    // Frank keeps no list: gone once his stream ends. Alice goes away and comes back.
    frank.leave();
    await eventually(async () => !(await members(client, 'lounge', {}, true)).some((m) => m.startsWith('Frank')), 'Frank gone');
    await store.users.setAway('Alice', 'brb');
    assert.deepEqual(await members(client, 'lounge', {}, true), ['Alice AWAY (brb)', 'Dave OFFLINE', 'erin OFFLINE']);
    await store.users.setAway('Alice', null);
    assert.deepEqual(await members(client, 'lounge', {}), ['Alice ONLINE']);
  });

  it("lists a direct room's absent participant OFFLINE to the participants only", async (t) => {
    const { client, store } = await serve(t);
    await store.users.addRoom('Bob', DM);
    const alice = new Chatter(client, { username: 'Alice', room_id: DM, type: 'JOIN', user_id: 'alice-id' });
    t.after(() => alice.leave());
    await eventually(async () => (await members(client, DM, { name: 'alice' })).length === 1, 'Alice in the direct room');
    assert.deepEqual(await members(client, DM, { name: 'bob' }, true), ['Alice ONLINE', 'Bob OFFLINE']);
    assert.deepEqual(await members(client, DM, { name: 'alice' }), ['Alice ONLINE']);
    await failsWith(members(client, DM, { name: 'carol' }, true), grpc.status.PERMISSION_DENIED, PRIVATE, 'carol');
  });
});
