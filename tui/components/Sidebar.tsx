import { Box, Text } from 'ink';
import React, { memo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { display } from '../display.js';
import { visible } from '../format.js';
import { roomLabel } from '../rooms.js';
import type { ChatStore } from '../store.js';

/** Issue 16: after an invite-only room's name. */
export const PRIVATE_MARK = ' [p]';

export const Sidebar = memo(function Sidebar({ store, width, height }: { store: ChatStore; width: number; height: number }) {
  const colour = display().color;
  const { order, current, rooms } = useStore(
    store,
    useShallow((s) => ({ order: s.order, current: s.current, rooms: s.rooms })),
  );
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderLeft={false}>
      <Text bold>Rooms</Text>
      {order.map((id, i) => {
        const room = rooms[id];
        const badge = room && room.unread > 0 ? ` ${room.unread}` : '';
        const mark = room?.mentioned ? '!' : ' ';
        // Direct conversations: "@Bob", in their own colour, apart from the rooms.
        const tint = room?.mentioned ? 'red' : room?.direct ? 'magenta' : undefined;
        return (
          <Text key={id} wrap="truncate" inverse={id === current} bold={Boolean(room?.mentioned)} color={colour ? tint : undefined}>
            {`${i < 9 ? i + 1 : ' '}${mark}${visible(roomLabel(room, id))}${room?.private ? PRIVATE_MARK : ''}${badge}`}
          </Text>
        );
      })}
    </Box>
  );
});
