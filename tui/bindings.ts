// The config file's [keys] table: key specs ("ctrl+t", "alt+enter", "f2"),
// the actions they may be bound to, and the lookup mapKey asks first
// (bindingLookup): a key is named the way the table writes it (keySpecOf)
// and compared.
import type { EditorOp } from './editor.js';
import type { Command, KeyLookup, KeyPress } from './keys.js';

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
  /** Issue 16: selection mode (Ctrl+S by default). */
  'select-message': { kind: 'message', op: { type: 'select' } },
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

// F1-F4 as SS3 (ESC O P) or with modifiers (ESC [ 1 ; m P); F1-F12 as ESC [ n ~ or ESC [ n ; m ~.
const SS3_FKEY = /^\u001b(?:O|\[1;(\d+))([PQRS])$/;
const TILDE_FKEY = /^\u001b\[(\d+)(?:;(\d+))?~$/;
const TILDE_NUMBERS: Record<string, number> = { 11: 1, 12: 2, 13: 3, 14: 4, 15: 5, 17: 6, 18: 7, 19: 8, 20: 9, 21: 10, 23: 11, 24: 12 };
// rxvt and the Linux console: ESC [ [ A .. E for F1-F5.
const LINUX_FKEY = /^\u001b\[\[([A-E])$/;

/** xterm's modifier parameter (1 + shift 1, alt 2, ctrl 4) as flags. */
function modifiers(param: string | undefined): Omit<KeySpec, 'key'> {
  const m = Math.max(0, Number(param ?? 1) - 1);
  return { shift: (m & 1) !== 0, alt: (m & 2) !== 0, ctrl: (m & 4) !== 0 };
}

function functionKey(seq: string | undefined): KeySpec | null {
  if (seq === undefined) return null;
  const ss3 = SS3_FKEY.exec(seq);
  if (ss3) return { ...modifiers(ss3[1]), key: `f${'PQRS'.indexOf(ss3[2]!) + 1}` };
  const tilde = TILDE_FKEY.exec(seq);
  const n = tilde ? TILDE_NUMBERS[tilde[1]!] : undefined;
  if (tilde && n !== undefined) return { ...modifiers(tilde[2]), key: `f${n}` };
  const linux = LINUX_FKEY.exec(seq);
  if (linux) return { ctrl: false, alt: false, shift: false, key: `f${'ABCDE'.indexOf(linux[1]!) + 1}` };
  return null;
}

/**
 * A key as the [keys] table would write it, from what Ink reports (and the
 * raw sequence, for function keys and Backspace/Delete); null for keys the
 * table cannot name (plain typing, unknown sequences).
 */
export function keySpecOf(input: string, key: KeyPress): KeySpec | null {
  const fn = functionKey(key.sequence);
  if (fn) return fn;
  // Escape sets key.meta in Ink 6: Alt is meta without escape.
  const alt = Boolean(key.meta && !key.escape);
  const mods = { ctrl: Boolean(key.ctrl), alt, shift: Boolean(key.shift) };
  const named = (name: string): KeySpec => ({ ...mods, key: name });
  if (key.return) return named('enter');
  if (key.tab) return named('tab');
  if (key.escape) return { ctrl: false, alt: false, shift: false, key: 'escape' };
  if (key.backspace || key.delete) {
    const forward = key.sequence !== undefined && /^\u001b\[3[;~$^]/.test(key.sequence);
    return named(forward ? 'delete' : 'backspace');
  }
  if (key.upArrow) return named('up');
  if (key.downArrow) return named('down');
  if (key.leftArrow) return named('left');
  if (key.rightArrow) return named('right');
  if (key.pageUp) return named('pageup');
  if (key.pageDown) return named('pagedown');
  if (key.home) return named('home');
  if (key.end) return named('end');
  if ([...input].length !== 1) return null;
  if (input === ' ') return named('space');
  if (!mods.ctrl && !mods.alt) return null;
  // Alt+Shift+b arrives as "B": the table writes alt+shift+b.
  const lower = input.toLowerCase();
  return { ...mods, shift: mods.shift || lower !== input, key: lower };
}

const sameSpec = (a: KeySpec, b: KeySpec) => a.key === b.key && a.ctrl === b.ctrl && a.alt === b.alt && a.shift === b.shift;

/** The lookup mapKey asks first: the bound action's command, or undefined for keys the table does not name. */
export function bindingLookup(bindings: readonly KeyBinding[]): KeyLookup | undefined {
  if (bindings.length === 0) return undefined;
  return (input, key) => {
    const spec = keySpecOf(input, key);
    if (!spec) return undefined;
    // The last binding of a key wins, as later lines in a file usually do.
    const hit = [...bindings].reverse().find((b) => sameSpec(b.spec, spec));
    return hit ? actionCommand(hit.action) : undefined;
  };
}
