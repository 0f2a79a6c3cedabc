// Bracketed paste: with mode 2004 on, the terminal wraps a paste in
// ESC [200~ ... ESC [201~, so a pasted text with line breaks can become one
// multi-line insertion instead of one message per line. Ink 6 has no paste
// support: it splits the paste into key events, strips the ESC of the
// markers (they reach useInput as the text "[200~"), and reports a lone tab
// or DEL inside it as keys. So the paste is put back together from the raw
// sequences Ink emits (useStdin().internal_eventEmitter 'input', see
// tui/use-keys.ts), which are exactly the bytes received, in order.

/** Written on entering and leaving the full screen, beside the alternate-screen switch. */
export const BRACKETED_PASTE_ON = '\u001b[?2004h';
export const BRACKETED_PASTE_OFF = '\u001b[?2004l';
export const PASTE_START = '\u001b[200~';
export const PASTE_END = '\u001b[201~';

/**
 * A paste whose end marker never comes (a terminal bug, a crash mid-paste)
 * must not swallow the keyboard for good: past this size it is delivered
 * as it is and keys are keys again.
 */
export const MAX_PASTE = 1 << 20;

/**
 * null: not in a paste. `partial`: the start of what may be a start marker
 * (Ink flushes an escape sequence cut by a read boundary as it is, on the
 * next turn of the event loop). `text`: in a paste, what came so far.
 */
export type PasteState = null | { partial: string } | { text: string };

export interface PasteStep {
  state: PasteState;
  /** This sequence belongs to a paste (markers included): it is not a key. */
  swallow: boolean;
  /** A finished paste, raw (line breaks as the terminal sent them). */
  paste?: string;
  /** Typed text that came after the end marker in the same sequence. */
  rest?: string;
}

/** Feeds one raw sequence, as Ink's input parser emitted it. */
export function pasteStep(state: PasteState, sequence: string): PasteStep {
  if (state !== null && 'text' in state) return inPaste(state.text, sequence);
  const head = (state?.partial ?? '') + sequence;
  if (head.startsWith(PASTE_START)) return inPaste('', head.slice(PASTE_START.length));
  // A cut start marker: held (as a key it would be noise anyway) until the rest shows whether it is one.
  if (head.length >= 2 && PASTE_START.startsWith(head)) return { state: { partial: head }, swallow: true };
  return { state: null, swallow: false };
}

function inPaste(sofar: string, sequence: string): PasteStep {
  const text = sofar + sequence;
  // The end marker may be cut across sequences too: look for it where it could start.
  const end = text.indexOf(PASTE_END, Math.max(0, sofar.length - PASTE_END.length + 1));
  if (end !== -1) {
    const rest = text.slice(end + PASTE_END.length);
    return { state: null, swallow: true, paste: text.slice(0, end), ...(rest ? { rest } : {}) };
  }
  if (text.length >= MAX_PASTE) return { state: null, swallow: true, paste: text };
  return { state: { text }, swallow: true };
}
