// Carries out search (issue 15): `/search words` asks the server
// (SearchHistory) for the current room; keys move through the results; Enter
// loads the stored messages around the chosen one (GetHistory) into the
// context view, which pages further either way as the pane reaches its ends.
// Touches the store and the client only, like actions.ts.
import type { ChatClient } from './client.js';
import type { SearchOp } from './search-keys.js';
import type { ChatStore } from './store.js';

/** Results asked for at a time. */
export const SEARCH_PAGE = 50;
/** Messages loaded on each side of a result when it opens. */
export const CONTEXT_AROUND = 20;
/** Messages paged into the context at a time. */
export const CONTEXT_PAGE = 100;

export interface SearchController {
  /** `/search words`: a new search in the room on screen. */
  start(query: string): void;
  run(op: SearchOp, pageRows: number): void;
  /** The context pane reached the end of what it holds on one side. */
  edge(roomId: string, side: 'older' | 'newer'): void;
  /** Issue 16: the stored message `seq` in its context (a reply's original that is not loaded). */
  showMessage(roomId: string, seq: number): void;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What search asks of the client (a promise of one, while gRPC loads after the first frame). */
export type SearchClient = { [K in 'search' | 'history']: (...args: Parameters<ChatClient[K]>) => ReturnType<ChatClient[K]> };

export function createSearchController(store: ChatStore, client: SearchClient): SearchController {
  const st = () => store.getState();

  // The newest stored message is in: the room's stream has shown nothing newer. Without a stream
  // to ask (not joined), a page shorter than asked for says so, seqs having no holes.
  const reachedNewest = (roomId: string, newest: number, asked: number) => {
    const live = st().rooms[roomId]?.lastSeq ?? 0;
    return newest === 0 || (live > 0 ? newest >= live : newest < asked);
  };

  const more = () => {
    const s = st().search;
    if (!s || !s.more || s.loading) return;
    st().searchLoading(s.id);
    client.search(s.roomId, s.query, s.nextBefore, SEARCH_PAGE).then(
      (page) => st().searchAnswered(s.id, page, true),
      (e: unknown) => st().searchFailed(s.id, reason(e)),
    );
  };

  const select = (delta: number) => {
    const s = st().search;
    if (!s) return;
    // Down past the last result (or with none yet, e.g. a capped scan that found nothing) asks for older matches.
    if (delta > 0 && s.selected + delta >= s.results.length) more();
    st().selectResult(delta);
  };

  const showMessage = (roomId: string, seq: number) => {
    st().closeSearch();
    st().contextOpened(roomId, seq);
    // before_seq = hit + N + 1, limit 2N + 1: the hit and up to N stored messages either side.
    client.history(roomId, seq + CONTEXT_AROUND + 1, 2 * CONTEXT_AROUND + 1).then(
      (page) => {
        const newest = page.lines.at(-1)?.seq ?? 0;
        st().contextLoaded(seq, page.lines, page.reachedStart, reachedNewest(roomId, newest, seq + CONTEXT_AROUND));
      },
      (e: unknown) => st().contextFailed(seq, reason(e)),
    );
  };

  const open = () => {
    const s = st().search;
    const hit = s?.results[s.selected];
    if (!s || !hit) return;
    showMessage(s.roomId, hit.seq);
  };

  const edge = (roomId: string, side: 'older' | 'newer') => {
    const c = st().context;
    if (!c || c.roomId !== roomId || c.loading || c.error) return;
    const { hitSeq, lines } = c;
    if (side === 'older') {
      const first = lines[0]?.seq;
      if (c.reachedStart || c.loadingOlder || first === undefined) return;
      st().contextLoading(hitSeq, 'older');
      client.history(roomId, first, CONTEXT_PAGE).then(
        (page) => st().contextPaged(hitSeq, 'older', page.lines, page.reachedStart),
        (e: unknown) => st().contextFailed(hitSeq, reason(e)),
      );
      return;
    }
    const last = lines.at(-1)?.seq;
    if (c.reachedEnd || c.loadingNewer || last === undefined) return;
    st().contextLoading(hitSeq, 'newer');
    // The page that ends at last + PAGE: what follows `last`, up to PAGE of it.
    client.history(roomId, last + CONTEXT_PAGE + 1, CONTEXT_PAGE).then(
      (page) => {
        const fresh = page.lines.filter((l) => l.seq > last);
        st().contextPaged(hitSeq, 'newer', fresh, reachedNewest(roomId, fresh.at(-1)?.seq ?? 0, last + CONTEXT_PAGE));
      },
      (e: unknown) => st().contextFailed(hitSeq, reason(e)),
    );
  };

  return {
    start(query) {
      const roomId = st().current;
      const id = st().searchStarted(roomId, query);
      client.search(roomId, query, 0, SEARCH_PAGE).then(
        (page) => st().searchAnswered(id, page, false),
        (e: unknown) => st().searchFailed(id, reason(e)),
      );
    },
    edge,
    showMessage,
    run(op, pageRows) {
      const page = Math.max(1, pageRows - 3);
      switch (op.type) {
        case 'prompt': {
          // What is typed already becomes the search words; nothing typed is lost.
          const input = st().editor.text;
          return input.startsWith('/search ') ? undefined : st().setInput(`/search ${input.trimStart()}`);
        }
        case 'select':
          return select(op.delta);
        case 'selectPage':
          return select(op.pages * page);
        case 'open':
          return open();
        case 'close':
          return st().closeSearch();
        case 'page':
          return st().scrollContext(op.pages * page, pageRows);
      }
    },
  };
}
