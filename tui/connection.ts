// The gRPC adapter: one channel, one Session stream carrying every room of the
// user (issue 13). What a server frame brings becomes domain items (wire.ts),
// handed on frame by frame: the server already batches a turn's worth into one
// frame. A lost stream reopens with backoff and jitter, resuming where its
// owner says; given several servers (sharing one store) the channel moves on
// to the next, so a dead server costs one reconnect. Requests that expect an
// answer (fetch_history, members) are matched here by request id. It knows
// nothing of the store or of pending messages: it reports, and writes what it
// is told to. No React here.
import * as grpc from '@grpc/grpc-js';
import { loadChatPackage } from '../protos/load.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';
import type { ServerFrame__Output } from '../protos/generated/chat/ServerFrame.js';
import type { ConnectionStatus, Line, RoomSummary, SearchPage, SessionItem, SessionNews } from './domain.js';
import { decodeFrame, helloFrame, pageLines, type Identity } from './wire.js';

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
  /** A session is opening: the rooms to add (--room) and the last seq seen per room (resume). */
  opening(): { join: string[]; resume: Map<string, number> };
  /** What one server frame brought, in order (answers to requests taken out). */
  frame(items: SessionItem[]): void;
  /** The session ended; `final`: the server refused it and it will not be reopened. */
  down(final: boolean, detail: string): void;
  status(status: ConnectionStatus): void;
  /** The channel moved on to another of the servers. */
  moved(target: string): void;
}

type Call = grpc.ClientDuplexStream<ClientFrame, ServerFrame__Output>;
type Answer = Extract<SessionNews, { kind: 'history' | 'members' }>;

interface Request {
  frame: ClientFrame;
  resolve(answer: Answer): void;
  reject(err: Error): void;
  /** Written on the current stream (else waiting for a welcome). */
  written: boolean;
}

export class Connection {
  private client: ChatServiceClient;
  private readonly targets: readonly string[];
  private current = 0;
  private call: Call | null = null;
  /** The current stream has sent its welcome: frames written now are understood. */
  private welcomed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private nextRequest = 0;
  private readonly requests = new Map<number, Request>();

  constructor(
    targets: string | readonly string[],
    /** Who this client is; client.ts updates userId from the welcome. */
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

  /** Whether frames written now reach a session that has welcomed us. */
  get live(): boolean {
    return this.welcomed;
  }

  /** Opens the session unless it is open or on its way. */
  start(): void {
    if (this.closed || this.call || this.timer) return;
    this.openStream();
  }

  /** Writes a frame if the session is live; false when it is not (the caller keeps what it must). */
  write(frame: ClientFrame): boolean {
    if (!this.welcomed || !this.call) return false;
    this.call.write(frame);
    return true;
  }

  /**
   * Issue 16: a frame answered only by a room event, or by a SessionError
   * naming its request id (edit, delete, react, moderate). Written now or not
   * at all: the id it went with, null when the session is not live.
   */
  act(build: (requestId: number) => ClientFrame): number | null {
    if (!this.welcomed || !this.call) return null;
    const id = this.requestId();
    this.call.write(build(id));
    return id;
  }

  private requestId(): number {
    // Request ids are uint32 and never 0 (0: not a request).
    this.nextRequest = (this.nextRequest % 0xfffffffe) + 1;
    return this.nextRequest;
  }

  /** A frame that expects an answer (fetch_history, members): written once the session is live. */
  ask(build: (requestId: number) => ClientFrame): Promise<Answer> {
    const id = this.requestId();
    return new Promise<Answer>((resolve, reject) => {
      if (this.closed) return reject(new Error('closed'));
      const req: Request = { frame: build(id), resolve, reject, written: false };
      this.requests.set(id, req);
      if (this.welcomed && this.call) {
        this.call.write(req.frame);
        req.written = true;
      }
    });
  }

  /** Issue 15: a page of the room's stored messages matching `query`, newest first; rejects with the server's words. */
  search(roomId: string, query: string, beforeSeq: number, limit: number): Promise<SearchPage> {
    return new Promise((resolve, reject) =>
      this.client.SearchHistory({ room_id: roomId, query, before_seq: beforeSeq, limit }, this.metadata(), (err, res) => {
        if (err?.code === grpc.status.UNIMPLEMENTED) return reject(new Error('this server cannot search history (it is older than SearchHistory)'));
        if (err || !res) return reject(new Error(err?.details || err?.message || 'no answer'));
        resolve({ lines: pageLines(res.messages), more: res.more, nextBefore: res.next_before_seq });
      }),
    );
  }

  /** A page of stored lines before `beforeSeq` through the unary GetHistory (line mode's --history, before any session). */
  unaryHistory(roomId: string, beforeSeq: number, limit: number): Promise<{ lines: Line[]; reachedStart: boolean }> {
    return new Promise((resolve, reject) =>
      this.client.GetHistory({ room_id: roomId, before_seq: beforeSeq, limit }, this.metadata(), (err, page) =>
        err || !page ? reject(err ?? new Error('no answer')) : resolve({ lines: pageLines(page.messages), reachedStart: page.reached_start }),
      ),
    );
  }

  listRooms(): Promise<RoomSummary[]> {
    return new Promise((resolve, reject) =>
      this.client.ListRooms({}, this.metadata(), (err, res) =>
        err || !res ? reject(err) : resolve(res.rooms.map((r) => ({ roomId: r.room_id, memberCount: r.member_count, topic: r.topic, private: r.private }))),
      ),
    );
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.call?.end();
    this.call = null;
    this.welcomed = false;
    this.failRequests(new Error('closed'), true);
    this.client.close();
  }

  private openStream(): void {
    const { join, resume } = this.events.opening();
    const call = this.client.Session(this.metadata());
    this.call = call;
    this.welcomed = false;
    call.on('data', (frame: ServerFrame__Output) => {
      if (this.call !== call) return;
      const items = decodeFrame(frame, this.me);
      const welcome = !this.welcomed && items.some((i) => i.kind === 'welcome');
      const rest = items.filter((i) => !this.answered(i));
      if (welcome) {
        this.welcomed = true;
        this.attempt = 0;
        this.events.status({ state: 'online', detail: '', retryAt: null });
      }
      if (rest.length > 0) this.events.frame(rest);
      // Requests made while the session was down go out once it has said who we are.
      if (welcome) {
        for (const req of this.requests.values()) {
          if (req.written) continue;
          call.write(req.frame);
          req.written = true;
        }
      }
    });
    call.on('status', (status: grpc.StatusObject) => this.lost(call, status));
    call.on('error', () => undefined); // 'status' carries the outcome
    call.write(helloFrame(this.me, join, resume));
  }

  /**
   * An answer to one of our requests settles it and goes no further, except a
   * member list: it also goes on with the frame's other items, so the presence
   * it reports is applied in order with the presence events around it (settled
   * later, in a promise, it would undo an ONLINE that came after it).
   */
  private answered(item: SessionItem): boolean {
    if (item.kind !== 'history' && item.kind !== 'members' && item.kind !== 'error') return false;
    const req = item.requestId ? this.requests.get(item.requestId) : undefined;
    if (!req) return false;
    this.requests.delete(item.requestId);
    if (item.kind === 'error') req.reject(new Error(item.details));
    else req.resolve(item);
    return item.kind !== 'members';
  }

  /** Requests written on a lost stream will never be answered; `all`: those waiting too. */
  private failRequests(err: Error, all: boolean): void {
    for (const [id, req] of this.requests) {
      if (!all && !req.written) continue;
      this.requests.delete(id);
      req.reject(err);
    }
  }

  private lost(call: Call, status: grpc.StatusObject): void {
    if (this.closed || this.call !== call) return;
    this.call = null;
    this.welcomed = false;
    if (FINAL.has(status.code)) {
      // Reconnecting would fail the same way.
      this.failRequests(new Error(status.details), true);
      this.events.down(true, status.details);
      this.events.status({ state: 'refused', detail: status.details, retryAt: null });
      return;
    }
    this.failRequests(new Error(status.details || 'connection lost'), false);
    this.events.down(false, status.details);
    if (this.targets.length > 1) this.nextServer();
    const delay = backoffMs(this.attempt++);
    this.events.status({ state: 'reconnecting', detail: status.details, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.closed) this.openStream();
    }, delay);
  }

  private nextServer(): void {
    const old = this.client;
    this.current = (this.current + 1) % this.targets.length;
    this.client = this.connect();
    this.events.moved(this.target);
    old.close();
  }

  /** The token, and the name: without accounts the server knows who asks (direct rooms) only by it. */
  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.opts.token) md.set('authorization', `Bearer ${this.opts.token}`);
    // Metadata values are printable ASCII; another name cannot ride along (the server then sees no name).
    if (this.me.username && /^[\x20-\x7e]+$/.test(this.me.username)) md.set('x-chat-user', this.me.username);
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
