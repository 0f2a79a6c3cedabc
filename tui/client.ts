// The gRPC adapter: one channel, one JoinChat stream per joined room. Stream
// events become store actions in batches; a lost stream reconnects with
// backoff and jitter and resumes from the room's last seq. Given several
// servers (sharing one store), a lost stream moves the channel on to the
// next, so a dead server costs one reconnect. No React here.
import * as grpc from '@grpc/grpc-js';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { ChatStore } from './store.js';

export const HISTORY_PAGE = 100;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;

interface RoomStream {
  call: grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output> | null;
  attempt: number;
  /** The channel generation the stream was opened on; a loss on the current one moves to the next server. */
  generation: number;
  timer: NodeJS.Timeout | null;
  live: boolean;
  /** Waiting for the caught-up mark before re-sending unconfirmed messages. */
  awaitingCatchUp: boolean;
  batch: ChatMessage__Output[];
  flushQueued: boolean;
}

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

export class ChatClient {
  private client: ChatServiceClient;
  private readonly targets: readonly string[];
  private current = 0;
  private generation = 0;
  private readonly streams = new Map<string, RoomStream>();
  private closed = false;

  constructor(
    private readonly store: ChatStore,
    targets: string | readonly string[],
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

  join(roomId: string): void {
    this.store.getState().addRoom(roomId);
    if (this.streams.has(roomId)) return;
    const s: RoomStream = { call: null, attempt: 0, generation: this.generation, timer: null, live: false, awaitingCatchUp: false, batch: [], flushQueued: false };
    this.streams.set(roomId, s);
    this.open(roomId, s);
  }

  leave(roomId: string): void {
    const s = this.streams.get(roomId);
    if (!s) return;
    this.streams.delete(roomId);
    if (s.timer) clearTimeout(s.timer);
    s.call?.write({ type: 'LEAVE' });
    s.call?.end();
    this.store.getState().removeRoom(roomId);
  }

  /** Queues the text as pending; it goes out now if the room is live, else on reconnect. */
  send(roomId: string, text: string): void {
    const id = this.store.getState().addPending(roomId, text);
    const s = this.streams.get(roomId);
    if (s?.call && s.live && !s.awaitingCatchUp) this.write(roomId, s, id, text);
  }

  loadOlder(roomId: string): void {
    const st = this.store.getState();
    const room = st.rooms[roomId];
    // Nothing stored on screen yet (the join's history is still on its way): no anchor to page from.
    const before = room?.lines.find((l) => l.seq > 0)?.seq;
    if (!room || before === undefined || room.loadingOlder || room.reachedStart) return;
    st.setLoadingOlder(roomId, true);
    this.client.GetHistory({ room_id: roomId, before_seq: before, limit: HISTORY_PAGE }, this.metadata(), (err, page) => {
      if (err || !page) {
        this.store.getState().setLoadingOlder(roomId, false);
        return;
      }
      this.store.getState().prependHistory(roomId, page.messages, page.reached_start);
    });
  }

  listRooms(): Promise<Array<{ room_id: string; member_count: number }>> {
    return new Promise((resolve, reject) =>
      this.client.ListRooms({}, this.metadata(), (err, res) => (err || !res ? reject(err) : resolve(res.rooms))),
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
    for (const roomId of [...this.streams.keys()]) {
      const s = this.streams.get(roomId);
      if (s?.timer) clearTimeout(s.timer);
      s?.call?.end();
    }
    this.streams.clear();
    this.client.close();
  }

  private open(roomId: string, s: RoomStream): void {
    const st = this.store.getState();
    const room = st.rooms[roomId];
    const resume = room && room.lastSeq > 0 ? room.lastSeq : undefined;
    const call = this.client.JoinChat(this.metadata());
    s.call = call;
    s.generation = this.generation;
    s.live = false;
    s.awaitingCatchUp = resume !== undefined && (room?.pending.some((p) => p.sent) ?? false);
    call.on('data', (m: ChatMessage__Output) => {
      if (!s.live) this.becameLive(roomId, s);
      if (m.type === 'SYSTEM' && m.notice === 'NOTICE_CAUGHT_UP') this.caughtUp(roomId, s, call);
      s.batch.push(m);
      if (!s.flushQueued) {
        s.flushQueued = true;
        // Bursts (history, floods) reach the store as one update per event-loop turn.
        setImmediate(() => {
          s.flushQueued = false;
          const batch = s.batch;
          s.batch = [];
          this.store.getState().receive(roomId, batch);
          // One member-list refresh per batch: a replayed history can hold thousands of JOIN/LEAVE lines.
          if (batch.some((b) => b.type === 'JOIN' || b.type === 'LEAVE')) this.refreshMembers(roomId);
        });
      }
    });
    call.on('status', (status: grpc.StatusObject) => this.lost(roomId, s, call, status));
    call.on('error', () => undefined); // 'status' carries the outcome
    const { username, userId } = st;
    const first: ChatMessage = { user_id: userId, username, room_id: roomId, type: 'JOIN' };
    if (resume !== undefined) first.resume_after_seq = resume;
    call.write(first);
    // The server answers a join with history or, for an empty room, nothing: list members to learn we are in.
    this.client.ListMembers({ room_id: roomId }, this.metadata(), (err, res) => {
      if (!err && res && s.call === call) {
        if (!s.live) this.becameLive(roomId, s);
        this.store.getState().setMembers(roomId, res.members.map((m) => m.username));
      }
    });
  }

  private becameLive(roomId: string, s: RoomStream): void {
    s.live = true;
    s.attempt = 0;
    this.store.getState().setConnection('online');
    if (!s.awaitingCatchUp) this.flushPending(roomId, s);
  }

  private caughtUp(roomId: string, s: RoomStream, call: RoomStream['call']): void {
    if (!s.awaitingCatchUp) return;
    // Apply the replay first: echoes in it confirm messages that did arrive. Until
    // then send() keeps new messages pending, so the flush sends each exactly once.
    setImmediate(() =>
      setImmediate(() => {
        // A stream lost meanwhile waits for its successor's own caught-up mark.
        if (!s.awaitingCatchUp || s.call !== call) return;
        s.awaitingCatchUp = false;
        this.flushPending(roomId, s);
      }),
    );
  }

  private flushPending(roomId: string, s: RoomStream): void {
    for (const p of this.store.getState().rooms[roomId]?.pending ?? []) this.write(roomId, s, p.id, p.text);
  }

  private write(roomId: string, s: RoomStream, id: number, text: string): void {
    s.call?.write({ type: 'TEXT', message: text });
    this.store.getState().markSent(roomId, id);
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

  private nextServer(): void {
    const old = this.client;
    this.current = (this.current + 1) % this.targets.length;
    this.generation++;
    this.client = this.connect();
    this.store.getState().setServer(this.target);
    // Streams still open on the old channel go on until they end, then reopen here.
    old.close();
  }

  private refreshMembers(roomId: string): void {
    this.listMembers(roomId).then(
      (names) => this.store.getState().setMembers(roomId, names),
      () => undefined,
    );
  }

  private lost(roomId: string, s: RoomStream, call: grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output>, status: grpc.StatusObject): void {
    if (this.closed || s.call !== call || !this.streams.has(roomId)) return;
    s.call = null;
    s.live = false;
    if (FINAL.has(status.code)) {
      // Reconnecting would fail the same way.
      this.store.getState().localLine(roomId, `Server refused: ${status.details}`);
      this.streams.delete(roomId);
      // With no stream left to come back, "connecting" would be a promise not kept.
      if (![...this.streams.values()].some((o) => o.call || o.timer)) this.store.getState().setConnection('refused', status.details);
      return;
    }
    // The first stream to notice a loss moves everyone on; the others just reopen.
    if (this.targets.length > 1 && s.generation === this.generation) this.nextServer();
    const delay = backoffMs(s.attempt++);
    this.store.getState().setConnection('reconnecting', status.details, Date.now() + delay);
    s.timer = setTimeout(() => {
      s.timer = null;
      if (!this.closed && this.streams.get(roomId) === s) this.open(roomId, s);
    }, delay);
  }
}
