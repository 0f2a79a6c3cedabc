// Names for the config file's [keys] table: key specs ("ctrl+t", "alt+enter",
// "f2") and the actions they may be bound to. Parsed and validated now;
// applying them (a lookup before mapKey) is still to be wired.
import type { EditorOp } from './editor.js';
import type { Command } from './keys.js';

export interface KeySpec {
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  /** A named key (see NAMED_KEYS) or one printable character, lower case when ctrl/alt is held. */
  key: string;
}

export interface KeyBinding {
  spec: KeySpec;
  /** As written in the file, for messages. */
  written: string;
  action: Action;
}

export const NAMED_KEYS: readonly string[] = [
  'enter', 'tab', 'backspace', 'delete', 'escape', 'space', 'home', 'end', 'left', 'right', 'up', 'down', 'pageup', 'pagedown',
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
];

const EDITOR_ACTIONS: Record<string, Exclude<EditorOp['type'], 'insert'>> = {
  newline: 'newline',
  left: 'left',
  right: 'right',
  'word-left': 'wordLeft',
  'word-right': 'wordRight',
  'line-start': 'lineStart',
  'line-end': 'lineEnd',
  'line-up': 'up',
  'line-down': 'down',
  backspace: 'backspace',
  delete: 'delete',
  'kill-word-before': 'killWordBefore',
  'kill-word-backward': 'killWordBackward',
  'kill-word-after': 'killWordAfter',
  'kill-line-start': 'killLineStart',
  'kill-line-end': 'killLineEnd',
  yank: 'yank',
  'yank-pop': 'yankPop',
};

const OTHER_ACTIONS: Record<string, Command> = {
  send: { kind: 'send' },
  complete: { kind: 'complete' },
  help: { kind: 'help' },
  quit: { kind: 'quit' },
  bottom: { kind: 'bottom' },
  'scroll-up': { kind: 'scroll', pages: 1 },
  'scroll-down': { kind: 'scroll', pages: -1 },
  'next-room': { kind: 'switch', delta: 1 },
  'prev-room': { kind: 'switch', delta: -1 },
  'history-prev': { kind: 'recall', direction: -1 },
  'history-next': { kind: 'recall', direction: 1 },
  /** Unbinds the key. */
  none: { kind: 'none' },
};

export type Action = string;
export const ACTIONS: readonly string[] = [...Object.keys(EDITOR_ACTIONS), ...Object.keys(OTHER_ACTIONS)];

/** The command an action name stands for. */
export function actionCommand(action: Action): Command {
  const op = EDITOR_ACTIONS[action];
  if (op) return { kind: 'editor', op: { type: op } as EditorOp };
  return OTHER_ACTIONS[action] ?? { kind: 'none' };
}

/** "ctrl+alt+x", "Shift+Enter", "f2": a KeySpec, or why not. */
export function parseKeySpec(written: string): KeySpec | string {
  const parts = written.trim().toLowerCase().split('+');
  // "ctrl++" means ctrl and the plus key.
  if (parts.at(-1) === '' && parts.at(-2) === '') parts.splice(-2, 2, '+');
  const key = parts.pop() ?? '';
  const spec: KeySpec = { ctrl: false, alt: false, shift: false, key };
  for (const m of parts) {
    if (m === 'ctrl' || m === 'control') spec.ctrl = true;
    else if (m === 'alt' || m === 'meta') spec.alt = true;
    else if (m === 'shift') spec.shift = true;
    else return `unknown modifier '${m}' (ctrl, alt, shift)`;
  }
  if (NAMED_KEYS.includes(key)) return spec;
  if ([...key].length === 1 && /^\P{C}$/u.test(key) && key !== ' ') {
    // A bare printable key would be taken away from typing.
    return spec.ctrl || spec.alt ? spec : `'${key}' without ctrl or alt would stop it being typed`;
  }
  return `unknown key '${key}' (a single character or one of ${NAMED_KEYS.slice(0, 14).join(', ')}, f1-f12)`;
}
