// Where things go on terminals of every size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_INPUT_ROWS, MIN_COLUMNS, MIN_ROWS, roomBar, screenLayout, tooSmallMessage } from '../../tui/layout.js';
import { emptyRoom } from '../../tui/rooms.js';

describe('screenLayout', () => {
  it('puts a sidebar beside the messages on a wide terminal, one row short of it', () => {
    const s = screenLayout(100, 30);
    assert.equal(s.narrow, false);
    assert.equal(s.tooSmall, false);
    assert.equal(s.side, 18);
    assert.equal(s.paneWidth, 82);
    assert.equal(s.barRow, null);
    // 29 rows: the pane, one input row, the status row.
    assert.deepEqual([s.paneTop, s.paneHeight, s.inputTop, s.inputRows, s.statusRow], [0, 27, 27, 1, 28]);
    assert.equal(screenLayout(70, 30).side, 14);
  });

  it('turns the sidebar into a room bar below 60 columns: the messages get the whole width', () => {
    const s = screenLayout(40, 15);
    assert.equal(s.narrow, true);
    assert.equal(s.side, 0);
    assert.equal(s.paneWidth, 40);
    assert.deepEqual([s.barRow, s.paneTop, s.paneHeight, s.inputTop, s.statusRow], [0, 1, 11, 12, 13]);
    assert.equal(screenLayout(59, 20).narrow, true);
    assert.equal(screenLayout(60, 20).narrow, false);
  });

  it('grows the input with its text up to five rows, and always leaves the messages two', () => {
    assert.equal(screenLayout(100, 30, 3).inputRows, 3);
    assert.equal(screenLayout(100, 30, 9).inputRows, MAX_INPUT_ROWS);
    assert.equal(screenLayout(100, 30, 9).paneHeight, 29 - MAX_INPUT_ROWS - 1);
    // 30x7, narrow: 6 rows for the bar, the pane, the input and the status.
    const tiny = screenLayout(30, 7, 9);
    assert.deepEqual([tiny.paneHeight, tiny.inputRows, tiny.statusRow], [2, 2, 5]);
    const smallest = screenLayout(20, 6, 9);
    assert.deepEqual([smallest.paneHeight, smallest.inputRows, smallest.statusRow], [2, 1, 4]);
  });

  it('is too small below 20x6', () => {
    assert.equal(screenLayout(MIN_COLUMNS, MIN_ROWS).tooSmall, false);
    assert.equal(screenLayout(MIN_COLUMNS - 1, 30).tooSmall, true);
    assert.equal(screenLayout(100, MIN_ROWS - 1).tooSmall, true);
  });

  it('says so in one line that fits', () => {
    assert.equal(tooSmallMessage(60, 5), 'terminal too small (60x5), need at least 20x6');
    assert.equal(tooSmallMessage(30, 5), 'too small (30x5), need 20x6');
    assert.equal(tooSmallMessage(18, 10), 'too small (18x10)');
    assert.equal(tooSmallMessage(8, 3), '8x3');
    for (const w of [1, 5, 12, 19, 40, 80]) assert.ok(tooSmallMessage(w, 4).length < Math.max(w, 4), `${w} columns`);
  });
});

describe('roomBar', () => {
  const ids = ['general', 'dev', 'random', 'design', 'ops'];
  const rooms = Object.fromEntries(ids.map((id) => [id, emptyRoom(id)]));
  rooms.dev = { ...rooms.dev!, unread: 3, mentioned: true };

  it('labels rooms with their number, a mention mark and unread counts, two cells apart', () => {
    const bar = roomBar(ids, rooms, 'general', 80, (s) => s);
    assert.deepEqual(bar.map((b) => [b.label, b.x, b.current]), [
      ['1 #general', 0, true],
      ['2!#dev(3)', 12, false],
      ['3 #random', 23, false],
      ['4 #design', 34, false],
      ['5 #ops', 45, false],
    ]);
  });

  it('scrolls so the current room is on it, and cuts the last one at the edge', () => {
    const bar = roomBar(ids, rooms, 'design', 24, (s) => s);
    assert.ok(bar.some((b) => b.id === 'design' && b.x + b.width <= 24), JSON.stringify(bar));
    assert.equal(bar[0]?.id === 'general', false);
    const start = roomBar(ids, rooms, 'general', 15, (s) => s);
    assert.deepEqual(start.map((b) => [b.id, b.width]), [['general', 10], ['dev', 3]]);
  });

  it('shows room ids through the given filter', () => {
    assert.equal(roomBar(['a\u001bb'], { 'a\u001bb': emptyRoom('a\u001bb') }, 'a\u001bb', 40, (s) => s.replace('\u001b', '?'))[0]?.label, '1 #a?b');
  });
});
