// The TUI's state: a vanilla zustand store of domain types (domain.ts, rooms.ts).
// client.ts feeds it, components select from it, keys map to its actions. It
// never sees a proto type and never decides what goes on the wire.
import { createStore } from 'zustand/vanilla';
import { localKey, type ConnectionState, type ConnectionStatus, type Line, type PendingMessage, type RoomEvent } from './domain.js';
import { backToBottom, emptyRoom, prependLines, receiveEvents, scrollBy, type RoomView } from './rooms.js';
import { searchSlice, type SearchSlice } from './search.js';

export interface State {
  username: string;
  userId: string;
  server: string;
  connection: ConnectionStatus;
  rooms: Record<string, RoomView>;
  order: string[];
  current: string;
  input: string;
  inputHistory: string[];
  historyIndex: number | null;
  help: boolean;
}

export interface Actions {
  /** A batch from the room's stream, in order; returns the events that were new (not a resume overlap). */
  receive(roomId: string, events: readonly RoomEvent[]): RoomEvent[];
  prependHistory(roomId: string, older: readonly Line[], reachedStart: boolean): void;
  setLoadingOlder(roomId: string, loading: boolean): void;
  localLine(roomId: string, text: string): void;
  setConnection(state: ConnectionState, detail?: string, retryAt?: number | null): void;
  /** The client moved to another of its servers. */
  setServer(server: string): void;
  addRoom(roomId: string): void;
  removeRoom(roomId: string): void;
  switchRoom(target: { roomId?: string; delta?: number; index?: number }): void;
  scroll(rows: number): void;
  /** The pane found the oldest row: scrolling further up changes nothing, so stop counting. */
  clampScroll(roomId: string, max: number): void;
  toBottom(): void;
  setMembers(roomId: string, names: string[]): void;
  /** What outgoing.ts holds for the room, to show. */
  setPending(roomId: string, pending: readonly PendingMessage[]): void;
  setInput(text: string): void;
  submitInput(): string;
  recallInput(direction: -1 | 1): void;
  toggleHelp(show?: boolean): void;
}

export type ChatStore = ReturnType<typeof createChatStore>;

export function createChatStore(init: { username: string; userId: string; server: string; room: string }) {
  return createStore<State & Actions & SearchSlice>()((set, get) => {
    const update = (roomId: string, fn: (room: RoomView) => Partial<RoomView>) =>
      set((s) => {
        const room = s.rooms[roomId];
        return room ? { rooms: { ...s.rooms, [roomId]: { ...room, ...fn(room) } } } : {};
      });

    return {
      // Issue 15: search results and a result's context view, beside the rooms (search.ts).
      ...searchSlice(set, get),
      username: init.username,
      userId: init.userId,
      server: init.server,
      connection: { state: 'connecting', retryAt: null, detail: '' },
      rooms: { [init.room]: emptyRoom(init.room) },
      order: [init.room],
      current: init.room,
      input: '',
      inputHistory: [],
      historyIndex: null,
      help: false,

      receive(roomId, events) {
        const { username, current } = get();
        let fresh: RoomEvent[] = [];
        update(roomId, (room) => {
          const next = receiveEvents(room, events, { username, looking: roomId === current });
          fresh = next.fresh;
          return next.room;
        });
        return fresh;
      },

      prependHistory(roomId, older, reachedStart) {
        update(roomId, (room) => prependLines(room, older, reachedStart));
      },

      setLoadingOlder(roomId, loading) {
        update(roomId, () => ({ loadingOlder: loading }));
      },

      localLine(roomId, text) {
        const line: Line = { key: localKey(), seq: 0, type: 'LOCAL', userId: '', username: '', text, timestamp: Date.now() };
        update(roomId, (room) => ({ lines: [...room.lines, line] }));
      },

      setConnection(state, detail = '', retryAt = null) {
        set({ connection: { state, detail, retryAt } });
      },

      setServer(server) {
        set({ server });
      },

      addRoom(roomId) {
        set((s) => (s.rooms[roomId] ? {} : { rooms: { ...s.rooms, [roomId]: emptyRoom(roomId) }, order: [...s.order, roomId] }));
      },

      removeRoom(roomId) {
        set((s) => {
          if (!s.rooms[roomId] || s.order.length <= 1) return {};
          const { [roomId]: _gone, ...rooms } = s.rooms;
          const i = s.order.indexOf(roomId);
          const order = s.order.filter((r) => r !== roomId);
          const current = s.current === roomId ? (order[Math.max(0, i - 1)] ?? order[0] ?? s.current) : s.current;
          return { rooms, order, current };
        });
      },

      switchRoom({ roomId, delta, index }) {
        const { order, current } = get();
        let target = roomId;
        if (delta !== undefined) target = order[(order.indexOf(current) + delta + order.length) % order.length];
        if (index !== undefined) target = order[index];
        if (!target || !get().rooms[target]) return;
        set({ current: target });
        update(target, () => ({ unread: 0, mentioned: false }));
      },

      scroll(rows) {
        update(get().current, (room) => scrollBy(room, rows));
      },

      clampScroll(roomId, max) {
        update(roomId, (room) => (room.scroll > max ? { scroll: max } : {}));
      },

      toBottom() {
        update(get().current, backToBottom);
        // Back to live (End, or sending) leaves search's results and context too (issue 15).
        if (get().search?.roomId === get().current) get().closeSearch();
        if (get().context?.roomId === get().current) get().closeContext();
      },

      setMembers(roomId, names) {
        update(roomId, () => ({ members: names }));
      },

      setPending(roomId, pending) {
        update(roomId, () => ({ pending }));
      },

      setInput(text) {
        set({ input: text, historyIndex: null });
      },

      submitInput() {
        const { input, inputHistory } = get();
        const text = input;
        set({
          input: '',
          historyIndex: null,
          inputHistory: text.trim() && inputHistory.at(-1) !== text ? [...inputHistory, text].slice(-200) : inputHistory,
        });
        return text;
      },

      recallInput(direction) {
        const { inputHistory, historyIndex } = get();
        if (inputHistory.length === 0) return;
        const from = historyIndex ?? inputHistory.length;
        const next = Math.min(inputHistory.length, Math.max(0, from + direction));
        set({ historyIndex: next === inputHistory.length ? null : next, input: inputHistory[next] ?? '' });
      },

      toggleHelp(show) {
        set((s) => ({ help: show ?? !s.help }));
      },
    };
  });
}
