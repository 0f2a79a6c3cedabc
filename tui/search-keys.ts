// The keys search takes (issue 15), asked before the key map (keys.ts mapKey):
// Ctrl+R anywhere, and while the results or a result's context are on screen
// the keys that move through them. Every other key falls through (null), so
// typing, sending and room switching work as ever. Pure.
import type { Key } from 'ink';
import type { SearchMode } from './search.js';

/** The key flags search looks at (keys.ts KeyPress has them all). */
export type SearchKey = Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'meta'> & Partial<Key>;

export type SearchOp =
  /** Ctrl+R (as readline's reverse search, but through the room's stored history): start typing a search ("/search " goes in front of the input). */
  | { type: 'prompt' }
  /** Move the selected result (positive: older). */
  | { type: 'select'; delta: number }
  /** Move by a page of results. */
  | { type: 'selectPage'; pages: 1 | -1 }
  /** Enter on a result: show it in its context. */
  | { type: 'open' }
  | { type: 'close' }
  /** PgUp (1) / PgDn (-1) in the context view. */
  | { type: 'page'; pages: 1 | -1 };

/** `inputEmpty`: Enter opens a result only when nothing is typed (otherwise it sends, e.g. a new /search). */
export function mapSearchKey(input: string, key: SearchKey, mode: SearchMode, inputEmpty: boolean): SearchOp | null {
  if (key.ctrl && input === 'r') return { type: 'prompt' };
  // Escape sets key.meta in Ink 6; Alt+Up/Down (meta without escape) stay room switching.
  const alt = key.meta && !key.escape;
  if (mode === 'results') {
    if (key.escape) return { type: 'close' };
    if (alt) return null;
    if (key.upArrow) return { type: 'select', delta: -1 };
    if (key.downArrow) return { type: 'select', delta: 1 };
    if (key.pageUp) return { type: 'selectPage', pages: -1 };
    if (key.pageDown) return { type: 'selectPage', pages: 1 };
    if (key.return && inputEmpty && !key.shift && !key.ctrl) return { type: 'open' };
    return null;
  }
  if (mode === 'context') {
    // Esc and End go back to live through the key map's 'bottom', which closes the context (store.ts toBottom).
    if (key.pageUp) return { type: 'page', pages: 1 };
    if (key.pageDown) return { type: 'page', pages: -1 };
  }
  return null;
}
