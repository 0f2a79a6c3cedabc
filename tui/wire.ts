// The wire in chat-tui's words and back: a ChatMessage from the server becomes
// one domain event (domain.ts); what we say becomes a ChatMessage. Pure, and
// the only place besides connection.ts that knows the proto types.
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { localKey, type Line, type RoomEvent } from './domain.js';

/** Who this client speaks as; `userId` is also how our own echoes are told apart. */
export interface Identity {
  userId: string;
  username: string;
}

export function toLine(m: ChatMessage__Output): Line {
  return {
    key: m.seq > 0 ? `s${m.seq}` : localKey(),
    seq: m.seq,
    type: m.type,
    userId: m.user_id,
    username: m.username,
    text: m.message,
    timestamp: m.timestamp,
  };
}

/** What one message from a room's stream means, for the user `me` (a user id). */
export function decode(m: ChatMessage__Output, me: string): RoomEvent {
  if (m.type === 'SYSTEM' && m.notice === 'NOTICE_CAUGHT_UP') return { kind: 'caughtUp' };
  const line = toLine(m);
  if (m.type === 'SYSTEM' && m.notice === 'NOTICE_NOT_SENT') {
    return { kind: 'notSent', line, refused: m.refused, clientMsgId: m.client_msg_id, retryAfterMs: m.retry_after_ms };
  }
  if (m.type === 'SYSTEM') return { kind: 'notice', line };
  if (m.type === 'JOIN' || m.type === 'LEAVE') return { kind: 'memberChange', line };
  return { kind: 'message', line, own: m.user_id === me, clientMsgId: m.client_msg_id };
}

/** A stream's first message: who, where, and (resuming) the last seq already seen. */
export function joinMessage(me: Identity, roomId: string, resumeAfter: number): ChatMessage {
  const first: ChatMessage = { user_id: me.userId, username: me.username, room_id: roomId, type: 'JOIN' };
  if (resumeAfter > 0) first.resume_after_seq = resumeAfter;
  return first;
}

export function postMessage(text: string, clientMsgId: string): ChatMessage {
  return { type: 'TEXT', message: text, client_msg_id: clientMsgId };
}

export const LEAVE_MESSAGE: ChatMessage = { type: 'LEAVE' };
