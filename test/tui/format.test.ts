// Messages as rows: wrapping, the hanging indent on wide and narrow panes,
// the timestamp format, and line mode's one line per message.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { configureDisplay, display } from '../../tui/display.js';
import type { Line } from '../../tui/domain.js';
import { rowsFor, stamp, truncateCells, visibleLine, wrapRows } from '../../tui/format.js';
import { formatPlain } from '../../tui/plain.js';

const at = new Date(2026, 0, 2, 14, 30, 25).getTime();
const line = (text: string, username = 'Alice', type: Line['type'] = 'TEXT'): Line => ({ key: 's1', seq: 1, type, userId: 'a', username, text, timestamp: at });
const rowText = (r: { time?: string; name?: string; body: string }) => `${r.time ?? ''}${r.name ?? ''}${r.body}`;

describe('wrapRows', () => {
  it('breaks at spaces, dropping them, with a shorter first row', () => {
    assert.deepEqual(wrapRows('one two three four', 8, 10), ['one two', 'three four']);
    assert.deepEqual(wrapRows('one two three four', 3, 9), ['one', 'two three', 'four']);
    assert.deepEqual(wrapRows('  indented', 20, 20), ['  indented']);
    assert.deepEqual(wrapRows('', 5, 5), ['']);
  });

  it('breaks inside a word only when it is longer than a row, filling the row it starts on', () => {
    assert.deepEqual(wrapRows('x'.repeat(25), 5, 10), ['xxxxx', 'xxxxxxxxxx', 'xxxxxxxxxx']);
    assert.deepEqual(wrapRows('ab ' + 'x'.repeat(12), 6, 10), ['ab xxx', 'xxxxxxxxx']);
    // A word that fits on a row of its own moves down rather than being split.
    assert.deepEqual(wrapRows('ab abcdefgh', 6, 10), ['ab', 'abcdefgh']);
  });

  it('never splits a wide character or an emoji, and never overfills a row', () => {
    const rows = wrapRows('日本語のテキスト👨‍👩‍👧です', 5, 5);
    for (const r of rows) assert.ok(stringWidth(r) <= 5, r);
    assert.equal(rows.join(''), '日本語のテキスト👨‍👩‍👧です');
    assert.ok(rows.includes('👨‍👩‍👧') || rows.some((r) => r.includes('👨‍👩‍👧')));
  });

  it('starts the text below when the first row has no room', () => {
    assert.deepEqual(wrapRows('hello', 0, 10), ['', 'hello']);
  });
});

describe('rowsFor', () => {
  afterEach(() => configureDisplay({ timeFormat: '%H:%M:%S' }));

  it('hangs continuation rows under the text on a wide pane', () => {
    const rows = rowsFor(line('word '.repeat(20).trim()), 60, 'Bob');
    assert.equal(rows[0]?.time, '[14:30:25] ');
    assert.equal(rows[0]?.name, 'Alice: ');
    for (const r of rows.slice(1)) assert.match(r.body, /^ {18}word/);
    for (const r of rows) assert.ok(stringWidth(rowText(r)) <= 60);
  });

  it('at 40 columns a 70-character word takes three rows (it took seven): continuation rows start 2 cells in', () => {
    const rows = rowsFor(line('y'.repeat(70)), 40, 'Bob');
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((r) => stringWidth(rowText(r))), [40, 40, 12]);
    assert.match(rows[1]!.body, /^ {2}y{38}$/);
    // Explicit line breaks keep the narrow indent too.
    assert.deepEqual(rowsFor(line('one\ntwo'), 40, 'Bob').map(rowText), ['[14:30:25] Alice: one', '  two']);
  });

  it('puts the text under a name too long to leave it room', () => {
    const rows = rowsFor(line('hello there', 'A'.repeat(30)), 40, 'Bob');
    assert.equal(rows[0]?.body, '');
    assert.equal(rows[1]?.body, '  hello there');
  });

  it('shows tabs as spaces (a raw tab would jump past where Ink thinks the row ends)', () => {
    assert.equal(rowsFor(line('a\tb'), 60, 'Bob')[0]?.body, 'a    b');
  });

  it('follows timestamp_format, and hides the time when it is empty', () => {
    configureDisplay({ timeFormat: '%d/%m %H:%M' });
    assert.equal(display().timeFormat, '%d/%m %H:%M');
    assert.equal(rowsFor(line('hi'), 60, 'Bob')[0]?.time, '[02/01 14:30] ');
    configureDisplay({ timeFormat: '' });
    assert.equal(stamp(at), '');
    assert.equal(rowText(rowsFor(line('hi'), 60, 'Bob')[0]!), 'Alice: hi');
  });
});

describe('one line per message in line mode', () => {
  it('pictures line breaks as well as control characters', () => {
    assert.equal(visibleLine('one\ntwo\u0007'), 'one\u2424two\u2407');
    assert.match(formatPlain(line('first\nsecond\nthird')), /^\[\d\d:\d\d:\d\d\] Alice: first\u2424second\u2424third$/);
  });

  it('cuts text to a number of cells, whole clusters only', () => {
    assert.equal(truncateCells('日本語', 5), '日本');
    assert.equal(truncateCells('abc', 10), 'abc');
  });
});
