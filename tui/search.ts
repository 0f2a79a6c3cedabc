// Search (issue 15) as the screen holds it: the results of `/search words` in
// one room, and the context view a result opens (the stored messages around
// it, the hit highlighted). Both sit beside the room views, never in them, so
// the live lines go on arriving underneath and Esc finds them as they were.
// A zustand slice: store.ts spreads it into the one store. Pure otherwise.
import { clock, day, visible } from './format.js';
import type { Line, SearchPage } from './domain.js';

export interface SearchState {
  roomId: string;
  query: string;
  /** Newest first. */
  results: Line[];
  selected: number;
  loading: boolean;
  error: string | null;
  /** Older history may hold more matches, from `nextBefore` on. */
  more: boolean;
  nextBefore: number;
  /** Which search this is: an answer for an earlier one is dropped. */
  id: number;
}

export interface ContextView {
  roomId: string;
  /** The seq of the result this view is about. */
  hitSeq: number;
  /** Stored lines around it, oldest first. */
  lines: Line[];
  reachedStart: boolean;
  /** The newest stored message is loaded (when the view opened). */
  reachedEnd: boolean;
  loading: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  /**
   * The view's top row relative to the hit's first row (negative: above it);
   * null until the pane has centred the hit. Rows, like the room's scroll, so
   * lines paged in above or below do not move what is on screen.
   */
  offset: number | null;
  error: string | null;
}

export type SearchMode = 'results' | 'context' | null;

export interface SearchSlice {
  search: SearchState | null;
  context: ContextView | null;
  /** A new search in the room; returns its id for the answer. */
  searchStarted(roomId: string, query: string): number;
  searchLoading(id: number): void;
  /** A page of matches: the first (replaces) or a further one (`append`). */
  searchAnswered(id: number, page: SearchPage, append: boolean): void;
  searchFailed(id: number, message: string): void;
  /** Moves the selection, kept within the results. */
  selectResult(delta: number): void;
  closeSearch(): void;
  /** A result opened: its context is on its way. */
  contextOpened(roomId: string, hitSeq: number): void;
  contextLoaded(hitSeq: number, lines: readonly Line[], reachedStart: boolean, reachedEnd: boolean): void;
  contextLoading(hitSeq: number, side: 'older' | 'newer'): void;
  /** Lines paged in on one side of the context; `reached`: that side's end (start or newest). */
  contextPaged(hitSeq: number, side: 'older' | 'newer', lines: readonly Line[], reached: boolean): void;
  contextFailed(hitSeq: number, message: string): void;
  /** PgUp/PgDn: `rows` up (positive) or down; `pageRows` centres a view the pane has not placed yet. */
  scrollContext(rows: number, pageRows: number): void;
  /** The pane placed the view (centred the hit, or stopped it at an end). */
  settleContext(offset: number): void;
  closeContext(): void;
}

/** What the message pane area shows for the room on screen. */
export function searchMode(s: Pick<SearchSlice, 'search' | 'context'> & { current: string }): SearchMode {
  if (s.search && s.search.roomId === s.current) return 'results';
  if (s.context && s.context.roomId === s.current) return 'context';
  return null;
}

/** One result as one row: `[2024-01-15 14:30] Alice: text`, line breaks as spaces, nothing that drives a terminal. */
export function resultText(line: Line): string {
  const stamp = `[${day(line.timestamp)} ${clock(line.timestamp).slice(0, 5)}]`;
  return `${stamp} ${visible(line.username)}: ${visible(line.text.replace(/\s*\n\s*/g, ' '))}`;
}

/** Adds a page of lines to a context's lines on one side, dropping any it already has. */
export function mergeContext(lines: readonly Line[], side: 'older' | 'newer', page: readonly Line[]): Line[] {
  if (side === 'older') {
    const first = lines[0]?.seq ?? Infinity;
    return [...page.filter((l) => l.seq < first), ...lines];
  }
  const last = lines.at(-1)?.seq ?? 0;
  return [...lines, ...page.filter((l) => l.seq > last)];
}

type SetSlice = (fn: (s: SearchSlice) => Partial<SearchSlice>) => void;

let searches = 0;

export function searchSlice(set: SetSlice, get: () => SearchSlice): SearchSlice {
  const updateSearch = (id: number, fn: (s: SearchState) => Partial<SearchState>) =>
    set((st) => (st.search && st.search.id === id ? { search: { ...st.search, ...fn(st.search) } } : {}));
  const updateContext = (hitSeq: number, fn: (c: ContextView) => Partial<ContextView>) =>
    set((st) => (st.context && st.context.hitSeq === hitSeq ? { context: { ...st.context, ...fn(st.context) } } : {}));

  return {
    search: null,
    context: null,

    searchStarted(roomId, query) {
      const id = ++searches;
      set(() => ({ search: { roomId, query, results: [], selected: 0, loading: true, error: null, more: false, nextBefore: 0, id } }));
      return id;
    },

    searchLoading(id) {
      updateSearch(id, () => ({ loading: true, error: null }));
    },

    searchAnswered(id, page, append) {
      updateSearch(id, (s) => {
        const seen = new Set(append ? s.results.map((l) => l.seq) : []);
        const results = [...(append ? s.results : []), ...page.lines.filter((l) => !seen.has(l.seq))];
        return { results, loading: false, error: null, more: page.more, nextBefore: page.nextBefore, selected: append ? s.selected : 0 };
      });
    },

    searchFailed(id, message) {
      updateSearch(id, () => ({ loading: false, error: message }));
    },

    selectResult(delta) {
      const s = get().search;
      if (!s || s.results.length === 0) return;
      updateSearch(s.id, () => ({ selected: Math.min(s.results.length - 1, Math.max(0, s.selected + delta)) }));
    },

    closeSearch() {
      set(() => ({ search: null }));
    },

    contextOpened(roomId, hitSeq) {
      set(() => ({
        context: {
          roomId,
          hitSeq,
          lines: [],
          reachedStart: false,
          reachedEnd: false,
          loading: true,
          loadingOlder: false,
          loadingNewer: false,
          offset: null,
          error: null,
        },
      }));
    },

    contextLoaded(hitSeq, lines, reachedStart, reachedEnd) {
      updateContext(hitSeq, () => ({ lines: [...lines], reachedStart, reachedEnd, loading: false, error: null }));
    },

    contextLoading(hitSeq, side) {
      updateContext(hitSeq, () => (side === 'older' ? { loadingOlder: true } : { loadingNewer: true }));
    },

    contextPaged(hitSeq, side, page, reached) {
      updateContext(hitSeq, (c) => ({
        lines: mergeContext(c.lines, side, page),
        ...(side === 'older' ? { loadingOlder: false, reachedStart: reached } : { loadingNewer: false, reachedEnd: reached }),
      }));
    },

    contextFailed(hitSeq, message) {
      updateContext(hitSeq, () => ({ loading: false, loadingOlder: false, loadingNewer: false, error: message }));
    },

    scrollContext(rows, pageRows) {
      const c = get().context;
      if (!c) return;
      updateContext(c.hitSeq, () => ({ offset: (c.offset ?? -Math.floor(pageRows / 2)) - rows }));
    },

    settleContext(offset) {
      const c = get().context;
      if (c && c.offset !== offset) updateContext(c.hitSeq, () => ({ offset }));
    },

    closeContext() {
      set(() => ({ context: null }));
    },
  };
}
