// Issue 16: accounts take effect at once. `chat-server remove-user` and token
// rotation (add-user again) end every open stream that authenticated with a
// token the file no longer holds, JoinChat and Session alike, with
// UNAUTHENTICATED and a reason; other users' streams stay; the old token is
// refused from then on, and a rotated account's new token works.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Accounts } from '../../server/accounts.js';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { Chatter, connect, memberNames, tempDir } from '../helpers.js';
import { runBinary, startBinary, stopBinary, type Spawned } from '../processes.js';
import { hello, SessionClient } from '../session-client.js';

function addUser(file: string, name: string): string {
  const run = runBinary(['add-user', name, '--users', file]);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

function withToken(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}

const first = (name: string, room: string) => ({ username: name, room_id: room, type: 'JOIN' as const, user_id: `${name.toLowerCase()}-id` });

/** A user's two open streams: a JoinChat stream in `room` and a Session holding it too. */
interface Streams {
  chat: Chatter;
  session: SessionClient;
}

async function open(client: ChatServiceClient, target: string, name: string, token: string, room: string): Promise<Streams> {
  const chat = new Chatter(client, first(name, room), withToken(token));
  chat.say(`${name} is here`);
  await chat.waitForText(`${name} is here`);
  const session = new SessionClient(target, hello(name, { join: [room] }), withToken(token));
  await session.welcome();
  await session.waitForText(room, `${name} is here`);
  return { chat, session };
}

/** Waits for both of a user's streams to end; returns their statuses and how long after `since` the later one came. */
async function ended(s: Streams, since: number): Promise<{ chat: grpc.StatusObject; session: grpc.StatusObject; ms: number }> {
  const [chat, session] = await Promise.all([s.chat.waitForStatus(4000), s.session.waitForStatus(4000)]);
  return { chat, session, ms: Date.now() - since };
}

describe('accounts take effect at once', () => {
  const tmp = tempDir();
  const file = path.join(tmp.dir, 'users.json');
  let server: Spawned;
  let client: ChatServiceClient;
  const tokens = new Map<string, string>();
  const sessions: SessionClient[] = [];

  before(async () => {
    for (const name of ['Alice', 'Bob', 'Carol']) tokens.set(name, addUser(file, name));
    server = await startBinary(['--store', 'memory', '--users', file]);
    client = connect(server.target);
  });
  after(async () => {
    for (const s of sessions) s.cancel();
    client.close();
    await stopBinary(server);
    tmp.cleanup();
  });

  it('keeps in the token cache only what the file still holds', async () => {
    const local = path.join(tmp.dir, 'local.json');
    const token = addUser(local, 'Dan');
    const accounts = new Accounts(local);
    const verdict = await accounts.verify(`Bearer ${token}`, '127.0.0.1');
    assert.ok(verdict.ok);
    assert.equal(accounts.check(verdict.credential), null);
    addUser(local, 'dan'); // rotation, spelt otherwise
    accounts.reload();
    assert.equal(accounts.check(verdict.credential), 'replaced');
    assert.deepEqual(await accounts.verify(`Bearer ${token}`, '127.0.0.1'), { ok: false, reason: 'invalid' });
    assert.equal(runBinary(['remove-user', 'DAN', '--users', local]).status, 0);
    accounts.reload();
    assert.equal(accounts.check(verdict.credential), 'removed');
    assert.deepEqual(JSON.parse(readFileSync(local, 'utf8')), {});
  });

  it('rotation ends the streams on the old token; the new token works; the old one is refused', async () => {
    const oldToken = tokens.get('Alice') ?? '';
    const alice = await open(client, server.target, 'Alice', oldToken, 'rotate');
    const bob = await open(client, server.target, 'Bob', tokens.get('Bob') ?? '', 'rotate');
    sessions.push(alice.session, bob.session);
    await alice.chat.waitForText('Bob joined the room');

    const since = Date.now();
    const newToken = addUser(file, 'Alice');
    const gone = await ended(alice, since);
    assert.equal(gone.chat.code, grpc.status.UNAUTHENTICATED);
    assert.equal(gone.chat.details, "your token for 'Alice' was replaced by a newer one (add-user); sign in with the new token");
    assert.equal(gone.session.code, grpc.status.UNAUTHENTICATED);
    assert.equal(gone.session.details, gone.chat.details);
    assert.ok(gone.ms < 2500, `ended ${gone.ms} ms after add-user`);

    // Bob's streams did not notice anything but Alice's JoinChat stream leaving.
    await bob.chat.waitForText('Alice left the room');
    bob.chat.say('still on');
    await bob.session.waitForText('rotate', 'still on');
    assert.equal(bob.chat.status, null);
    assert.equal(bob.session.status, null);

    // The old token is refused, on streams and unary calls alike.
    const stale = new Chatter(client, first('Alice', 'rotate'), withToken(oldToken));
    const refused = await stale.waitForStatus();
    assert.equal(refused.code, grpc.status.UNAUTHENTICATED);
    assert.match(refused.details, /the token is not valid/);
    const staleSession = new SessionClient(server.target, hello('Alice'), withToken(oldToken));
    sessions.push(staleSession);
    assert.equal((await staleSession.waitForStatus()).code, grpc.status.UNAUTHENTICATED);
    await assert.rejects(memberNames(client, 'rotate', withToken(oldToken)), (e: grpc.ServiceError) => e.code === grpc.status.UNAUTHENTICATED);

    // The new one works, both ways in.
    const again = await open(client, server.target, 'Alice', newToken, 'rotate');
    sessions.push(again.session);
    await bob.session.waitForText('rotate', 'Alice is here');
    assert.deepEqual(await memberNames(client, 'rotate', withToken(newToken)), ['Alice', 'Bob']);
    tokens.set('Alice', newToken);
    for (const s of [again, bob]) s.chat.leave();
    await Promise.all([again.session.end(), bob.session.end()]);
  });

  it("remove-user ends the user's JoinChat and Session streams; other users' stay", async () => {
    const alice = await open(client, server.target, 'Alice', tokens.get('Alice') ?? '', 'removal');
    const carol = await open(client, server.target, 'Carol', tokens.get('Carol') ?? '', 'removal');
    sessions.push(alice.session, carol.session);
    // A second Session of Alice's, in no room: it ends too.
    const idle = new SessionClient(server.target, hello('Alice'), withToken(tokens.get('Alice') ?? ''));
    sessions.push(idle);
    await idle.welcome();

    const since = Date.now();
    const run = runBinary(['remove-user', 'alice', '--users', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, `Account 'Alice' removed from ${file}. Its token no longer works; servers using the file end its open streams now.\n`);
    const gone = await ended(alice, since);
    const reason = "your account 'Alice' was removed from this server; ask its admin if that is a mistake";
    assert.deepEqual([gone.chat.code, gone.chat.details], [grpc.status.UNAUTHENTICATED, reason]);
    assert.deepEqual([gone.session.code, gone.session.details], [grpc.status.UNAUTHENTICATED, reason]);
    assert.equal((await idle.waitForStatus()).details, reason);
    assert.ok(gone.ms < 2500, `ended ${gone.ms} ms after remove-user`);
    assert.match(server.stderr(), /Ending a stream of Alice: the account was removed/);

    await carol.chat.waitForText('Alice left the room');
    carol.session.post('removal', 'carol carries on');
    await carol.chat.waitForText('carol carries on');
    assert.equal(carol.chat.status, null);
    assert.equal(carol.session.status, null);
    assert.deepEqual(await memberNames(client, 'removal', withToken(tokens.get('Carol') ?? '')), ['Carol']);

    const stale = new Chatter(client, first('Alice', 'removal'), withToken(tokens.get('Alice') ?? ''));
    assert.equal((await stale.waitForStatus()).code, grpc.status.UNAUTHENTICATED);
    // Removing again: nothing to remove, the file is untouched, exit 1.
    const twice = runBinary(['remove-user', 'Alice', '--users', file]);
    assert.equal(twice.status, 1);
    assert.equal(twice.stderr, `chat-server remove-user: there is no account named 'Alice' in ${file}\n`);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object), ['Bob', 'Carol']);
    carol.chat.leave();
    await carol.session.end();
  });
});
