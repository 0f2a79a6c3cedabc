// Issue 13: tells the server how far the user has read. A room counts as read
// up to its newest message while it is on screen, scrolled to the live bottom,
// and the terminal has the focus; the marker goes out at most once per
// READ_DEBOUNCE_MS (a flood of messages is one read, not hundreds), and only
// when it moved. Full screen only: line mode reads nothing for the user.
import type { ChatStore } from './store.js';

export const READ_DEBOUNCE_MS = 500;

export interface ReadTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: ReadTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What the user is reading now, if anything moved: the room and the seq to mark. */
export function readCandidate(s: ReturnType<ChatStore['getState']>): { roomId: string; seq: number } | null {
  const room = s.rooms[s.current];
  if (!room || !s.focused || room.scroll !== 0 || room.lastSeq <= room.readSeq) return null;
  return { roomId: room.id, seq: room.lastSeq };
}

/** Watches the store and calls `send` for each read marker to set; returns the way to stop. */
export function trackReads(store: ChatStore, send: (roomId: string, seq: number) => void, timers: ReadTimers = realTimers): () => void {
  let timer: unknown = null;
  const fire = () => {
    timer = null;
    const c = readCandidate(store.getState());
    if (c) send(c.roomId, c.seq);
  };
  const check = () => {
    const c = readCandidate(store.getState());
    if (!c) {
      if (timer !== null) timers.clear(timer);
      timer = null;
      return;
    }
    timer ??= timers.set(fire, READ_DEBOUNCE_MS);
  };
  const unsubscribe = store.subscribe(check);
  check();
  return () => {
    unsubscribe();
    if (timer !== null) timers.clear(timer);
  };
}
