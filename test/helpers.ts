// The tests' one set of helpers: real servers on loopback, real grpc-js and
// chat-tui clients, and the checks several suites make.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient, ChatServiceHandlers } from '../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../protos/generated/chat/HistoryPage.js';
import type { MemberList__Output } from '../protos/generated/chat/MemberList.js';
import type { Config } from '../server/config.js';
import { createLogger } from '../server/log.js';
import { startChatServer, type RunningServer } from '../server/server.js';
import { openBackend } from '../server/store/open.js';
import { ChatClient, type ClientOptions } from '../tui/client.js';
import { createChatStore, type ChatStore } from '../tui/store.js';

export interface TestServer {
  running: RunningServer;
  port: number;
  target: string;
  stop(): Promise<void>;
}

export const baseConfig: Config = {
  host: '127.0.0.1',
  port: 0,
  history: 50,
  store: 'memory',
  maxMessageBytes: 4096,
  maxQueue: 1000,
  // Most suites post faster than a person; the limits suite turns it on.
  rateLimit: null,
  maxRoomsPerUser: 50,
  maxStreamsPerConnection: 1000,
  keepaliveSeconds: 20,
  logLevel: 'silent',
};

export async function startServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const config = { ...baseConfig, ...overrides };
  const log = createLogger(config.logLevel);
  const running = await startChatServer(config, await openBackend(config.store, log), log);
  return {
    running,
    port: running.port,
    target: `127.0.0.1:${running.port}`,
    stop: () => running.shutdown(),
  };
}

/**
 * A bare grpc-js server for the chat service with the handlers given, none of
 * ours: a hostile server, a baseline to measure ours against.
 */
/** A bare grpc server with these handlers; a method left out answers UNIMPLEMENTED, as an older server's would. */
export async function serveChatService(handlers: Partial<ChatServiceHandlers>): Promise<{ port: number; target: string; stop(): Promise<void> }> {
  const { proto } = loadChatPackage();
  const server = new grpc.Server();
  server.addService(proto.chat.ChatService.service, handlers as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { port, target: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function connect(target: string, options?: grpc.ChannelOptions): ChatServiceClient {
  const { proto } = loadChatPackage();
  return new proto.chat.ChatService(target, grpc.credentials.createInsecure(), options);
}

export function unary<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err || !res ? reject(err) : resolve(res))));
}

/** A JoinChat stream that records everything it receives. */
export class Chatter {
  readonly received: ChatMessage__Output[] = [];
  status: grpc.StatusObject | null = null;
  error: grpc.ServiceError | null = null;
  private waiters: Array<() => void> = [];
  readonly call: grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output>;

  /** `metadata`: e.g. an `authorization` header for a server with accounts. */
  constructor(client: ChatServiceClient, first: ChatMessage, metadata?: grpc.Metadata) {
    this.call = metadata ? client.JoinChat(metadata) : client.JoinChat();
    this.call.on('data', (m: ChatMessage__Output) => {
      this.received.push(m);
      this.wake();
    });
    this.call.on('status', (s: grpc.StatusObject) => {
      this.status = s;
      this.wake();
    });
    this.call.on('error', (e: grpc.ServiceError) => {
      this.error = e;
      this.wake();
    });
    this.call.write(first);
  }

  say(text: string): void {
    this.call.write({ type: 'TEXT', message: text });
  }

  texts(): string[] {
    return this.received.filter((m) => m.type === 'TEXT').map((m) => `${m.username}: ${m.message}`);
  }

  lines(): string[] {
    return this.received.map((m) => `${m.type} ${m.username}: ${m.message}`);
  }

  async waitFor(pred: (received: ChatMessage__Output[]) => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred(this.received)) {
      if (this.status && this.status.code !== grpc.status.OK && !pred(this.received)) {
        throw new Error(`stream ended (${this.status.code} ${this.status.details}) while waiting for ${what}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got:\n${this.lines().join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitForText(text: string, ms?: number): Promise<void> {
    return this.waitFor((r) => r.some((m) => m.message === text), `"${text}"`, ms);
  }

  async waitForStatus(ms = 5000): Promise<grpc.StatusObject> {
    await this.waitFor(() => this.status !== null, 'the stream status', ms).catch((e: unknown) => {
      if (!this.status) throw e;
    });
    if (!this.status) throw new Error('no status');
    return this.status;
  }

  leave(): void {
    this.call.end();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/**
 * The names ListMembers gives for a room, in its order. Rejects with the
 * call's ServiceError; `metadata` carries e.g. an `authorization` header.
 */
export function memberNames(client: ChatServiceClient, room: string, metadata = new grpc.Metadata()): Promise<string[]> {
  return new Promise<MemberList__Output>((resolve, reject) =>
    client.ListMembers({ room_id: room }, metadata, (err, res) => (err || !res ? reject(err) : resolve(res))),
  ).then((list) => list.members.map((m) => m.username));
}

export function join(client: ChatServiceClient, username: string, room = 'general', extra: ChatMessage = {}): Chatter {
  return new Chatter(client, { user_id: `${username}-id`, username, room_id: room, type: 'JOIN', ...extra });
}

/**
 * chat-tui's store and gRPC client, without a terminal, for `username` (user
 * id `<name in lower case>-id` unless given), starting on the first of `servers`.
 */
export function tuiClient(
  username: string,
  servers: string | readonly string[],
  room: string,
  { userId = `${username.toLowerCase()}-id`, ...options }: ClientOptions & { userId?: string } = {},
): { store: ChatStore; client: ChatClient } {
  const store = createChatStore({ username, userId, server: typeof servers === 'string' ? servers : servers[0] ?? '', room });
  return { store, client: new ChatClient(store, servers, options) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The names a JOIN or LEAVE notice gives: "Ann", "Ann and Ben", "Ann, Ben and
 * Cat"; of "Ann, Ben and 3 others" the two named (notices are coalesced, see
 * server/presence-notices.ts).
 */
export function namedIn(notice: string): string[] {
  const list = /^(.*) (?:joined|left) the room/.exec(notice)?.[1];
  return list === undefined ? [] : list.replace(/ and \d+ others$/, '').split(/, | and /);
}

/** A JOIN that announces `username`: never sent to that user's joining stream (the seed's rule). */
export function announces(m: Pick<ChatMessage__Output, 'type' | 'message'>, username: string): boolean {
  return m.type === 'JOIN' && namedIn(m.message).includes(username);
}

/**
 * The newest seq in `history` that `username` is sent: a joiner never gets its
 * own JOIN (the seed's rule), so a reconnect JOIN at the very end is not one.
 */
export function lastSeqFor(history: readonly ChatMessage__Output[], username: string): number {
  return [...history].reverse().find((m) => !announces(m, username))?.seq ?? 0;
}

/** A room's whole stored history, paged back through GetHistory, oldest first. */
export async function fullHistory(client: ChatServiceClient, room: string): Promise<ChatMessage__Output[]> {
  const out: ChatMessage__Output[] = [];
  let before = 0;
  for (;;) {
    const page = await unary<object, HistoryPage__Output>(client.GetHistory.bind(client), { room_id: room, before_seq: before, limit: 500 });
    out.unshift(...page.messages);
    const first = page.messages[0];
    if (page.reached_start || !first) return out;
    before = first.seq;
  }
}

/** Each seq is the one before it plus one. */
export function assertConsecutive(seqs: readonly number[], what: string): void {
  for (let i = 1; i < seqs.length; i++) {
    assert.equal(seqs[i], (seqs[i - 1] ?? 0) + 1, `${what}: seq ${seqs[i - 1]} is followed by ${seqs[i]}`);
  }
}

/**
 * A chat-tui room against the stored history: no message shown twice, and
 * every stored one from the first shown on is shown, except the user's own
 * JOINs (the seed never sends a joiner its own).
 */
export function assertShowsHistory(store: ChatStore, room: string, history: readonly ChatMessage__Output[]): void {
  const { username } = store.getState();
  const seqs = (store.getState().rooms[room]?.lines ?? []).filter((l) => l.seq > 0).map((l) => l.seq);
  assert.equal(new Set(seqs).size, seqs.length, `${username} shows no message twice`);
  const have = new Set(seqs);
  const missing = history.filter((m) => m.seq >= (seqs[0] ?? 0) && !have.has(m.seq) && !announces(m, username));
  assert.deepEqual(missing.map((m) => `${m.type} ${m.message}`), [], `${username} missed nothing but its own JOIN`);
}

/** Waits until a condition holds; for state the server reaches asynchronously. */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * A server and one client for the whole suite: started in before(), closed in
 * after(). Read `.server` and `.client` inside tests (they exist from before() on).
 */
export function suiteServer(overrides: Partial<Config> = {}): { server: TestServer; client: ChatServiceClient } {
  const fixture = {} as { server: TestServer; client: ChatServiceClient };
  before(async () => {
    fixture.server = await startServer(overrides);
    fixture.client = connect(fixture.server.target);
  });
  after(async () => {
    fixture.client.close();
    await fixture.server.stop();
  });
  return fixture;
}
