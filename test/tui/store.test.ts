import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import { createChatStore, mentions } from '../../tui/store.js';

const msg = (seq: number, text: string, user = 'Bob', type: ChatMessage__Output['type'] = 'TEXT'): ChatMessage__Output => ({
  user_id: `${user}-id`,
  username: user,
  message: text,
  timestamp: 1_700_000_000_000 + seq,
  type,
  room_id: 'general',
  seq,
  notice: 'NOTICE_NONE',
  refused: '',
});

const fresh = () => createChatStore({ username: 'Alice', userId: 'Alice-id', server: 'x', room: 'general' });

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
    const store = fresh();
    store.getState().addPending('general', 'ok');
    store.getState().addPending('general', 'ok');
    store.getState().receive('general', [msg(1, 'ok', 'Alice')]);
    assert.equal(store.getState().rooms.general?.pending.length, 1);
  });

  it('drops the pending message a NOT_SENT notice names, and shows the notice', () => {
    const store = fresh();
    const s = () => store.getState();
    const long = 'x'.repeat(300);
    for (const t of ['first', long, 'third']) s().markSent('general', s().addPending('general', t));
    const notSent = (refused: string) => ({ ...msg(0, `Message not sent: "${refused.slice(0, 10)}"`, 'System', 'SYSTEM'), notice: 'NOTICE_NOT_SENT' as const, refused });
    s().receive('general', [notSent('x'.repeat(256))]);
    assert.deepEqual(s().rooms.general?.pending.map((p) => p.text), ['first', 'third'], 'matched on the first 256 characters');
    s().receive('general', [notSent('nothing like it')]);
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
    store.getState().prependHistory('general', Array.from({ length: 700 }, (_, i) => msg(i + 1, `old${i}`)), false);
    assert.equal(store.getState().rooms.general?.lines.length, 2000 + 502, 'seqs 1-502 added before 503');
    store.getState().toBottom();
    assert.equal(store.getState().rooms.general?.lines.length, 2000);
    assert.equal(store.getState().rooms.general?.lines.at(-1)?.text, 'm2499');
  });

  it('prepends older history without duplicates', () => {
    const store = fresh();
    store.getState().receive('general', [msg(5, 'e'), msg(6, 'f')]);
    store.getState().prependHistory('general', [msg(3, 'c'), msg(4, 'd'), msg(5, 'e')], true);
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
    assert.equal(store.getState().input, 'two');
    store.getState().recallInput(-1);
    assert.equal(store.getState().input, 'one');
    store.getState().recallInput(1);
    store.getState().recallInput(1);
    assert.equal(store.getState().input, '');
  });

  it('finds mentions on word boundaries only', () => {
    assert.equal(mentions('hi alice!', 'Alice'), true);
    assert.equal(mentions('malice aforethought', 'Alice'), false);
  });
});
