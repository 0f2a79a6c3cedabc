// The seed's semantics over real gRPC: history, notices, stamping, isolation, order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertConsecutive, Chatter, join, suiteServer } from '../helpers.js';

describe('chat engine', () => {
  const fx = suiteServer({ history: 3 });

  it('echoes text to the sender and delivers it to the room, stamped by the server', async () => {
    const alice = join(fx.client, 'Alice', 'stamp');
    await alice.waitFor(() => true, 'nothing', 10);
    const bob = join(fx.client, 'Bob', 'stamp');
    await alice.waitForText('Bob joined the room');
    const before = Date.now();
    // Try to speak as someone else, into another room, with a fake timestamp.
    bob.call.write({ type: 'TEXT', message: 'Hi Alice!', username: 'Mallory', user_id: 'x', room_id: 'other', timestamp: 1 });
    await alice.waitForText('Hi Alice!');
    await bob.waitForText('Hi Alice!');
    const got = alice.received.find((m) => m.message === 'Hi Alice!');
    assert.ok(got);
    assert.equal(got.username, 'Bob');
    assert.equal(got.user_id, 'Bob-id');
    assert.equal(got.room_id, 'stamp');
    assert.equal(got.type, 'TEXT');
    assert.ok(got.timestamp >= before && got.timestamp <= Date.now(), `timestamp ${got.timestamp} is server time`);
    assert.ok(got.seq > 0);
    alice.leave();
    bob.leave();
  });

  it('replays the last N messages between the seed separators, then announces the joiner to others only', async () => {
    const alice = join(fx.client, 'Alice', 'hist');
    for (const t of ['one', 'two', 'three', 'four']) alice.say(t);
    await alice.waitForText('four');
    const bob = join(fx.client, 'Bob', 'hist');
    await bob.waitForText('--- End of history ---');
    assert.deepEqual(
      bob.lines(),
      [
        'SYSTEM System: --- Recent messages in hist ---',
        'TEXT Alice: two',
        'TEXT Alice: three',
        'TEXT Alice: four',
        'SYSTEM System: --- End of history ---',
      ],
    );
    await alice.waitForText('Bob joined the room');
    const joinMsg = alice.received.find((m) => m.type === 'JOIN' && m.message === 'Bob joined the room');
    assert.equal(joinMsg?.user_id, 'SYSTEM');
    assert.equal(joinMsg?.username, 'System');
    bob.say('after');
    await bob.waitForText('after');
    assert.ok(!bob.received.some((m) => m.type === 'JOIN'), 'the joiner does not receive its own JOIN live');
    bob.leave();
    await alice.waitForText('Bob left the room');
    // JOIN and LEAVE are history too.
    const carol = join(fx.client, 'Carol', 'hist');
    await carol.waitForText('--- End of history ---');
    assert.deepEqual(carol.lines().slice(1, 4), [
      'JOIN System: Bob joined the room',
      'TEXT Bob: after',
      'LEAVE System: Bob left the room',
    ]);
    alice.leave();
    carol.leave();
  });

  it('sends no history block for an empty room and posts a first TEXT message', async () => {
    const dana = new Chatter(fx.client, { username: 'Dana', room_id: 'fresh', type: 'TEXT', message: 'first words' });
    await dana.waitForText('first words');
    assert.deepEqual(dana.lines(), ['TEXT Dana: first words']);
    assert.ok(dana.received[0]?.user_id, 'the server gives an id to a client that sent none');
    dana.leave();
  });

  it('isolates rooms and keeps one order for everyone in a room', async () => {
    const a = join(fx.client, 'A', 'order');
    const b = join(fx.client, 'B', 'order');
    const c = join(fx.client, 'C', 'elsewhere');
    await a.waitForText('B joined the room');
    for (let i = 0; i < 50; i++) {
      a.say(`a${i}`);
      b.say(`b${i}`);
    }
    c.say('not for order');
    const done = (r: Chatter) => r.waitFor((m) => m.filter((x) => x.type === 'TEXT').length === 100, '100 texts');
    await Promise.all([done(a), done(b)]);
    await c.waitForText('not for order');
    assert.deepEqual(a.texts(), b.texts());
    const seqs = a.received.filter((m) => m.type === 'TEXT').map((m) => m.seq);
    assertConsecutive(seqs, 'seq rises by one');
    assert.ok(!a.texts().includes('C: not for order'));
    assert.ok(!c.texts().some((t) => t.startsWith('A:') || t.startsWith('B:')));
    a.leave();
    b.leave();
    c.leave();
  });

  it('posts LEAVE when a client sends LEAVE or cancels its stream', async () => {
    const x = join(fx.client, 'X', 'bye');
    const y = join(fx.client, 'Y', 'bye');
    const z = join(fx.client, 'Z', 'bye');
    // Y and Z join within one presence window: one notice names both (presence-notices.ts).
    await x.waitFor((r) => r.some((m) => m.type === 'JOIN' && /\bZ joined the room$/.test(m.message)), 'a JOIN naming Z');
    y.call.write({ type: 'LEAVE' });
    await x.waitForText('Y left the room');
    z.call.cancel();
    await x.waitForText('Z left the room');
    const status = await y.waitForStatus();
    assert.equal(status.code, 0);
    x.leave();
  });
});
