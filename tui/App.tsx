import { Box, useInput, useStdout } from 'ink';
import React, { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Controller } from './actions.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { InputBox } from './components/InputBox.js';
import { MessagePane } from './components/MessagePane.js';
import { SearchArea } from './components/SearchArea.js';
import { Sidebar } from './components/Sidebar.js';
import { StatusLine } from './components/StatusLine.js';
import { mapKey } from './keys.js';
import { searchMode } from './search.js';
import { mapSearchKey } from './search-keys.js';
import type { ChatStore } from './store.js';

/** Narrow terminals give the messages more of the width. */
export const sidebarWidth = (columns: number) => (columns < 80 ? 14 : 18);

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

export function App({ store, controller, onNeedOlder }: { store: ChatStore; controller: Controller; onNeedOlder: (room: string) => void }) {
  const { columns, rows } = useTerminalSize();
  const help = useStore(store, (s) => s.help);
  // One row short of the terminal: a full-height frame makes Ink repaint everything (flicker).
  const height = Math.max(5, rows - 1);
  const paneHeight = height - 2;
  const side = sidebarWidth(columns);
  const paneWidth = Math.max(10, columns - side);
  useInput((input, key) => {
    const s = store.getState();
    // Issue 15: search's keys first (Ctrl+F; Up/Down/Enter/Esc over results; PgUp/PgDn in a result's context).
    const op = s.help ? null : mapSearchKey(input, key, searchMode(s), s.input.length === 0);
    const cmd = op ? ({ kind: 'search', op } as const) : mapKey(input, key, s.input, s.help);
    controller.run(cmd, paneHeight);
  });
  const needOlder = useCallback((room: string) => onNeedOlder(room), [onNeedOlder]);
  const clamp = useCallback((room: string, max: number) => store.getState().clampScroll(room, max), [store]);
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Box flexDirection="row" height={paneHeight}>
        {help ? (
          // The help takes the whole width: its lines do not fit beside the sidebar on small terminals.
          <HelpOverlay width={columns} height={paneHeight} />
        ) : (
          <>
            <Sidebar store={store} width={side} height={paneHeight} />
            <SearchArea store={store} search={controller.search} width={paneWidth} height={paneHeight}>
              <MessagePane store={store} width={paneWidth} height={paneHeight} onTop={needOlder} onClamp={clamp} />
            </SearchArea>
          </>
        )}
      </Box>
      <InputBox store={store} width={columns} />
      <StatusLine store={store} width={columns} />
    </Box>
  );
}
