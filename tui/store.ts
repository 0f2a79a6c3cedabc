// The TUI's state: a vanilla zustand store of domain types (domain.ts, rooms.ts).
// client.ts feeds it, components select from it, keys map to its actions. It
// never sees a proto type and never decides what goes on the wire.
import { createStore } from 'zustand/vanilla';
import { directPeer } from '../protos/rules.js';
import { localKey, type ConnectionState, type ConnectionStatus, type Line, type MemberInfo, type PendingMessage, type RoomEvent, type RoomInfo } from './domain.js';
import type { JoinsMode } from './quiet-joins.js';
import { applyRoomInfo, backToBottom, emptyRoom, prependLines, readUpTo, receiveEvents, scrollBy, type Alert, type RoomView } from './rooms.js';
import { typingEntry } from './typing.js';
import { inputSlice, type InputActions, type InputState } from './input-slice.js';
import { searchSlice, type SearchSlice } from './search.js';
import { selectionSlice, type SelectionActions, type SelectionState } from './selection-slice.js';

export interface State extends InputState, SelectionState {
  username: string;
  userId: string;
  server: string;
  connection: ConnectionStatus;
  rooms: Record<string, RoomView>;
  order: string[];
  current: string;
  help: boolean;
  /**
   * The terminal has the keyboard focus (focus reporting, CSI ?1004h). A
   * terminal that does not report focus never says otherwise: true.
   */
  focused: boolean;
  /** Rooms the server listed (ListRooms), for Tab after /join; `at` is when. */
  serverRooms: { names: string[]; at: number };
  /** Issue 13: which JOIN/LEAVE lines the pane shows (tui/quiet-joins.ts). */
  joins: JoinsMode;
  /** What the server last said of people's presence, by lower-cased name. */
  presence: Record<string, MemberInfo>;
  /** The user's own away state, as the server keeps it. */
  away: { away: boolean; reason: string };
  /** The last line said while no room was left to say it in (kicked from the only one): the empty pane shows it. */
  roomless: string;
}

export interface Actions extends InputActions, SelectionActions {
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
  toggleHelp(show?: boolean): void;
  /** The terminal gained or lost the focus; the room on screen counts as read again when it comes back. */
  setFocused(focused: boolean): void;
  setServerRooms(names: string[]): void;
  /** The server's list of the user's rooms (a Welcome), in the user's order: it replaces the sidebar's. */
  welcome(rooms: readonly RoomInfo[]): void;
  /** One room joined (here or elsewhere) or updated: added at the end if new. */
  roomInfo(info: RoomInfo): void;
  /** The user's read marker moved (here or in another session). */
  markRead(roomId: string, seq: number): void;
  /** Someone's typing notice; `now` for tests. */
  typingIn(roomId: string, username: string, typing: boolean, now?: number): void;
  setPresence(member: MemberInfo): void;
  /** A member list with presence (the members frame): the room's list and everyone's presence. */
  setMemberInfos(roomId: string, members: readonly MemberInfo[]): void;
  setAway(away: boolean, reason: string): void;
  /** The pane moved the view to keep the highlighted message on screen. */
  setScroll(roomId: string, scroll: number): void;
}

export interface StoreInit {
  username: string;
  userId: string;
  server: string;
  /** The room to start in; none: the rooms come with the server's welcome. */
  room?: string;
  /** Which JOIN/LEAVE lines to show (default smart). */
  joins?: JoinsMode;
  /** Called for each message that should reach the person although they are not looking (tui/notifier.ts). */
  onAlert?: (alert: Alert) => void;
}

export type ChatStore = ReturnType<typeof createChatStore>;

function directOf(roomId: string, username: string): Partial<RoomView> {
  const peer = directPeer(roomId, username);
  return peer === null ? {} : { direct: true, peer };
}

export function createChatStore(init: StoreInit) {
  return createStore<State & Actions & SearchSlice>()((set, get) => {
    const update = (roomId: string, fn: (room: RoomView) => Partial<RoomView>) =>
      set((s) => {
        const room = s.rooms[roomId];
        return room ? { rooms: { ...s.rooms, [roomId]: { ...room, ...fn(room) } } } : {};
      });

    /** A room comes on screen: the "new messages" line is placed where its marker is, and what it holds counts as seen. */
    const opened = (roomId: string) =>
      update(roomId, (room) => ({ markerSeq: room.unread > 0 ? room.readSeq : null, unread: 0, mentioned: false, mentions: 0 }));

    return {
      // Issue 15: search results and a result's context view, beside the rooms (search.ts).
      ...searchSlice(set, get),
      // The input line and its history (input-slice.ts); issue 16's selection and compose (selection-slice.ts).
      ...inputSlice(set, get),
      ...selectionSlice(set, get),
      username: init.username,
      userId: init.userId,
      server: init.server,
      connection: { state: 'connecting', retryAt: null, detail: '' },
      rooms: init.room ? { [init.room]: { ...emptyRoom(init.room), ...directOf(init.room, init.username) } } : {},
      order: init.room ? [init.room] : [],
      current: init.room ?? '',
      help: false,
      focused: true,
      serverRooms: { names: [], at: 0 },
      joins: init.joins ?? 'smart',
      presence: {},
      away: { away: false, reason: '' },
      roomless: '',

      receive(roomId, events) {
        const { username, current, focused, joins } = get();
        let fresh: RoomEvent[] = [];
        let alerts: Alert[] = [];
        update(roomId, (room) => {
          // A room is read as it arrives only while it is on screen and the terminal has the focus.
          const next = receiveEvents(room, events, { username, looking: roomId === current && focused, joins });
          fresh = next.fresh;
          alerts = next.alerts;
          return next.room;
        });
        for (const alert of alerts) init.onAlert?.(alert);
        return fresh;
      },

      prependHistory(roomId, older, reachedStart) {
        update(roomId, (room) => prependLines(room, older, reachedStart));
      },

      setLoadingOlder(roomId, loading) {
        update(roomId, () => ({ loadingOlder: loading }));
      },

      localLine(roomId, text) {
        if (!get().rooms[roomId]) return set({ roomless: text });
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
        set((s) => {
          if (s.rooms[roomId]) return {};
          // A direct room's id says who it is with (lower-cased) until the server spells the name.
          const room = { ...emptyRoom(roomId), ...directOf(roomId, s.username) };
          return { rooms: { ...s.rooms, [roomId]: room }, order: [...s.order, roomId] };
        });
      },

      removeRoom(roomId) {
        // The last room may go too (left in another terminal): the sidebar is then empty until a /join.
        const wasCurrent = get().current === roomId;
        set((s) => {
          if (!s.rooms[roomId]) return {};
          const { [roomId]: _gone, ...rooms } = s.rooms;
          const i = s.order.indexOf(roomId);
          const order = s.order.filter((r) => r !== roomId);
          const current = s.current === roomId ? (order[Math.max(0, i - 1)] ?? order[0] ?? '') : s.current;
          return { rooms, order, current };
        });
        if (wasCurrent && get().current) opened(get().current);
      },

      switchRoom({ roomId, delta, index }) {
        const { order, current } = get();
        let target = roomId;
        if (delta !== undefined) target = order[(order.indexOf(current) + delta + order.length) % order.length];
        if (index !== undefined) target = order[index];
        if (!target || !get().rooms[target] || target === current) return;
        // The "new messages" line belongs to one visit: it goes with the room left.
        update(current, () => ({ markerSeq: null }));
        // Selecting and composing are about a message of the room left.
        set({ current: target, selection: null, compose: null });
        opened(target);
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
        update(roomId, () => ({ members: names, membersKnown: true }));
      },

      setPending(roomId, pending) {
        update(roomId, () => ({ pending }));
      },

      toggleHelp(show) {
        set((s) => ({ help: show ?? !s.help }));
      },

      setFocused(focused) {
        if (get().focused === focused) return;
        set({ focused });
        if (focused) update(get().current, () => ({ unread: 0, mentioned: false, mentions: 0 }));
      },

      setServerRooms(names) {
        set({ serverRooms: { names, at: Date.now() } });
      },

      welcome(list) {
        const s = get();
        const rooms: Record<string, RoomView> = {};
        for (const info of list) rooms[info.roomId] = s.rooms[info.roomId] ?? emptyRoom(info.roomId);
        const order = list.map((r) => r.roomId);
        const current = rooms[s.current] ? s.current : (order[0] ?? '');
        set({ rooms, order, current });
        for (const info of list) get().roomInfo(info);
      },

      roomInfo(info) {
        const { rooms, current, focused } = get();
        if (!rooms[info.roomId]) get().addRoom(info.roomId);
        if (!get().current) set({ current: info.roomId });
        const here = get().current === info.roomId;
        update(info.roomId, (room) => applyRoomInfo(room, info, { looking: here && focused, current: here || current === info.roomId }));
      },

      markRead(roomId, seq) {
        const { username } = get();
        update(roomId, (room) => readUpTo(room, seq, username));
      },

      typingIn(roomId, username, typing, now = Date.now()) {
        update(roomId, (room) => ({ typing: typingEntry(room.typing, username, typing, now) }));
      },

      setPresence(member) {
        set((s) => ({ presence: { ...s.presence, [member.username.toLowerCase()]: member } }));
      },

      setMemberInfos(roomId, members) {
        const names = members.filter((m) => m.presence !== 'offline').map((m) => m.username);
        set((s) => {
          const presence = { ...s.presence };
          for (const m of members) presence[m.username.toLowerCase()] = m;
          return { presence };
        });
        update(roomId, () => ({ members: names, membersKnown: true }));
      },

      setAway(away, reason) {
        set({ away: { away, reason } });
      },

      setScroll(roomId, scroll) {
        update(roomId, (room) => (room.scroll === scroll ? {} : { scroll, newBelow: scroll === 0 ? 0 : room.newBelow }));
      },
    };
  });
}
