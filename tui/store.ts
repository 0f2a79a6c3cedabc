// The TUI's state: a vanilla zustand store. client.ts feeds it (receive,
// setConnection, ...), components select from it, keys map to its actions.
import { createStore } from 'zustand/vanilla';
import { refusedPrefix } from '../protos/rules.js';
import type { ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { NoticeKind__Output } from '../protos/generated/chat/NoticeKind.js';

export type LineType = 'TEXT' | 'JOIN' | 'LEAVE' | 'SYSTEM' | 'LOCAL';

export interface Line {
  /** Stable React key: the seq for stored messages, a counter otherwise. */
  key: string;
  seq: number;
  type: LineType;
  notice: NoticeKind__Output;
  userId: string;
  username: string;
  text: string;
  timestamp: number;
  pending?: boolean;
}

export interface RoomView {
  id: string;
  lines: Line[];
  /** Highest seq seen: where a reconnect resumes. */
  lastSeq: number;
  reachedStart: boolean;
  loadingOlder: boolean;
  /** Rows scrolled up from the live bottom (0: following new messages). */
  scroll: number;
  newBelow: number;
  unread: number;
  mentioned: boolean;
  /** Who is in the room now (ListMembers), for the status line and Tab. */
  members: string[];
  /** Typed but not yet echoed by the server, oldest first. */
  pending: Array<{ id: number; text: string; sent: boolean }>;
}

/** `refused`: the server ended every stream for good (bad token, name taken); no retry is coming. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'refused';

export interface State {
  username: string;
  userId: string;
  server: string;
  connection: { state: ConnectionState; retryAt: number | null; detail: string };
  rooms: Record<string, RoomView>;
  order: string[];
  current: string;
  input: string;
  inputHistory: string[];
  historyIndex: number | null;
  help: boolean;
}

export interface Actions {
  receive(roomId: string, batch: readonly ChatMessage__Output[]): void;
  prependHistory(roomId: string, older: readonly ChatMessage__Output[], reachedStart: boolean): void;
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
  addPending(roomId: string, text: string): number;
  markSent(roomId: string, id: number): void;
  setInput(text: string): void;
  submitInput(): string;
  recallInput(direction: -1 | 1): void;
  toggleHelp(show?: boolean): void;
}

export type ChatStore = ReturnType<typeof createChatStore>;

/** Lines a room keeps while following the live bottom; older ones are paged in again on demand. */
export const MAX_LINES = 2000;

let localKey = 0;

function emptyRoom(id: string): RoomView {
  return {
    id,
    lines: [],
    lastSeq: 0,
    reachedStart: false,
    loadingOlder: false,
    scroll: 0,
    newBelow: 0,
    unread: 0,
    mentioned: false,
    members: [],
    pending: [],
  };
}

function toLine(m: ChatMessage__Output): Line {
  return {
    key: m.seq > 0 ? `s${m.seq}` : `l${++localKey}`,
    seq: m.seq,
    type: m.type,
    notice: m.notice,
    userId: m.user_id,
    username: m.username,
    text: m.message,
    timestamp: m.timestamp,
  };
}

const mentionPatterns = new Map<string, RegExp>();

export function mentions(text: string, username: string): boolean {
  // Compiled once per name: receive() asks for every incoming message.
  let pattern = mentionPatterns.get(username);
  if (!pattern) {
    const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escaped}($|[^\\p{L}\\p{N}_])`, 'iu');
    mentionPatterns.set(username, pattern);
  }
  return pattern.test(text);
}

export function createChatStore(init: { username: string; userId: string; server: string; room: string }) {
  return createStore<State & Actions>()((set, get) => {
    const update = (roomId: string, fn: (room: RoomView) => Partial<RoomView>) =>
      set((s) => {
        const room = s.rooms[roomId];
        return room ? { rooms: { ...s.rooms, [roomId]: { ...room, ...fn(room) } } } : {};
      });

    return {
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

      receive(roomId, batch) {
        const { username, userId, current } = get();
        update(roomId, (room) => {
          const lines = [...room.lines];
          const pending = [...room.pending];
          let lastSeq = room.lastSeq;
          let fresh = 0;
          let mentioned = room.mentioned;
          for (const m of batch) {
            if (m.seq > 0 && m.seq <= lastSeq) continue; // already have it (resume overlap)
            if (m.seq > 0) lastSeq = m.seq;
            if (m.type === 'SYSTEM' && m.notice === 'NOTICE_CAUGHT_UP') continue;
            if (m.type === 'SYSTEM' && m.notice === 'NOTICE_NOT_SENT') {
              // The server refused one of ours: stop showing it as on its way (the notice says which).
              const i = pending.findIndex((p) => p.sent && refusedPrefix(p.text) === m.refused);
              if (i >= 0) pending.splice(i, 1);
            }
            if (m.type === 'TEXT' && m.user_id === userId) {
              // Our own echo confirms the oldest pending message with that text.
              const i = pending.findIndex((p) => p.text === m.message);
              if (i >= 0) pending.splice(i, 1);
            } else if (m.type === 'TEXT') {
              fresh++;
              if (mentions(m.message, username)) mentioned = true;
            }
            lines.push(toLine(m));
          }
          const following = room.scroll === 0;
          const trimmed = following && lines.length > MAX_LINES ? lines.slice(lines.length - MAX_LINES) : lines;
          const visible = roomId === current;
          return {
            lines: trimmed,
            reachedStart: trimmed.length === lines.length ? room.reachedStart : false,
            pending,
            lastSeq,
            unread: visible ? 0 : room.unread + fresh,
            mentioned: visible ? false : mentioned,
            newBelow: following ? 0 : room.newBelow + fresh,
          };
        });
      },

      prependHistory(roomId, older, reachedStart) {
        update(roomId, (room) => {
          const firstSeq = room.lines.find((l) => l.seq > 0)?.seq ?? Infinity;
          const add = older.filter((m) => m.seq > 0 && m.seq < firstSeq).map(toLine);
          return { lines: [...add, ...room.lines], reachedStart, loadingOlder: false };
        });
      },

      setLoadingOlder(roomId, loading) {
        update(roomId, () => ({ loadingOlder: loading }));
      },

      localLine(roomId, text) {
        update(roomId, (room) => ({
          lines: [
            ...room.lines,
            { key: `l${++localKey}`, seq: 0, type: 'LOCAL', notice: 'NOTICE_INFO', userId: '', username: '', text, timestamp: Date.now() },
          ],
        }));
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
        update(get().current, (room) => {
          const scroll = Math.max(0, room.scroll + rows);
          return { scroll, newBelow: scroll === 0 ? 0 : room.newBelow };
        });
      },

      clampScroll(roomId, max) {
        update(roomId, (room) => (room.scroll > max ? { scroll: max } : {}));
      },

      toBottom() {
        // Back at the live bottom, what was paged in while reading goes (PgUp brings it back).
        update(get().current, (room) =>
          room.lines.length > MAX_LINES
            ? { scroll: 0, newBelow: 0, lines: room.lines.slice(room.lines.length - MAX_LINES), reachedStart: false }
            : { scroll: 0, newBelow: 0 },
        );
      },

      setMembers(roomId, names) {
        update(roomId, () => ({ members: names }));
      },

      addPending(roomId, text) {
        const id = ++localKey;
        update(roomId, (room) => ({ pending: [...room.pending, { id, text, sent: false }] }));
        return id;
      },

      markSent(roomId, id) {
        update(roomId, (room) => ({ pending: room.pending.map((p) => (p.id === id ? { ...p, sent: true } : p)) }));
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
