// The wire in chat-tui's words and back: a ChatMessage from the server becomes
// one domain event (domain.ts); what we say becomes a ChatMessage. Pure, and
// the only place besides connection.ts that knows the proto types.
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';
import type { Member__Output } from '../protos/generated/chat/Member.js';
import type { RoomState__Output } from '../protos/generated/chat/RoomState.js';
import type { ServerFrame__Output } from '../protos/generated/chat/ServerFrame.js';
import type { ServerInfo__Output } from '../protos/generated/chat/ServerInfo.js';
import type { MessageAction } from '../protos/generated/chat/MessageAction.js';
import {
  localKey,
  type Amendment,
  type Limits,
  type Line,
  type MemberInfo,
  type ModAction,
  type ModerationAct,
  type Presence,
  type RoomEvent,
  type RoomInfo,
  type SessionItem,
} from './domain.js';

/** Who this client speaks as; `userId` is also how our own echoes are told apart. */
export interface Identity {
  userId: string;
  username: string;
}

export function toLine(m: ChatMessage__Output): Line {
  const line: Line = {
    key: m.seq > 0 ? `s${m.seq}` : localKey(),
    seq: m.seq,
    type: m.type,
    userId: m.user_id,
    username: m.username,
    text: m.message,
    timestamp: m.timestamp,
  };
  // Issue 16, only when set: a plain message stays the plain object it always was.
  if (m.reply_to > 0) {
    line.replyTo = m.reply_to;
    line.replyQuote = m.reply_quote;
  }
  // History pages come as the messages are now: edited, deleted, reacted to.
  if (m.edited) line.edited = true;
  if (m.deleted) line.deleted = true;
  const reactions = (m.reactions ?? []).filter((r) => r.users.length > 0 || r.count > 0);
  if (reactions.length > 0) line.reactions = reactions.map((r) => ({ emoji: r.emoji, users: [...r.users] }));
  return line;
}

const AMENDS = new Set(['EDIT', 'DELETE', 'REACT', 'UNREACT']);

/** A stored room event that changes another message (edit, delete, reaction): never a line of its own. */
export function isAmendment(m: Pick<ChatMessage__Output, 'type' | 'action' | 'seq'>): boolean {
  return m.type === 'SYSTEM' && m.seq > 0 && AMENDS.has(m.action);
}

/** A history or search page's messages as lines: its amendments are already applied to their targets. */
export function pageLines(messages: readonly ChatMessage__Output[]): Line[] {
  return messages.filter((m) => !isAmendment(m)).map(toLine);
}

function amendment(m: ChatMessage__Output): Amendment {
  const targetSeq = m.target_seq;
  switch (m.action) {
    case 'EDIT':
      return { kind: 'edit', targetSeq, text: m.detail };
    case 'DELETE':
      return { kind: 'delete', targetSeq };
    default:
      return { kind: m.action === 'UNREACT' ? 'unreact' : 'react', targetSeq, emoji: m.detail, by: m.username };
  }
}

const MOD_ACTIONS: Record<string, ModAction> = {
  TOPIC: 'topic',
  KICK: 'kick',
  BAN: 'ban',
  UNBAN: 'unban',
  MUTE: 'mute',
  UNMUTE: 'unmute',
  OP: 'op',
  DEOP: 'deop',
  INVITE: 'invite',
  PRIVATE: 'private',
};

const WIRE_ACTIONS = Object.fromEntries(Object.entries(MOD_ACTIONS).map(([wire, mine]) => [mine, wire])) as Record<ModAction, MessageAction>;

/**
 * What one message from a room's stream means, for `me`: a user id, or (on the
 * Session stream, where every session of a user shares the name) an identity,
 * whose messages are ours whichever of its sessions wrote them.
 */
export function decode(m: ChatMessage__Output, me: string | Identity): RoomEvent {
  if (m.type === 'SYSTEM' && m.notice === 'NOTICE_CAUGHT_UP') return { kind: 'caughtUp' };
  const line = toLine(m);
  if (m.type === 'SYSTEM' && m.notice === 'NOTICE_NOT_SENT') {
    return { kind: 'notSent', line, refused: m.refused, clientMsgId: m.client_msg_id, retryAfterMs: m.retry_after_ms };
  }
  if (isAmendment(m)) return { kind: 'amend', line, amend: amendment(m) };
  const mod = m.type === 'SYSTEM' && m.seq > 0 ? MOD_ACTIONS[m.action] : undefined;
  if (mod) {
    const act: ModerationAct = { action: mod, subject: m.subject, detail: m.detail, minutes: m.minutes };
    return { kind: 'moderation', line, act, actor: m.username };
  }
  if (m.type === 'SYSTEM') return { kind: 'notice', line };
  if (m.type === 'JOIN' || m.type === 'LEAVE') return { kind: 'memberChange', line };
  return { kind: 'message', line, own: isMe(m, me), clientMsgId: m.client_msg_id };
}

function isMe(m: ChatMessage__Output, me: string | Identity): boolean {
  if (typeof me === 'string') return m.user_id === me;
  return m.user_id === me.userId || (me.username !== '' && m.username.toLowerCase() === me.username.toLowerCase());
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

// ---- Issue 13: the Session stream -------------------------------------------

export function limitsOf(info: ServerInfo__Output | null | undefined): Limits | null {
  return info && info.rate_per_second > 0 ? { rate: info.rate_per_second, burst: info.rate_burst } : null;
}

function roomInfo(r: RoomState__Output): RoomInfo {
  return {
    roomId: r.room_id,
    direct: r.direct,
    peer: r.peer,
    latestSeq: r.latest_seq,
    readSeq: r.read_seq,
    unread: r.unread,
    mentions: r.mentions,
    topic: r.topic,
    private: r.private,
    operator: r.operator,
  };
}

const PRESENCE: Record<string, Presence> = { ONLINE: 'online', AWAY: 'away', OFFLINE: 'offline' };

function memberInfo(m: Pick<Member__Output, 'username' | 'presence' | 'away_reason'>): MemberInfo {
  return { username: m.username, presence: PRESENCE[m.presence] ?? 'online', awayReason: m.away_reason };
}

/** One server frame as domain items, in order. Room messages name their room (room_id). */
export function decodeFrame(frame: ServerFrame__Output, me: Identity): SessionItem[] {
  const items: SessionItem[] = [];
  for (const e of frame.events) {
    switch (e.event) {
      case 'message':
        if (e.message) items.push({ kind: 'roomEvent', roomId: e.message.room_id, event: decode(e.message, me) });
        break;
      case 'welcome': {
        const w = e.welcome;
        if (w) items.push({ kind: 'welcome', username: w.username, userId: w.user_id, limit: limitsOf(w.server), rooms: w.rooms.map(roomInfo), away: w.away, awayReason: w.away_reason });
        break;
      }
      case 'room':
        if (e.room) items.push({ kind: 'room', room: roomInfo(e.room) });
        break;
      case 'left':
        if (e.left) items.push({ kind: 'left', roomId: e.left.room_id, reason: e.left.reason });
        break;
      case 'read':
        if (e.read) items.push({ kind: 'read', roomId: e.read.room_id, seq: e.read.seq });
        break;
      case 'typing':
        if (e.typing) items.push({ kind: 'typing', roomId: e.typing.room_id, username: e.typing.username, typing: e.typing.typing });
        break;
      case 'presence':
        if (e.presence) items.push({ kind: 'presence', member: memberInfo(e.presence) });
        break;
      case 'history': {
        const h = e.history;
        if (h) items.push({ kind: 'history', requestId: h.request_id, roomId: h.room_id, lines: pageLines(h.messages), reachedStart: h.reached_start });
        break;
      }
      case 'members': {
        const m = e.members;
        if (m) items.push({ kind: 'members', requestId: m.request_id, roomId: m.room_id, members: m.members.map(memberInfo) });
        break;
      }
      case 'error': {
        const x = e.error;
        if (x) items.push({ kind: 'error', requestId: x.request_id, roomId: x.room_id, code: x.code, details: x.details });
        break;
      }
    }
  }
  return items;
}

/**
 * The first frame: who, the rooms to add (--room), and the last seq seen per
 * room. No user_id: the server gives the name its stable one, which every
 * session of the user shares (two terminals hold the name together) and the
 * welcome tells us.
 */
export function helloFrame(me: Identity, join: readonly string[], resume: ReadonlyMap<string, number>): ClientFrame {
  return {
    hello: {
      username: me.username,
      user_id: '',
      join: [...join],
      resume: [...resume].filter(([, seq]) => seq > 0).map(([room_id, after_seq]) => ({ room_id, after_seq })),
    },
  };
}

export const frames = {
  join: (roomId: string): ClientFrame => ({ join: { room_id: roomId } }),
  leave: (roomId: string): ClientFrame => ({ leave: { room_id: roomId } }),
  post: (roomId: string, text: string, clientMsgId: string, replyTo = 0): ClientFrame => ({
    post: { room_id: roomId, text, client_msg_id: clientMsgId, ...(replyTo > 0 ? { reply_to: replyTo } : {}) },
  }),
  // Issue 16: each answered only by a room event (or a SessionError naming the request).
  edit: (requestId: number, roomId: string, seq: number, text: string): ClientFrame => ({ edit: { room_id: roomId, seq, text }, request_id: requestId }),
  delete: (requestId: number, roomId: string, seq: number): ClientFrame => ({ delete: { room_id: roomId, seq }, request_id: requestId }),
  react: (requestId: number, roomId: string, seq: number, emoji: string): ClientFrame => ({ react: { room_id: roomId, seq, emoji }, request_id: requestId }),
  moderate: (requestId: number, roomId: string, act: ModerationAct): ClientFrame => ({
    moderate: { room_id: roomId, action: WIRE_ACTIONS[act.action], subject: act.subject, detail: act.detail, minutes: act.minutes },
    request_id: requestId,
  }),
  read: (roomId: string, seq: number): ClientFrame => ({ read: { room_id: roomId, seq } }),
  typing: (roomId: string, typing: boolean): ClientFrame => ({ typing: { room_id: roomId, typing } }),
  history: (requestId: number, roomId: string, beforeSeq: number, limit: number): ClientFrame => ({
    fetch_history: { room_id: roomId, before_seq: beforeSeq, limit },
    request_id: requestId,
  }),
  members: (requestId: number, roomId: string, includeOffline: boolean): ClientFrame => ({
    members: { room_id: roomId, include_offline: includeOffline },
    request_id: requestId,
  }),
  away: (away: boolean, reason: string): ClientFrame => ({ away: { away, reason } }),
};
