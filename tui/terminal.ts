// The terminal modes chat-tui's full screen turns on, and the sequence that
// takes every one of them back (written on every way out, see main.tsx).
import { MOUSE_OFF, MOUSE_ON } from './mouse.js';
import { TITLE_POP, TITLE_PUSH } from './osc.js';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON } from './paste.js';

/** Focus reporting: the terminal then sends FOCUS_IN and FOCUS_OUT (tui/use-keys.ts takes them). */
export const FOCUS_ON = '\u001b[?1004h';
export const FOCUS_OFF = '\u001b[?1004l';
export const FOCUS_IN = '\u001b[I';
export const FOCUS_OUT = '\u001b[O';

const ALT_SCREEN_ON = '\u001b[?1049h\u001b[H';
const ALT_SCREEN_OFF = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';

export interface TerminalModes {
  enter: string;
  leave: string;
}

/** Alternate screen, bracketed paste, focus reports, the title saved, and mouse reports when `mouse`. */
export function terminalModes({ mouse }: { mouse: boolean }): TerminalModes {
  return {
    enter: TITLE_PUSH + ALT_SCREEN_ON + BRACKETED_PASTE_ON + FOCUS_ON + (mouse ? MOUSE_ON : ''),
    // In reverse; the mouse off even if it was never on (harmless, and a crash mid-start is covered).
    leave: MOUSE_OFF + FOCUS_OFF + BRACKETED_PASTE_OFF + SHOW_CURSOR + ALT_SCREEN_OFF + TITLE_POP,
  };
}
