import { Box, Text } from 'ink';
import React, { memo, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { display } from '../display.js';
import { revealScroll, rowSpan, visible, visibleRows, type Row } from '../format.js';
import type { Line, PendingMessage } from '../domain.js';
import { newMessagesAt, roomLabel, type RoomView } from '../rooms.js';
import type { ChatStore } from '../store.js';

const DIM_KINDS = new Set<Row['kind']>(['notice', 'day', 'pending', 'quote', 'tombstone', 'reactions']);

function RowView({ row, selected = false }: { row: Row; selected?: boolean }) {
  const NO_COLOR = !display().color;
  const dim = DIM_KINDS.has(row.kind) && !selected;
  const colour = NO_COLOR ? undefined : row.kind === 'system' ? 'yellow' : row.kind === 'local' ? 'gray' : row.kind === 'marker' ? 'red' : undefined;
  return (
    <Text wrap="truncate" dimColor={dim} color={colour} inverse={selected} italic={row.kind === 'action' || row.kind === 'pending' || row.kind === 'tombstone'}>
      {row.time !== undefined && <Text dimColor>{row.time}</Text>}
      {row.name ? (
        <Text bold color={NO_COLOR ? undefined : row.nameColour} underline={row.kind === 'own' && NO_COLOR}>
          {row.name}
        </Text>
      ) : null}
      <Text bold={row.kind === 'own'}>{row.body}</Text>
      {row.tail ? <Text dimColor={!selected}>{row.tail}</Text> : null}
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
  /** Issue 16: the view moves to keep the highlighted message on screen. */
  onScroll?: (room: string, scroll: number) => void;
}

/** Selection mode's reminder of its keys, at the foot of the pane. */
export const SELECT_HINT = '↑↓ move · r reply · e edit · d delete · + react · w who reacted · Enter original · Esc done';

export const MessagePane = memo(function MessagePane({ store, width, height, onTop, onClamp, onScroll }: { store: ChatStore; width: number; height: number } & PaneEvents) {
  const { room, me, selection, roomless } = useStore(
    store,
    useShallow((s) => ({ room: s.rooms[s.current], me: s.username, selection: s.selection?.roomId === s.current ? s.selection : null, roomless: s.roomless })),
  );
  const lines = useMemo(() => (room ? withMarker(room, withPending(room, me), me) : []), [room?.lines, room?.pending, room?.markerSeq, me]);
  // Header and footer rows come out of the pane's height, so the frame never outgrows the terminal.
  const topic = room?.topic ? 1 : 0;
  const header = topic + (room?.reachedStart ? 1 : 0) + (room?.loadingOlder ? 1 : 0);
  const footer = (room && room.newBelow > 0 && !selection ? 1 : 0) + (selection ? 1 : 0);
  const body = Math.max(1, height - header - footer);
  // Issue 16: the highlighted message stays on screen as it moves.
  const selectedAt = selection ? lines.findIndex((l) => l.seq === selection.seq && l.type === 'TEXT') : -1;
  const scroll = room?.scroll ?? 0;
  const wanted = selectedAt >= 0 ? revealScroll(scroll, rowSpan(lines, selectedAt, width, me), body) : scroll;
  useEffect(() => {
    if (room && wanted !== scroll) onScroll?.(room.id, wanted);
  }, [room?.id, wanted, scroll, onScroll]);
  const { rows, atTop, maxScroll } = visibleRows(lines, width, body, wanted, me);
  const selectedKey = selectedAt >= 0 ? `${lines[selectedAt]!.key}:` : null;
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
      {room?.topic ? (
        <Text wrap="truncate" bold>
          {`${visible(roomLabel(room))}: ${visible(room.topic.replace(/\s+/g, ' '))}`}
        </Text>
      ) : null}
      {room?.reachedStart ? <Text dimColor>{atTop ? `--- beginning of ${visible(roomLabel(room))} ---` : ' '}</Text> : null}
      {room?.loadingOlder ? <Text dimColor>loading older messages…</Text> : null}
      {!room && roomless ? <Text wrap="truncate" color={display().color ? 'gray' : undefined}>{visible(roomless)}</Text> : null}
      <Box flexDirection="column" flexGrow={1} justifyContent="flex-end">
        {rows.map((row) => (
          <RowView key={row.key} row={row} selected={selectedKey !== null && row.key.startsWith(selectedKey)} />
        ))}
      </Box>
      {selection ? (
        <Text inverse wrap="truncate">
          {selection.confirm ? ' Delete this message? y / n ' : ` ${SELECT_HINT} `}
        </Text>
      ) : null}
      {room && room.newBelow > 0 && !selection ? (
        <Text inverse>{` ${room.newBelow} new message${room.newBelow === 1 ? '' : 's'} below (End/Esc) `}</Text>
      ) : null}
    </Box>
  );
});
