// The keys of issue 16's selection mode, asked before the key map (keys.ts
// mapKey) as search's are: Ctrl+S enters it; while it is on, Up/Down move the
// highlighted message and single letters act on it (every other key is
// swallowed, so nothing is typed by accident); while a reply, an edit or a
// reaction is being written, Esc cancels it. Pure.
import type { Key } from 'ink';

/** The key flags selection mode looks at (keys.ts KeyPress has them all). */
export type MessageKey = Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'meta'> & Partial<Key>;

/** select: a message is highlighted; confirm: "delete it? y/n"; compose: the input is a reply, an edit or a reaction. */
export type MessageMode = 'select' | 'confirm' | 'compose' | null;

export type MessageOp =
  /** Ctrl+S: selection mode on, on the newest message. */
  | { type: 'select' }
  /** Up/Down (1), PgUp/PgDn (a page of messages): positive is newer. */
  | { type: 'move'; delta: number }
  | { type: 'reply' }
  | { type: 'edit' }
  /** Asks y/n first (confirm). */
  | { type: 'delete' }
  | { type: 'confirm'; yes: boolean }
  /** `+`, then an emoji or a :shortcode: in the input. */
  | { type: 'react' }
  /** Enter on a reply: its original (paged in from history when not loaded). */
  | { type: 'jump' }
  /** `w`: who reacted, as a line in the room. */
  | { type: 'who' }
  /** Esc (or Ctrl+S again): selection mode off. */
  | { type: 'leave' }
  /** Esc while writing a reply, an edit or a reaction. */
  | { type: 'cancel' }
  /** A key selection mode has no use for: nothing happens. */
  | { type: 'ignore' };

/** Messages PgUp/PgDn move the highlight by. */
export const SELECT_PAGE = 10;

export function mapMessageKey(input: string, key: MessageKey, mode: MessageMode): MessageOp | null {
  // Ctrl+C always quits (keys.ts).
  if (key.ctrl && input === 'c') return null;
  const selectKey = key.ctrl && input === 's';
  if (mode === null) return selectKey ? { type: 'select' } : null;
  if (mode === 'compose') return key.escape ? { type: 'cancel' } : selectKey ? { type: 'select' } : null;
  if (mode === 'confirm') return { type: 'confirm', yes: input === 'y' || input === 'Y' };
  // Selection mode. Escape sets key.meta in Ink 6; Alt+Up/Down (meta without escape) stay room switching.
  if (key.escape || selectKey) return { type: 'leave' };
  if (key.meta) return null;
  if (key.upArrow) return { type: 'move', delta: -1 };
  if (key.downArrow) return { type: 'move', delta: 1 };
  if (key.pageUp) return { type: 'move', delta: -SELECT_PAGE };
  if (key.pageDown) return { type: 'move', delta: SELECT_PAGE };
  if (key.return) return { type: 'jump' };
  if (key.ctrl) return { type: 'ignore' };
  switch (input) {
    case 'r':
      return { type: 'reply' };
    case 'e':
      return { type: 'edit' };
    case 'd':
      return { type: 'delete' };
    case '+':
      return { type: 'react' };
    case 'w':
      return { type: 'who' };
    case 'q':
      return { type: 'leave' };
    default:
      return { type: 'ignore' };
  }
}
