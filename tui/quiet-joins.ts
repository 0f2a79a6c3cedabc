// Issue 13: members join and leave quietly. Which JOIN/LEAVE lines the pane
// shows, per the `joins` setting (config key, --joins): "all", "none", or
// "smart" (the default, after WeeChat's smart filter): only for someone who
// spoke in the room in the last SMART_WINDOW_MS before the notice, or in a
// room with fewer than SMART_SMALL_ROOM members. The member list changes
// either way; only the line is left out. Pure.
import type { Line } from './domain.js';

export const JOINS_MODES = ['smart', 'all', 'none'] as const;
export type JoinsMode = (typeof JOINS_MODES)[number];

export const SMART_WINDOW_MS = 10 * 60_000;
export const SMART_SMALL_ROOM = 10;

/**
 * The people a notice names: "Alice joined the room", "Alice and Bob left the
 * room (connection lost)", "Alice, Bob and 48 others joined the room" (the
 * server's coalesced form, server/presence-notices.ts). "N others" names nobody.
 */
export function noticeNames(text: string): string[] {
  const m = /^(.*) (?:joined|left) the room/s.exec(text);
  if (!m?.[1]) return [];
  return m[1]
    .split(/, | and /)
    .map((n) => n.trim())
    .filter((n) => n.length > 0 && !/^\d+ others?$/.test(n));
}

export interface RoomCrowd {
  /** Members listed now. */
  members: number;
  /** Whether the list has been heard yet; until then the room counts as small (nothing is hidden blind). */
  membersKnown: boolean;
  /** Lower-cased name -> when they last spoke. */
  spoke: Readonly<Record<string, number>>;
}

export function showMemberChange(line: Line, room: RoomCrowd, mode: JoinsMode): boolean {
  if (mode === 'all') return true;
  if (mode === 'none') return false;
  if (!room.membersKnown || room.members < SMART_SMALL_ROOM) return true;
  return noticeNames(line.text).some((name) => {
    const at = room.spoke[name.toLowerCase()];
    return at !== undefined && line.timestamp - at <= SMART_WINDOW_MS && line.timestamp >= at - SMART_WINDOW_MS;
  });
}
