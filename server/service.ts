// The ChatService handlers: JoinChat hands each stream to a JoinChatStream; the
// unary RPCs answer from the store and presence.
import * as grpc from '@grpc/grpc-js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceHandlers } from '../protos/generated/chat/ChatService.js';
import { canSee, roomAccess, unaryCaller } from './access.js';
import { authHeader, peerAddress, refusal, type Accounts } from './accounts.js';
import type { ServerInfo } from '../protos/generated/chat/ServerInfo.js';
import { JoinChatStream, type StreamContext } from './join-chat.js';
import { SessionStream } from './session-stream.js';
import type { SessionContext } from './session-context.js';
import type { Logger } from './log.js';
import { memberList } from './member-list.js';
import { parseQuery } from './store/search.js';
import type { Store, StoredMessage } from './store/types.js';
import type { Presence, Status } from './types.js';
import type { RoomPolicyService } from './room-policy.js';
import { checkRoom } from './validate.js';
import { currentPage } from './history-view.js';
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
  /** Issue 16: bans and invite-only rooms shut their doors to these calls too; ListRooms shows topics. */
  policy: RoomPolicyService;
}

function invalid(details: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.INVALID_ARGUMENT, details };
}

function ended(status: Status): Partial<grpc.StatusObject> {
  return { code: grpc.status[status.code], details: status.details };
}

// A store that fails (e.g. Redis unreachable) is a passing condition: UNAVAILABLE tells clients to retry.
function unavailable(log: Logger, what: string, err: unknown): Partial<grpc.StatusObject> {
  log.error(`${what} failed: ${String(err)}`);
  return { code: grpc.status.UNAVAILABLE, details: `${what} failed: the server cannot read its message store; try again` };
}

/** A unary handler told who calls (access.ts unaryCaller): the token's name, or without accounts x-chat-user's (null: nobody said). */
type CallerHandler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>, caller: string | null) => void;

/** With accounts on, a unary call needs a valid token too (history is not public): runs the handler once the caller is let in. */
function gated<Req, Res>(ctx: QueryContext, handler: CallerHandler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  const accounts = ctx.accounts;
  const run = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>, tokenName: string | null) => {
    const caller = unaryCaller(call.metadata, tokenName);
    if (!caller.ok) return callback(invalid(caller.error));
    handler(call, callback, caller.value);
  };
  if (!accounts) return (call, callback) => run(call, callback, null);
  return (call, callback) => {
    accounts.verify(authHeader(call.metadata), peerAddress(call.getPeer())).then(
      (verdict) => {
        if (verdict.ok) return run(call, callback, verdict.username);
        const refused = refusal(verdict.reason);
        callback({ code: grpc.status[refused.code], details: refused.details });
      },
      (err: unknown) => callback(unavailable(ctx.log, 'the token check', err)),
    );
  };
}

/** Issue 16: `read` once the room's policy lets `caller` read it (not banned; invite-only: a member), else why not. */
async function readable<T>(ctx: QueryContext, room: string, caller: string | null, read: () => Promise<T>): Promise<{ value: T } | { refused: Status }> {
  const refused = await ctx.policy.read(room, caller);
  return refused ? { refused } : { value: await read() };
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

    GetHistory: gated(queries, (call, callback, caller) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const denied = roomAccess(room.value, caller);
      if (denied) return callback(ended(denied));
      const limit = Math.min(call.request.limit || HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX);
      const before = call.request.before_seq > 0 ? call.request.before_seq : null;
      // Issue 16: as the messages are now (edits, deletes, reactions applied), for whom the room's policy lets read it.
      const page = async (): Promise<{ page: StoredMessage[]; first: number; messages: ChatMessage[] }> => {
        const [stored, first] = await Promise.all([store.before(room.value, before, limit), store.firstSeq(room.value)]);
        return { page: stored, first, messages: await currentPage(store, room.value, stored) };
      };
      readable(queries, room.value, caller, page).then(
        (answer) => {
          if ('refused' in answer) return callback(ended(answer.refused));
          const { page: stored, first, messages } = answer.value;
          const oldest = stored[0]?.seq;
          callback(null, { room_id: room.value, messages, reached_start: oldest === undefined || oldest <= first });
        },
        (err: unknown) => callback(unavailable(log, 'GetHistory', err)),
      );
    }),

    // Issue 15: who may read a room's history may search it (GetHistory's rules: open, or a valid token).
    SearchHistory: gated(queries, (call, callback, caller) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const denied = roomAccess(room.value, caller);
      if (denied) return callback(ended(denied));
      const query = parseQuery(call.request.query);
      if (!query.ok) return callback(invalid(`invalid search: ${query.error}`));
      const limit = Math.min(call.request.limit || SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX);
      const before = call.request.before_seq > 0 ? call.request.before_seq : null;
      // Issue 16: as they are now; a deleted message no longer has the text that matched.
      const matches = async () => {
        const found = await store.search(room.value, query.terms, before, limit);
        return { found, messages: await currentPage(store, room.value, found.messages, { dropDeleted: true }) };
      };
      readable(queries, room.value, caller, matches).then(
        (answer) => {
          if ('refused' in answer) return callback(ended(answer.refused));
          const { found, messages } = answer.value;
          callback(null, { room_id: room.value, messages, more: found.more, next_before_seq: found.next });
        },
        (err: unknown) => callback(unavailable(log, 'SearchHistory', err)),
      );
    }),

    // Direct conversations are listed to their participants only.
    ListRooms: gated(queries, (_call, callback, caller) => {
      (async () => {
        const latest = new Map((await store.rooms()).map((r) => [r.room_id, r.latest_seq]));
        for (const id of queries.liveRoomIds()) if (!latest.has(id)) latest.set(id, 0);
        for (const id of latest.keys()) if (!canSee(id, caller)) latest.delete(id);
        // Issue 16: invite-only rooms only to those who may enter them; every room with its topic.
        const shown = await queries.policy.listRooms([...latest.keys()], caller);
        for (const id of latest.keys()) if (!shown.has(id)) latest.delete(id);
        const counts = await presence.counts([...latest.keys()]);
        return [...latest]
          .map(([room_id, latest_seq]) => ({ room_id, latest_seq, member_count: counts.get(room_id) ?? 0, ...shown.get(room_id) }))
          .sort((a, b) => a.room_id.localeCompare(b.room_id));
      })().then(
        (rooms) => callback(null, { rooms }),
        (err: unknown) => callback(unavailable(log, 'ListRooms', err)),
      );
    }),

    // What a client needs to pace itself (chat-tui sends at this rate instead of being refused).
    GetServerInfo: gated(queries, (_call, callback) => callback(null, serverInfo(streams))),

    ListMembers: gated(queries, (call, callback, caller) => {
      const room = checkRoom(call.request.room_id);
      if (!room.ok) return callback(invalid(`invalid room: ${room.error}`));
      const denied = roomAccess(room.value, caller);
      if (denied) return callback(ended(denied));
      readable(queries, room.value, caller, () => memberList(room.value, { presence, users: store.users }, call.request.include_offline)).then(
        (answer) => {
          if ('refused' in answer) return callback(ended(answer.refused));
          callback(null, { room_id: room.value, members: answer.value });
        },
        (err: unknown) => callback(unavailable(log, 'ListMembers', err)),
      );
    }),
  };
}
