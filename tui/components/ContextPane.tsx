// A search result in its context (issue 15): the stored messages around it,
// the hit's rows inverse, over the message pane. PgUp/PgDn page; reaching the
// end of what is loaded pages more in from the server; Esc goes back to live.
// The view is kept relative to the hit (search.ts ContextView.offset), so lines
// paged in above or below never move what is on screen.
import { Box, Text } from 'ink';
import React, { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { clock, day, visible, visibleRows, type Row } from '../format.js';
import type { ContextView } from '../search.js';
import type { ChatStore } from '../store.js';

const NO_COLOR = 'NO_COLOR' in process.env;

function RowView({ row, hit }: { row: Row; hit: boolean }) {
  const dim = !hit && (row.kind === 'notice' || row.kind === 'day');
  return (
    <Text wrap="truncate" inverse={hit} dimColor={dim} italic={row.kind === 'action'}>
      {row.time !== undefined && <Text dimColor={!hit}>{row.time}</Text>}
      {row.name ? (
        <Text bold color={NO_COLOR || hit ? undefined : row.nameColour}>
          {row.name}
        </Text>
      ) : null}
      <Text bold={row.kind === 'own'}>{row.body}</Text>
    </Text>
  );
}

/** Where the hit's rows are among all rows: its first row and how many (0 when it is not among the lines). */
function locateHit(ctx: ContextView, rows: readonly Row[]): { first: number; count: number; key: string } {
  const line = ctx.lines.find((l) => l.seq === ctx.hitSeq) ?? ctx.lines.find((l) => l.seq > ctx.hitSeq);
  if (!line) return { first: rows.length, count: 0, key: '' };
  const prefix = `${line.key}:`;
  const first = rows.findIndex((r) => r.key.startsWith(prefix));
  const count = line.seq === ctx.hitSeq ? rows.filter((r) => r.key.startsWith(prefix)).length : 0;
  return { first: first < 0 ? rows.length : first, count, key: line.seq === ctx.hitSeq ? prefix : '' };
}

function footer(ctx: ContextView, top: number, bottom: boolean): string {
  if (ctx.error) return `could not load: ${ctx.error}`;
  if (ctx.loading || ctx.loadingOlder || ctx.loadingNewer) return 'loading…';
  if (top === 0 && ctx.reachedStart) return `--- beginning of #${visible(ctx.roomId)} ---  PgDn page · Esc back to live`;
  if (bottom && ctx.reachedEnd) return '--- newest stored message ---  PgUp page · Esc back to live';
  return 'PgUp/PgDn page · Esc back to live';
}

export interface ContextEvents {
  /** The view reached the end of the loaded lines on one side: page more in. */
  onEdge: (roomId: string, side: 'older' | 'newer') => void;
}

export function ContextPane({ store, width, height, onEdge }: { store: ChatStore; width: number; height: number } & ContextEvents) {
  const { ctx, me } = useStore(
    store,
    useShallow((s) => ({ ctx: s.context, me: s.username })),
  );
  // Every row of the loaded lines: a context holds a few hundred lines at most.
  const rows = useMemo(() => (ctx ? visibleRows(ctx.lines, width, Number.MAX_SAFE_INTEGER, 0, me).rows : []), [ctx?.lines, width, me]);
  const body = Math.max(1, height - 2);
  const hit = ctx ? locateHit(ctx, rows) : { first: 0, count: 0, key: '' };
  const centre = -Math.floor((body - Math.min(hit.count, body)) / 2);
  const want = hit.first + (ctx?.offset ?? centre);
  const maxTop = Math.max(0, rows.length - body);
  const top = Math.min(maxTop, Math.max(0, want));
  const ready = Boolean(ctx && !ctx.loading && !ctx.error);
  const atBottom = top >= maxTop;
  // Placed for good: centred at first, or stopped at an end that has nothing beyond it.
  const settled =
    ctx && ready && (ctx.offset === null || (want < top && ctx.reachedStart) || (want > top && ctx.reachedEnd)) ? top - hit.first : null;
  useEffect(() => {
    if (settled !== null) store.getState().settleContext(settled);
  }, [settled, store]);
  const wantOlder = Boolean(ready && ctx && top === 0 && !ctx.reachedStart && !ctx.loadingOlder);
  const wantNewer = Boolean(ready && ctx && atBottom && !ctx.reachedEnd && !ctx.loadingNewer);
  useEffect(() => {
    if (wantOlder && ctx) onEdge(ctx.roomId, 'older');
  }, [wantOlder, ctx?.roomId, onEdge]);
  useEffect(() => {
    if (wantNewer && ctx) onEdge(ctx.roomId, 'newer');
  }, [wantNewer, ctx?.roomId, onEdge]);
  if (!ctx) return null;
  const hitLine = ctx.lines.find((l) => l.seq === ctx.hitSeq);
  const when = hitLine ? ` at ${day(hitLine.timestamp)} ${clock(hitLine.timestamp)}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" bold>
        {`#${visible(ctx.roomId)}: search result${when}`}
      </Text>
      <Box flexDirection="column" height={body}>
        {rows.slice(top, top + body).map((row) => (
          <RowView key={row.key} row={row} hit={hit.key !== '' && row.key.startsWith(hit.key)} />
        ))}
      </Box>
      <Text wrap="truncate" dimColor>
        {footer(ctx, top, atBottom)}
      </Text>
    </Box>
  );
}
