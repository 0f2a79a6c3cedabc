// The gRPC adapter: one channel, one JoinChat stream per joined room. What a
// stream brings becomes domain events (wire.ts), handed on once per turn of
// the event loop, so a burst (a history replay, a flood) is one batch. A lost
// stream reopens with backoff and jitter, resuming where its owner says; given
// several servers (sharing one store) the channel moves on to the next, so a
// dead server costs one reconnect. It knows nothing of the store or of pending
// messages: it reports, and writes what it is told to. No React here.
import * as grpc from '@grpc/grpc-js';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { ConnectionStatus, Line, RoomEvent, RoomSummary, SearchPage } from './domain.js';
import type { RateLimit } from './pacer.js';
import { decode, joinMessage, LEAVE_MESSAGE, postMessage, toLine, type Identity } from './wire.js';

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;

export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random()));
}

export interface ClientOptions {
  /** Plain text unless given (chat-tui --tls / --ca). */
  credentials?: grpc.ChannelCredentials;
  /** Sent as `authorization: Bearer TOKEN` on every call (chat-tui --token / CHAT_TOKEN). */
  token?: string;
}

/** Stream endings that another try would meet again: stop and say why. */
const FINAL = new Set<grpc.status>([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
  grpc.status.ALREADY_EXISTS,
]);

/** What the connection reports to its owner (client.ts), in domain terms. */
export interface ConnectionEvents {
  /** A stream for the room is opening: answer the seq to resume after (0: join afresh). */
  opening(roomId: string): number;
  /** The room's stream answered: what is written to it now reaches the server. */
  live(roomId: string): void;
  /** What one turn of the event loop brought on the room's stream, in order. */
  batch(roomId: string, events: RoomEvent[]): void;
  /** Who is in the room, as the server listed it when the stream opened. */
  members(roomId: string, names: string[]): void;
  /** The room's stream ended; `final`: the server refused it and it will not be reopened. */
  down(roomId: string, final: boolean, detail: string): void;
  status(status: ConnectionStatus): void;
  /** The channel moved on to another of the servers. */
  moved(target: string): void;
}

type Call = grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output>;

interface RoomStream {
  call: Call | null;
  attempt: number;
  /** The channel generation the stream was opened on; a loss on the current one moves to the next server. */
  generation: number;
  timer: NodeJS.Timeout | null;
  live: boolean;
  batch: RoomEvent[];
  flushQueued: boolean;
}

export class Connection {
  private client: ChatServiceClient;
  private readonly targets: readonly string[];
  private current = 0;
  private generation = 0;
  private readonly streams = new Map<string, RoomStream>();
  private closed = false;

  constructor(
    targets: string | readonly string[],
    private readonly me: Identity,
    private readonly events: ConnectionEvents,
    private readonly opts: ClientOptions = {},
  ) {
    this.targets = typeof targets === 'string' ? [targets] : targets;
    if (this.targets.length === 0) throw new Error('ChatClient needs at least one server address');
    this.client = this.connect();
  }

  /** The server the channel points at now. */
  get target(): string {
    return this.targets[this.current] ?? '';
  }

  /** Opens the room's stream unless it has one. */
  open(roomId: string): void {
    if (this.streams.has(roomId)) return;
    const s: RoomStream = { call: null, attempt: 0, generation: this.generation, timer: null, live: false, batch: [], flushQueued: false };
    this.streams.set(roomId, s);
    this.openStream(roomId, s);
  }

  /** Says LEAVE on the room's stream and ends it; false if the room had no stream. */
  leave(roomId: string): boolean {
    const s = this.streams.get(roomId);
    if (!s) return false;
    this.streams.delete(roomId);
    if (s.timer) clearTimeout(s.timer);
    s.call?.write(LEAVE_MESSAGE);
    s.call?.end();
    return true;
  }

  /** One post on the room's stream; the caller (outgoing.ts) knows whether the stream is live. */
  post(roomId: string, text: string, clientMsgId: string): void {
    this.streams.get(roomId)?.call?.write(postMessage(text, clientMsgId));
  }

  /** The server's rate limit (null: none, or a server too old to say). */
  rateLimit(): Promise<RateLimit | null> {
    return new Promise((resolve, reject) =>
      this.client.GetServerInfo({}, this.metadata(), (err, info) => {
        if (err?.code === grpc.status.UNIMPLEMENTED) return resolve(null);
        if (err || !info) return reject(err ?? new Error('no answer'));
        resolve(info.rate_per_second > 0 ? { rate: info.rate_per_second, burst: info.rate_burst } : null);
      }),
    );
  }

  /** A page of stored lines strictly before `beforeSeq`, oldest first. */
  history(roomId: string, beforeSeq: number, limit: number): Promise<{ lines: Line[]; reachedStart: boolean }> {
    return new Promise((resolve, reject) =>
      this.client.GetHistory({ room_id: roomId, before_seq: beforeSeq, limit }, this.metadata(), (err, page) =>
        err || !page ? reject(err) : resolve({ lines: page.messages.map(toLine), reachedStart: page.reached_start }),
      ),
    );
  }

  /** Issue 15: a page of the room's stored messages matching `query`, newest first; rejects with the server's words. */
  search(roomId: string, query: string, beforeSeq: number, limit: number): Promise<SearchPage> {
    return new Promise((resolve, reject) =>
      this.client.SearchHistory({ room_id: roomId, query, before_seq: beforeSeq, limit }, this.metadata(), (err, res) => {
        if (err?.code === grpc.status.UNIMPLEMENTED) return reject(new Error('this server cannot search history (it is older than SearchHistory)'));
        if (err || !res) return reject(new Error(err?.details || err?.message || 'no answer'));
        resolve({ lines: res.messages.map(toLine), more: res.more, nextBefore: res.next_before_seq });
      }),
    );
  }

  listRooms(): Promise<RoomSummary[]> {
    return new Promise((resolve, reject) =>
      this.client.ListRooms({}, this.metadata(), (err, res) =>
        err || !res ? reject(err) : resolve(res.rooms.map((r) => ({ roomId: r.room_id, memberCount: r.member_count }))),
      ),
    );
  }

  listMembers(roomId: string): Promise<string[]> {
    return new Promise((resolve, reject) =>
      this.client.ListMembers({ room_id: roomId }, this.metadata(), (err, res) =>
        err || !res ? reject(err) : resolve(res.members.map((m) => m.username)),
      ),
    );
  }

  close(): void {
    this.closed = true;
    for (const s of this.streams.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.call?.end();
    }
    this.streams.clear();
    this.client.close();
  }

  private openStream(roomId: string, s: RoomStream): void {
    const resumeAfter = this.events.opening(roomId);
    const call = this.client.JoinChat(this.metadata());
    s.call = call;
    s.generation = this.generation;
    s.live = false;
    call.on('data', (m: ChatMessage__Output) => {
      if (!s.live) this.becameLive(roomId, s);
      s.batch.push(decode(m, this.me.userId));
      if (s.flushQueued) return;
      s.flushQueued = true;
      // Bursts (history, floods) reach the owner as one batch per event-loop turn.
      setImmediate(() => {
        s.flushQueued = false;
        const batch = s.batch;
        s.batch = [];
        this.events.batch(roomId, batch);
      });
    });
    call.on('status', (status: grpc.StatusObject) => this.lost(roomId, s, call, status));
    call.on('error', () => undefined); // 'status' carries the outcome
    call.write(joinMessage(this.me, roomId, resumeAfter));
    // The server answers a join with history or, for an empty room, nothing: list members to learn we are in.
    this.client.ListMembers({ room_id: roomId }, this.metadata(), (err, res) => {
      if (err || !res || s.call !== call) return;
      if (!s.live) this.becameLive(roomId, s);
      this.events.members(roomId, res.members.map((m) => m.username));
    });
  }

  private becameLive(roomId: string, s: RoomStream): void {
    s.live = true;
    s.attempt = 0;
    this.events.status({ state: 'online', detail: '', retryAt: null });
    this.events.live(roomId);
  }

  private lost(roomId: string, s: RoomStream, call: Call, status: grpc.StatusObject): void {
    if (this.closed || s.call !== call || !this.streams.has(roomId)) return;
    s.call = null;
    s.live = false;
    if (FINAL.has(status.code)) {
      // Reconnecting would fail the same way.
      this.streams.delete(roomId);
      this.events.down(roomId, true, status.details);
      // With no stream left to come back, "connecting" would be a promise not kept.
      if (![...this.streams.values()].some((o) => o.call || o.timer)) this.events.status({ state: 'refused', detail: status.details, retryAt: null });
      return;
    }
    this.events.down(roomId, false, status.details);
    // The first stream to notice a loss moves everyone on; the others just reopen.
    if (this.targets.length > 1 && s.generation === this.generation) this.nextServer();
    const delay = backoffMs(s.attempt++);
    this.events.status({ state: 'reconnecting', detail: status.details, retryAt: Date.now() + delay });
    s.timer = setTimeout(() => {
      s.timer = null;
      if (!this.closed && this.streams.get(roomId) === s) this.openStream(roomId, s);
    }, delay);
  }

  private nextServer(): void {
    const old = this.client;
    this.current = (this.current + 1) % this.targets.length;
    this.generation++;
    this.client = this.connect();
    this.events.moved(this.target);
    // Streams still open on the old channel go on until they end, then reopen here.
    old.close();
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.opts.token) md.set('authorization', `Bearer ${this.opts.token}`);
    return md;
  }

  private connect(): ChatServiceClient {
    const { proto } = loadChatPackage();
    // Keepalive: a server that vanished without closing the connection is noticed in ~30 s, not never.
    return new proto.chat.ChatService(this.target, this.opts.credentials ?? grpc.credentials.createInsecure(), {
      'grpc.keepalive_time_ms': 20_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
  }
}
