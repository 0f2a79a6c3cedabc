// Accounts: `chat-server add-user` prints a token once and stores only a salted
// hash; with --users every call needs a valid token, and a token speaks only
// as its own name.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { peerAddress } from '../../server/accounts.js';
import { Chatter, connect, eventually, memberNames, tempDir, tuiClient } from '../helpers.js';
import { runBinary, startBinary, stopBinary } from '../processes.js';

function addUser(file: string, name: string): string {
  const run = runBinary(['add-user', name, '--users', file]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /shown only this once/);
  return run.stdout.trim();
}

function withToken(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}

describe('accounts', () => {
  it('finds the client address in a grpc-js peer', () => {
    assert.equal(peerAddress('ipv4:127.0.0.1:50123'), '127.0.0.1');
    assert.equal(peerAddress('ipv6:[::1]:50123'), '::1');
    assert.equal(peerAddress('[2001:db8::7]:443'), '2001:db8::7');
    assert.equal(peerAddress('10.0.0.2:9'), '10.0.0.2');
  });

  it('makes tokens that are stored only as salted hashes', () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'users.json');
      const alice = addUser(file, 'alice');
      const bob = addUser(file, 'bob');
      assert.match(alice, /^[0-9a-f]{12}\.[A-Za-z0-9_-]{32}$/);
      const saved = readFileSync(file, 'utf8');
      for (const token of [alice, bob]) {
        assert.ok(!saved.includes(token.split('.')[1] ?? '?'), 'the secret is not in the file');
      }
      const entries = JSON.parse(saved) as Record<string, string>;
      assert.deepEqual(Object.keys(entries), ['alice', 'bob']);
      assert.match(entries.alice ?? '', /^scrypt:[0-9a-f]{12}:[0-9a-f]{32}:[0-9a-f]{64}$/);
      const bad = runBinary(['add-user', 'x\u0007y', '--users', file]);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /control characters/);
    } finally {
      tmp.cleanup();
    }
  });

  it('lets in only valid tokens, each as its own name', async (t) => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'users.json');
    const aliceToken = addUser(file, 'Alice');
    const server = await startBinary(['--store', 'memory', '--users', file]);
    const client = connect(server.target);
    t.after(async () => {
      client.close();
      await stopBinary(server);
      tmp.cleanup();
    });

    const statusOf = async (md: grpc.Metadata, username: string) => {
      const call = client.JoinChat(md);
      call.write({ username, room_id: 'vip', type: 'JOIN', user_id: `${username}-id` });
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      return new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve)).finally(() => call.cancel());
    };
    const none = await statusOf(new grpc.Metadata(), 'Alice');
    assert.equal(none.code, grpc.status.UNAUTHENTICATED);
    assert.match(none.details, /this server needs an account: pass --token TOKEN/);
    const forged = await statusOf(withToken(`${aliceToken.split('.')[0]}.not-the-secret`), 'Alice');
    assert.equal(forged.code, grpc.status.UNAUTHENTICATED);
    assert.match(forged.details, /the token is not valid/);
    const asBob = await statusOf(withToken(aliceToken), 'Bob');
    assert.equal(asBob.code, grpc.status.PERMISSION_DENIED);
    assert.equal(asBob.details, "this token belongs to 'Alice'; it cannot speak as 'Bob'");

    // The unary calls are closed too.
    await assert.rejects(memberNames(client, 'vip', new grpc.Metadata()), (e: grpc.ServiceError) => e.code === grpc.status.UNAUTHENTICATED);

    // chat-tui with the right token chats; a token added while the server runs works at once.
    const { store, client: tui } = tuiClient('Alice', server.target, 'vip', { token: aliceToken });
    t.after(() => tui.close());
    tui.join('vip');
    tui.send('vip', 'members only');
    await eventually(() => store.getState().rooms.vip?.lines.some((l) => l.text === 'members only' && l.seq > 0) ?? false, 'the echo');
    // Guessing secrets for a known ID: 80 at once from one address; past the burst they are not even checked.
    const guesses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => statusOf(withToken(`${aliceToken.split('.')[0]}.guess-${i}`), 'Alice')),
    );
    const throttled = guesses.filter((g) => g.code === grpc.status.RESOURCE_EXHAUSTED);
    assert.ok(throttled.length >= 20, `${throttled.length} of 80 guesses throttled`);
    assert.equal(throttled[0]?.details, 'too many token checks from your address; wait a few seconds and try again');
    assert.ok(guesses.every((g) => g.code === grpc.status.RESOURCE_EXHAUSTED || g.code === grpc.status.UNAUTHENTICATED));
    // A token already checked is not held up by them.
    const stillIn = new Chatter(client, { username: 'Alice', room_id: 'vip', type: 'JOIN', user_id: 'alice-id' }, withToken(aliceToken));
    await stillIn.waitForText('members only');
    stillIn.leave();

    // A chat-tui whose only room is refused says so, instead of "connecting" for ever.
    const { store: refusedStore, client: mallory } = tuiClient('Mallory', server.target, 'vip', { token: aliceToken });
    t.after(() => mallory.close());
    mallory.join('vip');
    await eventually(() => refusedStore.getState().connection.state === 'refused', 'refused state');
    assert.ok(
      refusedStore.getState().rooms.vip?.lines.some((l) => l.text === "Server refused: this token belongs to 'Alice'; it cannot speak as 'Mallory'"),
      'the refusal is in the pane',
    );
    const carolToken = addUser(file, 'Carol');
    const carol = new Chatter(client, { username: 'Carol', room_id: 'vip', type: 'JOIN', user_id: 'carol-id' }, withToken(carolToken));
    await carol.waitForText('members only');
    assert.deepEqual(await memberNames(client, 'vip', withToken(carolToken)), ['Alice', 'Carol']);
    carol.leave();
  });
});
