// Issue 16 across two servers sharing one real redis-server: an edit, a
// reaction and a delete made on one server reach the other live (Session and
// JoinChat clients), checks there read the same store (only the author edits,
// from either server), replies quote messages posted on the other server, and
// both servers' history pages show the messages as they are now.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import { join, type Chatter } from '../helpers.js';
import type { Spawned } from '../processes.js';
import { startRedisPair, type RedisPair } from '../support/redis-pair.js';
import { hello, SessionClient } from '../session-client.js';

function getHistory(c: ChatServiceClient, room: string): Promise<HistoryPage__Output> {
  return new Promise((resolve, reject) =>
    c.GetHistory({ room_id: room, before_seq: 0, limit: 100 }, (err, res) => (err || !res ? reject(err) : resolve(res))),
  );
}

async function eventOf(s: SessionClient, room: string, action: string, target: number, nth = 1): Promise<ChatMessage__Output> {
  const found = () => s.messages(room).filter((m) => m.type === 'SYSTEM' && m.action === action && m.target_seq === target);
  await s.waitFor(() => found().length >= nth, `${action} #${nth} of ${target} in ${room}`);
  return found()[nth - 1] as ChatMessage__Output;
}

describe('messages across two servers sharing Redis', () => {
  let pair: RedisPair;
  let a: Spawned;
  let b: Spawned;
  let ca: ChatServiceClient;
  let cb: ChatServiceClient;
  const open: SessionClient[] = [];
  const chatters: Chatter[] = [];

  before(async () => {
    pair = await startRedisPair();
    ({ a, b, ca, cb } = pair);
  });
  after(async () => {
    for (const s of open) s.cancel();
    for (const c of chatters) c.leave();
    await pair.stop();
  });

  it('an edit, reactions and a delete on A reach B live and show on both servers\' history; B checks the author too', async () => {
    const room = 'shared';
    const alice = new SessionClient(a.target, hello('Alice', { join: [room] }));
    const bob = new SessionClient(b.target, hello('Bob', { join: [room] }));
    open.push(alice, bob);
    await Promise.all([alice.welcome(), bob.welcome()]);
    const seed = join(cb, 'Sid', room);
    chatters.push(seed);
    await seed.waitFor((r) => r.length > 0, 'the seed client joined');

    alice.post(room, 'deploy at 5', 'x-1');
    await bob.waitForText(room, 'deploy at 5');
    const seq = bob.messages(room).find((m) => m.message === 'deploy at 5')?.seq ?? 0;
    assert.ok(seq > 0);

    alice.send({ edit: { room_id: room, seq, text: 'deploy at 6' } });
    const edit = await eventOf(bob, room, 'EDIT', seq);
    assert.equal(edit.message, 'Alice edited a message: deploy at 6');
    assert.equal(edit.detail, 'deploy at 6');
    await seed.waitFor((r) => r.some((m) => m.type === 'SYSTEM' && m.message === 'Alice edited a message: deploy at 6' && m.seq === edit.seq), 'the edit on B as a SYSTEM line');

    // B reads the same store: Bob cannot edit Alice's message there either.
    const rid = bob.send({ edit: { room_id: room, seq, text: 'deploy never' } });
    await bob.waitFor(() => bob.of('error').some((e) => e.request_id === rid), 'the refusal');
    assert.equal(bob.of('error').find((e) => e.request_id === rid)?.code, grpc.status.PERMISSION_DENIED);

    // A reaction toggled on B reaches A; the second one on B is an UNREACT.
    bob.send({ react: { room_id: room, seq, emoji: ':tada:' } });
    await eventOf(alice, room, 'REACT', seq);
    alice.send({ react: { room_id: room, seq, emoji: '🎉' } });
    await eventOf(bob, room, 'REACT', seq, 2);
    bob.send({ react: { room_id: room, seq, emoji: '🎉' } });
    await eventOf(alice, room, 'UNREACT', seq);

    // A reply on B quotes the message (as it is now) posted on A.
    bob.send({ post: { room_id: room, text: 'ok', client_msg_id: 'y-1', reply_to: seq } });
    await alice.waitForText(room, 'ok');
    const reply = alice.messages(room).find((m) => m.message === 'ok');
    assert.equal(reply?.reply_to, seq);
    assert.equal(reply?.reply_quote, 'Alice: deploy at 6');

    for (const [name, c] of [['A', ca], ['B', cb]] as const) {
      const m = (await getHistory(c, room)).messages.find((x) => x.seq === seq);
      assert.equal(m?.message, 'deploy at 6', name);
      assert.equal(m?.edited, true, name);
      assert.deepEqual(m?.reactions.map((r) => [r.emoji, r.count, r.users]), [['🎉', 1, ['Alice']]], name);
    }

    alice.send({ delete: { room_id: room, seq } });
    await eventOf(bob, room, 'DELETE', seq);
    await seed.waitFor((r) => r.some((m) => m.type === 'SYSTEM' && m.message === 'Alice deleted a message'), 'the delete on B');
    const gone = (await getHistory(cb, room)).messages.find((x) => x.seq === seq);
    assert.equal(gone?.deleted, true);
    assert.equal(gone?.message, '');
  });
});
