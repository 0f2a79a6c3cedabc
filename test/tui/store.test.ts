import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBatch } from '../../tui/client.js';
import { localKey, type Line, type LineType, type RoomEvent } from '../../tui/domain.js';
import { Outgoing } from '../../tui/outgoing.js';
import { mentions } from '../../tui/rooms.js';
import { createChatStore } from '../../tui/store.js';

const line = (seq: number, text: string, user = 'Bob', type: LineType = 'TEXT'): Line => ({
  key: seq > 0 ? `s${seq}` : localKey(),
  seq,
  type,
  userId: `${user}-id`,
  username: user,
  text,
  timestamp: 1_700_000_000_000 + seq,
});

/** The event the adapter (wire.ts) makes of a message, for Alice. */
const msg = (seq: number, text: string, user = 'Bob', type: LineType = 'TEXT'): RoomEvent => {
  const l = line(seq, text, user, type);
  if (type === 'JOIN' || type === 'LEAVE') return { kind: 'memberChange', line: l };
  if (type === 'SYSTEM') return { kind: 'notice', line: l };
  return { kind: 'message', line: l, own: user === 'Alice', clientMsgId: '' };
};

const fresh = () => createChatStore({ username: 'Alice', userId: 'Alice-id', server: 'x', room: 'general' });

/** A store whose pending lists come from outgoing.ts, wired as ChatClient wires them. */
const withOutgoing = () => {
  const store = fresh();
  const outgoing = new Outgoing({ write: () => undefined, changed: (roomId, pending) => store.getState().setPending(roomId, pending) });
  return { store, outgoing };
};

describe('store', () => {
  it('drops messages it already has (resume overlap) and tracks the last seq', () => {
    const store = fresh();
    store.getState().receive('general', [msg(1, 'a'), msg(2, 'b')]);
    store.getState().receive('general', [msg(2, 'b'), msg(3, 'c')]);
    const room = store.getState().rooms.general;
    assert.deepEqual(room?.lines.map((l) => l.text), ['a', 'b', 'c']);
    assert.equal(room?.lastSeq, 3);
  });

  it('confirms pending messages by their echo, oldest first', () => {
    const { store, outgoing } = withOutgoing();
    outgoing.add('general', 'ok');
    outgoing.add('general', 'ok');
    applyBatch(store, outgoing, 'general', [msg(1, 'ok', 'Alice')]);
    assert.equal(store.getState().rooms.general?.pending.length, 1);
  });

  it('drops the pending message a NOT_SENT notice names, and shows the notice', () => {
    const { store, outgoing } = withOutgoing();
    const s = () => store.getState();
    const long = 'x'.repeat(300);
    // On a live stream each goes out (is sent) as it is queued.
    outgoing.opened('general', false);
    outgoing.live('general');
    for (const t of ['first', long, 'third']) outgoing.add('general', t);
    const notSent = (refused: string): RoomEvent => ({ kind: 'notSent', line: line(0, `Message not sent: "${refused.slice(0, 10)}"`, 'System', 'SYSTEM'), refused, clientMsgId: '', retryAfterMs: 0 });
    applyBatch(store, outgoing, 'general', [notSent('x'.repeat(256))]);
    assert.deepEqual(s().rooms.general?.pending.map((p) => p.text), ['first', 'third'], 'matched on the first 256 characters');
    applyBatch(store, outgoing, 'general', [notSent('nothing like it')]);
    assert.equal(s().rooms.general?.pending.length, 2, 'an unknown text removes nothing');
    assert.equal(s().rooms.general?.lines.filter((l) => l.text.startsWith('Message not sent')).length, 2);
  });

  it('counts unread and mentions in other rooms, clears them on switch', () => {
    const store = fresh();
    store.getState().addRoom('dev');
    store.getState().receive('dev', [msg(1, 'hello'), msg(2, 'hey @alice look')]);
    assert.equal(store.getState().rooms.dev?.unread, 2);
    assert.equal(store.getState().rooms.dev?.mentioned, true);
    store.getState().switchRoom({ delta: 1 });
    assert.equal(store.getState().current, 'dev');
    assert.equal(store.getState().rooms.dev?.unread, 0);
    store.getState().switchRoom({ index: 0 });
    assert.equal(store.getState().current, 'general');
  });

  it('counts new messages below while scrolled up and caps lines while following', () => {
    const store = fresh();
    store.getState().scroll(10);
    store.getState().receive('general', [msg(1, 'x'), msg(2, 'y')]);
    assert.equal(store.getState().rooms.general?.newBelow, 2);
    store.getState().toBottom();
    store.getState().receive('general', Array.from({ length: 2500 }, (_, i) => msg(i + 3, `m${i}`)));
    assert.equal(store.getState().rooms.general?.lines.length, 2000);
    assert.equal(store.getState().rooms.general?.reachedStart, false);
    // Paging far back while scrolled up keeps it all; back at the bottom the room is cut to size again.
    store.getState().scroll(50);
    store.getState().prependHistory('general', Array.from({ length: 700 }, (_, i) => line(i + 1, `old${i}`)), false);
    assert.equal(store.getState().rooms.general?.lines.length, 2000 + 502, 'seqs 1-502 added before 503');
    store.getState().toBottom();
    assert.equal(store.getState().rooms.general?.lines.length, 2000);
    assert.equal(store.getState().rooms.general?.lines.at(-1)?.text, 'm2499');
  });

  it('prepends older history without duplicates', () => {
    const store = fresh();
    store.getState().receive('general', [msg(5, 'e'), msg(6, 'f')]);
    store.getState().prependHistory('general', [line(3, 'c'), line(4, 'd'), line(5, 'e')], true);
    assert.deepEqual(store.getState().rooms.general?.lines.map((l) => l.seq), [3, 4, 5, 6]);
    assert.equal(store.getState().rooms.general?.reachedStart, true);
  });

  it('recalls earlier input', () => {
    const store = fresh();
    for (const t of ['one', 'two']) {
      store.getState().setInput(t);
      store.getState().submitInput();
    }
    store.getState().recallInput(-1);
    assert.equal(store.getState().editor.text, 'two');
    store.getState().recallInput(-1);
    assert.equal(store.getState().editor.text, 'one');
    store.getState().recallInput(1);
    store.getState().recallInput(1);
    assert.equal(store.getState().editor.text, '');
  });

  it('keeps what was being typed while Up walks the history, and Down past the newest brings it back', () => {
    const store = fresh();
    const s = () => store.getState();
    s().setInput('sent');
    s().submitInput();
    s().setInput('half typ');
    s().recallInput(-1);
    assert.equal(s().editor.text, 'sent');
    s().recallInput(-1); // at the oldest: stays
    assert.equal(s().editor.text, 'sent');
    s().recallInput(1);
    assert.equal(s().editor.text, 'half typ');
    assert.equal(s().editor.cursor, 'half typ'.length);
  });

  it('edits the input with the editor, keeping the kill ring across sends', () => {
    const store = fresh();
    const s = () => store.getState();
    s().edit({ type: 'insert', text: 'hello big world' });
    s().edit({ type: 'killWordBefore' });
    assert.equal(s().editor.text, 'hello big ');
    assert.equal(s().submitInput(), 'hello big ');
    assert.equal(s().editor.text, '');
    s().edit({ type: 'yank' });
    assert.equal(s().editor.text, 'world');
    s().setInput('ab|cd'.replace('|', ''), 2);
    s().edit({ type: 'insert', text: 'X' });
    assert.equal(s().editor.text, 'abXcd');
  });

  it('counts the room on screen as unread while the terminal is not focused', () => {
    const store = fresh();
    const s = () => store.getState();
    s().setFocused(false);
    s().receive('general', [msg(1, 'hi alice')]);
    assert.deepEqual([s().rooms.general?.unread, s().rooms.general?.mentions], [1, 1]);
    s().setFocused(true);
    assert.deepEqual([s().rooms.general?.unread, s().rooms.general?.mentions, s().rooms.general?.mentioned], [0, 0, false]);
  });

  it('finds mentions on word boundaries only', () => {
    assert.equal(mentions('hi alice!', 'Alice'), true);
    assert.equal(mentions('malice aforethought', 'Alice'), false);
  });
});
