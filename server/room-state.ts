// Issue 13: a room as one user sees it (Welcome.rooms, `room` events): its
// latest seq, the user's read marker, and how many messages from others came
// after it and how many of those mention the user by name (every one, in a
// direct conversation). Counted from up to COUNT_WINDOW stored messages after
// the marker; both counts are capped at UNREAD_CAP.
import type { RoomState } from '../protos/generated/chat/RoomState.js';
import { directPeer } from '../protos/rules.js';
import type { Store } from './store/types.js';

export const UNREAD_CAP = 999;
const COUNT_WINDOW = 1000;

/** "alice" as a word of its own, any case: "@Alice:", "hi alice!", not "malice". */
export function mentionPattern(username: string): RegExp {
  const name = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${name}(?![\\p{L}\\p{N}_])`, 'iu');
}

export async function roomState(store: Store, roomId: string, username: string, readSeq: number): Promise<RoomState> {
  const peer = directPeer(roomId, username);
  const latest = await store.latestSeq(roomId);
  let unread = 0;
  let mentions = 0;
  if (latest > readSeq) {
    const me = username.toLowerCase();
    const mention = mentionPattern(username);
    for (const m of await store.after(roomId, readSeq, COUNT_WINDOW)) {
      if (m.type !== 'TEXT' || m.username.toLowerCase() === me) continue;
      unread++;
      if (peer !== null || mention.test(m.message)) mentions++;
    }
  }
  return {
    room_id: roomId,
    direct: peer !== null,
    peer: peer ?? '',
    latest_seq: latest,
    read_seq: readSeq,
    unread: Math.min(unread, UNREAD_CAP),
    mentions: Math.min(mentions, UNREAD_CAP),
  };
}
