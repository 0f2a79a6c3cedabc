// Issue 16: who may do what to a room, and what a room's policy refuses a
// user. Pure (no I/O, no clock: `now` is an input): moderation.ts asks
// decide() about a `moderate` frame and carries out the answer; room-policy.ts
// asks the refusals at every door (JoinChat admit, Session join and frames,
// GetHistory, SearchHistory, ListMembers, ListRooms) and before every post.
//
// Operators are the room's own (the first user to join a room without any,
// and whoever an operator makes one) and the server's (config `operators`:
// operators of every room). Every act but TOPIC needs an operator; TOPIC too
// once the room has an operator (IRC's +t, always on).
import { USER_HEADER } from './access.js';
import type { EventAction, PolicyChange, RoomPolicy } from './store/types.js';
import { userKey } from './store/user-names.js';
import { checkUsername, sanitizeText } from './validate.js';

export const MODERATION_ACTIONS = ['TOPIC', 'OP', 'DEOP', 'KICK', 'BAN', 'UNBAN', 'MUTE', 'UNMUTE', 'INVITE', 'PRIVATE'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** Longest topic and reason, in characters. */
export const MAX_TOPIC = 300;
export const MAX_REASON = 200;
/** The longest mute: a year, in minutes. */
export const MAX_MUTE_MINUTES = 525_600;

/** How a room is named in sentences: #general. */
export const roomLabel = (room: string): string => `#${sanitizeText(room)}`;

export function isModerationAction(action: string): action is ModerationAction {
  return (MODERATION_ACTIONS as readonly string[]).includes(action);
}

/** Whether `user` may moderate the room: one of its operators, or one of the server's. */
export function isOperator(policy: RoomPolicy, serverOperators: ReadonlySet<string>, user: string): boolean {
  const k = userKey(user);
  return policy.operators.has(k) || serverOperators.has(k);
}

/** What a moderate frame asks. */
export interface ModerationRequest {
  action: string;
  subject: string;
  detail: string;
  minutes: number;
}

/** Who asks, where, and the room's policy as it is now. */
export interface ModerationContext {
  room: string;
  actor: string;
  policy: RoomPolicy;
  serverOperators: ReadonlySet<string>;
  /** ms since the epoch, for mutes. */
  now: number;
}

/** The EVENT a permitted act stores: its action and fields, and the sentence everyone reads. */
export interface ModerationEvent {
  action: ModerationAction;
  subject: string;
  detail: string;
  minutes: number;
  message: string;
}

export type Decision =
  | {
      ok: true;
      /** What the room's policy becomes (null: KICK changes no policy). */
      change: PolicyChange | null;
      /** KICK and BAN: the subject leaves the room (its memberships end, the room leaves its list). */
      removes: boolean;
      event: ModerationEvent;
    }
  | { ok: false; code: 'PERMISSION_DENIED' | 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION'; details: string };

const WHAT: Record<ModerationAction, string> = {
  TOPIC: 'set the topic',
  OP: 'make operators',
  DEOP: 'remove operators',
  KICK: 'kick',
  BAN: 'ban',
  UNBAN: 'unban',
  MUTE: 'mute',
  UNMUTE: 'unmute',
  INVITE: 'invite',
  PRIVATE: 'make the room invite-only or open it',
};

const NEEDS_SUBJECT: ReadonlySet<ModerationAction> = new Set(['OP', 'DEOP', 'KICK', 'BAN', 'UNBAN', 'MUTE', 'UNMUTE', 'INVITE']);

const minutesText = (n: number): string => `${n} minute${n === 1 ? '' : 's'}`;
const because = (reason: string): string => (reason ? ` (${reason})` : '');

/** Whether a moderate frame may be done, and if so what it changes and stores. */
export function decide(req: ModerationRequest, ctx: ModerationContext): Decision {
  const refuse = (code: 'PERMISSION_DENIED' | 'INVALID_ARGUMENT' | 'FAILED_PRECONDITION', details: string): Decision => ({ ok: false, code, details });
  const action = req.action;
  if (!isModerationAction(action)) return refuse('INVALID_ARGUMENT', `'${sanitizeText(action)}' is not something a moderate frame can do`);
  const { policy, serverOperators, actor } = ctx;
  const label = roomLabel(ctx.room);
  const actorIsOp = isOperator(policy, serverOperators, actor);
  // TOPIC: anyone while the room has no operator at all, else operators (IRC's +t).
  const anyoneMay = action === 'TOPIC' && policy.operators.size === 0 && serverOperators.size === 0;
  if (!actorIsOp && !anyoneMay) return refuse('PERMISSION_DENIED', `only an operator of ${label} can ${WHAT[action]}`);

  let subject = '';
  let key = '';
  if (NEEDS_SUBJECT.has(action)) {
    const name = checkUsername(req.subject);
    if (!name.ok) return refuse('INVALID_ARGUMENT', `who? ${action.toLowerCase()} needs a user's name (${name.error})`);
    subject = name.value;
    key = userKey(subject);
  }
  const event = (message: string, detail = '', minutes = 0): ModerationEvent => ({ action, subject, detail, minutes, message });
  const subjectIsServerOp = serverOperators.has(key);
  const subjectIsOp = policy.operators.has(key) || subjectIsServerOp;
  const self = key !== '' && key === userKey(actor);
  const reason = sanitizeText(req.detail).trim();

  switch (action) {
    case 'TOPIC': {
      const topic = sanitizeText(req.detail).trim();
      if ([...topic].length > MAX_TOPIC) return refuse('INVALID_ARGUMENT', `the topic is ${[...topic].length} characters long; the limit is ${MAX_TOPIC}`);
      const message = topic ? `${actor} set the topic: ${topic}` : `${actor} cleared the topic`;
      return { ok: true, change: { t: 'topic', topic }, removes: false, event: event(message, topic) };
    }
    case 'PRIVATE': {
      const on = req.detail.trim().toLowerCase();
      if (on !== 'on' && on !== 'off') return refuse('INVALID_ARGUMENT', `private needs "on" or "off", not '${sanitizeText(req.detail).slice(0, 20)}'`);
      if ((on === 'on') === policy.private) return refuse('FAILED_PRECONDITION', `${label} is already ${on === 'on' ? 'invite-only' : 'open to everyone'}`);
      const message = on === 'on' ? `${actor} made the room invite-only` : `${actor} opened the room to everyone`;
      return { ok: true, change: { t: 'private', on: on === 'on' }, removes: false, event: event(message, on) };
    }
    case 'OP':
      if (subjectIsOp) return refuse('FAILED_PRECONDITION', `${subject} is already an operator of ${label}`);
      return { ok: true, change: { t: 'op', user: key }, removes: false, event: event(`${actor} made ${subject} an operator`) };
    case 'DEOP':
      if (subjectIsServerOp) return refuse('PERMISSION_DENIED', `${subject} is an operator of every room on this server (its config says so); only the config can change that`);
      if (!policy.operators.has(key)) return refuse('FAILED_PRECONDITION', `${subject} is not an operator of ${label}`);
      return { ok: true, change: { t: 'deop', user: key }, removes: false, event: event(`${actor} removed ${subject} from the operators`) };
    case 'INVITE':
      if (policy.invited.has(key)) return refuse('FAILED_PRECONDITION', `${subject} is already invited to ${label}`);
      return { ok: true, change: { t: 'invite', user: key }, removes: false, event: event(`${actor} invited ${subject}`) };
    case 'UNBAN':
      if (!policy.banned.has(key)) return refuse('FAILED_PRECONDITION', `${subject} is not banned from ${label}`);
      return { ok: true, change: { t: 'unban', user: key }, removes: false, event: event(`${subject} was unbanned by ${actor}`) };
    case 'UNMUTE':
      if (mutedFor(policy, subject, ctx.now) === null) return refuse('FAILED_PRECONDITION', `${subject} is not muted in ${label}`);
      return { ok: true, change: { t: 'unmute', user: key }, removes: false, event: event(`${subject} was unmuted by ${actor}`) };
    case 'KICK':
    case 'BAN':
    case 'MUTE': {
      const verb = action === 'KICK' ? 'kick' : action === 'BAN' ? 'ban' : 'mute';
      if (self) return refuse('INVALID_ARGUMENT', `you cannot ${verb} yourself${action === 'KICK' ? '; /leave the room instead' : ''}`);
      if (subjectIsServerOp) return refuse('PERMISSION_DENIED', `${subject} is an operator of every room on this server; nobody can ${verb} them`);
      if (subjectIsOp && !serverOperators.has(userKey(actor))) return refuse('PERMISSION_DENIED', `${subject} is an operator of ${label}; /deop them first`);
      if ([...reason].length > MAX_REASON) return refuse('INVALID_ARGUMENT', `the reason is ${[...reason].length} characters long; the limit is ${MAX_REASON}`);
      if (action === 'KICK') return { ok: true, change: null, removes: true, event: event(`${subject} was kicked by ${actor}${because(reason)}`, reason) };
      if (action === 'BAN') {
        if (policy.banned.has(key)) return refuse('FAILED_PRECONDITION', `${subject} is already banned from ${label}`);
        return { ok: true, change: { t: 'ban', user: key, reason }, removes: true, event: event(`${subject} was banned by ${actor}${because(reason)}`, reason) };
      }
      const minutes = req.minutes;
      if (!Number.isSafeInteger(minutes) || minutes < 0 || minutes > MAX_MUTE_MINUTES) {
        return refuse('INVALID_ARGUMENT', `a mute lasts 1 to ${MAX_MUTE_MINUTES} minutes (0: until unmuted)`);
      }
      const until = minutes === 0 ? 0 : ctx.now + minutes * 60_000;
      const message = `${subject} was muted by ${actor}${minutes ? ` for ${minutesText(minutes)}` : ''}${because(reason)}`;
      return { ok: true, change: { t: 'mute', user: key, until }, removes: false, event: event(message, reason, minutes) };
    }
  }
}

/** Minutes left of the user's mute (0: no end), or null when not muted (or it ran out). */
export function mutedFor(policy: RoomPolicy, user: string, now: number): number | null {
  const until = policy.muted.get(userKey(user));
  if (until === undefined) return null;
  if (until === 0) return 0;
  if (until <= now) return null;
  return Math.max(1, Math.ceil((until - now) / 60_000));
}

/** Why the user may not post in the room (a mute), or null. The words go in NOTICE_NOT_SENT. */
export function postRefusal(room: string, policy: RoomPolicy, user: string, now: number): string | null {
  if (policy.banned.has(userKey(user))) return banned(room, policy, user);
  const left = mutedFor(policy, user, now);
  if (left === null) return null;
  return `you are muted in ${roomLabel(room)}${left > 0 ? ` (for ${left} more ${left === 1 ? 'minute' : 'minutes'})` : ''}`;
}

function banned(room: string, policy: RoomPolicy, user: string): string {
  return `you are banned from ${roomLabel(room)}${because(policy.banned.get(userKey(user)) ?? '')}`;
}

/** What decides whether someone may be in an invite-only room. */
export interface Standing {
  /** The room is in the user's list (a Session member of it). */
  listed: boolean;
}

/**
 * Why `user` (null: a call that does not say who it is) may not join, read,
 * search or list the room: banned, or not in an invite-only room (not listed,
 * not invited, not an operator). null: allowed.
 */
export function entryRefusal(room: string, policy: RoomPolicy, serverOperators: ReadonlySet<string>, user: string | null, standing: Standing): string | null {
  const label = roomLabel(room);
  if (user === null) {
    return policy.private ? `${label} is invite-only; this call does not say who you are (send your name in the ${USER_HEADER} header)` : null;
  }
  const k = userKey(user);
  if (policy.banned.has(k)) return banned(room, policy, user);
  if (!policy.private) return null;
  if (standing.listed || policy.invited.has(k) || isOperator(policy, serverOperators, user)) return null;
  return `${label} is invite-only; ask one of its operators to /invite you`;
}

/** Whether the room is shown to `user` in ListRooms: open rooms to all, invite-only ones to those who may enter. */
export function listedFor(room: string, policy: RoomPolicy, serverOperators: ReadonlySet<string>, user: string | null, standing: Standing): boolean {
  if (!policy.private) return true;
  return entryRefusal(room, policy, serverOperators, user, standing) === null;
}

/**
 * A delivered KICK or BAN: whose memberships in the room end, and the words
 * they are told ("kicked from #room by Alice: spam"). null for other messages.
 */
export function removal(m: { type: string; action?: EventAction; subject?: string; detail?: string; username: string; room_id: string }): { user: string; details: string } | null {
  if (m.type !== 'EVENT' || (m.action !== 'KICK' && m.action !== 'BAN') || !m.subject) return null;
  const verb = m.action === 'KICK' ? 'kicked from' : 'banned from';
  return { user: userKey(m.subject), details: `${verb} ${roomLabel(m.room_id)} by ${m.username}${m.detail ? `: ${m.detail}` : ''}` };
}

/**
 * The policy change a delivered EVENT stands for (null: none, e.g. a KICK or
 * an edit), so every server applies it to its cached policy the moment the
 * room delivers it. The same change decide() gave the moderating server: a
 * mute's end is the event's time plus its minutes.
 */
export function eventChange(m: { type: string; action?: EventAction; subject?: string; detail?: string; minutes?: number; timestamp: number }): PolicyChange | null {
  if (m.type !== 'EVENT') return null;
  const user = userKey(m.subject ?? '');
  switch (m.action) {
    case 'TOPIC':
      return { t: 'topic', topic: m.detail ?? '' };
    case 'PRIVATE':
      return { t: 'private', on: m.detail === 'on' };
    case 'OP':
      return user ? { t: 'op', user } : null;
    case 'DEOP':
      return user ? { t: 'deop', user } : null;
    case 'BAN':
      return user ? { t: 'ban', user, reason: m.detail ?? '' } : null;
    case 'UNBAN':
      return user ? { t: 'unban', user } : null;
    case 'MUTE':
      return user ? { t: 'mute', user, until: m.minutes ? m.timestamp + m.minutes * 60_000 : 0 } : null;
    case 'UNMUTE':
      return user ? { t: 'unmute', user } : null;
    case 'INVITE':
      return user ? { t: 'invite', user } : null;
    default:
      return null;
  }
}

/** RoomState's and RoomInfo's issue 16 fields, as `user` sees the room. */
export function policyFields(policy: RoomPolicy, serverOperators: ReadonlySet<string>, user: string): { topic: string; private: boolean; operator: boolean } {
  return { topic: policy.topic, private: policy.private, operator: isOperator(policy, serverOperators, user) };
}
