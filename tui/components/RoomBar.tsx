import { Text } from 'ink';
import React from 'react';
import { display } from '../display.js';
import { truncateCells } from '../format.js';
import type { BarItem } from '../layout.js';

/** The narrow layout's rooms, in one row (tui/layout.ts roomBar places them; a click uses the same places). */
export function RoomBar({ items, width }: { items: readonly BarItem[]; width: number }) {
  const colour = display().color;
  let x = 0;
  const parts: React.ReactNode[] = [];
  for (const item of items) {
    if (item.x > x) parts.push(' '.repeat(item.x - x));
    parts.push(
      <Text key={item.id} inverse={item.current} bold={item.mentioned} color={item.mentioned && colour ? 'red' : undefined}>
        {truncateCells(item.label, item.width)}
      </Text>,
    );
    x = item.x + item.width;
  }
  return (
    <Text wrap="truncate">
      {parts}
      {' '.repeat(Math.max(0, width - 1 - x))}
    </Text>
  );
}
