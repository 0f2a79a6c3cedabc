// The one input hook: Ink's useInput, plus what useInput cannot tell.
// Each key comes with the raw sequence it was parsed from (Backspace and
// Delete are both key.delete in Ink 6; F1 is an empty input), bracketed
// pastes arrive whole, as one event, and mouse and focus reports arrive as
// events of their own: none of them is ever typed into the input.
import { useInput, useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import type { KeyPress } from './keys.js';
import { isMouseReport, parseMouse, X10_BYTES, X10_PREFIX, type MouseEvent } from './mouse.js';
import { pasteStep, type PasteState } from './paste.js';
import { FOCUS_IN, FOCUS_OUT } from './terminal.js';

export type KeyEvent =
  | { kind: 'key'; input: string; key: KeyPress }
  | { kind: 'paste'; text: string }
  | { kind: 'mouse'; event: MouseEvent }
  /** Focus reporting (CSI ?1004h): the terminal sends ESC [ I and ESC [ O. */
  | { kind: 'focus'; focused: boolean };


/** A key with no flags: typed text. */
const PLAIN: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, meta: false, tab: false, backspace: false, delete: false,
};

// Control characters that are keys, Tab included (a paste comes bracketed,
// as one event); CR and LF in typed text are Enters (tui/keys.ts typed).
const CONTROL_KEY = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROL_KEY_SPLIT = /([\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f])/;

export function useKeys(handler: (event: KeyEvent) => void): void {
  const { internal_eventEmitter: emitter } = useStdin();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const paste = useRef<PasteState>(null);
  // What the raw listener learnt about the event useInput's handler is about to get.
  const current = useRef<{ sequence?: string; swallow: boolean }>({ swallow: false });
  // Bytes of a legacy X10 mouse report still to come (they arrive as typed text).
  const x10 = useRef(0);

  useEffect(() => {
    // Ink emits each parsed sequence on this emitter, and useInput listens to
    // the same event: prepended, this listener always runs first for each one,
    // however often useInput re-subscribes.
    const onSequence = (sequence: string) => {
      const step = pasteStep(paste.current, sequence);
      paste.current = step.state;
      if (!step.swallow && reported(sequence)) return;
      // Keys typed faster than they are read come as one chunk, and Ink
      // reports "\x15\x0b" (Ctrl+U, Ctrl+K) as two characters of text: each
      // control key is handed to Ink again on its own, so it is a key.
      if (!step.swallow && sequence.length > 1 && !sequence.startsWith('\u001b') && CONTROL_KEY.test(sequence)) {
        for (const piece of sequence.split(CONTROL_KEY_SPLIT)) if (piece) emitter.emit('input', piece);
        current.current = { sequence, swallow: true };
        return;
      }
      current.current = { sequence, swallow: step.swallow };
      if (step.paste !== undefined) handlerRef.current({ kind: 'paste', text: step.paste });
      if (step.rest !== undefined) handlerRef.current({ kind: 'key', input: step.rest, key: PLAIN });
    };
    /** A mouse or focus report (or the rest of an X10 one): handled here, never a key. */
    const reported = (sequence: string): boolean => {
      if (x10.current > 0) {
        const taken = [...sequence].slice(0, x10.current).join('');
        x10.current -= [...taken].length;
        const rest = sequence.slice(taken.length);
        current.current = { sequence, swallow: true };
        if (rest) handlerRef.current({ kind: 'key', input: rest, key: PLAIN });
        return true;
      }
      let event: KeyEvent | null = null;
      if (sequence === FOCUS_IN || sequence === FOCUS_OUT) event = { kind: 'focus', focused: sequence === FOCUS_IN };
      else if (sequence === X10_PREFIX) x10.current = X10_BYTES;
      else if (isMouseReport(sequence)) {
        const mouse = parseMouse(sequence);
        if (mouse) event = { kind: 'mouse', event: mouse };
      } else return false;
      current.current = { sequence, swallow: true };
      if (event) handlerRef.current(event);
      return true;
    };
    emitter.prependListener('input', onSequence);
    return () => {
      emitter.off('input', onSequence);
    };
  }, [emitter]);

  useInput((input, key) => {
    const { sequence, swallow } = current.current;
    current.current = { swallow: false };
    if (swallow) return;
    handlerRef.current({ kind: 'key', input, key: sequence === undefined ? key : { ...key, sequence } });
  });
}
