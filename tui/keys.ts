// The key map: a pure function from one keypress (as Ink reports it) and the
// input line to a command. App.tsx is the one owner of keyboard input and
// carries the commands out.
import type { Key } from 'ink';
import { QUIT_COMMANDS } from '../protos/rules.js';

export type Command =
  | { kind: 'send' }
  /** The new input line; `submit` first sends these finished lines, in order, as if each ended with Enter. */
  | { kind: 'edit'; input: string; submit?: string[] }
  | { kind: 'switch'; delta: 1 | -1 }
  | { kind: 'jump'; index: number }
  | { kind: 'scroll'; pages: 1 | -1 }
  | { kind: 'bottom' }
  | { kind: 'recall'; direction: 1 | -1 }
  | { kind: 'complete' }
  | { kind: 'help' }
  | { kind: 'closeHelp' }
  | { kind: 'quit' }
  | { kind: 'none' };

export type KeyPress = Pick<
  Key,
  'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'end' | 'return' | 'escape' | 'ctrl' | 'meta' | 'tab' | 'backspace' | 'delete'
> &
  Partial<Key>;

export const F1_SEQUENCES = ['\u001bOP', '\u001b[11~', '\u001b[[A'];

export function mapKey(input: string, key: KeyPress, line: string, helpOpen: boolean): Command {
  if (key.ctrl && input === 'c') return { kind: 'quit' };
  if (helpOpen && (key.escape || key.return || input === 'q')) return { kind: 'closeHelp' };
  if (key.ctrl && input === 'n') return { kind: 'switch', delta: 1 };
  if (key.ctrl && input === 'p') return { kind: 'switch', delta: -1 };
  // Escape sets key.meta in Ink 6 too, so Alt+x is meta without escape.
  const alt = key.meta && !key.escape;
  if (alt && key.downArrow) return { kind: 'switch', delta: 1 };
  if (alt && key.upArrow) return { kind: 'switch', delta: -1 };
  if (alt && /^[1-9]$/.test(input)) return { kind: 'jump', index: Number(input) - 1 };
  if (key.pageUp) return { kind: 'scroll', pages: 1 };
  if (key.pageDown) return { kind: 'scroll', pages: -1 };
  if (key.escape) return { kind: 'bottom' };
  if (key.end && line.length === 0) return { kind: 'bottom' };
  if (key.upArrow) return { kind: 'recall', direction: -1 };
  if (key.downArrow) return { kind: 'recall', direction: 1 };
  if (key.tab) return { kind: 'complete' };
  if (key.return) return { kind: 'send' };
  if (key.backspace || key.delete) return { kind: 'edit', input: [...line].slice(0, -1).join('') };
  if (key.ctrl && input === 'u') return { kind: 'edit', input: '' };
  if (key.ctrl && input === 'w') return { kind: 'edit', input: line.replace(/\S+\s*$/, '') };
  if (key.ctrl || alt || input.length === 0) return { kind: 'none' };
  // Fast typing (typeahead over a slow link) and pastes arrive as one chunk.
  // Each line break in it is an Enter, as in WeeChat and irssi: every finished
  // line goes out as its own message, in order; what follows the last break
  // stays in the input.
  const lines = (line + input).split(/\r\n?|\n/);
  const rest = lines.pop() ?? '';
  return lines.length > 0 ? { kind: 'edit', input: rest, submit: lines } : { kind: 'edit', input: rest };
}

export const COMMANDS: readonly string[] = ['/join', '/leave', '/rooms', '/who', '/me', '/help', ...QUIT_COMMANDS];

/** Tab completion: command names at the start of the line, member names elsewhere. */
export function complete(line: string, names: readonly string[]): string {
  const m = /(\S*)$/.exec(line);
  const word = m?.[1] ?? '';
  if (!word) return line;
  const head = line.slice(0, line.length - word.length);
  const atStart = head.trim().length === 0;
  const pool = atStart && word.startsWith('/') ? [...COMMANDS] : names;
  const bare = word.replace(/^@/, '');
  const hit = pool.find((n) => n.toLowerCase().startsWith((word.startsWith('/') ? word : bare).toLowerCase()) && n !== word);
  if (!hit) return line;
  const suffix = word.startsWith('/') ? ' ' : atStart ? ': ' : ' ';
  return head + (word.startsWith('@') ? '@' : '') + hit + suffix;
}

export type Slash =
  | { kind: 'text'; text: string }
  | { kind: 'join'; room: string }
  | { kind: 'leave' }
  | { kind: 'rooms' }
  | { kind: 'who' }
  | { kind: 'me'; action: string }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

/** What a submitted line means. "//x" sends "/x" as text. */
export function parseLine(line: string): Slash {
  if (!line.startsWith('/') || line.startsWith('//')) return { kind: 'text', text: line.startsWith('//') ? line.slice(1) : line };
  const [cmd = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (cmd.toLowerCase()) {
    case '/join':
      return arg ? { kind: 'join', room: arg } : { kind: 'error', message: 'usage: /join <room>' };
    case '/leave':
      return { kind: 'leave' };
    case '/rooms':
      return { kind: 'rooms' };
    case '/who':
      return { kind: 'who' };
    case '/me':
      return arg ? { kind: 'me', action: arg } : { kind: 'error', message: 'usage: /me <action>' };
    case '/help':
      return { kind: 'help' };
    default:
      if (QUIT_COMMANDS.includes(cmd.toLowerCase())) return { kind: 'quit' };
      return { kind: 'error', message: `unknown command ${cmd}; type /help for the list (start with // to send a slash)` };
  }
}
