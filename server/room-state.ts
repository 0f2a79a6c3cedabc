// Issue 13: a room as one user sees it (Welcome.rooms, `room` events): its
// latest seq, the user's read marker, and how many messages from others came
// after it and how many of those mention the user by name (every one, in a
// direct conversation). Counted from up to COUNT_WINDOW stored messages after
// the marker; both counts are capped at UNREAD_CAP.
//
// A reconnect storm asks this of every user in every room at once, and most of
// a room's members have the same marker (often 0: never read), so the stored
// messages after a marker are read once per room and marker and shared for a
// moment; and mentions are found with indexOf, not a RegExp per user (V8
// compiles each new pattern: 1.2 ms apiece, 24 s for 20,000 sessions).
import type { RoomState } from '../protos/generated/chat/RoomState.js';
import { directPeer } from '../protos/rules.js';
import type { Store, StoredMessage } from './store/types.js';

export const UNREAD_CAP = 999;
const COUNT_WINDOW = 1000;
/** How long a page read for counting is shared with other users of the same room and marker. */
const SHARE_MS = 1000;

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Whether `text` names `username` as a word of its own, any case: "@Alice:", "hi alice!", not "malice". */
export function mentions(text: string, username: string): boolean {
  const name = username.toLowerCase();
  if (name.length === 0) return false;
  const hay = text.toLowerCase();
  for (let at = hay.indexOf(name); at !== -1; at = hay.indexOf(name, at + 1)) {
    if (!isWordAt(hay, codePointStart(hay, at - 1)) && !isWordAt(hay, at + name.length)) return true;
  }
  return false;
}

/** Where the code point holding UTF-16 unit `i` starts (-1 stays -1). */
function codePointStart(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  return i > 0 && unit >= 0xdc00 && unit <= 0xdfff ? i - 1 : i;
}

function isWordAt(text: string, i: number): boolean {
  const cp = i >= 0 ? text.codePointAt(i) : undefined;
  return cp !== undefined && WORD_CHAR.test(String.fromCodePoint(cp));
}

/** Pages read for counting, by room and marker, shared for SHARE_MS. */
const shared = new Map<string, { at: number; page: Promise<StoredMessage[]> }>();

function afterMarker(store: Store, roomId: string, readSeq: number, latest: number): Promise<StoredMessage[]> {
  const key = `${roomId}\u0000${readSeq}\u0000${latest}`;
  const now = Date.now();
  const kept = shared.get(key);
  if (kept && now - kept.at < SHARE_MS) return kept.page;
  if (shared.size > 10_000) for (const [k, v] of shared) if (now - v.at >= SHARE_MS) shared.delete(k);
  const page = store.after(roomId, readSeq, COUNT_WINDOW);
  shared.set(key, { at: now, page });
  page.catch(() => shared.delete(key));
  return page;
}

/** Issue 16: where a room's topic, invite-only flag and the user's operator status come from (room-policy.ts). */
export interface PolicyFields {
  stateFields(room: string, username: string): Promise<Pick<RoomState, 'topic' | 'private' | 'operator'>>;
}

export async function roomState(store: Store, roomId: string, username: string, readSeq: number, policy?: PolicyFields): Promise<RoomState> {
  const peer = directPeer(roomId, username);
  const [latest, fields] = await Promise.all([store.latestSeq(roomId), policy?.stateFields(roomId, username)]);
  let unread = 0;
  let mentioned = 0;
  if (latest > readSeq) {
    const me = username.toLowerCase();
    for (const m of await afterMarker(store, roomId, readSeq, latest)) {
      if (m.type !== 'TEXT' || m.username.toLowerCase() === me) continue;
      unread++;
      if (peer !== null || mentions(m.message, username)) mentioned++;
    }
  }
  return {
    room_id: roomId,
    direct: peer !== null,
    peer: peer ?? '',
    latest_seq: latest,
    read_seq: readSeq,
    unread: Math.min(unread, UNREAD_CAP),
    mentions: Math.min(mentioned, UNREAD_CAP),
    ...fields,
  };
}
