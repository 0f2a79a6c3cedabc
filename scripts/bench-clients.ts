// The steady-load bench's clients (scripts/bench.ts): one simulated user each,
// in one or more rooms: through JoinChat a stream per room (all on the user's
// connection), through Session one stream for all of them. Read from the bytes
// (scripts/idle-wire.ts, scripts/session-wire.ts) so the clients stay cheap
// next to the server; each hands the bench the numeric id that starts every
// TEXT it receives.
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';
import type { ServerFrame__Output } from '../protos/generated/chat/ServerFrame.js';
import { peek, TEXT, type Peek } from './idle-wire.js';
import { EVENT_ERROR, EVENT_MESSAGE, eachEvent, sessionError } from './session-wire.js';

export type Protocol = 'joinchat' | 'session';

/** What the clients received, all streams together. */
export interface Counters {
  /** Reads from the wire: JoinChat, one message each; Session, one ServerFrame each. */
  frames: number;
  /** ChatMessages in them (any type). */
  messages: number;
  /** Session only: SessionError events, by "code details". */
  errors: Map<string, number>;
}

export interface LoadStream {
  /** Posts `${id} ${body}` to the user's next room (its rooms in turn). */
  post(id: number, body: string): void;
  /**
   * Session: the server has answered the hello (its Welcome frame). JoinChat
   * has no such answer (a joiner of an empty room gets no history marks):
   * always true.
   */
  readonly ready: boolean;
  close(): void;
}

export interface StreamSpec {
  protocol: Protocol;
  client: grpc.Client;
  rooms: readonly string[];
  username: string;
  userId: string;
  /** Posts carry a client_msg_id (`c<id>`), as chat-tui's do. */
  clientIds: boolean;
  counters: Counters;
  /** A TEXT arrived that starts with a number: the post's id. */
  onText(id: number): void;
}

const JOIN_CHAT = '/chat.ChatService/JoinChat';
const SESSION = '/chat.ChatService/Session';

interface Codecs {
  joinChat: (m: ChatMessage) => Buffer;
  session: (f: ClientFrame) => Buffer;
  /** proto-loader's own decoder, to check the byte scanner against. */
  decodeFrame: (b: Buffer) => ServerFrame__Output;
}

let codecs: Codecs | null = null;
function getCodecs(): Codecs {
  if (codecs) return codecs;
  const { packageDefinition } = loadChatPackage();
  const service = packageDefinition['chat.ChatService'] as protoLoader.ServiceDefinition;
  const join = service.JoinChat;
  const session = service.Session;
  if (!join || !session) throw new Error('chat.proto has no JoinChat or no Session');
  codecs = {
    joinChat: join.requestSerialize as Codecs['joinChat'],
    session: session.requestSerialize as Codecs['session'],
    decodeFrame: session.responseDeserialize as Codecs['decodeFrame'],
  };
  return codecs;
}

/** A client with a connection of its own (grpc-js shares one between equal clients otherwise). */
export function ownConnection(target: string): grpc.Client {
  return new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
}

const scratch: Peek = { type: 0, seq: 0, notice: 0, textStart: 0, textEnd: 0 };

/** The decimal number at the start of the text, or -1. */
function leadingId(buf: Buffer, p: Peek): number {
  let id = -1;
  for (let i = p.textStart; i < p.textEnd; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) break;
    id = (id < 0 ? 0 : id * 10) + d;
  }
  return id;
}

/** Frames checked against proto-loader's decoder (the first few of the run). */
let framesToCheck = 50;

export function openStream(spec: StreamSpec): LoadStream {
  const c = getCodecs();
  const { counters } = spec;
  const onMessage = (buf: Buffer, start: number, end: number) => {
    const m = peek(buf, scratch, start, end);
    counters.messages++;
    if (m.type === TEXT) {
      const id = leadingId(buf, m);
      if (id >= 0) spec.onText(id);
    }
  };

  let next = 0;
  if (spec.protocol === 'joinchat') {
    const calls = spec.rooms.map((room) => {
      const call = spec.client.makeBidiStreamRequest<ChatMessage, Buffer>(JOIN_CHAT, c.joinChat, (b: Buffer) => b);
      call.on('data', (buf: Buffer) => {
        counters.frames++;
        onMessage(buf, 0, buf.length);
      });
      call.on('error', () => undefined);
      call.write({ user_id: spec.userId, username: spec.username, room_id: room, type: 'JOIN' });
      return call;
    });
    return {
      post: (id, body) =>
        calls[next++ % calls.length]?.write({ type: 'TEXT', message: `${id} ${body}`, ...(spec.clientIds ? { client_msg_id: `c${id}` } : {}) }),
      ready: true,
      close: () => {
        for (const call of calls) call.end();
      },
    };
  }

  const call = spec.client.makeBidiStreamRequest<ClientFrame, Buffer>(SESSION, c.session, (b: Buffer) => b);
  let ready = false;
  const visit = (frame: Buffer) => (kind: number, start: number, end: number) => {
    if (kind === EVENT_MESSAGE) onMessage(frame, start, end);
    else if (kind === EVENT_ERROR) {
      const e = sessionError(frame, start, end);
      const key = `${e.code} ${e.details}`;
      counters.errors.set(key, (counters.errors.get(key) ?? 0) + 1);
    }
  };
  call.on('data', (frame: Buffer) => {
    ready = true;
    counters.frames++;
    const before = counters.messages;
    eachEvent(frame, visit(frame));
    if (framesToCheck > 0) {
      framesToCheck--;
      checkScanner(frame, counters.messages - before, c.decodeFrame);
    }
  });
  call.on('error', () => undefined);
  call.write({ hello: { username: spec.username, user_id: spec.userId, join: [...spec.rooms] } });
  return {
    post: (id, body) =>
      call.write({ post: { room_id: spec.rooms[next++ % spec.rooms.length] ?? '', text: `${id} ${body}`, client_msg_id: `c${id}` } }),
    get ready() {
      return ready;
    },
    close: () => call.end(),
  };
}

/** The byte scanner must find as many ChatMessages in a frame as proto-loader does: else the bench's counts are wrong. */
function checkScanner(frame: Buffer, scanned: number, decode: Codecs['decodeFrame']): void {
  const decoded = decode(frame).events.filter((e) => e.message).length;
  if (decoded !== scanned) throw new Error(`session-wire found ${scanned} messages in a frame proto-loader reads as ${decoded}`);
}
