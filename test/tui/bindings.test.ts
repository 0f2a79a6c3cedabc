// The [keys] table applied: keys named as the table writes them, and the
// lookup mapKey asks first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindingLookup, keySpecOf, parseKeySpec, type KeyBinding, type KeySpec } from '../../tui/bindings.js';
import { createEditor } from '../../tui/editor.js';
import { mapKey, type KeyPress } from '../../tui/keys.js';

const none: KeyPress = {
  upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false,
  escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const k = (over: Partial<KeyPress>): KeyPress => ({ ...none, ...over });
const spec = (written: string): KeySpec => parseKeySpec(written) as KeySpec;
const bind = (table: Record<string, string>): KeyBinding[] => Object.entries(table).map(([written, action]) => ({ written, spec: spec(written), action }));

describe('keySpecOf', () => {
  const cases: Array<[string, string, KeyPress, string | null]> = [
    ['Ctrl+T', 't', k({ ctrl: true }), 'ctrl+t'],
    ['Alt+N', 'n', k({ meta: true }), 'alt+n'],
    ['Alt+Shift+N', 'N', k({ meta: true, shift: true }), 'alt+shift+n'],
    ['Enter', '\r', k({ return: true }), 'enter'],
    ['Alt+Enter', '\r', k({ return: true, meta: true }), 'alt+enter'],
    ['Shift+Tab', '', k({ tab: true, shift: true }), 'shift+tab'],
    ['Escape', '', k({ escape: true, meta: true }), 'escape'],
    ['Backspace (DEL)', '', k({ delete: true, sequence: '\u007f' }), 'backspace'],
    ['Delete', '', k({ delete: true, sequence: '\u001b[3~' }), 'delete'],
    ['Ctrl+Up', '', k({ upArrow: true, ctrl: true }), 'ctrl+up'],
    ['PgDn', '', k({ pageDown: true }), 'pagedown'],
    ['F2', '', k({ sequence: '\u001bOQ' }), 'f2'],
    ['F5', '', k({ sequence: '\u001b[15~' }), 'f5'],
    ['Ctrl+F5', '', k({ sequence: '\u001b[15;5~' }), 'ctrl+f5'],
    ['Shift+F1', '', k({ sequence: '\u001b[1;2P' }), 'shift+f1'],
    ['F12', '', k({ sequence: '\u001b[24~' }), 'f12'],
    ['F3 (Linux console)', '', k({ sequence: '\u001b[[C' }), 'f3'],
    ['Alt+Space', ' ', k({ meta: true }), 'alt+space'],
    ['a letter', 'x', k({}), null],
    ['typed text', 'hello', k({}), null],
  ];
  for (const [name, input, key, written] of cases) {
    it(`${name} is ${written ?? 'not nameable'}`, () => {
      assert.deepEqual(keySpecOf(input, key), written === null ? null : spec(written));
    });
  }
});

describe('bindingLookup', () => {
  it('binds keys to actions and leaves the rest to the key map', () => {
    const lookup = bindingLookup(bind({ 'ctrl+t': 'send', f2: 'next-room', 'alt+enter': 'send', 'ctrl+w': 'kill-word-backward', 'ctrl+g': 'none' }))!;
    const s = createEditor('say hello.world');
    assert.deepEqual(mapKey('t', k({ ctrl: true }), s, false, lookup), { kind: 'send' });
    assert.deepEqual(mapKey('', k({ sequence: '\u001bOQ' }), s, false, lookup), { kind: 'switch', delta: 1 });
    assert.deepEqual(mapKey('\r', k({ return: true, meta: true }), s, false, lookup), { kind: 'send' });
    assert.deepEqual(mapKey('w', k({ ctrl: true }), s, false, lookup), { kind: 'editor', op: { type: 'killWordBackward' } });
    // modifyOtherKeys' Ctrl+T is the same key.
    assert.deepEqual(mapKey('[27;5;116~', k({ sequence: '\u001b[27;5;116~' }), s, false, lookup), { kind: 'send' });
    // Unbound keys keep their meaning; "none" unbinds.
    assert.deepEqual(mapKey('a', k({ ctrl: true }), s, false, lookup), { kind: 'editor', op: { type: 'lineStart' } });
    assert.deepEqual(mapKey('g', k({ ctrl: true }), s, false, lookup), { kind: 'none' });
    assert.deepEqual(mapKey('x', k({}), s, false, lookup), { kind: 'editor', op: { type: 'insert', text: 'x' } });
  });

  it('is nothing at all for an empty table', () => {
    assert.equal(bindingLookup([]), undefined);
  });
});
