// Mouse reports (SGR 1006) and what they do on a given screen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEditor } from '../../tui/editor.js';
import { mapKey } from '../../tui/keys.js';
import { roomBar, screenLayout } from '../../tui/layout.js';
import { isMouseReport, mouseCommand, parseMouse, WHEEL_ROWS, type MouseEvent } from '../../tui/mouse.js';
import { emptyRoom } from '../../tui/rooms.js';

const none = { shift: false, alt: false, ctrl: false };

describe('parseMouse', () => {
  it('reads presses, releases and the wheel, 0-based', () => {
    assert.deepEqual(parseMouse('\u001b[<0;1;1M'), { kind: 'press', button: 'left', x: 0, y: 0, mods: none });
    assert.deepEqual(parseMouse('\u001b[<0;12;5m'), { kind: 'release', button: 'left', x: 11, y: 4, mods: none });
    assert.deepEqual(parseMouse('\u001b[<2;3;4M'), { kind: 'press', button: 'right', x: 2, y: 3, mods: none });
    assert.deepEqual(parseMouse('\u001b[<1;3;4M'), { kind: 'press', button: 'middle', x: 2, y: 3, mods: none });
    assert.deepEqual(parseMouse('\u001b[<64;10;20M'), { kind: 'wheel', direction: 'up', x: 9, y: 19, mods: none });
    assert.deepEqual(parseMouse('\u001b[<65;10;20M'), { kind: 'wheel', direction: 'down', x: 9, y: 19, mods: none });
    // Columns past 223, which the old X10 encoding could not carry.
    assert.deepEqual(parseMouse('\u001b[<0;300;2M'), { kind: 'press', button: 'left', x: 299, y: 1, mods: none });
  });

  it('reads the modifiers: shift 4, alt 8, ctrl 16', () => {
    assert.deepEqual(parseMouse('\u001b[<4;1;1M')?.mods, { shift: true, alt: false, ctrl: false });
    assert.deepEqual(parseMouse('\u001b[<8;1;1M')?.mods, { shift: false, alt: true, ctrl: false });
    assert.deepEqual(parseMouse('\u001b[<16;1;1M')?.mods, { shift: false, alt: false, ctrl: true });
    assert.deepEqual(parseMouse('\u001b[<80;1;1M'), { kind: 'wheel', direction: 'up', x: 0, y: 0, mods: { shift: false, alt: false, ctrl: true } });
  });

  it('ignores motion, sideways wheels, extra buttons and anything that is not an SGR report', () => {
    assert.equal(parseMouse('\u001b[<32;1;1M'), null); // drag with the left button
    assert.equal(parseMouse('\u001b[<35;1;1M'), null); // motion, no button
    assert.equal(parseMouse('\u001b[<66;1;1M'), null); // wheel left
    assert.equal(parseMouse('\u001b[<128;1;1M'), null); // button 8
    assert.equal(parseMouse('\u001b[<0;0;1M'), null); // coordinates are 1-based
    assert.equal(parseMouse('\u001b[<0;1M'), null);
    assert.equal(parseMouse('\u001b[A'), null);
    assert.equal(parseMouse('<0;1;1M'), null);
    assert.equal(parseMouse('\u001b[<0;1;1Mx'), null);
  });

  it('knows every SGR report is a report, used or not, so none is typed', () => {
    assert.equal(isMouseReport('\u001b[<35;1;1M'), true);
    assert.equal(isMouseReport('\u001b[<0;1;1m'), true);
    assert.equal(isMouseReport('\u001b[1;5A'), false);
    assert.equal(isMouseReport('[<0;1;1M'), false);
  });

  it('is never typed by the key map either', () => {
    // If a report ever reached mapKey, Ink hands it over as its bytes after ESC: no text comes of it.
    assert.deepEqual(mapKey('[<0;5;5M', { upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false, sequence: '\u001b[<0;5;5M' }, createEditor(''), false), { kind: 'none' });
  });
});

type Click = Extract<MouseEvent, { button: unknown }>;
const press = (x: number, y: number, over: Partial<Click> = {}): Click => ({ kind: 'press', button: 'left', x, y, mods: none, ...over });
const rooms = Object.fromEntries(['general', 'dev', 'random'].map((id) => [id, emptyRoom(id)]));
const order = ['general', 'dev', 'random'];

describe('mouseCommand', () => {
  const wide = screenLayout(100, 30);
  it('switches room on a click in the sidebar (its title on the first row)', () => {
    assert.deepEqual(mouseCommand(press(3, 1), wide, [], false), { kind: 'jump', index: 0 });
    assert.deepEqual(mouseCommand(press(0, 3), wide, [], false), { kind: 'jump', index: 2 });
    assert.deepEqual(mouseCommand(press(3, 0), wide, [], false), { kind: 'none' }); // "Rooms"
    assert.deepEqual(mouseCommand(press(wide.side, 1), wide, [], false), { kind: 'none' }); // the pane
    assert.deepEqual(mouseCommand(press(3, wide.inputTop), wide, [], false), { kind: 'none' }); // the input
    assert.deepEqual(mouseCommand(press(3, 1, { kind: 'release' }), wide, [], false), { kind: 'none' });
    assert.deepEqual(mouseCommand(press(3, 1, { button: 'right' }), wide, [], false), { kind: 'none' });
  });

  it('switches room on a click on its name in the narrow room bar', () => {
    const narrow = screenLayout(40, 15);
    const bar = roomBar(order, rooms, 'general', 39, (s) => s);
    const dev = bar.find((b) => b.id === 'dev')!;
    assert.deepEqual(mouseCommand(press(dev.x, 0), narrow, bar, false), { kind: 'jump', index: 1 });
    assert.deepEqual(mouseCommand(press(dev.x + dev.width - 1, 0), narrow, bar, false), { kind: 'jump', index: 1 });
    assert.deepEqual(mouseCommand(press(dev.x - 1, 0), narrow, bar, false), { kind: 'none' }); // the gap
    assert.deepEqual(mouseCommand(press(2, 3), narrow, bar, false), { kind: 'none' }); // no sidebar when narrow
  });

  it('scrolls with the wheel; with the help open a click closes it', () => {
    assert.deepEqual(mouseCommand({ kind: 'wheel', direction: 'up', x: 50, y: 5, mods: none }, wide, [], false), { kind: 'scrollRows', rows: WHEEL_ROWS });
    assert.deepEqual(mouseCommand({ kind: 'wheel', direction: 'down', x: 1, y: 1, mods: none }, wide, [], false), { kind: 'scrollRows', rows: -WHEEL_ROWS });
    assert.deepEqual(mouseCommand({ kind: 'wheel', direction: 'up', x: 50, y: 5, mods: none }, wide, [], true), { kind: 'none' });
    assert.deepEqual(mouseCommand(press(3, 1), wide, [], true), { kind: 'closeHelp' });
    assert.deepEqual(mouseCommand(press(3, 1), screenLayout(10, 3), [], false), { kind: 'none' });
  });
});
