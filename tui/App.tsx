import { Box, Text, useStdout } from 'ink';
import React, { useCallback, useEffect, useMemo, useState } from 'react';
import stringWidth from 'string-width';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Controller } from './actions.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { composeBanner, InputBox, promptFor } from './components/InputBox.js';
import { MessagePane } from './components/MessagePane.js';
import { RoomBar } from './components/RoomBar.js';
import { SearchArea } from './components/SearchArea.js';
import { Sidebar } from './components/Sidebar.js';
import { StatusLine } from './components/StatusLine.js';
import { layout } from './editor-layout.js';
import { visible } from './format.js';
import { mapKey, mapPaste, type Command, type KeyLookup } from './keys.js';
import { NARROW_COLUMNS, roomBar, screenLayout, tooSmallMessage } from './layout.js';
import { mouseCommand } from './mouse.js';
import { roomLabel } from './rooms.js';
import { searchMode } from './search.js';
import { mapSearchKey } from './search-keys.js';
import { mapMessageKey, type MessageMode } from './message-keys.js';
import type { ChatStore } from './store.js';
import { useKeys } from './use-keys.js';

export { sidebarWidth } from './layout.js';

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export interface AppProps {
  store: ChatStore;
  controller: Controller;
  onNeedOlder: (room: string) => void;
  /** The config file's [keys] table (tui/bindings.ts bindingLookup). */
  bindings?: KeyLookup;
}

export function App({ store, controller, onNeedOlder, bindings }: AppProps) {
  const { columns, rows } = useTerminalSize();
  const { help, editor, current, label, banner } = useStore(
    store,
    useShallow((s) => ({
      help: s.help,
      editor: s.editor,
      current: s.current,
      label: roomLabel(s.rooms[s.current], s.current),
      banner: s.compose?.roomId === s.current ? composeBanner(s.compose) : '',
    })),
  );
  // What the narrow room bar shows, as one string: the App does not re-render for every message.
  const barKey = useStore(store, (s) =>
    columns < NARROW_COLUMNS ? s.order.map((id) => `${id}\t${s.rooms[id]?.unread ?? 0}\t${s.rooms[id]?.mentioned ?? false}\t${s.rooms[id]?.peer ?? ''}`).join('\n') : '',
  );
  const prompt = current ? promptFor(label) : '[no room] ';
  // One column spare: a row that fills the last column can make the terminal wrap it.
  const inputWidth = Math.max(1, columns - stringWidth(prompt) - 1);
  const input = useMemo(() => layout(editor, inputWidth), [editor, inputWidth]);
  const screen = screenLayout(columns, rows, input.rows.length + (banner ? 1 : 0));
  const bar = useMemo(() => {
    const { order, rooms } = store.getState();
    return screen.narrow ? roomBar(order, rooms, current, columns - 1, visible) : [];
  }, [screen.narrow, barKey, current, columns]);

  useKeys((e) => {
    const s = store.getState();
    let cmd: Command;
    if (e.kind === 'paste') cmd = mapPaste(e.text);
    else if (e.kind === 'mouse') cmd = mouseCommand(e.event, screen, bar, s.help);
    else if (e.kind === 'focus') cmd = { kind: 'focus', focused: e.focused };
    else {
      // Selection mode's keys first (Ctrl+S; issue 16), then search's (Ctrl+R; Up/Down/Enter/Esc over results; PgUp/PgDn in a result's context).
      const mop = s.help ? null : mapMessageKey(e.input, e.key, messageMode(s));
      const op = s.help || mop ? null : mapSearchKey(e.input, e.key, searchMode(s), s.editor.text.length === 0);
      cmd = mop ? { kind: 'message', op: mop } : op ? { kind: 'search', op } : mapKey(e.input, e.key, s.editor, s.help, bindings);
    }
    controller.run(cmd, screen.paneHeight);
  });
  const needOlder = useCallback((room: string) => onNeedOlder(room), [onNeedOlder]);
  const clamp = useCallback((room: string, max: number) => store.getState().clampScroll(room, max), [store]);
  const reveal = useCallback((room: string, scroll: number) => store.getState().setScroll(room, scroll), [store]);

  if (screen.tooSmall) return <Text wrap="truncate">{tooSmallMessage(columns, rows)}</Text>;
  // The frame is one row short of the terminal: a full-height frame makes Ink repaint everything (flicker).
  const height = rows - 1;
  if (help) {
    // The help takes all but the status line: its lines do not fit beside the sidebar on small terminals.
    return (
      <Box flexDirection="column" width={columns} height={height}>
        <HelpOverlay width={columns} height={height - 1} />
        <StatusLine store={store} width={columns} />
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={columns} height={height}>
      {screen.narrow ? <RoomBar items={bar} width={columns} /> : null}
      <Box flexDirection="row" height={screen.paneHeight}>
        {screen.narrow ? null : <Sidebar store={store} width={screen.side} height={screen.paneHeight} />}
        <SearchArea store={store} search={controller.search} width={screen.paneWidth} height={screen.paneHeight}>
          <MessagePane store={store} width={screen.paneWidth} height={screen.paneHeight} onTop={needOlder} onClamp={clamp} onScroll={reveal} />
        </SearchArea>
      </Box>
      <InputBox prompt={prompt} input={input} height={screen.inputRows} width={columns} {...(banner ? { banner } : {})} />
      <StatusLine store={store} width={columns} />
    </Box>
  );
}

/** Which of issue 16's key sets is on: the selection (and its y/n), a reply/edit/reaction being written, or none. */
export function messageMode(s: Pick<ReturnType<ChatStore['getState']>, 'selection' | 'compose' | 'current'>): MessageMode {
  if (s.selection && s.selection.roomId === s.current) return s.selection.confirm ? 'confirm' : 'select';
  if (s.compose && s.compose.roomId === s.current) return 'compose';
  return null;
}
