import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { render } from 'ink-testing-library';
import { InputBox, splitAtCell } from '../../tui/components/InputBox.js';
import { MessagePane } from '../../tui/components/MessagePane.js';
import { Sidebar } from '../../tui/components/Sidebar.js';
import type { LineType, RoomEvent } from '../../tui/domain.js';
import { createEditor } from '../../tui/editor.js';
import { layout } from '../../tui/editor-layout.js';
import { visibleRows } from '../../tui/format.js';
import { createChatStore } from '../../tui/store.js';

const at = new Date(2026, 0, 2, 14, 30, 25).getTime();
/** The event the adapter (wire.ts) makes of a stored message from someone else. */
const msg = (seq: number, text: string, user = 'Bob', type: LineType = 'TEXT'): RoomEvent => {
  const line = { key: `s${seq}`, seq, type, userId: `${user}-id`, username: user, text, timestamp: at };
  return type === 'JOIN' || type === 'LEAVE' ? { kind: 'memberChange', line } : { kind: 'message', line, own: false, clientMsgId: '' };
};

describe('components', () => {
  it('renders timestamps, names, notices, wrapped multi-line messages and control placeholders', () => {
    const store = createChatStore({ username: 'Alice', userId: 'Alice-id', server: 'x', room: 'general' });
    store.getState().receive('general', [
      msg(1, 'Bob joined the room', 'System', 'JOIN'),
      msg(2, 'Hi Alice!'),
      msg(3, 'line one\nline two'),
      msg(4, 'bell\u0007 esc\u001b[31m'),
    ]);
    const { lastFrame, unmount } = render(<MessagePane store={store} width={60} height={8} onTop={() => undefined} onClamp={() => undefined} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /\[14:30:25\] >>> Bob joined the room/);
    assert.match(frame, /\[14:30:25\] Bob: Hi Alice!/);
    assert.match(frame, /Bob: line one\n\s+line two/);
    assert.match(frame, /bell\u2407 esc\u241b\[31m/);
    assert.doesNotMatch(frame, /\u0007/);
    unmount();
  });

  it('shows unread counts and mention marks in the sidebar', () => {
    const store = createChatStore({ username: 'Alice', userId: 'Alice-id', server: 'x', room: 'general' });
    store.getState().addRoom('dev');
    store.getState().receive('dev', [msg(1, 'ping alice')]);
    const { lastFrame, unmount } = render(<Sidebar store={store} width={18} height={5} />);
    assert.match(lastFrame() ?? '', /2!#dev 1/);
    unmount();
  });

  it('puts a day separator where the date changes', () => {
    const line = (seq: number, ts: number) => ({
      key: `s${seq}`, seq, type: 'TEXT' as const, userId: 'b', username: 'Bob', text: `m${seq}`, timestamp: ts,
    });
    const day1 = new Date(2026, 0, 2, 23, 59, 0).getTime();
    const day2 = new Date(2026, 0, 3, 0, 1, 0).getTime();
    const { rows } = visibleRows([line(1, day1), line(2, day1), line(3, day2)], 60, 10, 0, 'Alice');
    assert.deepEqual(rows.map((r) => r.body), ['m1', 'm2', '--- 2026-01-03 ---', 'm3']);
  });

  it('renders only the visible rows, however long the history', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => ({
      key: `s${i}`, seq: i + 1, type: 'TEXT' as const, userId: 'b', username: 'Bob', text: `m${i}`, timestamp: at,
    }));
    const { rows, atTop } = visibleRows(lines, 60, 10, 0, 'Alice');
    assert.equal(rows.length, 10);
    assert.equal(rows.at(-1)?.body, 'm99999');
    assert.equal(atTop, false);
  });
});

describe('input box', () => {
  const draw = (text: string, cursor: number, width: number, height: number) => {
    const input = layout(createEditor(text, cursor), width - 11);
    const { lastFrame, unmount } = render(<InputBox prompt="[#general] " input={input} height={height} width={width} />);
    const frame = lastFrame() ?? '';
    unmount();
    return frame;
  };

  it('draws the row with the cursor (inverse: checked on a real terminal in e2e)', () => {
    assert.equal(draw('ab日本', 2, 40, 1), '[#general] ab日本');
    assert.equal(draw('abc', 3, 40, 1), '[#general] abc');
  });

  it('shows a multi-line message under the prompt, and the rows around the cursor when it is taller than the box', () => {
    assert.match(draw('one\ntwo\nthree', 3, 40, 3), /^\[#general\] one.*\n {11}two\n {11}three$/s);
    const text = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'].join('\n');
    const frame = draw(text, text.length, 40, 5);
    assert.deepEqual(frame.split('\n').map((r) => r.replace(/\u001b\[[0-9;]*m/g, '').trimEnd()), ['          ↑l3', '           l4', '           l5', '           l6', '           l7']);
    const top = draw(text, 0, 40, 5);
    assert.match(top.split('\n')[0] ?? '', /^\[#general\] /);
  });

  it('splits a row at a cell', () => {
    assert.deepEqual(splitAtCell('a日b', 1), ['a', '日', 'b']);
    assert.deepEqual(splitAtCell('a日b', 3), ['a日', 'b', '']);
    assert.deepEqual(splitAtCell('ab', 2), ['ab', ' ', '']);
  });
});
