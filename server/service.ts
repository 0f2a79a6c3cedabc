// The ChatService handlers: JoinChat hands each stream to a ChatSession; the
// unary RPCs answer from the store and the hub.
import * as grpc from '@grpc/grpc-js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceHandlers } from '../protos/generated/chat/ChatService.js';
import type { Hub } from './hub.js';
import { ChatSession, type SessionLimits } from './session.js';
import { authHeader, peerAddress, refusal } from './accounts.js';
import { checkRoom } from './validate.js';
import { toWire } from './wire.js';
import { version } from '../protos/rules.js';

export const HISTORY_PAGE_DEFAULT = 50;
export const HISTORY_PAGE_MAX = 500;

function invalid(details: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.INVALID_ARGUMENT, details };
}

// A store that fails (e.g. Redis unreachable) is a passing condition: UNAVAILABLE tells clients to retry.
function unavailable(hub: Hub, what: string, err: unknown): Partial<grpc.StatusObject> {
  hub.log.error(`${what} failed: ${String(err)}`);
  return { code: grpc.status.UNAVAILABLE, details: `${what} failed: the server cannot read its message store; try again` };
}

/** With accounts on, a unary call needs a valid token too (history is not public). */
async function denied(hub: Hub, metadata: grpc.Metadata, peer: string): Promise<Partial<grpc.StatusObject> | null> {
  if (!hub.guards.accounts) return null;
  const verdict = await hub.guards.accounts.verify(authHeader(metadata), peerAddress(peer));
  if (verdict.ok) return null;
  const refused = refusal(verdict.reason);
  return { code: grpc.status[refused.code], details: refused.details };
}

/** Runs a unary handler once the caller is let in. */
function gated<Req, Res>(
  hub: Hub,
  handler: grpc.handleUnaryCall<Req, Res>,
): grpc.handleUnaryCall<Req, Res> {
  if (!hub.guards.accounts) return handler;
  return (call, callback) => {
    denied(hub, call.metadata, call.getPeer()).then(
      (refused) => (refused ? callback(refused) : handler(call, callback)),
      (err: unknown) => callback(unavailable(hub, 'the token check', err)),
    );
  };
}

export function chatHandlers(hub: Hub, limits: SessionLimits): ChatServiceHandlers {
  const handlers = ungatedHandlers(hub, limits);
  return {
    ...handlers,
    GetHistory: gated(hub, handlers.GetHistory),
    ListRooms: gated(hub, handlers.ListRooms),
    ListMembers: gated(hub, handlers.ListMembers),
    GetServerInfo: gated(hub, handlers.GetServerInfo),
  };
}

function ungatedHandlers(hub: Hub, limits: SessionLimits): ChatServiceHandlers {
  return {
    JoinChat(call) {
      new ChatSession(hub, call, limits);
    },

    GetHistory(call, callback) {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const limit = Math.min(call.request.limit || HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
      const before = call.request.before_seq > 0 ? call.request.before_seq : null;
      Promise.all([hub.store.before(room.value, before, limit), hub.store.firstSeq(room.value)]).then(
        ([page, first]) => {
          const messages: ChatMessage[] = page.map(toWire);
          const oldest = page[0]?.seq;
          callback(null, {
            room_id: room.value,
            messages,
            reached_start: oldest === undefined || oldest <= first,
          });
        },
        (err: unknown) => callback(unavailable(hub, 'GetHistory', err)),
      );
    },

    ListRooms(_call, callback) {
      (async () => {
        const latest = new Map((await hub.store.rooms()).map((r) => [r.room_id, r.latest_seq]));
        for (const id of hub.liveRoomIds()) if (!latest.has(id)) latest.set(id, 0);
        const counts = await hub.presence.counts([...latest.keys()]);
        return [...latest]
          .map(([room_id, latest_seq]) => ({ room_id, latest_seq, member_count: counts.get(room_id) ?? 0 }))
          .sort((a, b) => a.room_id.localeCompare(b.room_id));
      })().then(
        (rooms) => callback(null, { rooms }),
        (err: unknown) => callback(unavailable(hub, 'ListRooms', err)),
      );
    },

    GetServerInfo(_call, callback) {
      const rate = hub.guards.buckets.limit;
      callback(null, {
        version,
        rate_per_second: rate?.rate ?? 0,
        rate_burst: rate?.burst ?? 0,
        max_message_bytes: limits.maxMessageBytes,
        history: limits.historyLimit,
      });
    },

    ListMembers(call, callback) {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      hub.members(room.value).then(
        (members) => callback(null, { room_id: room.value, members }),
        (err: unknown) => callback(unavailable(hub, 'ListMembers', err)),
      );
    },
  };
}
