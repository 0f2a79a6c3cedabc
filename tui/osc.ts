// Strings for the terminal itself: the window title and desktop
// notifications (OSC sequences). A name or a message from the server goes
// into them, and an OSC string ends at the first BEL or ESC \ (and some
// terminals end it at any control character): so nothing from the server
// goes in without oscText(), which leaves no control character of any kind.
import { BIDI } from '../protos/rules.js';

export const BEL = '\u0007';
const ST = '\u001b\\';
/** xterm's title stack: save the title on entering, put it back on leaving. */
export const TITLE_PUSH = '\u001b[22;0t';
export const TITLE_POP = '\u001b[23;0t';

// Every C0 control (tab and newline too), DEL and every C1 control.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text safe inside an OSC string: controls become spaces, bidirectional
 * controls go, runs of spaces become one, at most `max` characters. `field`:
 * a ';' would start the next field (OSC 777's title), so it becomes ','.
 */
export function oscText(text: string, { max = 120, field = false }: { max?: number; field?: boolean } = {}): string {
  let s = text.replace(ANY_CONTROL, ' ').replace(BIDI, '').replace(/ {2,}/g, ' ').trim();
  if (field) s = s.replace(/;/g, ',');
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** Sets the window (and icon) title. */
export function titleSequence(title: string): string {
  return `\u001b]2;${oscText(title)}${BEL}`;
}

/** "chat-tui (3, 1!)": unread messages and mentions, or just "chat-tui". */
export function titleText(unread: number, mentions: number): string {
  if (unread === 0 && mentions === 0) return 'chat-tui';
  return `chat-tui (${unread}${mentions > 0 ? `, ${mentions}!` : ''})`;
}

/**
 * A desktop notification through the terminal: OSC 777 (notify;TITLE;BODY:
 * urxvt, foot, kitty, WezTerm, VTE terminals) or OSC 9 (BODY only: iTerm2,
 * Windows Terminal, kitty, WezTerm).
 */
export function notifySequence(kind: 'osc777' | 'osc9', title: string, body: string): string {
  if (kind === 'osc777') return `\u001b]777;notify;${oscText(title, { field: true })};${oscText(body, { max: 200 })}${ST}`;
  // A fixed start: OSC 9 text that begins "4;" is a progress report in ConEmu and Windows Terminal.
  return `\u001b]9;${oscText(`chat-tui: ${title}: ${body}`, { max: 240 })}${ST}`;
}
