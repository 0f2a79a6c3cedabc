// The line editor: grapheme-aware moves and deletes, words, kills and yanks,
// multi-line input, and where the cursor is drawn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdit, atEdge, createEditor, RING_SIZE, setText, type EditorOp, type EditorOpType, type EditorState } from '../../tui/editor.js';
import { cursorPosition, layout } from '../../tui/editor-layout.js';

type Simple = Exclude<EditorOpType, 'insert'>;
/** Runs ops given as names (or strings to insert) from a state written as text with '|' for the cursor. */
function run(start: string, ...ops: Array<Simple | { insert: string }>): EditorState {
  const at = start.indexOf('|');
  let s = createEditor(start.replace('|', ''), at === -1 ? undefined : at);
  for (const o of ops) s = applyEdit(s, typeof o === 'string' ? ({ type: o } as EditorOp) : { type: 'insert', text: o.insert });
  return s;
}
/** The state as text with '|' at the cursor. */
const show = (s: EditorState) => s.text.slice(0, s.cursor) + '|' + s.text.slice(s.cursor);

const E_ACUTE = 'e\u0301'; // e + combining acute: one grapheme, two code units
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // man ZWJ woman ZWJ girl
const FLAGS = '\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}'; // FR DE: two flags, four regional indicators

describe('editor: graphemes', () => {
  it('moves over a combining sequence, a ZWJ emoji, flags and wide characters as single units', () => {
    assert.equal(show(run(`a${E_ACUTE}|`, 'left')), `a|${E_ACUTE}`);
    assert.equal(show(run(`x${FAMILY}|y`, 'left')), `x|${FAMILY}y`);
    assert.equal(show(run(`x|${FAMILY}y`, 'right')), `x${FAMILY}|y`);
    assert.equal(show(run(`|${FLAGS}`, 'right')), `\u{1F1EB}\u{1F1F7}|\u{1F1E9}\u{1F1EA}`);
    assert.equal(show(run(`${FLAGS}|`, 'left')), `\u{1F1EB}\u{1F1F7}|\u{1F1E9}\u{1F1EA}`);
    assert.equal(show(run('日本|', 'left', 'left', 'left')), '|日本');
    assert.equal(show(run('ab|', 'right')), 'ab|');
  });

  it('deletes a whole grapheme backwards and forwards', () => {
    assert.equal(show(run(`hi ${FAMILY}|`, 'backspace')), 'hi |');
    assert.equal(show(run(`h${E_ACUTE}|llo`, 'backspace')), 'h|llo');
    assert.equal(show(run(`|${FLAGS}!`, 'delete')), '|\u{1F1E9}\u{1F1EA}!');
    assert.equal(show(run(`x|`, 'delete')), 'x|');
    assert.equal(show(run(`|x`, 'backspace')), '|x');
  });

  it('keeps the cursor on a boundary when an insertion joins clusters', () => {
    // A combining mark typed after a letter becomes part of it: the cursor is after the pair.
    assert.equal(show(run('e|x', { insert: '\u0301' })), `${E_ACUTE}|x`);
    // A letter typed before a lone combining mark takes the mark: the cursor is after both.
    const s = run('|\u0301', { insert: 'a' });
    assert.equal(show(s), 'a\u0301|');
    assert.equal(show(applyEdit(s, { type: 'left' })), '|a\u0301');
  });
});

describe('editor: insertion', () => {
  it('inserts at the cursor, line breaks normalised, controls and bidi overrides dropped', () => {
    assert.equal(show(run('ac|', 'left', { insert: 'b' })), 'ab|c');
    assert.equal(show(run('|', { insert: 'one\r\ntwo\rthree\n' })), 'one\ntwo\nthree\n|');
    assert.equal(show(run('|', { insert: 'a\u0007b\u001b[31mc\u202Ed\te' })), 'ab[31mcd\te|');
    assert.equal(show(run('ab|', 'newline')), 'ab\n|');
    assert.equal(createEditor('x\u0000y').text, 'xy');
  });
});

describe('editor: lines', () => {
  it('Ctrl+A/E (Home/End) go to the current line\'s start and end', () => {
    assert.equal(show(run('one\ntw|o\nthree', 'lineStart')), 'one\n|two\nthree');
    assert.equal(show(run('one\ntw|o\nthree', 'lineEnd')), 'one\ntwo|\nthree');
    assert.equal(show(run('single li|ne', 'lineStart')), '|single line');
    assert.equal(show(run('|single line', 'lineEnd')), 'single line|');
  });

  it('Up/Down move between lines by display column and report the edges', () => {
    assert.equal(show(run('abcdef\nxy|z', 'up')), 'ab|cdef\nxyz');
    assert.equal(show(run('abc|def\nxy', 'down')), 'abcdef\nxy|');
    // Wide characters: column 4 on the line above is after the second one.
    assert.equal(show(run('日本語\nabcd|', 'up')), '日本|語\nabcd');
    // Column 3 falls inside the second wide character: the cursor stays before it.
    assert.equal(show(run('日本語\nabc|', 'up')), '日|本語\nabc');
    assert.equal(atEdge(run('a|b'), -1), true);
    assert.equal(atEdge(run('a|b'), 1), true);
    assert.equal(atEdge(run('a\nb|'), -1), false);
    assert.equal(atEdge(run('a\nb|'), 1), true);
    assert.equal(atEdge(run('a|\nb'), 1), false);
    // At an edge, Up/Down leave the state as it was.
    assert.equal(show(run('a|b\nc', 'up')), 'a|b\nc');
    assert.equal(show(run('a\nb|c', 'down')), 'a\nb|c');
  });
});

describe('editor: words', () => {
  it('Alt+B/F move by letters-and-digits words, readline style', () => {
    const text = 'hello, wörld 👋 x2|';
    assert.equal(show(run(text, 'wordLeft')), 'hello, wörld 👋 |x2');
    assert.equal(show(run(text, 'wordLeft', 'wordLeft')), 'hello, |wörld 👋 x2');
    assert.equal(show(run(text, 'wordLeft', 'wordLeft', 'wordLeft')), '|hello, wörld 👋 x2');
    assert.equal(show(run('|hello, wörld', 'wordRight')), 'hello|, wörld');
    assert.equal(show(run('|hello, wörld', 'wordRight', 'wordRight')), 'hello, wörld|');
    assert.equal(show(run('one\n|two three', 'wordLeft')), '|one\ntwo three');
    assert.equal(show(run('ab|', 'wordRight')), 'ab|');
    assert.equal(show(run('|', 'wordLeft')), '|');
  });

  it('Ctrl+W kills back to whitespace; Alt+Backspace and Alt+D kill words', () => {
    assert.equal(show(run('git commit -m|', 'killWordBefore')), 'git commit |');
    assert.equal(show(run('say foo-bar   |', 'killWordBefore')), 'say |');
    assert.equal(show(run('   |', 'killWordBefore')), '|');
    assert.equal(show(run('say foo-bar|', 'killWordBackward')), 'say foo-|');
    assert.equal(show(run('say |foo-bar', 'killWordAfter')), 'say |-bar');
    assert.equal(show(run('say| foo-bar', 'killWordAfter')), 'say|-bar');
  });
});

describe('editor: kill ring', () => {
  it('Ctrl+U and Ctrl+K kill to the line\'s start and end, and join lines at its edges', () => {
    assert.equal(show(run('one\ntw|o', 'killLineStart')), 'one\n|o');
    assert.equal(show(run('one\n|two', 'killLineStart')), 'one|two');
    assert.equal(show(run('o|ne\ntwo', 'killLineEnd')), 'o|\ntwo');
    assert.equal(show(run('one|\ntwo', 'killLineEnd')), 'one|two');
    assert.equal(show(run('|', 'killLineEnd')), '|');
  });

  it('Ctrl+Y yanks the last kill; consecutive kills make one entry', () => {
    const s = run('one two three|', 'killWordBefore', 'killWordBefore');
    assert.equal(show(s), 'one |');
    assert.deepEqual(s.ring, ['two three']);
    assert.equal(show(applyEdit(s, { type: 'yank' })), 'one two three|');
    // A move between kills makes two entries; forward kills append.
    const t = run('|ab cd ef', 'killWordAfter', 'right', 'killWordAfter', 'killWordAfter');
    assert.deepEqual(t.ring, ['ab', 'cd ef']);
    assert.equal(show(t), ' |');
    assert.equal(show(run('|x', 'yank')), '|x');
  });

  it('Alt+Y after Ctrl+Y swaps in older kills, round the ring', () => {
    let s = run('a c|', 'killWordBefore', 'left', 'killWordBefore', 'lineEnd');
    assert.equal(show(s), ' |');
    assert.deepEqual(s.ring, ['c', 'a']);
    s = applyEdit(s, { type: 'yank' });
    assert.equal(show(s), ' a|');
    s = applyEdit(s, { type: 'yankPop' });
    assert.equal(show(s), ' c|');
    s = applyEdit(s, { type: 'yankPop' });
    assert.equal(show(s), ' a|');
    // Not after a yank: nothing happens.
    assert.equal(show(applyEdit(run('x|'), { type: 'yankPop' })), 'x|');
  });

  it('keeps the last RING_SIZE kills, and the ring outlives setText', () => {
    let s = createEditor();
    for (let i = 0; i < RING_SIZE + 3; i++) s = applyEdit(applyEdit(setText(s, `w${i}`), { type: 'killLineStart' }), { type: 'left' });
    assert.equal(s.ring.length, RING_SIZE);
    assert.equal(s.ring.at(-1), `w${RING_SIZE + 2}`);
    assert.equal(s.ring[0], 'w3');
  });
});

describe('editor: layout', () => {
  it('wraps at the width without splitting wide characters and places the cursor', () => {
    assert.deepEqual(layout(run('abcd日|e'), 5), { rows: ['abcd', '日e'], row: 1, column: 2 });
    // The cursor before a cluster that wraps is drawn where that cluster is.
    assert.deepEqual(layout(run('abcd|日'), 5), { rows: ['abcd', '日'], row: 1, column: 0 });
    // After a full row the cursor starts the next one.
    assert.deepEqual(layout(run('abcde|'), 5), { rows: ['abcde', ''], row: 1, column: 0 });
    assert.deepEqual(layout(run('ab|c\n\tx\n'), 10), { rows: ['abc', ' x', ''], row: 0, column: 2 });
    assert.deepEqual(cursorPosition(run(`${FAMILY}${E_ACUTE}|`)), { row: 0, column: 3 });
    assert.deepEqual(cursorPosition(run('one\ntwo|')), { row: 1, column: 3 });
    assert.deepEqual(layout(run('|'), 5), { rows: [''], row: 0, column: 0 });
  });
});
