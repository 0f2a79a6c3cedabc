import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, createEditor, type EditorOp, type EditorState } from '../../tui/editor.js';
import { mapKey, mapPaste, type Command, type KeyPress } from '../../tui/keys.js';
import { complete, parseLine } from '../../tui/slash.js';

const none: KeyPress = {
  upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false,
  escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const k = (over: Partial<KeyPress>): KeyPress => ({ ...none, ...over });

describe('key map', () => {
  const empty = createEditor('');
  it('maps room switching keys', () => {
    assert.deepEqual(mapKey('n', k({ ctrl: true }), empty, false), { kind: 'switch', delta: 1 });
    assert.deepEqual(mapKey('p', k({ ctrl: true }), empty, false), { kind: 'switch', delta: -1 });
    assert.deepEqual(mapKey('', k({ meta: true, downArrow: true }), empty, false), { kind: 'switch', delta: 1 });
    assert.deepEqual(mapKey('3', k({ meta: true }), empty, false), { kind: 'jump', index: 2 });
  });

  it('treats Escape (which Ink also marks meta) as back-to-bottom, not Alt', () => {
    assert.deepEqual(mapKey('', k({ escape: true, meta: true }), createEditor('abc'), false), { kind: 'bottom' });
    assert.deepEqual(mapKey('', k({ escape: true, meta: true }), empty, true), { kind: 'closeHelp' });
  });

  it('scrolls, recalls, completes, sends', () => {
    assert.deepEqual(mapKey('', k({ pageUp: true }), empty, false), { kind: 'scroll', pages: 1 });
    assert.deepEqual(mapKey('', k({ end: true }), empty, false), { kind: 'bottom' });
    assert.deepEqual(mapKey('', k({ end: true }), createEditor('typing'), false), { kind: 'editor', op: { type: 'lineEnd' } });
    assert.deepEqual(mapKey('', k({ upArrow: true }), empty, false), { kind: 'recall', direction: -1 });
    assert.deepEqual(mapKey('', k({ tab: true }), createEditor('Bo'), false), { kind: 'complete' });
    assert.deepEqual(mapKey('\r', k({ return: true }), createEditor('hi'), false), { kind: 'send' });
    assert.deepEqual(mapKey('c', k({ ctrl: true }), createEditor('x'), false), { kind: 'quit' });
  });

  it('asks the [keys] table first, but Ctrl+C always quits and the help still closes', () => {
    const bound = (input: string, key: KeyPress): Command | undefined => (key.ctrl && (input === 't' || input === 'c') ? { kind: 'send' } : undefined);
    assert.deepEqual(mapKey('t', k({ ctrl: true }), empty, false, bound), { kind: 'send' });
    assert.deepEqual(mapKey('c', k({ ctrl: true }), empty, false, bound), { kind: 'quit' });
    assert.deepEqual(mapKey('q', k({}), empty, true, () => ({ kind: 'send' })), { kind: 'closeHelp' });
    // A key the table does not name keeps its built-in meaning.
    assert.deepEqual(mapKey('w', k({ ctrl: true }), empty, false, bound), { kind: 'editor', op: { type: 'killWordBefore' } });
  });

  it('completes names, commands and rooms', () => {
    const pools = { names: ['Alice', 'Bob'], rooms: ['general', 'dev', 'design'] };
    assert.equal(complete('bo', pools), 'Bob: ');
    assert.equal(complete('hi @al', pools), 'hi @Alice ');
    assert.equal(complete('hi al', pools), 'hi Alice ');
    assert.equal(complete('/jo', pools), '/join ');
    assert.equal(complete('zz', pools), 'zz');
    assert.equal(complete('', pools), '');
    // A whole name still gets its case and its suffix.
    assert.equal(complete('bob', pools), 'Bob: ');
    // Rooms after /join (with or without '#') and after a '#' anywhere.
    assert.equal(complete('/join gen', pools), '/join general ');
    assert.equal(complete('/JOIN #ge', pools), '/JOIN #general ');
    assert.equal(complete('/join de', pools), '/join dev ');
    assert.equal(complete('see #des', pools), 'see #design ');
    assert.equal(complete('/join zz', pools), '/join zz');
    // Names are not rooms: "/join al" does not become a person.
    assert.equal(complete('/join al', pools), '/join al');
  });

  it('parses slash commands; unknown ones are hints, never text', () => {
    assert.deepEqual(parseLine('hello'), { kind: 'text', text: 'hello' });
    assert.deepEqual(parseLine('//etc/passwd'), { kind: 'text', text: '/etc/passwd' });
    assert.deepEqual(parseLine('/join #dev'), { kind: 'join', room: '#dev' });
    assert.deepEqual(parseLine('/q'), { kind: 'quit' });
    assert.deepEqual(parseLine('/me waves'), { kind: 'me', action: 'waves' });
    assert.equal(parseLine('/frobnicate').kind, 'error');
    assert.equal(parseLine('/join').kind, 'error');
  });

  it('keeps a multi-line message whole: parseLine does not split it', () => {
    assert.deepEqual(parseLine('one\ntwo\nthree'), { kind: 'text', text: 'one\ntwo\nthree' });
  });
});

/** The editor state from text with '|' at the cursor. */
function ed(text: string): EditorState {
  const at = text.indexOf('|');
  return createEditor(text.replace('|', ''), at === -1 ? undefined : at);
}
const op = (type: Exclude<EditorOp['type'], 'insert'>): Command => ({ kind: 'editor', op: { type } as EditorOp });
/** Raw sequences as tui/use-keys.ts passes them, with the flags Ink 6.8 gives them (checked in use-keys.test). */
const raw = (sequence: string, over: Partial<KeyPress> = {}): KeyPress => k({ ...over, sequence });

describe('key map with the editor', () => {
  const s = ed('hello wor|ld');
  const cases: Array<[string, string, KeyPress, Command]> = [
    ['Ctrl+A', 'a', k({ ctrl: true }), op('lineStart')],
    ['Ctrl+E', 'e', k({ ctrl: true }), op('lineEnd')],
    ['Home', '', k({ home: true }), op('lineStart')],
    ['End', '', k({ end: true }), op('lineEnd')],
    ['Ctrl+B', 'b', k({ ctrl: true }), op('left')],
    ['Ctrl+F', 'f', k({ ctrl: true }), op('right')],
    ['Left', '', k({ leftArrow: true }), op('left')],
    ['Right', '', k({ rightArrow: true }), op('right')],
    ['Alt+B', 'b', k({ meta: true }), op('wordLeft')],
    ['Alt+F', 'f', k({ meta: true }), op('wordRight')],
    ['Alt+Shift+B', 'B', k({ meta: true, shift: true }), op('wordLeft')],
    ['Ctrl+Left', '', k({ leftArrow: true, ctrl: true }), op('wordLeft')],
    ['Ctrl+Right', '', k({ rightArrow: true, ctrl: true }), op('wordRight')],
    ['Alt+Left', '', k({ leftArrow: true, meta: true }), op('wordLeft')],
    ['Alt+Right', '', k({ rightArrow: true, meta: true }), op('wordRight')],
    ['Backspace (DEL, which Ink calls delete)', '', raw('\u007f', { delete: true }), op('backspace')],
    ['Backspace (BS / Ctrl+H)', '', raw('\b', { backspace: true }), op('backspace')],
    ['Backspace without the raw sequence', '', k({ delete: true }), op('backspace')],
    ['Delete (ESC [3~)', '', raw('\u001b[3~', { delete: true }), op('delete')],
    ['Ctrl+D', 'd', k({ ctrl: true }), op('delete')],
    ['Ctrl+W', 'w', k({ ctrl: true }), op('killWordBefore')],
    ['Alt+Backspace', '', raw('\u001b\u007f', { delete: true, meta: true }), op('killWordBackward')],
    ['Ctrl+Backspace (kitty)', '', raw('\u001b[127;5u', { delete: true, ctrl: true }), op('killWordBackward')],
    ['Alt+D', 'd', k({ meta: true }), op('killWordAfter')],
    ['Ctrl+Delete', '', raw('\u001b[3;5~', { delete: true, ctrl: true }), op('killWordAfter')],
    ['Ctrl+U', 'u', k({ ctrl: true }), op('killLineStart')],
    ['Ctrl+K', 'k', k({ ctrl: true }), op('killLineEnd')],
    ['Ctrl+Y', 'y', k({ ctrl: true }), op('yank')],
    ['Alt+Y', 'y', k({ meta: true }), op('yankPop')],
    ['Alt+Enter', '\r', k({ return: true, meta: true }), op('newline')],
    ['Shift+Enter (kitty CSI u)', '\r', raw('\u001b[13;2u', { return: true, shift: true }), op('newline')],
    ['Shift+Enter (xterm modifyOtherKeys)', '[27;2;13~', raw('\u001b[27;2;13~'), op('newline')],
    ['Ctrl+A (xterm modifyOtherKeys)', '[27;5;97~', raw('\u001b[27;5;97~'), op('lineStart')],
    ['Ctrl+J', '\n', k({}), op('newline')],
    ['Ctrl+J (kitty CSI u)', 'j', raw('\u001b[106;5u', { ctrl: true }), op('newline')],
    ['Ctrl+H (kitty CSI u)', 'h', raw('\u001b[104;5u', { ctrl: true }), op('backspace')],
    ['a letter', 'x', k({}), { kind: 'editor', op: { type: 'insert', text: 'x' } }],
    ['a wide character', '日', k({}), { kind: 'editor', op: { type: 'insert', text: '日' } }],
    ['Enter', '\r', k({ return: true }), { kind: 'send' }],
    ['Tab', '', k({ tab: true }), { kind: 'complete' }],
    ['Shift+Tab', '', k({ tab: true, shift: true }), { kind: 'complete' }],
    ['PgUp', '', k({ pageUp: true }), { kind: 'scroll', pages: 1 }],
    ['PgDn', '', k({ pageDown: true }), { kind: 'scroll', pages: -1 }],
    ['Ctrl+N', 'n', k({ ctrl: true }), { kind: 'switch', delta: 1 }],
    ['Ctrl+P', 'p', k({ ctrl: true }), { kind: 'switch', delta: -1 }],
    ['Alt+Up', '', k({ upArrow: true, meta: true }), { kind: 'switch', delta: -1 }],
    ['Alt+Down', '', k({ downArrow: true, meta: true }), { kind: 'switch', delta: 1 }],
    ['Alt+1', '1', k({ meta: true }), { kind: 'jump', index: 0 }],
    ['Alt+9', '9', k({ meta: true }), { kind: 'jump', index: 8 }],
    ['Esc', '', k({ escape: true, meta: true }), { kind: 'bottom' }],
    ['F1', '', raw('\u001bOP'), { kind: 'help' }],
    ['F1 (rxvt)', '', raw('\u001b[11~'), { kind: 'help' }],
    ['Ctrl+C', 'c', k({ ctrl: true }), { kind: 'quit' }],
    ['an unbound Ctrl key', 'g', k({ ctrl: true }), { kind: 'none' }],
    ['an unbound Alt key', 'z', k({ meta: true }), { kind: 'none' }],
    ['an escape sequence Ink does not know', '[99;9~', raw('\u001b[99;9~'), { kind: 'none' }],
    ['a stray paste marker', '[200~', raw('\u001b[200~'), { kind: 'none' }],
  ];
  for (const [name, input, key, want] of cases) {
    it(`${name} -> ${want.kind === 'editor' ? want.op.type : want.kind}`, () => {
      assert.deepEqual(mapKey(input, key, s, false), want);
    });
  }

  it('Ctrl+D on an empty input and End on an empty input', () => {
    assert.deepEqual(mapKey('d', k({ ctrl: true }), ed('|'), false), { kind: 'none' });
    assert.deepEqual(mapKey('', k({ end: true }), ed('|'), false), { kind: 'bottom' });
  });

  it('Up/Down move between the lines of a multi-line input and recall history at its edges', () => {
    const up = k({ upArrow: true });
    const down = k({ downArrow: true });
    assert.deepEqual(mapKey('', up, ed('one line|'), false), { kind: 'recall', direction: -1 });
    assert.deepEqual(mapKey('', down, ed('one line|'), false), { kind: 'recall', direction: 1 });
    assert.deepEqual(mapKey('', up, ed('one\ntw|o'), false), op('up'));
    assert.deepEqual(mapKey('', down, ed('one\ntw|o'), false), { kind: 'recall', direction: 1 });
    assert.deepEqual(mapKey('', up, ed('o|ne\ntwo'), false), { kind: 'recall', direction: -1 });
    assert.deepEqual(mapKey('', down, ed('o|ne\ntwo'), false), op('down'));
  });

  it('closes the help before anything else reads Esc, Enter or q', () => {
    assert.deepEqual(mapKey('q', k({}), s, true), { kind: 'closeHelp' });
    assert.deepEqual(mapKey('\r', k({ return: true }), s, true), { kind: 'closeHelp' });
    assert.deepEqual(mapKey('', raw('\u001bOP'), s, true), { kind: 'help' });
  });

  it('sends each finished line of an unbracketed chunk (typeahead) and keeps the tail', () => {
    const cmd = mapKey('lo 2\rhello 3\r\nhel', k({}), ed('hel|'), false);
    assert.deepEqual(cmd, {
      kind: 'batch',
      commands: [
        { kind: 'editor', op: { type: 'insert', text: 'lo 2' } },
        { kind: 'send' },
        { kind: 'editor', op: { type: 'insert', text: 'hello 3' } },
        { kind: 'send' },
        { kind: 'editor', op: { type: 'insert', text: 'hel' } },
      ],
    });
  });

  it('turns a bracketed paste into one multi-line insertion', () => {
    const cmd = mapPaste('line one\r\nline two\rthree');
    assert.deepEqual(cmd, { kind: 'editor', op: { type: 'insert', text: 'line one\r\nline two\rthree' } });
    assert.equal(cmd.kind === 'editor' && applyEdit(ed('>|<'), cmd.op).text, '>line one\nline two\nthree<');
  });
});
