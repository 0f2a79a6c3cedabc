// Turning lines into terminal rows: timestamps, colours, wrapping. Pure but
// for the display settings (tui/display.ts: the timestamp format).
import stringWidth from 'string-width';
import { clockStamp, dateStamp, UNSAFE } from '../protos/rules.js';
import { formatTimestamp } from './clock-format.js';
import { display } from './display.js';
import { graphemes } from './graphemes.js';
import { reactionSummary } from './amend.js';
import type { Line, MemberInfo } from './domain.js';

/** "Bob (online)", "Carol (away: lunch)", "Dan (offline)": /who and a direct room's status. */
export function presenceText(m: MemberInfo): string {
  if (m.presence === 'away') return `${m.username} (away${m.awayReason ? `: ${m.awayReason}` : ''})`;
  return `${m.username} (${m.presence})`;
}

const PALETTE = ['cyan', 'green', 'yellow', 'magenta', 'blue', 'red', 'cyanBright', 'greenBright', 'yellowBright', 'magentaBright'] as const;
export type Colour = (typeof PALETTE)[number];

/** The same name gets the same colour in every session. */
export function nameColour(name: string): Colour {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length] ?? 'cyan';
}

/** The seed's HH:MM:SS, as line mode prints it (scripts read it). */
export function clock(ts: number): string {
  return clockStamp(new Date(ts));
}

/** A message's time in the pane: "[HH:MM:SS] " or as timestamp_format says; empty when it is empty. */
export function stamp(ts: number, format = display().timeFormat): string {
  return format ? `[${formatTimestamp(format, new Date(ts))}] ` : '';
}
export function day(ts: number): string {
  return dateStamp(new Date(ts));
}

/**
 * Whatever a server sends, the terminal only ever sees visible placeholders
 * for control characters (U+2400 pictures), never the raw bytes.
 */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20) return String.fromCodePoint(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return '\ufffd';
  });
}

/** visible(), and a line break as a picture too: line mode keeps one line per message. */
export function visibleLine(text: string): string {
  return visible(text).replace(/\n/g, '\u2424');
}

/**
 * The gist of why a connection failed, for the status line: grpc-js wraps it
 * as "No connection established. Last error: Error: self-signed certificate.
 * Resolution note: ", and only the middle helps a person.
 */
export function failureReason(details: string): string {
  const gist = details
    .replace(/^No connection established\. Last error: /, '')
    .replace(/\.? Resolution note:.*$/s, '')
    .replace(/^Error: /, '')
    .replace(/ \(\d{4}-\d\d-\d\dT[^)]*\)/, '')
    .trim();
  return gist === 'Failed to connect' ? 'closed before speaking gRPC; a TLS server needs --tls' : gist;
}

export type RowKind =
  | 'text' | 'own' | 'notice' | 'system' | 'local' | 'day' | 'pending' | 'action' | 'marker'
  /** Issue 16: a reply's quote above it, a deleted message, the reactions under a message. */
  | 'quote' | 'tombstone' | 'reactions';

/** Issue 16: what an edited message ends with, and what a deleted one becomes. */
export const EDITED = '(edited)';
export const TOMBSTONE = '(message deleted)';

/** The pane's line above the first unread message (issue 13). */
export const NEW_MESSAGES = '── new messages ──';

export interface Row {
  key: string;
  kind: RowKind;
  /** Only the first row of a message carries the time and the name. */
  time?: string;
  name?: string;
  nameColour?: Colour;
  body: string;
  /** Shown dim after the body (the "(edited)" mark). */
  tail?: string;
}

/**
 * Continuation rows line up under the text while that leaves it this many
 * cells; on a narrower pane they start NARROW_INDENT cells in, so a long word
 * takes few rows rather than a thin column.
 */
export const MIN_HANGING_TEXT = 30;
export const NARROW_INDENT = 2;
/** The first row keeps at least this much room for text beside the time and name, else the text starts below them. */
const MIN_FIRST_TEXT = 8;


/**
 * Text as rows: the first at most `first` cells wide, the others `rest`.
 * Breaks at spaces (dropping them), and inside a word only when the word is
 * longer than a row, filling the row it starts on; a wide character or an
 * emoji is never split.
 */
export function wrapRows(text: string, first: number, rest: number): string[] {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  let limit = Math.max(0, first);
  const restWidth = Math.max(1, rest);
  const breakRow = () => {
    rows.push(row.trimEnd());
    row = '';
    used = 0;
    limit = restWidth;
  };
  for (const token of text.match(/ +|[^ ]+/g) ?? []) {
    const w = stringWidth(token);
    if (token.startsWith(' ')) {
      if (used + w <= limit) {
        row += token;
        used += w;
      } else if (used > 0) breakRow();
      continue;
    }
    if (used + w <= limit) {
      row += token;
      used += w;
      continue;
    }
    // A word that fits on a row of its own goes to the next one.
    if (w <= restWidth && (used > 0 || limit < restWidth)) {
      breakRow();
      row = token;
      used = w;
      continue;
    }
    for (const { segment } of graphemes(token)) {
      const gw = stringWidth(segment);
      if (used + gw > limit && (used > 0 || limit < restWidth)) breakRow();
      row += segment;
      used += gw;
    }
  }
  rows.push(row);
  return rows;
}

/** A message as rows at the given width: the head on the first, continuation rows indented under it. */
export function rowsFor(line: Line, width: number, me: string): Row[] {
  if (line.type === 'MARKER') {
    const side = Math.max(0, Math.floor((width - 1 - stringWidth(NEW_MESSAGES)) / 2));
    return [{ key: `${line.key}:0`, kind: 'marker', body: truncateCells(`${'─'.repeat(side)}${NEW_MESSAGES}${'─'.repeat(side)}`, Math.max(1, width - 1)) }];
  }
  const time = stamp(line.timestamp);
  // A tab would jump to the terminal's next tab stop, past where Ink thinks the row ends.
  const text = visible(line.text).replace(/\t/g, '    ');
  let kind: RowKind;
  let name = '';
  let body: string;
  if (line.type === 'TEXT' && text.startsWith('/me ')) {
    kind = 'action';
    body = `* ${visible(line.username)} ${text.slice(4)}`;
  } else if (line.type === 'TEXT' && line.deleted) {
    kind = 'tombstone';
    name = `${visible(line.username)}: `;
    body = TOMBSTONE;
  } else if (line.type === 'TEXT') {
    kind = line.pending ? 'pending' : line.username === me ? 'own' : 'text';
    name = `${visible(line.username)}: `;
    body = text;
  } else if (line.type === 'JOIN' || line.type === 'LEAVE') {
    kind = 'notice';
    body = `>>> ${text}`;
  } else if (line.type === 'LOCAL') {
    kind = 'local';
    body = text;
  } else {
    kind = 'system';
    body = text;
  }
  const head = stringWidth(time) + stringWidth(name);
  const indent = width - head >= MIN_HANGING_TEXT ? head : Math.min(NARROW_INDENT, Math.max(0, width - 1));
  const rest = Math.max(1, width - indent);
  // A head too wide to leave the text room: the text starts on the row below it.
  const firstWidth = width - head >= MIN_FIRST_TEXT ? width - head : 0;
  const wrapped = body.split('\n').flatMap((part, i) => wrapRows(part, i === 0 ? firstWidth : rest, rest));
  const rows: Row[] = wrapped.map((chunk, i) =>
    i === 0
      ? { key: `${line.key}:0`, kind, time, name, nameColour: nameColour(line.username), body: chunk }
      : { key: `${line.key}:${i}`, kind, body: ' '.repeat(indent) + chunk },
  );
  if (line.type !== 'TEXT') return rows;
  // Issue 16: "(edited)" after the text (on a row of its own when the last is full), the quote above, the reactions below.
  if (line.edited && !line.deleted) {
    const last = rows[rows.length - 1]!;
    const used = (rows.length === 1 ? head : 0) + stringWidth(last.body);
    if (used + 1 + stringWidth(EDITED) <= width - 1) last.tail = ` ${EDITED}`;
    else rows.push({ key: `${line.key}:e`, kind, body: ' '.repeat(indent), tail: EDITED });
  }
  const cells = Math.max(1, width - 1);
  if (line.replyTo) {
    const pad = ' '.repeat(Math.min(stringWidth(time), Math.max(0, width - 4)));
    rows.unshift({ key: `${line.key}:q`, kind: 'quote', body: truncateCells(`${pad}↳ ${visible(line.replyQuote ?? '').replace(/\s+/g, ' ')}`, cells) });
  }
  if (line.reactions?.length && !line.deleted) {
    rows.push({ key: `${line.key}:r`, kind: 'reactions', body: truncateCells(`${' '.repeat(indent)}${visible(reactionSummary(line.reactions))}`, cells) });
  }
  return rows;
}

const cache = new WeakMap<Line, { width: number; me: string; format: string; rows: Row[] }>();

/** rowsFor, remembered per line object and width: scrolling does not re-wrap. */
export function cachedRows(line: Line, width: number, me: string): Row[] {
  const hit = cache.get(line);
  const format = display().timeFormat;
  if (hit && hit.width === width && hit.me === me && hit.format === format) return hit.rows;
  const rows = rowsFor(line, width, me);
  cache.set(line, { width, me, format, rows });
  return rows;
}

/**
 * The rows visible in a pane of `height` rows scrolled `scroll` rows up from
 * the bottom. Walks back from the newest line only as far as needed, so the
 * cost follows the scroll position and the pane size, not the history length.
 */
export function visibleRows(
  lines: readonly Line[],
  width: number,
  height: number,
  scroll: number,
  me: string,
): { rows: Row[]; atTop: boolean; maxScroll: number } {
  const need = height + scroll;
  const collected: Row[][] = [];
  let count = 0;
  let i = lines.length - 1;
  for (; i >= 0 && count < need; i--) {
    const line = lines[i] as Line;
    const rows = cachedRows(line, width, me);
    collected.push(rows);
    count += rows.length;
    const older = lines[i - 1];
    if (older && day(older.timestamp) !== day(line.timestamp)) {
      collected.push([{ key: `day:${line.key}`, kind: 'day', body: `--- ${day(line.timestamp)} ---` }]);
      count += 1;
    }
  }
  const all = collected.reverse().flat();
  // The oldest line is within reach of this scroll position.
  const atTop = i < 0 && count <= need;
  // Scrolled past the oldest row: show the first page rather than blank space.
  const end = Math.min(all.length, Math.max(height, all.length - scroll));
  const start = Math.max(0, end - height);
  return { rows: all.slice(start, end), atTop, maxScroll: atTop ? Math.max(0, all.length - height) : Infinity };
}

/** The start of `text` that fits in `width` cells (whole clusters only). */
export function truncateCells(text: string, width: number): string {
  let used = 0;
  let out = '';
  for (const { segment } of graphemes(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

/**
 * Issue 16: where the line at `index` sits, counted from the bottom as the
 * pane's scroll is: `below` rows after it (day separators included), `size`
 * rows its own. Walks back from the newest line, as visibleRows does.
 */
export function rowSpan(lines: readonly Line[], index: number, width: number, me: string): { below: number; size: number } {
  let below = 0;
  for (let i = lines.length - 1; i > index; i--) {
    const line = lines[i] as Line;
    below += cachedRows(line, width, me).length;
    const older = lines[i - 1];
    if (older && day(older.timestamp) !== day(line.timestamp)) below += 1;
  }
  const line = lines[index];
  return { below, size: line ? cachedRows(line, width, me).length : 0 };
}

/** The scroll that shows rows [below, below + size) in a pane of `height` rows, moving `scroll` as little as possible (its top first if it is taller). */
export function revealScroll(scroll: number, span: { below: number; size: number }, height: number): number {
  if (span.below + span.size > scroll + height) return span.below + span.size - height;
  if (span.below < scroll) return span.below;
  return scroll;
}
