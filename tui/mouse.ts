// Mouse reports, pure. With CSI ?1000h (clicks and the wheel) and CSI ?1006h
// (SGR encoding) on, the terminal reports ESC [ < b ; x ; y M for a press and
// ... m for a release; Ink parses each as one CSI sequence, which
// tui/use-keys.ts takes out of the key stream before it can be typed. Shift
// held while dragging is left to the terminal: it selects text as usual.

import type { Command } from './keys.js';
import type { BarItem, Screen } from './layout.js';

/** Written on entering the full screen (when the mouse is on) and taken back on leaving it. */
export const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
export const MOUSE_OFF = '\u001b[?1006l\u001b[?1000l';

export type MouseEvent =
  | { kind: 'press' | 'release'; button: 'left' | 'middle' | 'right'; x: number; y: number; mods: Mods }
  | { kind: 'wheel'; direction: 'up' | 'down'; x: number; y: number; mods: Mods };

export interface Mods {
  shift: boolean;
  alt: boolean;
  ctrl: boolean;
}

const SGR = /^\u001b\[<(\d{1,4});(\d{1,5});(\d{1,5})([Mm])$/;
const BUTTONS = ['left', 'middle', 'right'] as const;

/**
 * An SGR mouse report (`x`, `y`: 0-based cell column and row from the top
 * left); null when the sequence is something else, or a report this client
 * does not use (motion, horizontal wheel, buttons 4-11), which is still
 * not a key: see isMouseReport.
 */
export function parseMouse(sequence: string): MouseEvent | null {
  const m = SGR.exec(sequence);
  if (!m) return null;
  const code = Number(m[1]);
  const x = Number(m[2]) - 1;
  const y = Number(m[3]) - 1;
  if (x < 0 || y < 0) return null;
  const mods: Mods = { shift: (code & 4) !== 0, alt: (code & 8) !== 0, ctrl: (code & 16) !== 0 };
  // Motion (32) is only reported in the drag modes, which are not turned on; extra buttons (128+) are not used.
  if (code & (32 | 128)) return null;
  const low = code & 3;
  if (code & 64) return low < 2 ? { kind: 'wheel', direction: low === 0 ? 'up' : 'down', x, y, mods } : null;
  // In SGR mode a release names its button (3 is the legacy "some button released").
  const button = BUTTONS[low];
  if (!button) return null;
  return { kind: m[4] === 'M' ? 'press' : 'release', button, x, y, mods };
}

/** Any mouse report at all: it must never reach the input as text. */
export function isMouseReport(sequence: string): boolean {
  return /^\u001b\[<[\d;]*[Mm]$/.test(sequence);
}

/**
 * The legacy X10 encoding (ESC [ M and three bytes), sent by a terminal that
 * ignores 1006: Ink parses the ESC [ M as a sequence of its own and the
 * three bytes after it as typed text, so the caller skips that many.
 */
export const X10_PREFIX = '\u001b[M';
export const X10_BYTES = 3;

/** Rows one wheel notch scrolls. */
export const WHEEL_ROWS = 3;

/**
 * What a mouse report does on this screen: the wheel scrolls the messages
 * (and, at the top, pages older history in, as PgUp does); a left click on a
 * room in the sidebar or the room bar switches to it. Everything else does
 * nothing; with the help open a click closes it.
 */
export function mouseCommand(event: MouseEvent, screen: Screen, bar: readonly BarItem[], helpOpen: boolean): Command {
  if (screen.tooSmall) return { kind: 'none' };
  if (event.kind === 'wheel') return helpOpen ? { kind: 'none' } : { kind: 'scrollRows', rows: event.direction === 'up' ? WHEEL_ROWS : -WHEEL_ROWS };
  if (event.kind !== 'press' || event.button !== 'left') return { kind: 'none' };
  if (helpOpen) return { kind: 'closeHelp' };
  const { x, y } = event;
  if (screen.barRow !== null && y === screen.barRow) {
    const hit = bar.find((item) => x >= item.x && x < item.x + item.width);
    return hit ? { kind: 'jump', index: hit.index } : { kind: 'none' };
  }
  // The sidebar: its title on the pane's first row, then one room a row.
  const row = y - screen.paneTop - 1;
  if (x < screen.side && row >= 0 && y < screen.paneTop + screen.paneHeight) return { kind: 'jump', index: row };
  return { kind: 'none' };
}
