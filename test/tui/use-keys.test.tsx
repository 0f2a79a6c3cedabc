// useKeys against the real Ink 6 input pipeline (ink-testing-library feeds
// its stdin): each key carries its raw sequence, so Backspace and Delete
// differ; a bracketed paste, however it is chunked, is one event; and the
// key map turns what Ink reports into the intended commands.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import React from 'react';
import { createEditor } from '../../tui/editor.js';
import { mapKey, mapPaste, type Command } from '../../tui/keys.js';
import { PASTE_END, PASTE_START } from '../../tui/paste.js';
import { useKeys, type KeyEvent } from '../../tui/use-keys.js';

function Probe({ onEvent }: { onEvent: (e: KeyEvent) => void }) {
  useKeys(onEvent);
  return <Text>probe</Text>;
}

async function feed(chunks: string[]): Promise<KeyEvent[]> {
  const events: KeyEvent[] = [];
  const { stdin, unmount } = render(<Probe onEvent={(e) => events.push(e)} />);
  await delay(20); // useInput subscribes in an effect
  for (const c of chunks) {
    stdin.write(c);
    await delay(2);
  }
  unmount();
  return events;
}

const state = createEditor('abc def', 4);
const command = (e: KeyEvent): Command => {
  if (e.kind === 'paste') return mapPaste(e.text);
  if (e.kind === 'key') return mapKey(e.input, e.key, state, false);
  return { kind: 'none' };
};
/** Each event in a short form: ['key', input], ['paste', text], ['mouse', kind, x, y], ['focus', in]. */
const brief = (e: KeyEvent): unknown[] => {
  if (e.kind === 'key') return ['key', e.input];
  if (e.kind === 'paste') return ['paste', e.text];
  if (e.kind === 'focus') return ['focus', e.focused];
  return ['mouse', e.event.kind, e.event.x, e.event.y];
};
const op = (c: Command) => (c.kind === 'editor' ? c.op.type : c.kind);

describe('useKeys with Ink 6', () => {
  it('tells Backspace (DEL), Delete (ESC [3~), F1 and Ctrl+Delete apart, which plain useInput cannot', async () => {
    const events = await feed(['\u007f', '\u001b[3~', '\u001bOP', '\u001b[3;5~', '\b', '\u001b\u007f']);
    const keys = events.flatMap((e) => (e.kind === 'key' ? [e.key] : []));
    // What Ink itself says: both Backspace and Delete are key.delete.
    assert.deepEqual(keys.map((k) => [k.delete, k.backspace]), [[true, false], [true, false], [false, false], [true, false], [false, true], [true, false]]);
    assert.deepEqual(events.map((e) => op(command(e))), ['backspace', 'delete', 'help', 'killWordAfter', 'backspace', 'killWordBackward']);
  });

  it('reports the editing keys as the key map expects them', async () => {
    const seqs = ['\u001b[H', '\u001b[1~', '\u001bOF', '\u001b[4~', '\u001b[1;5D', '\u001b[1;5C', '\u001bOd', '\u001b[1;3D', '\u001b\u001b[C',
      '\u001bb', '\u001bf', '\u001bd', '\u001by', '\u0001', '\u0005', '\u0017', '\u0015', '\u000b', '\u0019', '\u0004', '\u001b\r', '\u001b[13;2u', '\n', '\r'];
    const events = await feed(seqs);
    assert.deepEqual(events.map((e) => op(command(e))), [
      'lineStart', 'lineStart', 'lineEnd', 'lineEnd', 'wordLeft', 'wordRight', 'wordLeft', 'wordLeft', 'wordRight',
      'wordLeft', 'wordRight', 'killWordAfter', 'yankPop', 'lineStart', 'lineEnd', 'killWordBefore', 'killLineStart', 'killLineEnd', 'yank', 'delete',
      'newline', 'newline', 'newline', 'send',
    ]);
  });

  it('delivers a bracketed paste as one event, however the terminal chunks it', async () => {
    const events = await feed(['x', `${PASTE_START}one\r`, 'two', '\t', '\u007f', `three${PASTE_END}`, 'y']);
    assert.deepEqual(events.map(brief), [
      ['key', 'x'],
      ['paste', 'one\rtwo\t\u007fthree'],
      ['key', 'y'],
    ]);
    const paste = command(events[1]!);
    assert.equal(paste.kind === 'editor' && paste.op.type === 'insert' && paste.op.text.includes('\r'), true);
  });

  it('finds markers cut by a read boundary (Ink flushes the cut escape sequence as it is)', async () => {
    const events = await feed(['\u001b[20', '0~a\r', 'b\u001b[2', '01~z']);
    assert.deepEqual(events.map(brief), [
      ['paste', 'a\rb'],
      ['key', 'z'],
    ]);
  });

  it('takes mouse and focus reports out of the key stream: none is ever typed', async () => {
    const events = await feed(['a', '\u001b[<0;5;3M', '\u001b[<0;5;3m', '\u001b[<64;10;10M', '\u001b[<35;1;1M', 'b', '\u001b[O', '\u001b[I', '\u001b[<65;2;2M', 'c']);
    assert.deepEqual(events.map(brief), [
      ['key', 'a'],
      ['mouse', 'press', 4, 2],
      ['mouse', 'release', 4, 2],
      ['mouse', 'wheel', 9, 9],
      // A motion report (35) is not used, and still not typed.
      ['key', 'b'],
      ['focus', false],
      ['focus', true],
      ['mouse', 'wheel', 1, 1],
      ['key', 'c'],
    ]);
  });

  it('skips the three bytes of a legacy X10 mouse report, keeping what was typed after them', async () => {
    const events = await feed(['\u001b[M', ' !!xy', 'z']);
    assert.deepEqual(events.map(brief), [
      ['key', 'xy'],
      ['key', 'z'],
    ]);
  });

  it('splits control keys out of a chunk of fast typing: each is a key, not text', async () => {
    const events = await feed(['ab\u0015cd\u000b\u007f\u0017x\ry', '/join ge\t']);
    assert.deepEqual(events.map((e) => op(command(e))), ['insert', 'killLineStart', 'insert', 'killLineEnd', 'backspace', 'killWordBefore', 'batch', 'insert', 'complete']);
    const last = command(events.at(-3)!);
    assert.deepEqual(last, { kind: 'batch', commands: [{ kind: 'editor', op: { type: 'insert', text: 'x' } }, { kind: 'send' }, { kind: 'editor', op: { type: 'insert', text: 'y' } }] });
  });
});
