// The key map: a pure function from one keypress (as Ink reports it) and the
// input line's state to a command. App.tsx is the one owner of keyboard input and carries
// the commands out; tui/editor.ts carries out the editing ones.
import type { Key } from 'ink';
import { atEdge, type EditorOp, type EditorState } from './editor.js';
import type { SearchOp } from './search-keys.js';
import type { MessageOp } from './message-keys.js';

export type Command =
  | { kind: 'send' }
  /** A change to the input: tui/editor.ts applyEdit(state, op). */
  | { kind: 'editor'; op: EditorOp }
  /** Several commands in order: typeahead with line breaks (insert, send, insert, ...). */
  | { kind: 'batch'; commands: Command[] }
  | { kind: 'switch'; delta: 1 | -1 }
  | { kind: 'jump'; index: number }
  | { kind: 'scroll'; pages: 1 | -1 }
  /** The mouse wheel: rows up (positive) or down. */
  | { kind: 'scrollRows'; rows: number }
  | { kind: 'bottom' }
  | { kind: 'recall'; direction: 1 | -1 }
  | { kind: 'complete' }
  | { kind: 'help' }
  | { kind: 'closeHelp' }
  /** The terminal reported focus gained or lost (CSI ?1004h). */
  | { kind: 'focus'; focused: boolean }
  | { kind: 'quit' }
  /** Issue 15: search's own keys (search-keys.ts), carried out by search-actions.ts. */
  | { kind: 'search'; op: SearchOp }
  /** Issue 16: selection mode's keys (message-keys.ts), carried out by message-actions.ts. */
  | { kind: 'message'; op: MessageOp }
  | { kind: 'none' };

export type KeyPress = Pick<
  Key,
  'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'end' | 'return' | 'escape' | 'ctrl' | 'meta' | 'tab' | 'backspace' | 'delete'
> &
  Partial<Key> & {
    /**
     * The raw sequence Ink parsed this key from (tui/use-keys.ts supplies it).
     * Ink reports Backspace (\x7f) and Delete (ESC [3~) both as key.delete,
     * and F1 as nothing; the sequence tells them apart.
     */
    sequence?: string;
  };

export const F1_SEQUENCES = ['\u001bOP', '\u001b[11~', '\u001b[[A'];

const edit = (type: Exclude<EditorOp['type'], 'insert'>): Command => ({ kind: 'editor', op: { type } as EditorOp });
const insert = (text: string): Command => ({ kind: 'editor', op: { type: 'insert', text } });

/** A bracketed paste: one insertion, line breaks and all; Enter then sends it as one message. */
export function mapPaste(text: string): Command {
  return insert(text);
}

/**
 * Commands the config file's [keys] table binds (tui/bindings.ts): asked
 * first, after Ctrl+C (always quit) and the keys that close the help.
 */
export type KeyLookup = (input: string, key: KeyPress) => Command | undefined;

/** The key's command; `state` is the input line (tui/editor.ts). */
export function mapKey(input: string, key: KeyPress, state: EditorState, helpOpen: boolean, bound?: KeyLookup): Command {
  const seq = key.sequence;
  const other = seq === undefined ? null : MODIFY_OTHER_KEYS.exec(seq);
  if (other) return mapKey(...fromModifyOtherKeys(Number(other[1]) - 1, Number(other[2]), key), state, helpOpen, bound);
  if (key.ctrl && input === 'c') return { kind: 'quit' };
  if (helpOpen && (key.escape || key.return || input === 'q')) return { kind: 'closeHelp' };
  const custom = bound?.(input, key);
  if (custom) return custom;
  return defaultKey(input, key, state);
}

// xterm's modifyOtherKeys form, ESC [ 27 ; modifiers ; code ~, which Ink does not parse.
const MODIFY_OTHER_KEYS = /^\u001b\[27;(\d+);(\d+)~$/;

function defaultKey(input: string, key: KeyPress, state: EditorState): Command {
  const seq = key.sequence;
  if (seq !== undefined && F1_SEQUENCES.includes(seq)) return { kind: 'help' };
  if (key.ctrl && input === 'n') return { kind: 'switch', delta: 1 };
  if (key.ctrl && input === 'p') return { kind: 'switch', delta: -1 };
  // Escape sets key.meta in Ink 6 too, so Alt+x is meta without escape.
  const alt = key.meta && !key.escape;
  if (alt && key.downArrow) return { kind: 'switch', delta: 1 };
  if (alt && key.upArrow) return { kind: 'switch', delta: -1 };
  if (alt && /^[1-9]$/.test(input)) return { kind: 'jump', index: Number(input) - 1 };
  if (key.pageUp) return { kind: 'scroll', pages: 1 };
  if (key.pageDown) return { kind: 'scroll', pages: -1 };
  if (key.escape) return { kind: 'bottom' };
  if (key.end && state.text.length === 0) return { kind: 'bottom' };
  // Up/Down move within a multi-line input; on its first/last line they recall history.
  if (key.upArrow) return atEdge(state, -1) ? { kind: 'recall', direction: -1 } : edit('up');
  if (key.downArrow) return atEdge(state, 1) ? { kind: 'recall', direction: 1 } : edit('down');
  if (key.tab) return { kind: 'complete' };
  // Alt+Enter (ESC CR), Shift/Ctrl+Enter where the terminal tells them apart (kitty CSI u): a line break.
  if (key.return) return alt || key.shift || key.ctrl ? edit('newline') : { kind: 'send' };
  // Ctrl+J is a lone LF (Enter is CR in raw mode): a line break too.
  if (input === '\n') return edit('newline');
  if (key.backspace || key.delete) {
    const forward = seq !== undefined && /^\u001b\[3[;~$^]/.test(seq);
    if (forward) return edit(alt || key.ctrl ? 'killWordAfter' : 'delete');
    return edit(alt || key.ctrl ? 'killWordBackward' : 'backspace');
  }
  if (key.leftArrow) return edit(alt || key.ctrl ? 'wordLeft' : 'left');
  if (key.rightArrow) return edit(alt || key.ctrl ? 'wordRight' : 'right');
  if (key.home) return edit('lineStart');
  if (key.end) return edit('lineEnd');
  if (key.ctrl) return ctrlKey(input, state);
  if (alt) return altKey(input.toLowerCase());
  if (input.length === 0) return { kind: 'none' };
  // A sequence Ink did not recognise reaches here as its bytes after ESC: never text.
  if (seq !== undefined && seq === `\u001b${input}`) return { kind: 'none' };
  return typed(input);
}

/** The key a modifyOtherKeys sequence stands for, as Ink would report it unmodified. */
function fromModifyOtherKeys(mods: number, code: number, key: KeyPress): [string, KeyPress] {
  const ctrl = (mods & 4) !== 0;
  const meta = (mods & 2) !== 0;
  const k: KeyPress = { ...key, sequence: undefined, shift: (mods & 1) !== 0, meta, ctrl };
  if (code === 13) return ['\r', { ...k, return: true }];
  if (code === 9) return ['', { ...k, tab: true }];
  if (code === 8 || code === 127) return ['', { ...k, backspace: true }];
  if (code === 27) return ['', { ...k, escape: true, meta: true }];
  if (code < 32 || code > 0x10ffff) return ['', k];
  const ch = String.fromCodePoint(code);
  return [ctrl || meta ? ch.toLowerCase() : ch, k];
}

function ctrlKey(letter: string, state: EditorState): Command {
  switch (letter) {
    case 'a':
      return edit('lineStart');
    case 'e':
      return edit('lineEnd');
    case 'b':
      return edit('left');
    case 'f':
      return edit('right');
    case 'd':
      // Deletes forward; on an empty input it does nothing (it does not quit, as a shell's would).
      return state.text.length > 0 ? edit('delete') : { kind: 'none' };
    case 'w':
      return edit('killWordBefore');
    case 'u':
      return edit('killLineStart');
    case 'k':
      return edit('killLineEnd');
    case 'y':
      return edit('yank');
    // Where the terminal reports them as such (kitty's protocol), rather than as LF and BS.
    case 'j':
      return edit('newline');
    case 'h':
      return edit('backspace');
    default:
      return { kind: 'none' };
  }
}

function altKey(letter: string): Command {
  switch (letter) {
    case 'b':
      return edit('wordLeft');
    case 'f':
      return edit('wordRight');
    case 'd':
      return edit('killWordAfter');
    case 'y':
      return edit('yankPop');
    default:
      return { kind: 'none' };
  }
}

/**
 * Typed text. Fast typing (typeahead over a slow link) arrives as one chunk,
 * and so does a paste where the terminal does not bracket it: each line break
 * in it is an Enter, as in WeeChat and irssi, so every finished line goes out
 * as its own message, in order; what follows the last break stays in the input.
 */
function typed(input: string): Command {
  const lines = input.split(/\r\n?|\n/);
  if (lines.length === 1) return insert(input);
  const commands: Command[] = [];
  lines.forEach((l, i) => {
    if (i > 0) commands.push({ kind: 'send' });
    if (l.length > 0) commands.push(insert(l));
  });
  return { kind: 'batch', commands };
}
