// The ChatService handlers: JoinChat hands each stream to a JoinChatStream; the
// unary RPCs answer from the store and presence.
import * as grpc from '@grpc/grpc-js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceHandlers } from '../protos/generated/chat/ChatService.js';
import { authHeader, peerAddress, refusal, type Accounts } from './accounts.js';
import type { ServerInfo } from '../protos/generated/chat/ServerInfo.js';
import { JoinChatStream, type StreamContext } from './join-chat.js';
import { SessionStream } from './session-stream.js';
import type { SessionContext } from './session-types.js';
import type { Logger } from './log.js';
import { parseQuery } from './store/search.js';
import type { Store } from './store/types.js';
import type { Presence } from './types.js';
import { checkRoom } from './validate.js';
import { toWire } from './wire.js';
import { version } from '../protos/rules.js';

const HISTORY_PAGE_DEFAULT = 50;
const HISTORY_PAGE_MAX = 500;
const SEARCH_PAGE_DEFAULT = 50;
const SEARCH_PAGE_MAX = 200;

/** What the unary RPCs read. */
export interface QueryContext {
  store: Store;
  presence: Presence;
  /** Rooms open on this server, which the store may not know yet. */
  liveRoomIds(): string[];
  /** null: no accounts, the queries are open to anyone. */
  accounts: Accounts | null;
  log: Logger;
}

function invalid(details: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.INVALID_ARGUMENT, details };
}

// A store that fails (e.g. Redis unreachable) is a passing condition: UNAVAILABLE tells clients to retry.
function unavailable(log: Logger, what: string, err: unknown): Partial<grpc.StatusObject> {
  log.error(`${what} failed: ${String(err)}`);
  return { code: grpc.status.UNAVAILABLE, details: `${what} failed: the server cannot read its message store; try again` };
}

/** With accounts on, a unary call needs a valid token too (history is not public): runs the handler once the caller is let in. */
function gated<Req, Res>(ctx: QueryContext, handler: grpc.handleUnaryCall<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  const accounts = ctx.accounts;
  if (!accounts) return handler;
  return (call, callback) => {
    accounts.verify(authHeader(call.metadata), peerAddress(call.getPeer())).then(
      (verdict) => {
        if (verdict.ok) return handler(call, callback);
        const refused = refusal(verdict.reason);
        callback({ code: grpc.status[refused.code], details: refused.details });
      },
      (err: unknown) => callback(unavailable(ctx.log, 'the token check', err)),
    );
  };
}

/** What a client needs to pace itself (chat-tui sends at this rate instead of being refused): GetServerInfo and Welcome.server. */
export function serverInfo(streams: StreamContext): ServerInfo {
  const rate = streams.buckets.limit;
  return {
    version,
    rate_per_second: rate?.rate ?? 0,
    rate_burst: rate?.burst ?? 0,
    max_message_bytes: streams.limits.maxMessageBytes,
    history: streams.limits.historyLimit,
  };
}

export function chatHandlers(streams: SessionContext, queries: QueryContext): ChatServiceHandlers {
  const { store, presence, log } = queries;
  return {
    JoinChat(call) {
      new JoinChatStream(call, streams);
    },

    // Issue 13: one stream per person, every room of theirs (session-stream.ts).
    Session(call) {
      new SessionStream(call, streams);
    },

    GetHistory: gated(queries, (call, callback) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const limit = Math.min(call.request.limit || HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
      const before = call.request.before_seq > 0 ? call.request.before_seq : null;
      Promise.all([store.before(room.value, before, limit), store.firstSeq(room.value)]).then(
        ([page, first]) => {
          const messages: ChatMessage[] = page.map(toWire);
          const oldest = page[0]?.seq;
          callback(null, {
            room_id: room.value,
            messages,
            reached_start: oldest === undefined || oldest <= first,
          });
        },
        (err: unknown) => callback(unavailable(log, 'GetHistory', err)),
      );
    }),

    // Issue 15: who may read a room's history may search it (GetHistory's rules: open, or a valid token).
    SearchHistory: gated(queries, (call, callback) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const query = parseQuery(call.request.query);
      if (!query.ok) return callback(invalid(`invalid search: ${query.error}`));
      const limit = Math.min(call.request.limit || SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX);
      const before = call.request.before_seq > 0 ? call.request.before_seq : null;
      store.search(room.value, query.terms, before, limit).then(
        (page) => callback(null, { room_id: room.value, messages: page.messages.map(toWire), more: page.more, next_before_seq: page.next }),
        (err: unknown) => callback(unavailable(log, 'SearchHistory', err)),
      );
    }),

    ListRooms: gated(queries, (_call, callback) => {
      (async () => {
        const latest = new Map((await store.rooms()).map((r) => [r.room_id, r.latest_seq]));
        for (const id of queries.liveRoomIds()) if (!latest.has(id)) latest.set(id, 0);
        const counts = await presence.counts([...latest.keys()]);
        return [...latest]
          .map(([room_id, latest_seq]) => ({ room_id, latest_seq, member_count: counts.get(room_id) ?? 0 }))
          .sort((a, b) => a.room_id.localeCompare(b.room_id));
      })().then(
        (rooms) => callback(null, { rooms }),
        (err: unknown) => callback(unavailable(log, 'ListRooms', err)),
      );
    }),

    // What a client needs to pace itself (chat-tui sends at this rate instead of being refused).
    GetServerInfo: gated(queries, (_call, callback) => callback(null, serverInfo(streams))),

    ListMembers: gated(queries, (call, callback) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      presence.members(room.value).then(
        (members) => callback(null, { room_id: room.value, members }),
        (err: unknown) => callback(unavailable(log, 'ListMembers', err)),
      );
    }),
  };
}
