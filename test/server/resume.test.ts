// Reconnect and resume: every message after the last seen seq, none twice;
// history pages for scrollback; room and member lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import { eventually, join, memberNames, suiteServer, unary } from '../helpers.js';

/**
 * Every seq from `first` on arrives once, in order; the one hole allowed is the
 * resumer's own JOIN, which the seed's rule keeps from its sender.
 */
function assertContiguousExceptOwnJoin(seqs: number[], first: number): void {
  assert.equal(seqs[0], first, 'starts right after the last seen seq');
  let holes = 0;
  for (let i = 1; i < seqs.length; i++) {
    const step = (seqs[i] ?? 0) - (seqs[i - 1] ?? 0);
    assert.ok(step === 1 || (step === 2 && holes++ === 0), `seq ${seqs[i - 1]} -> ${seqs[i]}: no gap, no duplicate`);
  }
  assert.equal(holes, 1, 'exactly one hole: the own JOIN');
}

describe('resume and history RPCs', () => {
  const fx = suiteServer({ history: 5 });

  it('replays exactly what was missed after resume_after_seq', async () => {
    const alice = join(fx.client, 'Alice', 'resume');
    const bob = join(fx.client, 'Bob', 'resume');
    await alice.waitForText('Bob joined the room');
    bob.say('before drop');
    await bob.waitForText('before drop');
    const lastSeen = Math.max(...bob.received.map((m) => m.seq));
    bob.call.cancel();
    await alice.waitForText('Bob left the room');
    for (let i = 0; i < 20; i++) alice.say(`missed ${i}`);
    await alice.waitForText('missed 19');
    const bob2 = join(fx.client, 'Bob', 'resume', { resume_after_seq: lastSeen });
    bob2.say('back');
    await bob2.waitForText('back');
    const stored = bob2.received.filter((m) => m.seq > 0);
    assertContiguousExceptOwnJoin(stored.map((m) => m.seq), lastSeen + 1);
    assert.deepEqual(
      stored.slice(0, 21).map((m) => m.message),
      ['Bob left the room', ...Array.from({ length: 20 }, (_, i) => `missed ${i}`)],
    );
    const system = bob2.received.filter((m) => m.type === 'SYSTEM');
    assert.deepEqual(system.map((m) => m.notice), ['NOTICE_CAUGHT_UP'], 'a resume is no history block, just a caught-up mark');
    const caughtUp = bob2.received.findIndex((m) => m.notice === 'NOTICE_CAUGHT_UP');
    assert.equal(bob2.received[caughtUp - 1]?.message, 'missed 19', 'the mark follows the replay');
    alice.leave();
    bob2.leave();
  });

  it('keeps messages posted during a long resume replay, in order, after it', async () => {
    const writer = join(fx.client, 'Writer', 'bigresume');
    for (let i = 0; i < 1500; i++) writer.say(`m${i}`);
    await writer.waitForText('m1499', 10000);
    const reader = join(fx.client, 'Reader', 'bigresume', { resume_after_seq: 0 });
    for (let i = 0; i < 30; i++) writer.say(`live${i}`);
    await reader.waitForText('live29', 10000);
    assertContiguousExceptOwnJoin(reader.received.filter((m) => m.seq > 0).map((m) => m.seq), 1);
    writer.leave();
    reader.leave();
  });

  it('pages history backwards and says when the beginning is reached', async () => {
    const w = join(fx.client, 'Pager', 'pages');
    for (let i = 1; i <= 25; i++) w.say(`p${i}`);
    await w.waitForText('p25');
    const get = (before_seq: number, limit: number) =>
      unary<object, HistoryPage__Output>((r, cb) => fx.client.GetHistory(r, cb), { room_id: '#pages', before_seq, limit });
    const newest = await get(0, 10);
    assert.equal(newest.messages.length, 10);
    assert.equal(newest.messages.at(-1)?.message, 'p25');
    assert.equal(newest.reached_start, false);
    const older = await get(newest.messages[0]?.seq ?? 0, 10);
    assert.deepEqual(older.messages.map((m) => m.message), ['p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12', 'p13', 'p14', 'p15']);
    const oldest = await get(older.messages[0]?.seq ?? 0, 10);
    assert.equal(oldest.reached_start, true);
    assert.equal(oldest.messages[0]?.message, 'Pager joined the room');
    const empty = await get(0, 10).then(() => unary<object, HistoryPage__Output>((r, cb) => fx.client.GetHistory(r, cb), { room_id: 'nothing-here' }));
    assert.deepEqual([empty.messages.length, empty.reached_start], [0, true]);
    await assert.rejects(
      unary((r, cb) => fx.client.GetHistory(r, cb), { room_id: 'bad room' }),
      (e: { code: number; details: string }) => e.code === 3 && /letters, digits/.test(e.details),
    );
    w.leave();
  });

  it('lists rooms with member counts and latest seq, and the members of a room', async () => {
    const a = join(fx.client, 'Ann', 'lists');
    const b = join(fx.client, 'Ben', 'lists');
    const b2 = join(fx.client, 'Ben', 'lists'); // a second stream of the same user counts once
    await a.waitForText('Ben joined the room');
    await eventually(async () => (await memberNames(fx.client, 'lists')).length === 2, 'two members');
    const list = await unary<object, RoomList__Output>((r, cb) => fx.client.ListRooms(r, cb), {});
    const room = list.rooms.find((r) => r.room_id === 'lists');
    assert.equal(room?.member_count, 2);
    // Ann's JOIN, and one for Ben's two streams (joined within one presence window: one notice, one name).
    assert.ok((room?.latest_seq ?? 0) >= 2);
    assert.deepEqual(await memberNames(fx.client, 'lists'), ['Ann', 'Ben']);
    b.leave();
    b2.leave();
    await eventually(async () => (await memberNames(fx.client, 'lists')).length === 1, 'Ben gone');
    a.leave();
  });
});
