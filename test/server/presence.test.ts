// JOIN and LEAVE notices coalesced per room (server/presence-notices.ts): the
// rules on their own, then over real gRPC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import { nameList, notice, PresenceNotices, PRESENCE_WINDOW_MS, type NoticePost } from '../../server/presence-notices.js';
import { Chatter, eventually, join, memberNames, sleep, suiteServer, unary } from '../helpers.js';

/** A PresenceNotices whose posts are recorded as "TYPE text [excluded ids]". */
function recorder(windowMs = 10_000): { notices: PresenceNotices; posted: string[] } {
  const posted: string[] = [];
  const post = ({ draft, exclude }: NoticePost) => posted.push(`${draft.type} ${draft.message}${exclude ? ` [${[...exclude].join(',')}]` : ''}`);
  return { notices: new PresenceNotices(post, windowMs), posted };
}

describe('presence notices, the rules', () => {
  it('names one, two, three, then two and a count, each name once', () => {
    assert.equal(nameList(['Alice']), 'Alice');
    assert.equal(nameList(['Alice', 'Bob']), 'Alice and Bob');
    assert.equal(nameList(['Alice', 'Bob', 'Carol']), 'Alice, Bob and Carol');
    assert.equal(nameList(['Alice', 'Bob', 'Carol', 'Dave']), 'Alice, Bob and 2 others');
    const fifty = Array.from({ length: 50 }, (_, i) => `u${i}`);
    assert.equal(notice('JOIN', fifty.map((username) => ({ username })), '').message, 'u0, u1 and 48 others joined the room');
    const twice = notice('JOIN', [{ username: 'Ben' }, { username: 'Ben' }], '');
    assert.deepEqual([twice.type, twice.message, twice.user_id, twice.username], ['JOIN', 'Ben joined the room', 'SYSTEM', 'System']);
    assert.equal(notice('LEAVE', [{ username: 'Dave' }], ' (connection lost)').message, 'Dave left the room (connection lost)');
    assert.equal(notice('LEAVE', [{ username: 'Dave' }, { username: 'Erin' }], ' (connection lost)').message, 'Dave and Erin left the room (connection lost)');
  });

  it('posts the first notice at once and holds the rest of the window as one', () => {
    const { notices, posted } = recorder();
    notices.joined(1, 'Alice');
    assert.deepEqual(posted, ['JOIN Alice joined the room [1]']);
    for (let i = 2; i <= 11; i++) notices.joined(i, `J${i}`);
    assert.equal(posted.length, 1, 'held while the window is open');
    assert.ok(notices.holding);
    notices.flush(); // what a post in the room does
    assert.deepEqual(posted.slice(1), ['JOIN J2, J3 and 8 others joined the room [2,3,4,5,6,7,8,9,10,11]']);
    assert.ok(!notices.holding);
    notices.close();
  });

  it('drops a join and a leave within one window either way round; LEAVEs before JOINs', () => {
    const { notices, posted } = recorder();
    notices.joined(1, 'Alice'); // at once
    notices.joined(2, 'Bob');
    notices.left({ sessionId: 2, username: 'Bob' });
    assert.ok(!notices.holding, 'Bob came and went: nothing to say');
    notices.joined(3, 'Alice'); // Alice's new stream...
    notices.left({ sessionId: 1, username: 'Alice' }); // ...and her old one's end: she is still here
    assert.ok(!notices.holding);
    notices.left({ sessionId: 3, username: 'Alice' }); // she drops...
    notices.joined(4, 'Alice'); // ...and is back within the window: she never left
    assert.ok(!notices.holding);
    notices.left({ sessionId: 4, username: 'Alice' }); // gone for good
    notices.joined(5, 'Carol');
    notices.left({ username: 'Zed' }, ' (connection lost)');
    notices.joined(6, 'Zed'); // a (connection lost) leave is another server's word: told as it is
    notices.flush();
    assert.deepEqual(posted, [
      'JOIN Alice joined the room [1]',
      'LEAVE Alice left the room',
      'LEAVE Zed left the room (connection lost)',
      'JOIN Carol and Zed joined the room [5,6]',
    ]);
    notices.close();
  });

  it('posts what is held when the window ends, and goes at once again after a quiet window', async () => {
    const { notices, posted } = recorder(40);
    notices.joined(1, 'A');
    notices.joined(2, 'B');
    const held = notices.posted();
    await held;
    assert.deepEqual(posted, ['JOIN A joined the room [1]', 'JOIN B joined the room [2]']);
    await sleep(150); // a whole window with nothing: it closes
    notices.left({ sessionId: 1, username: 'A' });
    assert.deepEqual(posted.at(-1), 'LEAVE A left the room', 'posted at once');
    notices.close();
  });
});

describe('presence notices over gRPC', () => {
  const fx = suiteServer({ history: 50 });
  const history = (room: string) =>
    unary<object, HistoryPage__Output>((r, cb) => fx.client.GetHistory(r, cb), { room_id: room, before_seq: 0, limit: 100 }).then((p) =>
      p.messages.map((m) => `${m.type} ${m.message}`),
    );

  it('tells the room of one joiner as before, and not the joiner', async () => {
    const alice = join(fx.client, 'Alice', 'one');
    await eventually(async () => (await memberNames(fx.client, 'one')).includes('Alice'), 'Alice in');
    await sleep(PRESENCE_WINDOW_MS + 100); // her window closes: the next notice goes at once
    const bob = join(fx.client, 'Bob', 'one');
    await alice.waitForText('Bob joined the room');
    bob.say('hi');
    await bob.waitForText('hi');
    // Bob's history holds Alice's JOIN; neither gets its own.
    assert.deepEqual(bob.received.filter((m) => m.type === 'JOIN').map((m) => m.message), ['Alice joined the room']);
    assert.deepEqual(alice.received.filter((m) => m.type === 'JOIN').map((m) => m.message), ['Bob joined the room']);
    alice.leave();
    bob.leave();
  });

  it('announces ten joiners within the window in one JOIN, sent to none of them', async () => {
    const alice = join(fx.client, 'Alice', 'ten');
    const ten = Array.from({ length: 10 }, (_, i) => join(fx.client, `J${i}`, 'ten'));
    await alice.waitForText('J0, J1 and 8 others joined the room');
    for (const [i, j] of ten.entries()) j.say(`from J${i}`);
    await Promise.all(ten.map((j) => j.waitFor((r) => r.filter((m) => m.type === 'TEXT').length === 10, 'ten texts')));
    const joins = alice.received.filter((m) => m.type === 'JOIN');
    assert.deepEqual(joins.map((m) => m.message), ['J0, J1 and 8 others joined the room']);
    const seq = joins[0]?.seq ?? 0;
    for (const j of ten) {
      assert.ok(!j.received.some((m) => m.seq === seq), 'the notice naming it is not sent to it');
      assert.ok(j.received.some((m) => m.seq > seq), 'while what follows it is');
    }
    assert.deepEqual((await history('ten')).filter((l) => l.startsWith('JOIN')), ['JOIN Alice joined the room', 'JOIN J0, J1 and 8 others joined the room']);
    for (const c of [alice, ...ten]) c.leave();
  });

  it("posts a held JOIN before the joiner's first message", async () => {
    const alice = join(fx.client, 'Alice', 'first');
    const bob = join(fx.client, 'Bob', 'first'); // within Alice's window: held
    bob.say('straight away');
    await alice.waitForText('straight away');
    const lines = alice.received.filter((m) => m.seq > 0).map((m) => `${m.seq} ${m.type} ${m.message}`);
    const joinAt = lines.findIndex((l) => l.endsWith('JOIN Bob joined the room'));
    const textAt = lines.findIndex((l) => l.endsWith('TEXT straight away'));
    assert.ok(joinAt >= 0 && joinAt < textAt, lines.join('\n'));
    assert.deepEqual(await history('first'), ['JOIN Alice joined the room', 'JOIN Bob joined the room', 'TEXT straight away']);
    // A first message that is itself a TEXT: the JOIN still comes first.
    const dana = new Chatter(fx.client, { username: 'Dana', room_id: 'first', type: 'TEXT', message: 'first words' });
    await alice.waitForText('first words');
    assert.deepEqual((await history('first')).slice(3), ['JOIN Dana joined the room', 'TEXT first words']);
    assert.ok(!dana.received.some((m) => m.message === 'Dana joined the room'));
    alice.leave();
    bob.leave();
    dana.leave();
  });

  it('never announces a join and a leave within one window; a leave after an announced join is told', async () => {
    const alice = join(fx.client, 'Alice', 'brief');
    const bob = join(fx.client, 'Bob', 'brief'); // held in Alice's window...
    bob.leave(); // ...and gone before it ends
    await bob.waitForStatus();
    await sleep(PRESENCE_WINDOW_MS * 2 + 100);
    assert.deepEqual(await history('brief'), ['JOIN Alice joined the room']);
    assert.ok(!alice.received.some((m) => m.message.includes('Bob')));
    // Carol comes after a quiet window (told at once) and leaves within the next: her LEAVE is told.
    const carol = join(fx.client, 'Carol', 'brief');
    await alice.waitForText('Carol joined the room');
    carol.leave();
    await alice.waitForText('Carol left the room');
    assert.deepEqual(await history('brief'), ['JOIN Alice joined the room', 'JOIN Carol joined the room', 'LEAVE Carol left the room']);
    alice.leave();
  });
});
