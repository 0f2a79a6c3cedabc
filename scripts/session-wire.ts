// Session frames read straight from the bytes, as scripts/idle-wire.ts reads
// ChatMessages: decoding every frame into objects would make the bench's
// clients, not the server, the bottleneck. A ServerFrame is
// `repeated SessionEvent events = 1`; a SessionEvent is a oneof, so it holds
// one field: 1 a ChatMessage, 2 a Welcome, ..., 10 a SessionError
// (protos/chat.proto).
import { varint } from './idle-wire.js';

export const EVENT_MESSAGE = 1;
export const EVENT_WELCOME = 2;
export const EVENT_ROOM = 3;
export const EVENT_ERROR = 10;

/** Called once per event of a frame: its oneof field number, and where its payload sits in the frame. */
export type EventVisitor = (kind: number, start: number, end: number) => void;

/** Visits every event of a ServerFrame in order; returns how many there were. */
export function eachEvent(frame: Buffer, visit: EventVisitor): number {
  let events = 0;
  let pos = 0;
  while (pos < frame.length) {
    const [tag, afterTag] = varint(frame, pos);
    pos = skipOrEnter(frame, tag, afterTag, (start, end) => {
      events++;
      let q = start;
      while (q < end) {
        const [inner, afterInner] = varint(frame, q);
        q = skipOrEnter(frame, inner, afterInner, (s, e) => visit(inner >>> 3, s, e));
      }
    });
  }
  return events;
}

/** Skips a field by wire type; a length-delimited one is handed to `enter` first. Returns the position after it. */
function skipOrEnter(buf: Buffer, tag: number, pos: number, enter: (start: number, end: number) => void): number {
  switch (tag & 7) {
    case 0:
      return varint(buf, pos)[1];
    case 1:
      return pos + 8;
    case 5:
      return pos + 4;
    case 2: {
      const [length, start] = varint(buf, pos);
      enter(start, start + length);
      return start + length;
    }
    default:
      throw new Error(`unexpected wire type ${tag & 7}`);
  }
}

/** A SessionError's status code (field 1) and details (field 2). */
export function sessionError(buf: Buffer, start: number, end: number): { code: number; details: string } {
  const out = { code: 0, details: '' };
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = varint(buf, pos);
    if (tag === 0x08) {
      const [code, next] = varint(buf, afterTag);
      out.code = code;
      pos = next;
    } else {
      pos = skipOrEnter(buf, tag, afterTag, (s, e) => {
        if (tag === 0x12) out.details = buf.toString('utf8', s, e);
      });
    }
  }
  return out;
}
