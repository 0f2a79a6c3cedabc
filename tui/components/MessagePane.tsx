import { Box, Text } from 'ink';
import React, { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { visibleRows, type Row } from '../format.js';
import type { ChatStore } from '../store.js';

const NO_COLOR = 'NO_COLOR' in process.env;

function RowView({ row }: { row: Row }) {
  const dim = row.kind === 'notice' || row.kind === 'day' || row.kind === 'pending';
  const colour = NO_COLOR ? undefined : row.kind === 'system' ? 'yellow' : row.kind === 'local' ? 'gray' : undefined;
  return (
    <Text wrap="truncate" dimColor={dim} color={colour} italic={row.kind === 'action' || row.kind === 'pending'}>
      {row.time !== undefined && <Text dimColor>{row.time}</Text>}
      {row.name ? (
        <Text bold color={NO_COLOR ? undefined : row.nameColour} underline={row.kind === 'own' && NO_COLOR}>
          {row.name}
        </Text>
      ) : null}
      <Text bold={row.kind === 'own'}>{row.body}</Text>
    </Text>
  );
}

export function MessagePane({ store, width, height, onTop }: { store: ChatStore; width: number; height: number; onTop: (room: string) => void }) {
  const { room, me } = useStore(
    store,
    useShallow((s) => ({ room: s.rooms[s.current], me: s.username })),
  );
  const lines = room ? [...room.lines, ...room.pending.map((p) => ({ key: `p${p.id}`, seq: 0, type: 'TEXT' as const, notice: 'NOTICE_NONE' as const, userId: '', username: me, text: p.text, timestamp: Date.now(), pending: true }))] : [];
  const banner = room?.reachedStart ? 1 : 0;
  const body = Math.max(1, height - (room && room.newBelow > 0 ? 1 : 0));
  const { rows, atTop } = visibleRows(lines, width, body - banner, room?.scroll ?? 0, me);
  const wantOlder = Boolean(room && atTop && !room.reachedStart && !room.loadingOlder);
  useEffect(() => {
    if (wantOlder && room) onTop(room.id);
  }, [wantOlder, room?.id, onTop]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {room?.reachedStart && atTop ? <Text dimColor>--- beginning of #{room.id} ---</Text> : null}
      {room?.loadingOlder ? <Text dimColor>loading older messages…</Text> : null}
      <Box flexDirection="column" flexGrow={1} justifyContent="flex-end">
        {rows.map((row) => (
          <RowView key={row.key} row={row} />
        ))}
      </Box>
      {room && room.newBelow > 0 ? (
        <Text inverse>{` ${room.newBelow} new message${room.newBelow === 1 ? '' : 's'} below (End/Esc) `}</Text>
      ) : null}
    </Box>
  );
}
