// Issue 16's part of the store (store.ts spreads it in, as search.ts's):
// selection mode (Ctrl+S highlights a message of the room on screen) and
// compose (what Enter does with the input instead of posting it as it is: a
// reply to, an edit of, or a reaction to that message).
import { isMessage, quoteOf } from './amend.js';
import { setText, type EditorState } from './editor.js';
import type { RoomView } from './rooms.js';

export interface Selection {
  roomId: string;
  seq: number;
  confirm: boolean;
}

export interface Compose {
  kind: 'reply' | 'edit' | 'react';
  roomId: string;
  seq: number;
  /** "Alice: the first words…" of the message it is about. */
  quote: string;
}

export interface SelectionState {
  /** Selection mode (Ctrl+S): the highlighted message of the room on screen; `confirm`: asking y/n to delete it. */
  selection: Selection | null;
  /** What Enter does with the input instead of posting it as it is: a reply, an edit, a reaction. */
  compose: Compose | null;
}

export interface SelectionActions {
  /** Selection mode on, on the newest message of the room on screen; false when it has none. */
  startSelection(): boolean;
  /** Moves the highlight among the room's messages (positive: newer); stays within them. */
  moveSelection(delta: number): void;
  /** Highlights the message with this seq (Enter on a reply: its original, when loaded). */
  selectSeq(seq: number): boolean;
  endSelection(): void;
  confirmDelete(on: boolean): void;
  /** The input becomes a reply to, an edit of, or a reaction to the message (an edit starts with its text). */
  startCompose(kind: Compose['kind'], roomId: string, seq: number): void;
  cancelCompose(): void;
}

/** What the slice reads and writes of the whole state. */
interface Reads extends SelectionState {
  rooms: Record<string, RoomView>;
  current: string;
  editor: EditorState;
  historyIndex: number | null;
}

type SetState = (partial: Partial<Reads> | ((s: Reads) => Partial<Reads>)) => void;

export function selectionSlice(set: SetState, get: () => Reads): SelectionState & SelectionActions {
  return {
    selection: null,
    compose: null,

    startSelection() {
      const { current, rooms } = get();
      const last = rooms[current]?.lines.filter(isMessage).at(-1);
      if (!last) return false;
      set({ selection: { roomId: current, seq: last.seq, confirm: false } });
      return true;
    },

    moveSelection(delta) {
      const { selection, rooms } = get();
      const messages = selection ? (rooms[selection.roomId]?.lines.filter(isMessage) ?? []) : [];
      if (!selection || messages.length === 0) return;
      // The highlighted one may have been trimmed away: from the nearest still there.
      let at = messages.findIndex((l) => l.seq >= selection.seq);
      if (at < 0) at = messages.length - 1;
      const next = messages[Math.min(messages.length - 1, Math.max(0, at + delta))]!;
      set({ selection: { ...selection, seq: next.seq, confirm: false } });
    },

    selectSeq(seq) {
      const { selection, rooms, current } = get();
      const roomId = selection?.roomId ?? current;
      if (!rooms[roomId]?.lines.some((l) => l.seq === seq && isMessage(l))) return false;
      set({ selection: { roomId, seq, confirm: false } });
      return true;
    },

    endSelection() {
      set({ selection: null });
    },

    confirmDelete(on) {
      set((s) => (s.selection ? { selection: { ...s.selection, confirm: on } } : {}));
    },

    startCompose(kind, roomId, seq) {
      const line = get().rooms[roomId]?.lines.find((l) => l.seq === seq);
      if (!line) return;
      const compose: Compose = { kind, roomId, seq, quote: quoteOf(line) };
      // An edit starts from the message's text; a reaction from nothing; a reply keeps what was typed.
      if (kind === 'reply') set({ compose });
      else set((s) => ({ compose, editor: setText(s.editor, kind === 'edit' ? line.text : ''), historyIndex: null }));
    },

    cancelCompose() {
      const compose = get().compose;
      if (!compose) return;
      set((s) => ({ compose: null, ...(compose.kind === 'reply' ? {} : { editor: setText(s.editor, '') }) }));
    },
  };
}
