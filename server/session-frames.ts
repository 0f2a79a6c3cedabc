// Issue 13: what each Session frame after the hello does. A frame that cannot
// be done answers with a SessionError event (its request_id and room_id) and
// the session goes on. The stream runs these one at a time, in order.
import { status } from '@grpc/grpc-js';
import type { ClientFrame__Output } from '../protos/generated/chat/ClientFrame.js';
import { directPeer } from '../protos/rules.js';
import { roomState } from './room-state.js';
import { roomAccess } from './access.js';
import { memberList } from './member-list.js';
import { moderate } from './moderation.js';
import type { LiveSession } from './session-types.js';
import { checkRoom as checkRoomId, sanitizeText } from './validate.js';
import { currentPage } from './history-view.js';
import { MessageOps } from './message-ops.js';
import { announceHere } from './session-user-events.js';
import { notSent } from './wire.js';

const HISTORY_PAGE_DEFAULT = 50;
const HISTORY_PAGE_MAX = 500;
/** At most one typing=true per session per room this often (the client sends one every few seconds). */
export const TYPING_PASS_MS = 1000;

/** A frame's room, checked: its id, and whether this user may use it; null when refused (the error is sent). */
function usableRoom(s: LiveSession, raw: string, requestId: number): string | null {
  const checked = checkRoomId(raw);
  if (!checked.ok) {
    s.error(status.INVALID_ARGUMENT, `invalid room: ${checked.error}`, requestId, raw.slice(0, 100));
    return null;
  }
  const denied = roomAccess(checked.value, s.username);
  if (denied) {
    s.error(status.PERMISSION_DENIED, denied.details, requestId, checked.value);
    return null;
  }
  return checked.value;
}

/** Issue 16: banned from the room, or not a member of an invite-only one: true when refused (the error is sent). */
async function refusedToRead(s: LiveSession, room: string, rid: number): Promise<boolean> {
  const refused = await s.ctx.policy.read(room, s.username);
  if (refused) s.error(status.PERMISSION_DENIED, refused.details, rid, room);
  return refused !== null;
}

/**
 * A room the user asks for (a join frame, or Hello.join), checked and added to
 * the user's list; the user's other sessions hear `joined` when it is new
 * there. null when refused (the error is sent).
 */
export async function addToList(s: LiveSession, raw: string, rid: number): Promise<{ room: string; added: boolean; direct: boolean } | null> {
  const room = usableRoom(s, raw, rid);
  if (room === null) return null;
  const users = s.ctx.store.users;
  const peer = directPeer(room, s.username);
  const direct = peer !== null;
  const accounts = s.ctx.accounts;
  if (peer !== null && accounts && !accounts.has(peer)) {
    s.error(status.NOT_FOUND, `no user named ${peer}`, rid, room);
    return null;
  }
  const list = await users.rooms(s.userKey);
  if (list.includes(room)) return { room, added: false, direct };
  // Issue 16: banned, or an invite-only room the user is not invited to; else the first joiner may become its operator.
  const refused = await s.ctx.policy.enter(room, s.username);
  if (refused) {
    s.error(status.PERMISSION_DENIED, refused.details, rid, room);
    return null;
  }
  // Rooms and direct conversations have a cap each, of the same number.
  const same = list.filter((r) => (directPeer(r, s.username) !== null) === direct).length;
  const cap = s.ctx.admission.maxRoomsPerUser;
  if (same >= cap) {
    const what = direct ? `${same} direct conversations` : `${same} rooms`;
    s.error(status.RESOURCE_EXHAUSTED, `you have ${what}, the most one user may have; leave one first`, rid, room);
    return null;
  }
  const added = await users.addRoom(s.username, room);
  if (added) s.ctx.bus.publish({ to: 'user', event: { t: 'joined', user: s.userKey, room } });
  return { room, added, direct };
}

export class SessionFrames {
  /** Room -> when this session last passed on a typing=true there. */
  private typingAt: Map<string, number> | null = null;
  /** Issue 16: edit, delete, react, and replies' quotes; made on first use (an idle session holds none). */
  private messageOps: MessageOps | null = null;

  constructor(private readonly s: LiveSession) {}

  private get ops(): MessageOps {
    return (this.messageOps ??= new MessageOps(this.s));
  }

  handle(frame: ClientFrame__Output): Promise<void> | void {
    const s = this.s;
    const rid = frame.request_id;
    switch (frame.frame) {
      case 'join':
        return frame.join ? this.join(frame.join.room_id, frame.join.resume_after_seq, rid) : undefined;
      case 'leave':
        return frame.leave ? this.leave(frame.leave.room_id, rid) : undefined;
      case 'post':
        return frame.post ? this.post(frame.post.room_id, frame.post.text, frame.post.client_msg_id, rid, frame.post.reply_to) : undefined;
      case 'edit':
        return frame.edit ? this.ops.edit(frame.edit.room_id, frame.edit.seq, frame.edit.text, rid) : undefined;
      case 'delete':
        return frame.delete ? this.ops.remove(frame.delete.room_id, frame.delete.seq, rid) : undefined;
      case 'react':
        return frame.react ? this.ops.react(frame.react.room_id, frame.react.seq, frame.react.emoji, rid) : undefined;
      case 'read':
        return frame.read ? this.read(frame.read.room_id, frame.read.seq, rid) : undefined;
      case 'typing':
        return frame.typing ? this.typing(frame.typing.room_id, frame.typing.typing, rid) : undefined;
      case 'fetch_history': {
        const f = frame.fetch_history;
        return f ? this.history(f.room_id, f.before_seq, f.limit, rid) : undefined;
      }
      case 'members':
        return frame.members ? this.members(frame.members.room_id, rid) : undefined;
      case 'away':
        return frame.away ? this.away(frame.away.away, frame.away.reason) : undefined;
      case 'moderate':
        return frame.moderate ? moderate(s, frame.moderate, rid) : undefined;
      case 'hello':
        return s.error(status.FAILED_PRECONDITION, 'hello is the first frame only; this session has started', rid, '');
      default:
        return s.error(status.INVALID_ARGUMENT, 'an empty frame', rid, '');
    }
  }

  /**
   * Adds the room to the user's list (a newly added one stores one JOIN, unless
   * direct) and joins it here; the user's other sessions hear `joined`.
   */
  async join(raw: string, resumeAfterSeq: number | undefined, rid: number): Promise<void> {
    const s = this.s;
    const listed = await addToList(s, raw, rid);
    if (listed === null) return;
    const { room, added, direct } = listed;
    if (s.rooms.has(room)) {
      // Already here: the answer is the room's state.
      const marks = await s.ctx.store.users.readMarks(s.userKey);
      s.writer.event({ room: await roomState(s.ctx.store, room, s.username, marks.get(room) ?? 0, s.ctx.policy) });
      return;
    }
    announceHere(s, room, await s.enterRoom(room, { resumeAfterSeq, announce: added && !direct }));
  }

  /** Takes the room off the user's list (one LEAVE, unless direct); every session of the user leaves it. */
  async leave(raw: string, rid: number): Promise<void> {
    const s = this.s;
    const room = usableRoom(s, raw, rid);
    if (room === null) return;
    const removed = await s.ctx.store.users.removeRoom(s.userKey, room);
    const here = s.rooms.leave(room, removed && directPeer(room, s.username) === null);
    if (!removed && !here) return s.error(status.NOT_FOUND, `you are not in room ${room}`, rid, room);
    if (here) s.writer.event({ left: { room_id: room, reason: '' } });
    if (removed) s.ctx.bus.publish({ to: 'user', event: { t: 'left', user: s.userKey, room, reason: '' } });
  }

  async post(raw: string, text: string, clientMsgId: string, rid: number, replyTo = 0): Promise<void> {
    const s = this.s;
    const checked = checkRoomId(raw);
    const room = checked.ok ? checked.value : raw;
    if (!s.rooms.has(room)) return s.error(status.NOT_FOUND, `you are not in room ${room.slice(0, 100)}; /join it`, rid, room.slice(0, 100));
    // Issue 16: muted (or banned) here: NOTICE_NOT_SENT with the reason, as for any refused post.
    // Judged from the room's cached policy; only a room whose policy was never read waits for the store.
    const check = s.ctx.policy.postCheck(room, s.username);
    const refused = check instanceof Promise ? await check : check;
    if (refused !== null) return s.writer.event({ message: notSent(room, refused, sanitizeText(text), { clientMsgId }) });
    // Issue 16: a reply names a message of the room; the server quotes it.
    const notPosted = (why: string): void => s.writer.event({ message: notSent(room, why, sanitizeText(text), { clientMsgId }) });
    const reply = replyTo > 0 ? await this.ops.reply(room, replyTo, rid, notPosted) : {};
    if (reply === null) return;
    const membership = s.rooms.get(room);
    if (!membership) return s.error(status.NOT_FOUND, `you are not in room ${room.slice(0, 100)}; /join it`, rid, room.slice(0, 100));
    membership.post(text, clientMsgId, reply);
    const peer = directPeer(room, s.username);
    // A direct conversation is in the peer's list from its first message on:
    // every session of the peer joins it, and one offline finds it in its next welcome.
    if (peer !== null) {
      s.ctx.store.users.addRoom(peer, room).then(
        (added) => {
          if (added) s.ctx.bus.publish({ to: 'user', event: { t: 'joined', user: peer, room } });
        },
        (err: unknown) => s.ctx.log.error(`adding ${room} to ${peer}'s rooms failed: ${String(err)}`),
      );
    }
  }

  async read(raw: string, seq: number, rid: number): Promise<void> {
    const s = this.s;
    const room = usableRoom(s, raw, rid);
    if (room === null) return;
    if (!s.rooms.has(room)) return s.error(status.NOT_FOUND, `you are not in room ${room}`, rid, room);
    const now = await s.ctx.store.users.markRead(s.username, room, seq);
    s.ctx.bus.publish({ to: 'user', event: { t: 'read', user: s.userKey, room, seq: now } });
  }

  typing(raw: string, typing: boolean, rid: number): void {
    const s = this.s;
    const room = usableRoom(s, raw, rid);
    if (room === null) return;
    if (!s.rooms.has(room)) return s.error(status.NOT_FOUND, `you are not in room ${room}`, rid, room);
    if (typing) {
      const now = Date.now();
      // Made on first use: most sessions never type (20,000 idle ones held a Map each).
      const typingAt = (this.typingAt ??= new Map());
      if (now - (typingAt.get(room) ?? 0) < TYPING_PASS_MS) return;
      typingAt.set(room, now);
    } else this.typingAt?.delete(room);
    s.ctx.bus.publish({ to: 'room', signal: { t: 'typing', room, username: s.username, typing } });
  }

  async history(raw: string, beforeSeq: number, limit: number, rid: number): Promise<void> {
    const s = this.s;
    const room = usableRoom(s, raw, rid);
    if (room === null) return;
    if (await refusedToRead(s, room, rid)) return;
    const store = s.ctx.store;
    const n = Math.min(limit || HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
    const [page, first] = await Promise.all([store.before(room, beforeSeq > 0 ? beforeSeq : null, n), store.firstSeq(room)]);
    const oldest = page[0]?.seq;
    const messages = await currentPage(store, room, page);
    s.writer.event({
      history: { room_id: room, messages, reached_start: oldest === undefined || oldest <= first, request_id: rid },
    });
  }

  /** Everyone in the room: live (ONLINE or AWAY with the reason) and, keeping it in their list, OFFLINE. */
  async members(raw: string, rid: number): Promise<void> {
    const s = this.s;
    const room = usableRoom(s, raw, rid);
    if (room === null) return;
    if (await refusedToRead(s, room, rid)) return;
    const members = await memberList(room, { presence: s.ctx.presence, users: s.ctx.store.users }, true);
    s.writer.event({ members: { room_id: room, members, request_id: rid } });
  }

  /** /away reason or /back: kept, told to the user's sessions and to everyone in the user's rooms. */
  async away(away: boolean, reason: string): Promise<void> {
    const s = this.s;
    const why = away ? sanitizeText(reason).slice(0, 200) : null;
    await s.ctx.store.users.setAway(s.username, why);
    s.ctx.bus.publish({ to: 'user', event: { t: 'away', user: s.userKey, reason: why } });
    const rooms = await s.ctx.store.users.rooms(s.userKey);
    s.ctx.bus.publish({ to: 'room', signal: { t: 'presence', rooms, username: s.username, presence: why === null ? 'ONLINE' : 'AWAY', reason: why ?? '' } });
  }
}
