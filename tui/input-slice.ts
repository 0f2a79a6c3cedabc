// The input line's part of the store (store.ts spreads it in): the editor
// state (tui/editor.ts does the editing itself, pure) and the history of what
// was sent, with Up/Down recall that keeps what was being typed.
import { applyEdit, createEditor, setText, type EditorOp, type EditorState } from './editor.js';

export interface InputState {
  /** The input line: text, cursor, kill ring (tui/editor.ts). */
  editor: EditorState;
  inputHistory: string[];
  historyIndex: number | null;
  /** What was being typed when Up first recalled history: Down past the newest entry brings it back. */
  draft: string;
}

export interface InputActions {
  /** An editing operation on the input (tui/editor.ts applyEdit). */
  edit(op: EditorOp): void;
  /** New input text, the cursor at its end or at `cursor` (completion, tests). */
  setInput(text: string, cursor?: number): void;
  /** The input as sent: it is cleared and kept in the history. */
  submitInput(): string;
  recallInput(direction: -1 | 1): void;
}

type SetState = (partial: Partial<InputState> | ((s: InputState) => Partial<InputState>)) => void;

/** Sent lines kept for Up/Down. */
const HISTORY_KEPT = 200;

export function inputSlice(set: SetState, get: () => InputState): InputState & InputActions {
  return {
    editor: createEditor(),
    inputHistory: [],
    historyIndex: null,
    draft: '',

    edit(op) {
      set((s) => {
        const editor = applyEdit(s.editor, op);
        return editor === s.editor ? {} : { editor };
      });
    },

    setInput(text, cursor) {
      set((s) => ({ editor: setText(s.editor, text, cursor), historyIndex: null }));
    },

    submitInput() {
      const { editor, inputHistory } = get();
      const text = editor.text;
      set({
        editor: setText(editor, ''),
        historyIndex: null,
        draft: '',
        inputHistory: text.trim() && inputHistory.at(-1) !== text ? [...inputHistory, text].slice(-HISTORY_KEPT) : inputHistory,
      });
      return text;
    },

    recallInput(direction) {
      const { inputHistory, historyIndex, editor, draft } = get();
      if (inputHistory.length === 0) return;
      const from = historyIndex ?? inputHistory.length;
      const next = Math.min(inputHistory.length, Math.max(0, from + direction));
      if (next === from) return;
      // Leaving the input for the history keeps what was typed; coming back past the newest entry restores it.
      const kept = historyIndex === null ? editor.text : draft;
      const text = next === inputHistory.length ? kept : (inputHistory[next] ?? '');
      set({ historyIndex: next === inputHistory.length ? null : next, draft: kept, editor: setText(editor, text) });
    },
  };
}
