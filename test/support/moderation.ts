// Issue 16: what the moderation suites share: unary calls as a named user
// (x-chat-user), Session moderate frames and their answers, and JoinChat
// outcomes, against real servers.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import type { MemberList__Output } from '../../protos/generated/chat/MemberList.js';
import type { MessageAction } from '../../protos/generated/chat/MessageAction.js';
import type { RoomInfo__Output } from '../../protos/generated/chat/RoomInfo.js';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import type { SearchResults__Output } from '../../protos/generated/chat/SearchResults.js';
import type { SessionError__Output } from '../../protos/generated/chat/SessionError.js';
import { USER_HEADER } from '../../server/access.js';
import { Chatter } from '../helpers.js';
import type { SessionClient } from '../session-client.js';

/** Metadata naming the caller (none: anonymous). */
export function as(name: string | null): grpc.Metadata {
  const md = new grpc.Metadata();
  if (name !== null) md.set(USER_HEADER, name);
  return md;
}

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

function ask<Req, Res>(fn: Unary<Req, Res>, req: Req, who: string | null): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, as(who), (err, res) => (err || !res ? reject(err) : resolve(res))));
}

export const getHistory = (c: ChatServiceClient, room: string, who: string | null) =>
  ask<object, HistoryPage__Output>(c.GetHistory.bind(c), { room_id: room, limit: 200 }, who);
export const searchHistory = (c: ChatServiceClient, room: string, who: string | null, query: string) =>
  ask<object, SearchResults__Output>(c.SearchHistory.bind(c), { room_id: room, query }, who);
export const listMembers = (c: ChatServiceClient, room: string, who: string | null) =>
  ask<object, MemberList__Output>(c.ListMembers.bind(c), { room_id: room, include_offline: true }, who);
export const listRooms = (c: ChatServiceClient, who: string | null): Promise<RoomInfo__Output[]> =>
  ask<object, RoomList__Output>(c.ListRooms.bind(c), {}, who).then((l) => l.rooms);

/** The call fails with PERMISSION_DENIED and details matching. */
export async function denied(p: Promise<unknown>, details: RegExp, what: string): Promise<void> {
  await assert.rejects(p, (e: grpc.ServiceError) => {
    assert.equal(e.code, grpc.status.PERMISSION_DENIED, `${what}: ${e.code} ${e.details}`);
    assert.match(e.details, details, what);
    return true;
  });
}

/** Sends a moderate frame; answers its request id. */
export function moderate(s: SessionClient, room: string, action: MessageAction, subject = '', detail = '', minutes = 0): number {
  return s.send({ moderate: { room_id: room, action, subject, detail, minutes } });
}

/** The SessionError answering request `rid`. */
export async function errorFor(s: SessionClient, rid: number, ms = 5000): Promise<SessionError__Output> {
  await s.waitFor(() => s.of('error').some((e) => e.request_id === rid), `an error for request ${rid}`, ms);
  return s.of('error').find((e) => e.request_id === rid) as SessionError__Output;
}

/** Request `rid` was refused with this gRPC code and details matching. */
export async function refused(s: SessionClient, rid: number, code: grpc.status, details: RegExp, what: string): Promise<void> {
  const e = await errorFor(s, rid);
  assert.equal(e.code, code, `${what}: ${e.code} ${e.details}`);
  assert.match(e.details, details, what);
}

/** The stored room event (seq > 0, SYSTEM, this action) a session received in the room, once it arrives. */
export async function eventIn(s: SessionClient, room: string, action: MessageAction, ms = 5000): Promise<ChatMessage__Output> {
  const find = () => s.messages(room).find((m) => m.action === action && m.seq > 0);
  await s.waitFor(() => find() !== undefined, `a ${action} event in ${room}`, ms);
  return find() as ChatMessage__Output;
}

/** The request produced no error within a short while (and, usually, its event). */
export function noErrorFor(s: SessionClient, rid: number): void {
  const e = s.of('error').find((x) => x.request_id === rid);
  assert.equal(e, undefined, `request ${rid} was refused: ${e?.details}`);
}

/** A JoinChat stream as `username` in `room`: 'admitted' once its history arrived, or how it ended. */
export async function joinChat(c: ChatServiceClient, username: string, room: string): Promise<{ outcome: string; stream: Chatter }> {
  // Resuming from 0: the whole history, then a caught-up mark even in an empty room.
  const stream = new Chatter(c, { username, room_id: room, type: 'JOIN', user_id: `${username.toLowerCase()}-id`, resume_after_seq: 0 });
  try {
    await stream.waitFor((r) => r.some((m) => m.notice === 'NOTICE_CAUGHT_UP'), 'the history', 5000);
    return { outcome: 'admitted', stream };
  } catch {
    const status = await stream.waitForStatus();
    return { outcome: `${grpc.status[status.code]}: ${status.details}`, stream };
  }
}
