// The backup format: JSON lines, one stored message a line, oldest first:
// {"seq":1,"user_id":"...","username":"Alice","message":"Hi","timestamp":1705329015000,"type":"TEXT","room":"general"}
// timestamp is milliseconds since the epoch, as stored; type is TEXT, JOIN or LEAVE.
import type { StoredMessage, StoredType } from '../store/types.js';
import { checkRoom, sanitizeText } from '../validate.js';

const TYPES: readonly StoredType[] = ['TEXT', 'JOIN', 'LEAVE'];

export function toLine(m: StoredMessage): string {
  const { seq, user_id, username, message, timestamp, type, room_id } = m;
  return JSON.stringify({ seq, user_id, username, message, timestamp, type, room: room_id });
}

export class LineError extends Error {}

/** One line back into a message, or a LineError saying what is wrong with it. */
export function fromLine(text: string, lineNo: number): StoredMessage {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new LineError(`line ${lineNo} is not JSON`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new LineError(`line ${lineNo} is not a JSON object`);
  const o = v as Record<string, unknown>;
  const str = (key: string): string => {
    const value = o[key];
    if (typeof value !== 'string') throw new LineError(`line ${lineNo}: ${key} should be a string`);
    return value;
  };
  const seq = o.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) throw new LineError(`line ${lineNo}: seq should be a whole number from 1`);
  const timestamp = o.timestamp;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) throw new LineError(`line ${lineNo}: timestamp should be a number (ms since 1970)`);
  const type = str('type') as StoredType;
  if (!TYPES.includes(type)) throw new LineError(`line ${lineNo}: type should be one of ${TYPES.join(', ')}`);
  const room = checkRoom(str('room'));
  if (!room.ok) throw new LineError(`line ${lineNo}: ${room.error}`);
  // What a client would have had removed before storing never enters the store this way either.
  return {
    seq,
    user_id: sanitizeText(str('user_id')),
    username: sanitizeText(str('username')),
    message: sanitizeText(str('message')),
    timestamp,
    type,
    room_id: room.value,
  };
}
