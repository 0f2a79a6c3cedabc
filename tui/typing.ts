// Issue 13: typing notices, both ways. Pure but for the clock, which is
// injected. TypingSender decides when this client says typing=true/false;
// the other functions keep and show who is typing in a room (entries expire
// TYPING_EXPIRY_MS after the last notice, never stored).
import { TYPING_EXPIRY_MS, TYPING_INTERVAL_MS } from '../protos/rules.js';

/**
 * While the input is not empty and changing, `typing true` at most every
 * TYPING_INTERVAL_MS; `typing false` when the input is cleared or sent, or
 * the room changes. One room at a time: the one the input is for.
 */
export class TypingSender {
  private room: string | null = null;
  private lastSent = -Infinity;
  private lastText = '';

  constructor(
    private readonly send: (roomId: string, typing: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The input for `roomId` now holds `text`. */
  changed(roomId: string, text: string): void {
    if (this.room !== null && this.room !== roomId) this.stop();
    if (text === this.lastText && this.room === roomId) return;
    this.lastText = text;
    if (text.trim().length === 0) return this.stop();
    const t = this.now();
    if (t - this.lastSent < TYPING_INTERVAL_MS) {
      // Within the interval: a standing notice needs no repeat, and a new one waits for the next change after it.
      return;
    }
    this.room = roomId;
    this.lastSent = t;
    this.send(roomId, true);
  }

  /**
   * Sent, cleared, or moved away: say so once if a typing notice is standing.
   * The interval still runs from the last `true`, so lines typed ahead (300
   * sends in a burst) cost one true and one false, not one pair per line.
   */
  stop(): void {
    if (this.room === null) return;
    const room = this.room;
    this.room = null;
    this.send(room, false);
  }
}

/** A typing notice applied to a room's entries (name -> expiry). */
export function typingEntry(entries: Readonly<Record<string, number>>, username: string, typing: boolean, now: number): Record<string, number> {
  const { [username]: _old, ...rest } = entries;
  return typing ? { ...rest, [username]: now + TYPING_EXPIRY_MS } : rest;
}

/** Who is typing now, in the order they started. */
export function typists(entries: Readonly<Record<string, number>>, now: number): string[] {
  return Object.entries(entries)
    .filter(([, until]) => until > now)
    .map(([name]) => name);
}

/** "Bob is typing…", "Bob and Carol are typing…", "Several people are typing…"; '' for nobody. */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** When the next of these entries expires (null: none standing). */
export function nextExpiry(entries: Readonly<Record<string, number>>, now: number): number | null {
  const future = Object.values(entries).filter((t) => t > now);
  return future.length > 0 ? Math.min(...future) : null;
}
