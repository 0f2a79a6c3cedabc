// Where the input's text and cursor go on screen: the editor's state
// (editor.ts) wrapped to the input box's width, in terminal cells. Pure.
import { cells, clusters, type EditorState } from './editor.js';

export interface InputLayout {
  /** The input as screen rows of at most `width` cells (tabs shown as a space). */
  rows: string[];
  /** Where the cursor is drawn, in rows and cells from the top left. */
  row: number;
  column: number;
}

/**
 * The input wrapped to `width` cells, and the cursor's place in it. Each
 * '\n' starts a row; a line longer than the width wraps at the cluster that
 * does not fit (a wide character never splits). A cursor after a full row
 * is drawn at the start of the next one. Without a width: logical lines.
 */
export function layout(state: EditorState, width = Infinity): InputLayout {
  const max = Math.max(1, width);
  const rows: string[] = [];
  let row = 0;
  let column = 0;
  let lineStart = 0;
  for (const line of state.text.split('\n')) {
    let current = '';
    let col = 0;
    const wrap = () => {
      rows.push(current);
      current = '';
      col = 0;
    };
    const place = (index: number) => {
      if (index !== state.cursor) return;
      row = rows.length;
      column = col;
    };
    for (const c of clusters(line)) {
      const w = cells(c.segment);
      // The cursor is drawn where the cluster after it is drawn.
      if (col + w > max && col > 0) wrap();
      place(lineStart + c.index);
      current += c.segment === '\t' ? ' ' : c.segment;
      col += w;
    }
    if (state.cursor === lineStart + line.length && col >= max) wrap();
    place(lineStart + line.length);
    rows.push(current);
    lineStart += line.length + 1;
  }
  return { rows, row, column };
}

/** The cursor's display row and column (cells), wrapped at `width` when given. */
export function cursorPosition(state: EditorState, width?: number): { row: number; column: number } {
  const { row, column } = layout(state, width);
  return { row, column };
}
