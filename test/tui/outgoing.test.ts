// outgoing.ts on its own: what goes on the wire when, and what stays pending.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBatch } from '../../tui/client.js';
import type { PendingMessage, RoomEvent } from '../../tui/domain.js';
import { Outgoing } from '../../tui/outgoing.js';
import { createChatStore } from '../../tui/store.js';

const R = 'general';

/** An Outgoing whose writes and published queues are recorded. */
function harness() {
  const wire: string[] = [];
  const shown = new Map<string, readonly PendingMessage[]>();
  let publishes = 0;
  const out = new Outgoing({
    write: (roomId, post) => wire.push(`${roomId}:${post.text}`),
    changed: (roomId, pending) => {
      publishes++;
      shown.set(roomId, pending);
    },
  });
  const pending = (roomId = R) => (shown.get(roomId) ?? []).map((p) => `${p.text}${p.sent ? '' : '?'}`);
  return { out, wire, pending, shown, publishes: () => publishes };
}

const line = (seq: number, text: string, username = 'Me') => ({ key: `s${seq}`, seq, type: 'TEXT' as const, userId: `${username}-id`, username, text, timestamp: seq });
const echo = (seq: number, text: string): RoomEvent => ({ kind: 'message', line: line(seq, text), own: true, clientMsgId: '' });
const other = (seq: number, text: string): RoomEvent => ({ kind: 'message', line: line(seq, text, 'Bob'), own: false, clientMsgId: '' });
const caughtUp: RoomEvent = { kind: 'caughtUp' };
const notSent = (refused: string): RoomEvent => ({ kind: 'notSent', line: { ...line(0, 'Message not sent', 'System'), key: 'l-x' }, refused, clientMsgId: '', retryAfterMs: 0 });

describe('outgoing', () => {
  it('keeps what is typed while down, writes it in order once live, and writes new ones at once', () => {
    const { out, wire, pending } = harness();
    out.add(R, 'one');
    out.add(R, 'two');
    assert.deepEqual(wire, []);
    assert.deepEqual(pending(), ['one?', 'two?']);
    out.opened(R, false);
    assert.deepEqual(wire, [], 'opening is not answering');
    out.live(R);
    assert.deepEqual(wire, [`${R}:one`, `${R}:two`]);
    assert.deepEqual(pending(), ['one', 'two']);
    out.add(R, 'three');
    assert.deepEqual(wire, [`${R}:one`, `${R}:two`, `${R}:three`], 'only the new one');
    out.lost(R);
    out.add(R, 'four');
    assert.equal(wire.length, 3, 'nothing goes out while down');
    assert.deepEqual(pending(), ['one', 'two', 'three', 'four?']);
  });

  it('writes every unconfirmed message again on a stream that joins afresh', () => {
    const { out, wire } = harness();
    out.opened(R, false);
    out.live(R);
    out.add(R, 'a');
    out.received(R, [echo(1, 'a')]);
    out.add(R, 'b');
    out.lost(R);
    out.opened(R, false);
    out.live(R);
    assert.deepEqual(wire, [`${R}:a`, `${R}:b`, `${R}:b`]);
  });

  it('holds a resumed stream until the caught-up mark, then writes what the replay did not echo, in order, once', () => {
    const { out, wire, pending } = harness();
    out.opened(R, false);
    out.live(R);
    for (const t of ['arrived', 'lost', 'also lost']) out.add(R, t);
    out.lost(R);
    out.opened(R, true);
    out.live(R);
    out.add(R, 'typed meanwhile');
    assert.equal(wire.length, 3, 'held: the replay may yet confirm them');
    assert.deepEqual(pending(), ['arrived', 'lost', 'also lost', 'typed meanwhile?']);
    out.received(R, [other(5, 'hi'), echo(6, 'arrived'), caughtUp]);
    assert.deepEqual(wire.slice(3), [`${R}:lost`, `${R}:also lost`, `${R}:typed meanwhile`]);
    assert.deepEqual(pending(), ['lost', 'also lost', 'typed meanwhile']);
    out.add(R, 'after');
    assert.deepEqual(wire.slice(6), [`${R}:after`], 'live again');
  });

  it('does not hold a resume when nothing went out before', () => {
    const { out, wire } = harness();
    out.add(R, 'queued offline');
    out.opened(R, true);
    out.live(R);
    assert.deepEqual(wire, [`${R}:queued offline`]);
  });

  it('ignores a caught-up mark from a stream that has since been lost', () => {
    const { out, wire } = harness();
    out.opened(R, false);
    out.live(R);
    out.add(R, 'x');
    out.lost(R);
    out.opened(R, true);
    out.live(R);
    out.lost(R);
    out.received(R, [caughtUp]);
    assert.deepEqual(wire, [`${R}:x`], 'nothing written to a stream that is gone');
    out.add(R, 'y');
    assert.equal(wire.length, 1);
  });

  it('confirms the oldest message with the echoed text, sent or not', () => {
    const { out, pending } = harness();
    out.add(R, 'ok');
    out.add(R, 'other');
    out.add(R, 'ok');
    out.received(R, [echo(1, 'ok')]);
    assert.deepEqual(pending(), ['other?', 'ok?']);
    out.received(R, [other(2, 'other')]);
    assert.deepEqual(pending(), ['other?', 'ok?'], "someone else's message with the same text confirms nothing");
  });

  it('drops only a sent message for a NOT_SENT notice, matched on the refused prefix', () => {
    const { out, pending } = harness();
    out.opened(R, false);
    out.live(R);
    out.add(R, 'y'.repeat(300));
    out.lost(R);
    out.add(R, 'y'.repeat(300));
    out.received(R, [notSent('y'.repeat(256))]);
    assert.deepEqual(pending().map((p) => p.slice(-2)), ['y?'], 'the sent one went, the unsent one stays');
    out.received(R, [notSent('y'.repeat(256))]);
    assert.equal(pending().length, 1, 'a message never written cannot have been refused');
  });

  it('keeps rooms apart, publishes only on change and keeps unchanged entries identical', () => {
    const { out, wire, shown, publishes } = harness();
    out.opened('a', false);
    out.live('a');
    out.add('a', 'for a');
    out.add('b', 'for b');
    assert.deepEqual(wire, ['a:for a']);
    const before = shown.get('b')?.[0];
    const count = publishes();
    out.received('b', [other(1, 'noise')]);
    assert.equal(publishes(), count, 'nothing changed, nothing published');
    out.add('b', 'second');
    assert.equal(shown.get('b')?.[0], before, 'the pane caches rows per pending entry');
    out.forget('b');
    assert.deepEqual(out.pending('b'), []);
    assert.deepEqual(out.pending('a').map((p) => p.text), ['for a']);
  });

  it('applies a batch to the store before outgoing: a repeated echo confirms nothing, the mark resends the rest', () => {
    const store = createChatStore({ username: 'Me', userId: 'Me-id', server: 'x', room: R });
    const wire: string[] = [];
    const out = new Outgoing({ write: (_r, p) => wire.push(p.text), changed: (r, p) => store.getState().setPending(r, p) });
    out.opened(R, false);
    out.live(R);
    out.add(R, 'ok');
    applyBatch(store, out, R, [echo(1, 'ok')]);
    out.add(R, 'ok');
    out.add(R, 'again');
    out.lost(R);
    out.opened(R, true);
    out.live(R);
    // One batch: the replay repeats seq 1 (an overlap), echoes 'again', then the mark.
    applyBatch(store, out, R, [echo(1, 'ok'), echo(2, 'again'), caughtUp]);
    assert.deepEqual(store.getState().rooms[R]?.pending.map((p) => p.text), ['ok'], 'the repeat of seq 1 is not the second ok');
    assert.deepEqual(wire, ['ok', 'ok', 'again', 'ok'], 'only the unconfirmed ok goes out again, after the replay');
    assert.deepEqual(store.getState().rooms[R]?.lines.map((l) => l.seq), [1, 2]);
  });
});
