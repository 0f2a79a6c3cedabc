// Issue 16 in the client: what the wire's room events become, how the store
// applies them to the lines it holds, selection mode's keys, the commands, and
// how a reply, an edit, a delete and reactions look in the pane.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { render } from 'ink-testing-library';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import { amendLine, react } from '../../tui/amend.js';
import { MessagePane, SELECT_HINT } from '../../tui/components/MessagePane.js';
import { Sidebar } from '../../tui/components/Sidebar.js';
import { StatusLine } from '../../tui/components/StatusLine.js';
import { composeBanner } from '../../tui/components/InputBox.js';
import type { Line, RoomEvent, RoomInfo } from '../../tui/domain.js';
import { complete, parseLine } from '../../tui/slash.js';
import { createMessageController, type MessageClient } from '../../tui/message-actions.js';
import { mapMessageKey, SELECT_PAGE, type MessageMode } from '../../tui/message-keys.js';
import { createChatStore } from '../../tui/store.js';
import { decode, frames, pageLines } from '../../tui/wire.js';
import { decodedMessage } from '../support/chat-message.js';

const T = new Date(2026, 0, 2, 14, 30, 25).getTime();
const wire = (over: Partial<ChatMessage__Output>): ChatMessage__Output =>
  decodedMessage({ user_id: 'bob-id', username: 'Bob', message: 'hi', timestamp: T, type: 'TEXT', room_id: 'general', ...over });
const me = { userId: 'alice-id', username: 'Alice' };
/** A stored message as the Session stream brings it to Alice. */
const ev = (over: Partial<ChatMessage__Output>): RoomEvent => decode(wire(over), me);
const text = (seq: number, message: string, username = 'Bob', over: Partial<ChatMessage__Output> = {}) => ev({ seq, message, username, user_id: `${username}-id`, ...over });
const event = (seq: number, action: ChatMessage__Output['action'], over: Partial<ChatMessage__Output>) =>
  ev({ seq, type: 'SYSTEM', action, message: `(${action} sentence)`, ...over });
const fresh = () => createChatStore({ username: 'Alice', userId: 'alice-id', server: 'x', room: 'general' });
const lines = (store: ReturnType<typeof fresh>) => store.getState().rooms.general!.lines;
const info = (over: Partial<RoomInfo> = {}): RoomInfo => ({
  roomId: 'general', direct: false, peer: '', latestSeq: 0, readSeq: 0, unread: 0, mentions: 0, topic: '', private: false, operator: false, ...over,
});

describe('issue 16 on the wire', () => {
  it('tells edits, deletes and reactions (applied to a line) from moderation acts (notices) and plain notices', () => {
    assert.deepEqual(event(5, 'EDIT', { target_seq: 2, detail: 'new text' }), {
      kind: 'amend',
      line: { key: 's5', seq: 5, type: 'SYSTEM', userId: 'bob-id', username: 'Bob', text: '(EDIT sentence)', timestamp: T },
      amend: { kind: 'edit', targetSeq: 2, text: 'new text' },
    });
    const del = event(6, 'DELETE', { target_seq: 2 });
    assert.deepEqual(del.kind === 'amend' && del.amend, { kind: 'delete', targetSeq: 2 });
    const r = event(7, 'REACT', { target_seq: 2, detail: '👍' });
    assert.deepEqual(r.kind === 'amend' && r.amend, { kind: 'react', targetSeq: 2, emoji: '👍', by: 'Bob' });
    const u = event(8, 'UNREACT', { target_seq: 2, detail: '👍' });
    assert.deepEqual(u.kind === 'amend' && u.amend, { kind: 'unreact', targetSeq: 2, emoji: '👍', by: 'Bob' });
    const kick = event(9, 'KICK', { subject: 'Carol', detail: 'spam', username: 'Alice' });
    assert.equal(kick.kind, 'moderation');
    assert.deepEqual(kick.kind === 'moderation' && [kick.act, kick.actor], [{ action: 'kick', subject: 'Carol', detail: 'spam', minutes: 0 }, 'Alice']);
    const mute = event(10, 'MUTE', { subject: 'Dan', minutes: 10 });
    assert.equal(mute.kind === 'moderation' && mute.act.minutes, 10);
    // Not stored (seq 0), no action: an ordinary notice still.
    assert.equal(ev({ type: 'SYSTEM', seq: 0, notice: 'NOTICE_INFO' }).kind, 'notice');
  });

  it('carries a reply\'s seq and quote, and history pages as they are now (amendments left out)', () => {
    const reply = text(4, 'yes', 'Bob', { reply_to: 2, reply_quote: 'Alice: lunch?' });
    assert.equal(reply.kind === 'message' && reply.line.replyTo, 2);
    assert.equal(reply.kind === 'message' && reply.line.replyQuote, 'Alice: lunch?');
    const page = pageLines([
      wire({ seq: 1, message: 'fixed', edited: true, reactions: [{ emoji: '🎉', count: 2, users: ['Alice', 'Bob'] }] }),
      wire({ seq: 2, message: '', deleted: true }),
      wire({ seq: 3, type: 'SYSTEM', action: 'EDIT', target_seq: 1, detail: 'fixed', message: 'Bob edited a message: fixed' }),
      wire({ seq: 4, type: 'SYSTEM', action: 'TOPIC', detail: 'Friday', message: 'Bob set the topic: Friday' }),
    ]);
    assert.deepEqual(page.map((l) => l.seq), [1, 2, 4]);
    assert.equal(page[0]!.edited, true);
    assert.deepEqual(page[0]!.reactions, [{ emoji: '🎉', users: ['Alice', 'Bob'] }]);
    assert.equal(page[1]!.deleted, true);
    // A plain message keeps its plain shape.
    assert.deepEqual(Object.keys(pageLines([wire({ seq: 9 })])[0]!).sort(), ['key', 'seq', 'text', 'timestamp', 'type', 'userId', 'username']);
  });

  it('puts edits, deletes, reactions, replies and moderation on the wire', () => {
    assert.deepEqual(frames.edit(3, 'general', 7, 'new'), { edit: { room_id: 'general', seq: 7, text: 'new' }, request_id: 3 });
    assert.deepEqual(frames.delete(4, 'general', 7), { delete: { room_id: 'general', seq: 7 }, request_id: 4 });
    assert.deepEqual(frames.react(5, 'general', 7, ':+1:'), { react: { room_id: 'general', seq: 7, emoji: ':+1:' }, request_id: 5 });
    assert.deepEqual(frames.moderate(6, 'general', { action: 'mute', subject: 'Bob', detail: 'calm down', minutes: 10 }), {
      moderate: { room_id: 'general', action: 'MUTE', subject: 'Bob', detail: 'calm down', minutes: 10 },
      request_id: 6,
    });
    assert.equal(frames.moderate(1, 'g', { action: 'private', subject: '', detail: 'on', minutes: 0 }).moderate?.action, 'PRIVATE');
    assert.deepEqual(frames.post('general', 'yes', 'c.1', 9), { post: { room_id: 'general', text: 'yes', client_msg_id: 'c.1', reply_to: 9 } });
    assert.deepEqual(frames.post('general', 'yes', 'c.1'), { post: { room_id: 'general', text: 'yes', client_msg_id: 'c.1' } });
  });
});

describe('issue 16 in the store', () => {
  it('applies edits, deletes, reactions and their toggles to the lines it holds, showing none of them', () => {
    const store = fresh();
    store.getState().receive('general', [text(1, 'hello'), text(2, 'lunch?', 'Alice')]);
    store.getState().receive('general', [
      event(3, 'EDIT', { target_seq: 1, detail: 'hello all' }),
      event(4, 'REACT', { target_seq: 2, detail: '👍', username: 'Bob' }),
      event(5, 'REACT', { target_seq: 2, detail: '👍', username: 'Carol' }),
      event(6, 'REACT', { target_seq: 2, detail: '🎉', username: 'Bob' }),
      event(7, 'UNREACT', { target_seq: 2, detail: '👍', username: 'Bob' }),
    ]);
    const [a, b] = lines(store);
    assert.equal(lines(store).length, 2);
    assert.deepEqual([a!.text, a!.edited], ['hello all', true]);
    assert.deepEqual(b!.reactions, [{ emoji: '👍', users: ['Carol'] }, { emoji: '🎉', users: ['Bob'] }]);
    // The events' seqs count: a resume starts after them, and their replay changes nothing twice.
    assert.equal(store.getState().rooms.general!.lastSeq, 7);
    store.getState().receive('general', [event(7, 'UNREACT', { target_seq: 2, detail: '🎉', username: 'Bob' })]);
    assert.equal(lines(store)[1]!.reactions?.length, 2);
    store.getState().receive('general', [event(8, 'DELETE', { target_seq: 2, username: 'Alice' })]);
    assert.deepEqual([lines(store)[1]!.deleted, lines(store)[1]!.text, lines(store)[1]!.reactions], [true, '', undefined]);
    // An event about a line not loaded changes nothing (its page comes amended).
    store.getState().receive('general', [event(9, 'EDIT', { target_seq: 100, detail: 'x' })]);
    assert.equal(lines(store).length, 2);
  });

  it('shows moderation acts as notices, and takes topic, operator and invite-only from acts newer than the room state', () => {
    const store = fresh();
    store.getState().roomInfo(info({ latestSeq: 10, topic: 'old topic', operator: false }));
    // A replay of older acts: shown, but the room state (as of seq 10) stands.
    store.getState().receive('general', [event(9, 'OP', { subject: 'alice', username: 'Bob', message: 'Bob made alice an operator' })]);
    assert.equal(store.getState().rooms.general!.operator, false);
    assert.match(lines(store).at(-1)!.text, /Bob made alice an operator/);
    store.getState().receive('general', [
      event(11, 'TOPIC', { detail: 'release on Friday' }),
      event(12, 'OP', { subject: 'ALICE' }),
      event(13, 'PRIVATE', { detail: 'on' }),
      event(14, 'KICK', { subject: 'Carol', detail: 'spam', message: 'Carol was kicked by Bob (spam)' }),
    ]);
    const room = store.getState().rooms.general!;
    assert.deepEqual([room.topic, room.operator, room.private], ['release on Friday', true, true]);
    assert.match(room.lines.at(-1)!.text, /Carol was kicked by Bob \(spam\)/);
    store.getState().receive('general', [event(15, 'DEOP', { subject: 'Alice' }), event(16, 'PRIVATE', { detail: 'off' })]);
    assert.deepEqual([store.getState().rooms.general!.operator, store.getState().rooms.general!.private], [false, false]);
  });

  it('pages in history as it is now', () => {
    const store = fresh();
    store.getState().receive('general', [text(10, 'newer')]);
    const page = pageLines([wire({ seq: 8, message: 'was edited', edited: true }), wire({ seq: 9, message: '', deleted: true })]);
    store.getState().prependHistory('general', page, true);
    assert.deepEqual(lines(store).map((l) => [l.seq, l.text, l.edited ?? false, l.deleted ?? false]), [
      [8, 'was edited', true, false],
      [9, '', false, true],
      [10, 'newer', false, false],
    ]);
  });

  it('selection moves among stored messages only, and composing follows it', () => {
    const store = fresh();
    store.getState().receive('general', [text(1, 'one'), event(2, 'TOPIC', { detail: 't' }), text(3, 'two', 'Alice'), text(4, 'three')]);
    store.getState().localLine('general', 'a local line');
    assert.equal(store.getState().startSelection(), true);
    assert.equal(store.getState().selection?.seq, 4);
    store.getState().moveSelection(-1);
    assert.equal(store.getState().selection?.seq, 3);
    store.getState().moveSelection(-1);
    assert.equal(store.getState().selection?.seq, 1, 'the topic notice is skipped');
    store.getState().moveSelection(-5);
    assert.equal(store.getState().selection?.seq, 1);
    store.getState().moveSelection(99);
    assert.equal(store.getState().selection?.seq, 4);
    store.getState().setInput('draft');
    store.getState().startCompose('edit', 'general', 3);
    assert.equal(store.getState().editor.text, 'two');
    store.getState().cancelCompose();
    assert.deepEqual([store.getState().compose, store.getState().editor.text], [null, '']);
    store.getState().setInput('my reply');
    store.getState().startCompose('reply', 'general', 1);
    assert.equal(store.getState().editor.text, 'my reply', 'a reply keeps what was typed');
    assert.equal(composeBanner(store.getState().compose), 'replying to Bob: one  (Esc cancels)');
    const empty = fresh();
    assert.equal(empty.getState().startSelection(), false);
  });

  it('amends lines purely', () => {
    const line: Line = { key: 's1', seq: 1, type: 'TEXT', userId: '', username: 'Bob', text: 'x', timestamp: 0 };
    assert.equal(amendLine(amendLine(line, { kind: 'delete', targetSeq: 1 }), { kind: 'edit', targetSeq: 1, text: 'back' }).text, '', 'a deleted message stays deleted');
    assert.deepEqual(react([{ emoji: '👍', users: ['bob'] }], '👍', 'Bob', false), [], 'names compare without case');
    assert.deepEqual(react([], '👍', 'Bob', false), []);
  });
});

describe('selection mode keys', () => {
  const key = (over: Record<string, unknown> = {}) =>
    ({ upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false, ...over }) as never;
  const map = (input: string, over: Record<string, unknown>, mode: MessageMode) => mapMessageKey(input, key(over), mode);

  it('Ctrl+S enters it; nothing else is taken outside it', () => {
    assert.deepEqual(map('s', { ctrl: true }, null), { type: 'select' });
    assert.equal(map('r', {}, null), null);
    assert.equal(map('', { upArrow: true }, null), null);
    assert.equal(map('', { escape: true, meta: true }, null), null, 'Esc stays back-to-live');
  });

  it('moves, acts on letters, leaves on Esc, swallows the rest, and lets Ctrl+C and Alt+arrows through', () => {
    assert.deepEqual(map('', { upArrow: true }, 'select'), { type: 'move', delta: -1 });
    assert.deepEqual(map('', { downArrow: true }, 'select'), { type: 'move', delta: 1 });
    assert.deepEqual(map('', { pageUp: true }, 'select'), { type: 'move', delta: -SELECT_PAGE });
    assert.deepEqual(map('', { return: true }, 'select'), { type: 'jump' });
    assert.deepEqual(
      ['r', 'e', 'd', '+', 'w'].map((c) => map(c, {}, 'select')?.type),
      ['reply', 'edit', 'delete', 'react', 'who'],
    );
    assert.deepEqual(map('', { escape: true, meta: true }, 'select'), { type: 'leave' });
    assert.deepEqual(map('s', { ctrl: true }, 'select'), { type: 'leave' });
    assert.deepEqual(map('x', {}, 'select'), { type: 'ignore' });
    assert.equal(map('c', { ctrl: true }, 'select'), null);
    assert.equal(map('', { upArrow: true, meta: true }, 'select'), null);
  });

  it('asks y/n before deleting, and Esc cancels a reply, an edit or a reaction being written', () => {
    assert.deepEqual(map('y', {}, 'confirm'), { type: 'confirm', yes: true });
    assert.deepEqual(map('n', {}, 'confirm'), { type: 'confirm', yes: false });
    assert.deepEqual(map('', { escape: true, meta: true }, 'confirm'), { type: 'confirm', yes: false });
    assert.deepEqual(map('', { escape: true, meta: true }, 'compose'), { type: 'cancel' });
    assert.equal(map('', { upArrow: true }, 'compose'), null, 'Up keeps recalling input history');
    assert.equal(map('r', {}, 'compose'), null, 'letters are typed');
  });
});

describe('issue 16 commands', () => {
  it('parses each command', () => {
    assert.deepEqual(parseLine('/edit  new   text'), { kind: 'edit', text: 'new   text' });
    assert.equal(parseLine('/edit').kind, 'error');
    assert.deepEqual(parseLine('/delete'), { kind: 'delete' });
    assert.equal(parseLine('/delete 5').kind, 'error');
    assert.deepEqual(parseLine('/react :+1:'), { kind: 'react', emoji: ':+1:' });
    assert.equal(parseLine('/react').kind, 'error');
    assert.deepEqual(parseLine('/reactions'), { kind: 'reactions' });
    assert.deepEqual(parseLine('/topic'), { kind: 'topic', text: null });
    assert.deepEqual(parseLine('/topic release on  Friday'), { kind: 'topic', text: 'release on  Friday' });
    const act = (line: string) => {
      const p = parseLine(line);
      return p.kind === 'moderate' ? p.act : p.kind;
    };
    assert.deepEqual(act('/op @Bob'), { action: 'op', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/deop Bob'), { action: 'deop', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/kick Bob'), { action: 'kick', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/kick Bob too much spam'), { action: 'kick', subject: 'Bob', detail: 'too much spam', minutes: 0 });
    assert.deepEqual(act('/ban Bob spam'), { action: 'ban', subject: 'Bob', detail: 'spam', minutes: 0 });
    assert.deepEqual(act('/unban Bob'), { action: 'unban', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/mute Bob 10 calm down'), { action: 'mute', subject: 'Bob', detail: 'calm down', minutes: 10 });
    assert.deepEqual(act('/mute Bob calm down'), { action: 'mute', subject: 'Bob', detail: 'calm down', minutes: 0 });
    assert.deepEqual(act('/mute Bob'), { action: 'mute', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/unmute Bob'), { action: 'unmute', subject: 'Bob', detail: '', minutes: 0 });
    assert.deepEqual(act('/invite Frank'), { action: 'invite', subject: 'Frank', detail: '', minutes: 0 });
    assert.deepEqual(act('/private ON'), { action: 'private', subject: '', detail: 'on', minutes: 0 });
    for (const bad of ['/op', '/op a b', '/kick', '/unban', '/mute', '/private', '/private maybe', '/invite']) assert.equal(act(bad), 'error', bad);
  });

  it('completes the new commands and names after them', () => {
    const pools = { names: ['Bob', 'Carol'], rooms: [], people: ['Frank'] };
    assert.equal(complete('/ki', pools), '/kick ');
    assert.equal(complete('/top', pools), '/topic ');
    assert.equal(complete('/unm', pools), '/unmute ');
    assert.equal(complete('/kick b', pools), '/kick Bob ');
    assert.equal(complete('/invite f', pools), '/invite Frank ');
  });
});

/** A client that records what it was asked. */
function recorder(live = true) {
  const calls: unknown[][] = [];
  const client: MessageClient = {
    send: (...a) => void calls.push(['send', ...a]),
    edit: (...a) => (calls.push(['edit', ...a]), live),
    remove: (...a) => (calls.push(['remove', ...a]), live),
    react: (...a) => (calls.push(['react', ...a]), live),
    moderate: (...a) => (calls.push(['moderate', ...a]), live),
  };
  const shown: number[] = [];
  return { calls, client, shown, search: { showMessage: (_r: string, seq: number) => void shown.push(seq) } };
}

describe('issue 16 actions', () => {
  const setup = (live = true) => {
    const store = fresh();
    store.getState().receive('general', [
      text(1, 'mine first', 'Alice'),
      text(2, 'question?'),
      text(3, 'mine last', 'Alice'),
      text(4, 'an answer', 'Bob', { reply_to: 1, reply_quote: 'Alice: mine first' }),
    ]);
    const r = recorder(live);
    const ctl = createMessageController(store, (fn) => fn(r.client), r.search);
    return { store, ctl, ...r };
  };
  const locals = (store: ReturnType<typeof fresh>) => lines(store).filter((l) => l.type === 'LOCAL').map((l) => l.text);

  it('replies, edits and reacts through the input; deletes after y', () => {
    const { store, ctl, calls } = setup();
    ctl.run({ type: 'select' });
    ctl.run({ type: 'move', delta: -2 }); // question?
    ctl.run({ type: 'reply' });
    assert.equal(store.getState().selection, null);
    assert.equal(ctl.submitComposed('sure', parseLine('sure')), true);
    ctl.run({ type: 'select' });
    ctl.run({ type: 'move', delta: -1 }); // mine last
    ctl.run({ type: 'edit' });
    assert.equal(store.getState().editor.text, 'mine last');
    ctl.submitComposed('mine, edited', parseLine('mine, edited'));
    ctl.run({ type: 'select' });
    ctl.run({ type: 'react' });
    ctl.submitComposed(' :tada: ', parseLine(' :tada: '));
    ctl.run({ type: 'select' });
    ctl.run({ type: 'move', delta: -3 }); // mine first
    ctl.run({ type: 'delete' });
    assert.equal(store.getState().selection?.confirm, true);
    ctl.run({ type: 'confirm', yes: false });
    ctl.run({ type: 'delete' });
    ctl.run({ type: 'confirm', yes: true });
    assert.deepEqual(calls, [
      ['send', 'general', 'sure', 2],
      ['edit', 'general', 3, 'mine, edited'],
      ['react', 'general', 4, ':tada:'],
      ['remove', 'general', 1],
    ]);
  });

  it('refuses what is not yours (unless an operator deletes), and jumps to a reply\'s original', () => {
    const { store, ctl, calls, shown } = setup();
    ctl.run({ type: 'select' }); // Bob's reply
    ctl.run({ type: 'edit' });
    ctl.run({ type: 'delete' });
    assert.deepEqual(calls, []);
    assert.deepEqual(locals(store), ['You can only edit your own messages.', 'Only Bob or an operator of #general can delete that message.']);
    store.getState().roomInfo(info({ operator: true }));
    ctl.run({ type: 'delete' });
    assert.equal(store.getState().selection?.confirm, true);
    ctl.run({ type: 'confirm', yes: false });
    // Loaded: the highlight goes to the original.
    ctl.run({ type: 'jump' });
    assert.equal(store.getState().selection?.seq, 1);
    // Not loaded: its context is opened.
    store.getState().receive('general', [text(5, 'late', 'Bob', { reply_to: 0 }), text(6, 'old news', 'Bob', { reply_to: 90, reply_quote: 'Carol: long ago' })]);
    ctl.run({ type: 'select' });
    ctl.run({ type: 'jump' });
    assert.deepEqual(shown, [90]);
    assert.equal(store.getState().selection, null);
  });

  it('/edit, /delete, /react take the right message; /topic shows or sets; moderation goes out; offline says so', () => {
    const { store, ctl, calls } = setup();
    ctl.command(parseLine('/edit fixed'));
    ctl.command(parseLine('/delete'));
    ctl.command(parseLine('/react :+1:'));
    ctl.command(parseLine('/topic Friday'));
    ctl.command(parseLine('/kick Bob spam'));
    assert.deepEqual(calls, [
      ['edit', 'general', 3, 'fixed'],
      ['remove', 'general', 3],
      ['react', 'general', 4, ':+1:'],
      ['moderate', 'general', { action: 'topic', subject: '', detail: 'Friday', minutes: 0 }],
      ['moderate', 'general', { action: 'kick', subject: 'Bob', detail: 'spam', minutes: 0 }],
    ]);
    ctl.command(parseLine('/topic'));
    assert.match(locals(store).at(-1)!, /#general has no topic/);
    store.getState().receive('general', [event(7, 'TOPIC', { detail: 'Friday' }), event(8, 'REACT', { target_seq: 4, detail: '👍', username: 'Carol' })]);
    ctl.command(parseLine('/topic'));
    assert.equal(locals(store).at(-1), 'Topic of #general: Friday');
    ctl.command(parseLine('/reactions'));
    assert.equal(locals(store).at(-1), "Reactions to Bob's message: 👍 Carol");
    const down = setup(false);
    down.ctl.command(parseLine('/kick Bob'));
    assert.match(locals(down.store).at(-1)!, /Not connected/);
  });
});

describe('issue 16 on screen', () => {
  it('shows a reply\'s quote, (edited), a tombstone and reactions', () => {
    const store = fresh();
    store.getState().receive('general', [
      text(1, 'lunch?', 'Alice'),
      text(2, 'yes, at noon', 'Bob', { reply_to: 1, reply_quote: 'Alice: lunch?' }),
      text(3, 'oops', 'Bob'),
      event(4, 'EDIT', { target_seq: 2, detail: 'yes, at one' }),
      event(5, 'DELETE', { target_seq: 3 }),
      event(6, 'REACT', { target_seq: 1, detail: '👍', username: 'Bob' }),
      event(7, 'REACT', { target_seq: 1, detail: '👍', username: 'Carol' }),
      event(8, 'REACT', { target_seq: 1, detail: '🎉', username: 'Carol' }),
    ]);
    const { lastFrame, unmount } = render(<MessagePane store={store} width={70} height={10} onTop={() => undefined} onClamp={() => undefined} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /\[14:30:25\] Alice: lunch\?\n\s+👍 2  🎉 1\n/);
    assert.match(frame, /\n {11}↳ Alice: lunch\?\n\[14:30:25\] Bob: yes, at one \(edited\)\n/);
    assert.match(frame, /\[14:30:25\] Bob: \(message deleted\)/);
    assert.doesNotMatch(frame, /oops|sentence/);
    unmount();
  });

  it('highlights the selection with its keys below, asks y/n, and shows the topic; the sidebar and status line mark private rooms and operators', async () => {
    const store = fresh();
    store.getState().roomInfo(info({ topic: 'release on Friday', private: true, operator: true }));
    store.getState().receive('general', [text(1, 'one'), text(2, 'two')]);
    store.getState().startSelection();
    const pane = render(<MessagePane store={store} width={120} height={8} onTop={() => undefined} onClamp={() => undefined} />);
    const frame = pane.lastFrame() ?? '';
    assert.match(frame, /^#general: release on Friday/);
    assert.ok(frame.includes(SELECT_HINT));
    store.getState().confirmDelete(true);
    await new Promise((r) => setTimeout(r, 20));
    assert.match(pane.lastFrame() ?? '', /Delete this message\? y \/ n/);
    pane.unmount();
    const side = render(<Sidebar store={store} width={18} height={4} />);
    assert.match(side.lastFrame() ?? '', /1 #general \[p\]/);
    side.unmount();
    const status = render(<StatusLine store={store} width={100} />);
    assert.match(status.lastFrame() ?? '', /Alice \| #general \(op\) \|/);
    status.unmount();
  });

  it('says why the last room went (a kick) in the empty pane', async () => {
    const store = fresh();
    store.getState().removeRoom('general');
    store.getState().localLine(store.getState().current, 'Left #general (kicked from #general by Bob: spam)');
    const pane = render(<MessagePane store={store} width={80} height={4} onTop={() => undefined} onClamp={() => undefined} />);
    assert.match(pane.lastFrame() ?? '', /Left #general \(kicked from #general by Bob: spam\)/);
    pane.unmount();
  });

  it('scrolls to keep the selected message on screen', async () => {
    const store = fresh();
    store.getState().receive('general', Array.from({ length: 30 }, (_, i) => text(i + 1, `message ${i + 1}`)));
    store.getState().startSelection();
    for (let i = 0; i < 20; i++) store.getState().moveSelection(-1);
    const scrolls: number[] = [];
    const pane = render(
      <MessagePane store={store} width={60} height={6} onTop={() => undefined} onClamp={() => undefined} onScroll={(_r, s) => void scrolls.push(s)} />,
    );
    assert.match(pane.lastFrame() ?? '', /message 10\n/);
    assert.doesNotMatch(pane.lastFrame() ?? '', /message 30/);
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(scrolls.length > 0 && scrolls.at(-1)! > 0, 'the room\'s scroll follows');
    pane.unmount();
  });
});
