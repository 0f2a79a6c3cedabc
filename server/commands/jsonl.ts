// The backup format: JSON lines, one stored message a line, oldest first:
// {"seq":1,"user_id":"...","username":"Alice","message":"Hi","timestamp":1705329015000,"type":"TEXT","room":"general"}
// timestamp is milliseconds since the epoch, as stored; type is TEXT, JOIN, LEAVE
// or EVENT (issue 16). A reply adds reply_to and reply_quote; an event adds
// action and those of target_seq, subject, detail, minutes it has.
import type { EventAction, MessageExtras, StoredMessage, StoredType } from '../store/types.js';
import { checkRoom, sanitizeText } from '../validate.js';

const TYPES: readonly StoredType[] = ['TEXT', 'JOIN', 'LEAVE', 'EVENT'];
const ACTIONS: readonly EventAction[] = ['EDIT', 'DELETE', 'REACT', 'UNREACT', 'TOPIC', 'KICK', 'BAN', 'UNBAN', 'MUTE', 'UNMUTE', 'OP', 'DEOP', 'INVITE', 'PRIVATE'];

export function toLine(m: StoredMessage): string {
  const { seq, user_id, username, message, timestamp, type, room_id } = m;
  const { reply_to, reply_quote, action, target_seq, subject, detail, minutes } = m;
  // Absent fields stay absent (JSON.stringify drops undefined): older lines read the same.
  return JSON.stringify({ seq, user_id, username, message, timestamp, type, room: room_id, reply_to, reply_quote, action, target_seq, subject, detail, minutes });
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
    ...extras(o, lineNo),
  };
}

/** Issue 16: the optional reply and event fields of a line, checked; absent ones stay absent. */
function extras(o: Record<string, unknown>, lineNo: number): MessageExtras {
  const out: MessageExtras = {};
  const count = (key: 'reply_to' | 'target_seq' | 'minutes'): void => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new LineError(`line ${lineNo}: ${key} should be a whole number from 0`);
    if (v > 0) out[key] = v;
  };
  const text = (key: 'reply_quote' | 'subject' | 'detail'): void => {
    const v = o[key];
    if (v === undefined) return;
    if (typeof v !== 'string') throw new LineError(`line ${lineNo}: ${key} should be a string`);
    if (v) out[key] = sanitizeText(v);
  };
  count('reply_to');
  count('target_seq');
  count('minutes');
  text('reply_quote');
  text('subject');
  text('detail');
  if (o.action !== undefined) {
    if (!ACTIONS.includes(o.action as EventAction)) throw new LineError(`line ${lineNo}: action should be one of ${ACTIONS.join(', ')}`);
    out.action = o.action as EventAction;
  }
  return out;
}
