// Turning lines into terminal rows: timestamps, colours, wrapping. Pure.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import { clockStamp, dateStamp, UNSAFE } from '../protos/rules.js';
import type { Line } from './domain.js';

const PALETTE = ['cyan', 'green', 'yellow', 'magenta', 'blue', 'red', 'cyanBright', 'greenBright', 'yellowBright', 'magentaBright'] as const;
export type Colour = (typeof PALETTE)[number];

/** The same name gets the same colour in every session. */
export function nameColour(name: string): Colour {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length] ?? 'cyan';
}

export function clock(ts: number): string {
  return clockStamp(new Date(ts));
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

export type RowKind = 'text' | 'own' | 'notice' | 'system' | 'local' | 'day' | 'pending' | 'action';

export interface Row {
  key: string;
  kind: RowKind;
  /** Only the first row of a message carries the time and the name. */
  time?: string;
  name?: string;
  nameColour?: Colour;
  body: string;
}

const TIME_WIDTH = 11; // "[HH:MM:SS] "

/** A message as rows at the given width: the head on the first, continuation rows indented under it. */
export function rowsFor(line: Line, width: number, me: string): Row[] {
  const time = `[${clock(line.timestamp)}] `;
  const text = visible(line.text);
  let kind: RowKind;
  let name = '';
  let body: string;
  if (line.type === 'TEXT' && text.startsWith('/me ')) {
    kind = 'action';
    body = `* ${visible(line.username)} ${text.slice(4)}`;
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
  const indent = TIME_WIDTH + stringWidth(name);
  const avail = Math.max(10, width - indent);
  const wrapped = text.length === 0 ? [''] : body.split('\n').flatMap((part) => wrapAnsi(part, avail, { hard: true, trim: false }).split('\n'));
  return wrapped.map((chunk, i) =>
    i === 0
      ? { key: `${line.key}:0`, kind, time, name, nameColour: nameColour(line.username), body: chunk }
      : { key: `${line.key}:${i}`, kind, body: ' '.repeat(indent) + chunk },
  );
}

const cache = new WeakMap<Line, { width: number; me: string; rows: Row[] }>();

/** rowsFor, remembered per line object and width: scrolling does not re-wrap. */
export function cachedRows(line: Line, width: number, me: string): Row[] {
  const hit = cache.get(line);
  if (hit && hit.width === width && hit.me === me) return hit.rows;
  const rows = rowsFor(line, width, me);
  cache.set(line, { width, me, rows });
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
