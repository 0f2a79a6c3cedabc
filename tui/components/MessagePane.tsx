import { Box, Text } from 'ink';
import React, { memo, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { display } from '../display.js';
import { visible, visibleRows, type Row } from '../format.js';
import type { Line, PendingMessage } from '../domain.js';
import { newMessagesAt, roomLabel, type RoomView } from '../rooms.js';
import type { ChatStore } from '../store.js';

function RowView({ row }: { row: Row }) {
  const NO_COLOR = !display().color;
  const dim = row.kind === 'notice' || row.kind === 'day' || row.kind === 'pending';
  const colour = NO_COLOR ? undefined : row.kind === 'system' ? 'yellow' : row.kind === 'local' ? 'gray' : row.kind === 'marker' ? 'red' : undefined;
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

// Made once per pending entry, so the row cache (keyed by line object) holds across renders.
const pendingLines = new WeakMap<PendingMessage, Line>();

function withPending(room: RoomView, me: string): Line[] {
  if (room.pending.length === 0) return room.lines;
  const pending = room.pending.map((p) => {
    let line = pendingLines.get(p);
    if (!line) {
      line = { key: `p${p.id}`, seq: 0, type: 'TEXT', userId: '', username: me, text: p.text, timestamp: Date.now(), pending: true };
      pendingLines.set(p, line);
    }
    return line;
  });
  return [...room.lines, ...pending];
}

// One marker line per room and position, so the row cache holds across renders.
const markerLines = new Map<string, Line>();

/** The lines with the "new messages" line in front of the first unread one (rooms.ts newMessagesAt). */
function withMarker(room: RoomView, lines: Line[], me: string): Line[] {
  const at = newMessagesAt(room, me);
  if (at < 0) return lines;
  const key = `m:${room.id}:${room.markerSeq}`;
  let marker = markerLines.get(key);
  if (!marker) {
    marker = { key, seq: 0, type: 'MARKER', userId: '', username: '', text: '', timestamp: lines[at]?.timestamp ?? 0 };
    if (markerLines.size > 100) markerLines.clear();
    markerLines.set(key, marker);
  }
  return [...lines.slice(0, at), marker, ...lines.slice(at)];
}

export interface PaneEvents {
  /** The view reached the oldest loaded row: time to page in older history. */
  onTop: (room: string) => void;
  /** The room's beginning is on screen; scroll positions past it mean nothing. */
  onClamp: (room: string, maxScroll: number) => void;
}

export const MessagePane = memo(function MessagePane({ store, width, height, onTop, onClamp }: { store: ChatStore; width: number; height: number } & PaneEvents) {
  const { room, me } = useStore(
    store,
    useShallow((s) => ({ room: s.rooms[s.current], me: s.username })),
  );
  const lines = useMemo(() => (room ? withMarker(room, withPending(room, me), me) : []), [room?.lines, room?.pending, room?.markerSeq, me]);
  // Header and footer rows come out of the pane's height, so the frame never outgrows the terminal.
  const header = (room?.reachedStart ? 1 : 0) + (room?.loadingOlder ? 1 : 0);
  const footer = room && room.newBelow > 0 ? 1 : 0;
  const { rows, atTop, maxScroll } = visibleRows(lines, width, Math.max(1, height - header - footer), room?.scroll ?? 0, me);
  const wantOlder = Boolean(room && atTop && !room.reachedStart && !room.loadingOlder);
  useEffect(() => {
    if (wantOlder && room) onTop(room.id);
  }, [wantOlder, room?.id, onTop]);
  const overScrolled = Boolean(room?.reachedStart && room.scroll > maxScroll);
  useEffect(() => {
    if (overScrolled && room) onClamp(room.id, maxScroll);
  }, [overScrolled, room?.id, maxScroll, onClamp]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {room?.reachedStart ? <Text dimColor>{atTop ? `--- beginning of ${visible(roomLabel(room))} ---` : ' '}</Text> : null}
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
});
