// pacer.ts and outgoing.ts's pacing and client message ids, on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomEvent } from '../../tui/domain.js';
import { MAX_IN_FLIGHT, Outgoing, type Post } from '../../tui/outgoing.js';
import { Pacer } from '../../tui/pacer.js';

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const R = 'ops';
const line = (seq: number, text: string) => ({ key: `s${seq}`, seq, type: 'TEXT' as const, userId: 'me', username: 'Me', text, timestamp: seq });
const echoOf = (seq: number, post: Post): RoomEvent => ({ kind: 'message', line: line(seq, post.text), own: true, clientMsgId: post.clientMsgId });
const refusal = (post: Post, retryAfterMs: number): RoomEvent => ({
  kind: 'notSent',
  line: { ...line(0, 'Message not sent'), key: 'l-n' },
  refused: post.text,
  clientMsgId: post.clientMsgId,
  retryAfterMs,
});

describe('pacer', () => {
  it('lets half the server\'s burst through, then one message per 1/rate', () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.setLimit({ rate: 5, burst: 6 });
    for (let i = 0; i < 3; i++) {
      assert.equal(p.wait(), 0, `message ${i + 1} of the burst`);
      p.take();
    }
    assert.equal(p.wait(), 200, 'the fourth waits a token (1/5 s)');
    c.advance(150);
    assert.equal(p.wait(), 50);
    c.advance(50);
    assert.equal(p.wait(), 0);
  });

  it('counts what went out before the limit was known, and holds for a refusal\'s wait', () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.take();
    p.take();
    p.setLimit({ rate: 10, burst: 4 });
    assert.equal(p.wait(), 100, 'two sent blind use up the two-token bucket');
    c.advance(100);
    assert.equal(p.wait(), 0);
    p.backOff(700);
    assert.equal(p.wait(), 700, 'the server\'s word wins');
    c.advance(700);
    assert.equal(p.wait(), 0);
  });

  it('does not carry posts sent to a server without a limit over to the next server\'s limit', () => {
    const c = clock();
    const p = new Pacer(c.now);
    p.setLimit(null);
    for (let i = 0; i < 500; i++) p.take();
    p.unknown();
    p.setLimit({ rate: 5, burst: 6 });
    assert.equal(p.wait(), 0, 'a fresh bucket, not 500 tokens in debt');
  });

  it('does not pace when the server has no limit', () => {
    const p = new Pacer(clock().now);
    p.setLimit(null);
    for (let i = 0; i < 1000; i++) p.take();
    assert.equal(p.wait(), 0);
  });
});

describe('outgoing with pacing and ids', () => {
  function harness(c = clock()) {
    const wire: Post[] = [];
    const refused: string[] = [];
    const out = new Outgoing(
      { write: (_r, post) => wire.push(post), changed: () => undefined, refused: (_r, text, why) => refused.push(`${text}: ${why}`) },
      new Pacer(c.now),
    );
    out.opened(R, false);
    out.live(R);
    return { out, wire, refused, c };
  }

  it('writes nothing while the server\'s limit is being asked for, then paces from the first post', () => {
    const c = clock();
    const { out, wire } = harness(c);
    out.pacer.unknown();
    for (let i = 1; i <= 5; i++) out.add(R, `line ${i}`);
    assert.equal(wire.length, 0, 'held until the answer');
    out.pacer.setLimit({ rate: 5, burst: 4 });
    out.kick();
    assert.deepEqual(wire.map((p) => p.text), ['line 1', 'line 2'], 'half the burst, not all five blind');
    out.close();
  });

  it('keeps at most MAX_IN_FLIGHT posts unconfirmed on a stream, writing more as echoes come back', () => {
    const { out, wire } = harness();
    for (let i = 0; i < MAX_IN_FLIGHT + 50; i++) out.add(R, `m${i}`);
    assert.equal(wire.length, MAX_IN_FLIGHT);
    out.received(R, wire.slice(0, 30).map((p, i) => echoOf(i + 1, p)));
    assert.equal(wire.length, MAX_IN_FLIGHT + 30, 'thirty echoes, thirty more');
    assert.equal(wire.at(-1)?.text, `m${MAX_IN_FLIGHT + 29}`, 'in order');
    out.close();
  });

  it('gives each message its own id and confirms exactly the echoed one, even among equal texts', () => {
    const { out, wire } = harness();
    out.add(R, 'same');
    out.add(R, 'same');
    out.add(R, 'same');
    assert.equal(new Set(wire.map((p) => p.clientMsgId)).size, 3, 'three ids');
    const [, second] = wire;
    assert.ok(second);
    out.received(R, [echoOf(1, second)]);
    assert.equal(out.size, 2);
    // The first and third are still pending: a resend on a new stream writes exactly those.
    out.lost(R);
    out.opened(R, false);
    out.live(R);
    assert.deepEqual(wire.slice(3).map((p) => p.clientMsgId), [wire[0]?.clientMsgId, wire[2]?.clientMsgId]);
    out.close();
  });

  it('writes only what the pacer allows and the rest on its timer, in order', async () => {
    const { out, wire } = harness({ now: () => performance.now(), advance: () => 0 });
    out.pacer.setLimit({ rate: 50, burst: 4 });
    for (let i = 1; i <= 6; i++) out.add(R, `line ${i}`);
    assert.deepEqual(wire.map((p) => p.text), ['line 1', 'line 2'], 'half the burst at once');
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(wire.map((p) => p.text), ['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6'], 'the rest at 50/s, in order');
    out.close();
  });

  it('puts a message refused for rate back in its place and drops one refused for good', async () => {
    const { out, wire, refused } = harness({ now: () => performance.now(), advance: () => 0 });
    out.add(R, 'a');
    out.add(R, 'b');
    out.add(R, 'too long');
    const [a, b, long] = wire;
    assert.ok(a && b && long);
    out.received(R, [refusal(a, 30), refusal(b, 30), refusal(long, 0)]);
    assert.deepEqual(refused, ['too long: Message not sent']);
    assert.equal(out.size, 2, 'a and b wait');
    assert.equal(wire.length, 3, 'nothing during the wait');
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(wire.slice(3).map((p) => [p.text, p.clientMsgId]), [['a', a.clientMsgId], ['b', b.clientMsgId]], 'same ids, same order');
    out.close();
  });
});
