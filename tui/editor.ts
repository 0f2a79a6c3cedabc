// The input line editor: a pure state machine over { text, cursor } and a
// kill ring, with readline/WeeChat semantics. Lines are separated by '\n'.
// The cursor is a UTF-16 index that always sits on a grapheme-cluster
// boundary, so an emoji ZWJ sequence, a flag or a letter with combining marks
// moves and deletes as one unit. Nothing here knows about keys or Ink.
import stringWidth from 'string-width';
import { BIDI, CONTROL } from '../protos/rules.js';
import { graphemes, type Cluster } from './graphemes.js';

export interface EditorState {
  readonly text: string;
  /** UTF-16 index into text, always on a grapheme boundary. */
  readonly cursor: number;
  /** Killed text, oldest first; Ctrl+Y yanks the last. */
  readonly ring: readonly string[];
  /** The previous operation, when it matters to the next: kills chain, Alt+Y follows a yank. */
  readonly last?: { kind: 'kill' } | { kind: 'yank'; start: number; index: number };
}

export type EditorOp =
  | { type: 'insert'; text: string }
  /** A line break in the input (Alt+Enter, Shift+Enter, Ctrl+J): a multi-line message. */
  | { type: 'newline' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  | { type: 'lineStart' }
  | { type: 'lineEnd' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'backspace' }
  | { type: 'delete' }
  /** Ctrl+W: back to the previous whitespace (unix-word-rubout). */
  | { type: 'killWordBefore' }
  /** Alt+Backspace: back to the start of the word (backward-kill-word). */
  | { type: 'killWordBackward' }
  /** Alt+D: forward to the end of the word (kill-word). */
  | { type: 'killWordAfter' }
  | { type: 'killLineStart' }
  | { type: 'killLineEnd' }
  | { type: 'yank' }
  | { type: 'yankPop' };

export type EditorOpType = EditorOp['type'];

/** How many kills the ring keeps. */
export const RING_SIZE = 16;

export function createEditor(text = '', cursor?: number): EditorState {
  const clean = sanitize(text);
  return { text: clean, cursor: snap(clean, Math.min(cursor ?? clean.length, clean.length)), ring: [] };
}

/**
 * New text (history recall, completion, after sending) with the cursor at its
 * end, or at `cursor` (an index into `text`); the kill ring stays.
 */
export function setText(state: EditorState, text: string, cursor?: number): EditorState {
  if (cursor === undefined) {
    const clean = sanitize(text);
    return { text: clean, cursor: clean.length, ring: state.ring };
  }
  // Sanitising may drop characters before the cursor: place it by the part before it.
  const before = sanitize(text.slice(0, cursor));
  const clean = before + sanitize(text.slice(cursor));
  return { text: clean, cursor: snap(clean, before.length), ring: state.ring };
}

/**
 * What may be typed or pasted: CR LF and lone CR become '\n'; control
 * characters but tab and newline, and bidirectional controls, are dropped
 * (the server would drop them too, so the input shows what will be sent).
 */
export function sanitize(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(BIDI, '');
}

export function clusters(text: string, from = 0, to = text.length): Cluster[] {
  return [...graphemes(text.slice(from, to))].map((s) => ({ index: s.index + from, segment: s.segment }));
}

export function lineStartOf(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

export function lineEndOf(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n === -1 ? text.length : n;
}

// '\n' is always a boundary, so grapheme work never needs more than the current line.
function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  if (text[i - 1] === '\n') return i - 1;
  const start = lineStartOf(text, i);
  let prev = start;
  for (const c of clusters(text, start, lineEndOf(text, i))) {
    if (c.index >= i) break;
    prev = c.index;
  }
  return prev;
}

function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  if (text[i] === '\n') return i + 1;
  for (const c of clusters(text, lineStartOf(text, i), lineEndOf(text, i))) {
    const end = c.index + c.segment.length;
    if (end > i) return end;
  }
  return text.length;
}

/** The boundary at or after i: an edit that glues clusters together leaves the cursor after the new one. */
function snap(text: string, i: number): number {
  if (i <= 0 || i >= text.length || text[i] === '\n' || text[i - 1] === '\n') return Math.max(0, Math.min(i, text.length));
  for (const c of clusters(text, lineStartOf(text, i), lineEndOf(text, i))) {
    if (c.index === i) return i;
    if (c.index + c.segment.length > i) return c.index + c.segment.length;
  }
  return i;
}

// Words for Alt+B/F/D and Alt+Backspace, as readline: runs of letters and digits.
const isWordCluster = (segment: string) => /^[\p{L}\p{N}]/u.test(segment);

function wordRightOf(text: string, i: number): number {
  const cs = clusters(text).filter((c) => c.index >= i);
  let k = 0;
  while (k < cs.length && !isWordCluster(cs[k]!.segment)) k++;
  while (k < cs.length && isWordCluster(cs[k]!.segment)) k++;
  return k < cs.length ? cs[k]!.index : text.length;
}

function wordLeftOf(text: string, i: number): number {
  const cs = clusters(text).filter((c) => c.index < i);
  let k = cs.length - 1;
  while (k >= 0 && !isWordCluster(cs[k]!.segment)) k--;
  while (k >= 0 && isWordCluster(cs[k]!.segment)) k--;
  return k >= 0 ? cs[k + 1]!.index : 0;
}

// Ctrl+W's word: anything between whitespace (unix-word-rubout).
function spaceWordLeftOf(text: string, i: number): number {
  let j = i;
  while (j > 0 && /\s/.test(text[j - 1]!)) j--;
  while (j > 0 && !/\s/.test(text[j - 1]!)) j--;
  return snap(text, j);
}

/** Cells a piece of the input takes on screen; a tab is shown as one space. */
export function cells(segment: string): number {
  return segment === '\t' ? 1 : stringWidth(segment);
}

function widthOf(s: string): number {
  let w = 0;
  for (const c of clusters(s)) w += cells(c.segment);
  return w;
}

/** The index in [start, end) whose display column is the widest not past `column`. */
function indexAtColumn(text: string, start: number, end: number, column: number): number {
  let col = 0;
  for (const c of clusters(text, start, end)) {
    const w = cells(c.segment);
    if (col + w > column) return c.index;
    col += w;
  }
  return end;
}

/** True when Up (-1) or Down (1) cannot move within the text: the caller recalls history instead. */
export function atEdge(state: EditorState, direction: -1 | 1): boolean {
  return direction < 0 ? lineStartOf(state.text, state.cursor) === 0 : lineEndOf(state.text, state.cursor) === state.text.length;
}

function moveTo(state: EditorState, cursor: number): EditorState {
  return { text: state.text, cursor, ring: state.ring };
}

function replace(state: EditorState, from: number, to: number, insert: string): EditorState {
  const text = state.text.slice(0, from) + insert + state.text.slice(to);
  return { text, cursor: snap(text, from + insert.length), ring: state.ring };
}

/** Removes [from, to) into the kill ring; a kill right after a kill joins the same entry, as readline does. */
function kill(state: EditorState, from: number, to: number, backward: boolean): EditorState {
  // Nothing to kill: nothing changes, and a chain of kills goes on.
  if (from >= to) return state.last?.kind === 'kill' ? state : moveTo(state, state.cursor);
  const killed = state.text.slice(from, to);
  const chained = state.last?.kind === 'kill' && state.ring.length > 0;
  const top = chained ? state.ring.at(-1)! : '';
  const entry = chained ? (backward ? killed + top : top + killed) : killed;
  const ring = [...(chained ? state.ring.slice(0, -1) : state.ring), entry].slice(-RING_SIZE);
  const next = replace(state, from, to, '');
  return { ...next, ring, last: { kind: 'kill' } };
}

function verticalMove(state: EditorState, direction: -1 | 1): EditorState {
  if (atEdge(state, direction)) return moveTo(state, state.cursor);
  const { text, cursor } = state;
  const start = lineStartOf(text, cursor);
  const column = widthOf(text.slice(start, cursor));
  const targetStart = direction < 0 ? lineStartOf(text, start - 1) : lineEndOf(text, cursor) + 1;
  return moveTo(state, indexAtColumn(text, targetStart, lineEndOf(text, targetStart), column));
}

export function applyEdit(state: EditorState, op: EditorOp): EditorState {
  const { text, cursor } = state;
  switch (op.type) {
    case 'insert':
      return replace(state, cursor, cursor, sanitize(op.text));
    case 'newline':
      return replace(state, cursor, cursor, '\n');
    case 'left':
      return moveTo(state, prevBoundary(text, cursor));
    case 'right':
      return moveTo(state, nextBoundary(text, cursor));
    case 'wordLeft':
      return moveTo(state, wordLeftOf(text, cursor));
    case 'wordRight':
      return moveTo(state, wordRightOf(text, cursor));
    case 'lineStart':
      return moveTo(state, lineStartOf(text, cursor));
    case 'lineEnd':
      return moveTo(state, lineEndOf(text, cursor));
    case 'up':
      return verticalMove(state, -1);
    case 'down':
      return verticalMove(state, 1);
    case 'backspace':
      return replace(state, prevBoundary(text, cursor), cursor, '');
    case 'delete':
      return replace(state, cursor, nextBoundary(text, cursor), '');
    case 'killWordBefore':
      return kill(state, spaceWordLeftOf(text, cursor), cursor, true);
    case 'killWordBackward':
      return kill(state, wordLeftOf(text, cursor), cursor, true);
    case 'killWordAfter':
      return kill(state, cursor, wordRightOf(text, cursor), false);
    case 'killLineStart': {
      // At a line's start, Ctrl+U takes the line break before it (joins the lines), as Ctrl+K does after.
      const start = lineStartOf(text, cursor);
      return kill(state, start === cursor ? Math.max(0, cursor - 1) : start, cursor, true);
    }
    case 'killLineEnd': {
      const end = lineEndOf(text, cursor);
      return kill(state, cursor, end === cursor ? Math.min(text.length, cursor + 1) : end, false);
    }
    case 'yank': {
      const top = state.ring.at(-1);
      if (top === undefined) return moveTo(state, cursor);
      return { ...replace(state, cursor, cursor, top), last: { kind: 'yank', start: cursor, index: state.ring.length - 1 } };
    }
    case 'yankPop': {
      // Alt+Y right after a yank swaps the yanked text for the kill before it, round the ring.
      const last = state.last;
      if (last?.kind !== 'yank' || state.ring.length < 2) return state;
      const index = (last.index - 1 + state.ring.length) % state.ring.length;
      return { ...replace(state, last.start, cursor, state.ring[index]!), last: { kind: 'yank', start: last.start, index } };
    }
  }
}
