// The one keyboard hook: Ink's useInput, plus what useInput cannot tell.
// Each key comes with the raw sequence it was parsed from (Backspace and
// Delete are both key.delete in Ink 6; F1 is an empty input), and bracketed
// pastes arrive whole, as one event.
import { useInput, useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import type { KeyPress } from './keys.js';
import { pasteStep, type PasteState } from './paste.js';

export type KeyEvent = { kind: 'key'; input: string; key: KeyPress } | { kind: 'paste'; text: string };

/** A key with no flags: typed text. */
const PLAIN: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, meta: false, tab: false, backspace: false, delete: false,
};

export function useKeys(handler: (event: KeyEvent) => void): void {
  const { internal_eventEmitter: emitter } = useStdin();
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const paste = useRef<PasteState>(null);
  // What the raw listener learnt about the event useInput's handler is about to get.
  const current = useRef<{ sequence?: string; swallow: boolean }>({ swallow: false });

  useEffect(() => {
    // Ink emits each parsed sequence on this emitter, and useInput listens to
    // the same event: prepended, this listener always runs first for each one,
    // however often useInput re-subscribes.
    const onSequence = (sequence: string) => {
      const step = pasteStep(paste.current, sequence);
      paste.current = step.state;
      current.current = { sequence, swallow: step.swallow };
      if (step.paste !== undefined) handlerRef.current({ kind: 'paste', text: step.paste });
      if (step.rest !== undefined) handlerRef.current({ kind: 'key', input: step.rest, key: PLAIN });
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
