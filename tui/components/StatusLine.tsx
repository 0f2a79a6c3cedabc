import { Text } from 'ink';
import React, { memo, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { failureReason, presenceText, visible } from '../format.js';
import { roomLabel } from '../rooms.js';
import type { ChatStore } from '../store.js';
import { nextExpiry, typingText, typists } from '../typing.js';

/** Issue 16: after the room's name on the status line when the user is one of its operators. */
export const OPERATOR_MARK = ' (op)';

export const StatusLine = memo(function StatusLine({ store, width }: { store: ChatStore; width: number }) {
  const { server, connection, user, label, members, typing, peer, direct, away, operator } = useStore(
    store,
    useShallow((s) => {
      const room = s.rooms[s.current];
      return {
        server: s.server,
        connection: s.connection,
        user: s.username,
        label: s.current ? roomLabel(room, s.current) : 'no room',
        members: room?.members.length ?? 0,
        typing: room?.typing,
        // A direct room shows how its peer is (online, away: reason, offline) instead of a member count.
        peer: room?.direct ? s.presence[room.peer.toLowerCase()] : undefined,
        direct: room?.direct ?? false,
        away: s.away.away,
        // Issue 16: whether the user may moderate the room on screen.
        operator: room?.operator ?? false,
      };
    }),
  );
  // Tick once a second while a reconnect countdown is showing.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (connection.state !== 'reconnecting') return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [connection.state]);
  // A typing notice goes away on its own: render again when the next one expires.
  const t = Date.now();
  const expiry = typing ? nextExpiry(typing, t) : null;
  useEffect(() => {
    if (expiry === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(1, expiry - Date.now() + 1));
    return () => clearTimeout(timer);
  }, [expiry, now]);
  let state: string = connection.state;
  if (connection.state === 'reconnecting' && connection.retryAt) {
    state = `reconnecting in ${Math.max(0, Math.ceil((connection.retryAt - Date.now()) / 1000))}s`;
  }
  // Why it is not connected: a certificate, a refused port, a name taken.
  if ((connection.state === 'reconnecting' || connection.state === 'refused') && connection.detail) state += ` (${failureReason(connection.detail)})`;
  const who = direct ? (peer ? presenceText(peer) : label) : `${members} member${members === 1 ? '' : 's'}`;
  const typers = typing ? typingText(typists(typing, t)) : '';
  const text = ` ${visible(server)} | ${visible(state)} | ${visible(user)}${away ? ' (away)' : ''} | ${visible(label)}${operator ? OPERATOR_MARK : ''} | ${visible(who)}${typers ? ` | ${visible(typers)}` : ''} | F1 help`;
  return (
    <Text inverse wrap="truncate">
      {// One column short: a row that fills the last column can make the terminal wrap it.
      text.padEnd(width - 1)}
    </Text>
  );
});
