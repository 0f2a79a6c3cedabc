// The results of `/search words` (issue 15), over the message pane: one row
// per match, newest first, the selected one inverse; Up/Down choose, Enter
// opens it in its context, Esc closes.
import { Box, Text } from 'ink';
import React from 'react';
import { useStore } from 'zustand';
import { visible } from '../format.js';
import { resultText, type SearchState } from '../search.js';
import type { ChatStore } from '../store.js';

function status(s: SearchState): string {
  if (s.error) return `search failed: ${s.error}`;
  const n = s.results.length;
  const count = `${n} result${n === 1 ? '' : 's'}${s.more ? ' so far' : ''}`;
  return s.loading ? `${count}, searching…` : count;
}

function emptyText(s: SearchState): string {
  if (s.loading || s.error) return '';
  // A store without an index (Redis) reads a bounded part of the room per call.
  if (s.more) return 'No match in the part of the history searched so far; Down searches older messages.';
  return `No message in #${visible(s.roomId)} matches.`;
}

export function SearchPane({ store, width, height }: { store: ChatStore; width: number; height: number }) {
  const s = useStore(store, (st) => st.search);
  if (!s) return null;
  const body = Math.max(1, height - 2);
  const n = s.results.length;
  // The selected row stays in view, as near the middle as the list allows.
  const start = Math.max(0, Math.min(s.selected - Math.floor(body / 2), n - body));
  const shown = s.results.slice(start, start + body);
  const hint = `Up/Down choose · Enter show in context · Esc close${s.more ? ' · Down at the end: older' : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" bold>
        {`Search #${visible(s.roomId)} for "${visible(s.query)}": ${status(s)}`}
      </Text>
      <Box flexDirection="column" height={body}>
        {n === 0 ? <Text dimColor>{emptyText(s)}</Text> : null}
        {shown.map((line, i) => (
          <Text key={line.key} wrap="truncate" inverse={start + i === s.selected}>
            {resultText(line)}
          </Text>
        ))}
      </Box>
      <Text wrap="truncate" dimColor>
        {hint}
      </Text>
    </Box>
  );
}
