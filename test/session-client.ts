// Issue 13: a Session stream for tests, on its own channel (its own HTTP/2
// connection: grpc-js shares one between clients of a target unless
// grpc.use_local_subchannel_pool is set). It sends frames and records every
// event it receives, and how many frames carried them.
import * as grpc from '@grpc/grpc-js';
import type { ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';
import type { Hello } from '../protos/generated/chat/Hello.js';
import type { ServerFrame__Output } from '../protos/generated/chat/ServerFrame.js';
import type { SessionEvent__Output } from '../protos/generated/chat/SessionEvent.js';
import type { Welcome__Output } from '../protos/generated/chat/Welcome.js';
import { connect } from './helpers.js';

export class SessionClient {
  readonly events: SessionEvent__Output[] = [];
  /** ServerFrames received (each may carry many events). */
  frames = 0;
  status: grpc.StatusObject | null = null;
  readonly client: ChatServiceClient;
  readonly call: grpc.ClientDuplexStream<ClientFrame, ServerFrame__Output>;
  private waiters: Array<() => void> = [];
  private nextRequest = 1;

  constructor(target: string, hello: Hello, metadata = new grpc.Metadata()) {
    this.client = connect(target, { 'grpc.use_local_subchannel_pool': 1 });
    this.call = this.client.Session(metadata);
    this.call.on('data', (frame: ServerFrame__Output) => {
      this.frames++;
      this.events.push(...frame.events);
      this.wake();
    });
    this.call.on('status', (s: grpc.StatusObject) => {
      this.status = s;
      this.wake();
    });
    this.call.on('error', () => this.wake());
    this.send({ hello });
  }

  send(frame: ClientFrame): number {
    const request_id = frame.request_id ?? this.nextRequest++;
    this.call.write({ ...frame, request_id });
    return request_id;
  }

  post(room_id: string, text: string, client_msg_id = ''): number {
    return this.send({ post: { room_id, text, client_msg_id } });
  }

  join(room_id: string, resume_after_seq?: number): number {
    return this.send({ join: resume_after_seq === undefined ? { room_id } : { room_id, resume_after_seq } });
  }

  leave(room_id: string): number {
    return this.send({ leave: { room_id } });
  }

  /** Messages received (for one room, or all), in order. */
  messages(room?: string): ChatMessage__Output[] {
    return this.events.flatMap((e) => (e.message && (room === undefined || e.message.room_id === room) ? [e.message] : []));
  }

  /** "name: text" of the TEXT messages received in a room. */
  texts(room: string): string[] {
    return this.messages(room)
      .filter((m) => m.type === 'TEXT')
      .map((m) => `${m.username}: ${m.message}`);
  }

  of<K extends keyof SessionEvent__Output>(kind: K): Array<NonNullable<SessionEvent__Output[K]>> {
    return this.events.flatMap((e) => (e.event === kind && e[kind] ? [e[kind] as NonNullable<SessionEvent__Output[K]>] : []));
  }

  async welcome(ms?: number): Promise<Welcome__Output> {
    await this.waitFor(() => this.of('welcome').length > 0, 'the welcome', ms);
    return this.of('welcome')[0] as Welcome__Output;
  }

  async waitFor(pred: () => boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (this.status && !pred()) throw new Error(`session ended (${this.status.code} ${this.status.details}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got:\n${this.describe().join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  waitForText(room: string, text: string, ms?: number): Promise<void> {
    return this.waitFor(() => this.messages(room).some((m) => m.type === 'TEXT' && m.message === text), `"${text}" in ${room}`, ms);
  }

  async waitForStatus(ms = 5000): Promise<grpc.StatusObject> {
    await this.waitFor(() => this.status !== null, 'the status', ms).catch((e: unknown) => {
      if (!this.status) throw e;
    });
    return this.status as grpc.StatusObject;
  }

  /** One line per event, for failure messages. */
  describe(): string[] {
    return this.events.map((e) => {
      const body = e.event ? e[e.event] : null;
      if (e.message) return `message ${e.message.room_id} #${e.message.seq} ${e.message.type} ${e.message.username}: ${e.message.message}`;
      return `${e.event} ${JSON.stringify(body)}`;
    });
  }

  /** Half-closes and waits for the server's status. */
  async end(): Promise<void> {
    this.call.end();
    await this.waitForStatus().catch(() => undefined);
    this.client.close();
  }

  /** Goes away without a word (a lost connection). */
  cancel(): void {
    this.call.cancel();
    this.client.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** A hello for `username` with its usual test user_id. */
export function hello(username: string, extra: Hello = {}): Hello {
  return { username, user_id: `${username.toLowerCase()}-id`, ...extra };
}
