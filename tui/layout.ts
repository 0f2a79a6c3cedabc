// Where everything goes on a terminal of a given size, pure: App.tsx draws
// by it and the mouse is hit-tested against the same numbers (tui/mouse.ts).
//
//   wide (>= NARROW_COLUMNS)         narrow                 too small
//   +-------+------------------+     1 #general 2 #dev  |   terminal too small
//   |Rooms  | messages         |     messages           |   (WxH), need at least
//   |1 #gen |                  |                        |   20x6
//   +-------+------------------+     [#general] input   |
//   [#general] input (1-5 rows)      status             |
//   status                           (one spare row)    |
//   (one spare row)

import stringWidth from 'string-width';
import { roomLabel, type RoomView } from './rooms.js';

export const MIN_COLUMNS = 20;
export const MIN_ROWS = 6;
/** Below this many columns the sidebar becomes a one-row room bar. */
export const NARROW_COLUMNS = 60;
/** The input grows with its text up to this many rows, then scrolls. */
export const MAX_INPUT_ROWS = 5;

/** Narrow terminals give the messages more of the width. */
export const sidebarWidth = (columns: number) => (columns < 80 ? 14 : 18);

export interface Screen {
  columns: number;
  rows: number;
  tooSmall: boolean;
  narrow: boolean;
  /** The sidebar's width (0 when narrow: the room bar is row 0 instead). */
  side: number;
  /** The row of the room bar (narrow only). */
  barRow: number | null;
  paneTop: number;
  paneHeight: number;
  paneWidth: number;
  inputTop: number;
  inputRows: number;
  statusRow: number;
}

/**
 * The screen for a terminal of `columns` x `rows` and an input that wants
 * `inputLines` rows. The frame is one row short of the terminal: a
 * full-height frame makes Ink repaint everything (flicker).
 */
export function screenLayout(columns: number, rows: number, inputLines = 1): Screen {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const narrow = columns < NARROW_COLUMNS;
  const height = Math.max(1, rows - 1);
  const top = narrow ? 1 : 0;
  // The messages keep at least two rows; the input takes what is left up to its limit.
  const inputRows = Math.max(1, Math.min(MAX_INPUT_ROWS, inputLines, height - top - 1 - 2));
  const paneHeight = Math.max(1, height - top - inputRows - 1);
  const side = narrow ? 0 : sidebarWidth(columns);
  return {
    columns,
    rows,
    tooSmall,
    narrow,
    side,
    barRow: narrow ? 0 : null,
    paneTop: top,
    paneHeight,
    paneWidth: Math.max(1, columns - side),
    inputTop: top + paneHeight,
    inputRows,
    statusRow: top + paneHeight + inputRows,
  };
}

/** The one line a too small terminal shows: the longest of these that fits. */
export function tooSmallMessage(columns: number, rows: number): string {
  const size = `${columns}x${rows}`;
  const need = `${MIN_COLUMNS}x${MIN_ROWS}`;
  const forms = [`terminal too small (${size}), need at least ${need}`, `too small (${size}), need ${need}`, `too small (${size})`, size];
  return forms.find((f) => f.length < columns) ?? forms.at(-1)!;
}

/** One room in the narrow room bar: its label and the cells it takes. */
export interface BarItem {
  id: string;
  /** The room's place in the order (Alt+N, a click). */
  index: number;
  label: string;
  x: number;
  width: number;
  current: boolean;
  mentioned: boolean;
}

const BAR_GAP = 2;

/**
 * The narrow layout's room bar: "1 #general(3)  2!#dev" (unread counts, '!' for a mention),
 * scrolled so that the current room is on it. `name` makes a room id safe to
 * show (format.ts visible).
 */
export function roomBar(
  order: readonly string[],
  rooms: Readonly<Record<string, RoomView>>,
  current: string,
  width: number,
  name: (id: string) => string,
): BarItem[] {
  const all = order.map((id, index) => {
    const room = rooms[id];
    const unread = room && room.unread > 0 ? `(${room.unread})` : '';
    const label = `${index < 9 ? `${index + 1}` : ' '}${room?.mentioned ? '!' : ' '}${name(roomLabel(room, id))}${unread}`;
    return { id, index, label, width: stringWidth(label), current: id === current, mentioned: Boolean(room?.mentioned) };
  });
  // Start as far left as lets the current room be seen.
  const at = Math.max(0, all.findIndex((r) => r.current));
  let start = 0;
  const span = (from: number) => all.slice(from, at + 1).reduce((w, r) => w + r.width + BAR_GAP, 0) - BAR_GAP;
  while (start < at && span(start) > width) start++;
  const items: BarItem[] = [];
  let x = 0;
  for (const r of all.slice(start)) {
    if (x >= width) break;
    items.push({ ...r, x, width: Math.min(r.width, width - x) });
    x += r.width + BAR_GAP;
  }
  return items;
}
