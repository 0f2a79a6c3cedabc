import { Text } from 'ink';
import React, { memo, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { failureReason, visible } from '../format.js';
import type { ChatStore } from '../store.js';

export const StatusLine = memo(function StatusLine({ store, width }: { store: ChatStore; width: number }) {
  const { server, connection, user, room, members } = useStore(
    store,
    useShallow((s) => ({
      server: s.server,
      connection: s.connection,
      user: s.username,
      room: s.current,
      members: s.rooms[s.current]?.members.length ?? 0,
    })),
  );
  // Tick once a second while a reconnect countdown is showing.
  const [, setNow] = useState(0);
  useEffect(() => {
    if (connection.state !== 'reconnecting') return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [connection.state]);
  let state: string = connection.state;
  if (connection.state === 'reconnecting' && connection.retryAt) {
    state = `reconnecting in ${Math.max(0, Math.ceil((connection.retryAt - Date.now()) / 1000))}s`;
  }
  // Why it is not connected: a certificate, a refused port. The refusal itself is in the room's pane.
  if (connection.state === 'reconnecting' && connection.detail) state += ` (${failureReason(connection.detail)})`;
  const text = ` ${visible(server)} | ${visible(state)} | ${visible(user)} | #${visible(room)} | ${members} member${members === 1 ? '' : 's'} | F1 help`;
  return (
    <Text inverse wrap="truncate">
      {// One column short: a row that fills the last column can make the terminal wrap it.
      text.padEnd(width - 1)}
    </Text>
  );
});
