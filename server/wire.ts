// Serialise each message once for all its recipients. grpc-js would otherwise
// run protobuf encoding per write, i.e. per recipient; here JoinChat's response
// serializer lets pre-encoded buffers through untouched.
import type * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { NoticeKind } from '../protos/generated/chat/NoticeKind.js';
import type { ServerFrame } from '../protos/generated/chat/ServerFrame.js';
import type { SessionEvent } from '../protos/generated/chat/SessionEvent.js';
import { refusedPrefix } from '../protos/rules.js';
import { withExtras, type StoredMessage } from './store/types.js';

/** A ChatMessage already encoded as protobuf bytes. */
export type Encoded = Buffer & { readonly __encodedChatMessage: true };

export const SYSTEM_USER = { user_id: 'SYSTEM', username: 'System' } as const;

export interface Wire {
  /** The ChatService definition to register, with the pass-through serializer. */
  service: grpc.ServiceDefinition;
  encode(msg: ChatMessage): Encoded;
  /**
   * Issue 13: one SessionEvent as the bytes of a ServerFrame holding it alone
   * (`0x0A varint(len) event`). Frames concatenated are one frame with all
   * their events, in order (protobuf merges repeated fields), which is how
   * frame-writer.ts batches them.
   */
  encodeEvent(event: SessionEvent): Buffer;
}

export function createWire(packageDefinition: protoLoader.PackageDefinition): Wire {
  const original = packageDefinition['chat.ChatService'] as protoLoader.ServiceDefinition | undefined;
  const join = original?.JoinChat;
  if (!original || !join) throw new Error('protos/chat.proto has no chat.ChatService.JoinChat');
  const serialize = join.responseSerialize as (value: ChatMessage) => Buffer;
  const session = original.Session;
  if (!session) throw new Error('protos/chat.proto has no chat.ChatService.Session');
  const serializeFrame = session.responseSerialize as (value: ServerFrame) => Buffer;
  const service: grpc.ServiceDefinition = {
    ...original,
    JoinChat: {
      ...join,
      responseSerialize: (value: ChatMessage | Encoded) => (Buffer.isBuffer(value) ? value : serialize(value)),
    },
    // Session frames are built from encoded pieces (frame-writer.ts) and pass through the same way.
    Session: {
      ...session,
      responseSerialize: (value: ServerFrame | Buffer) => (Buffer.isBuffer(value) ? value : serializeFrame(value)),
    },
  };
  return {
    service,
    encode: (msg) => Buffer.from(serialize(msg)) as Encoded,
    encodeEvent: (event) => Buffer.from(serializeFrame({ events: [event] })),
  };
}

export function toWire(m: StoredMessage): ChatMessage {
  const msg: ChatMessage = {
    user_id: m.user_id,
    username: m.username,
    message: m.message,
    timestamp: m.timestamp,
    // Issue 16: a stored room event is a SYSTEM line with a seq (its text reads on its own) and an action.
    type: m.type === 'EVENT' ? 'SYSTEM' : m.type,
    room_id: m.room_id,
    seq: m.seq,
    client_msg_id: m.client_msg_id ?? '',
  };
  return m.type === 'TEXT' || m.type === 'EVENT' ? withExtras(msg, m) : msg;
}

/** A SYSTEM line that is not stored (seq 0): history separators, errors, notices. */
export function systemNotice(room_id: string, message: string, notice: NoticeKind): ChatMessage {
  return { ...SYSTEM_USER, message, timestamp: Date.now(), type: 'SYSTEM', room_id, seq: 0, notice };
}

/**
 * Tells one sender its message was not posted, and which one (its text, and
 * its client id when it had one). `retryAfterMs` > 0: only for now (the rate
 * limit); the same message may be sent again after that long.
 */
export function notSent(room_id: string, reason: string, text: string, post: { clientMsgId?: string; retryAfterMs?: number } = {}): ChatMessage {
  const refused = refusedPrefix(text);
  const quote = refused.length > 60 ? `${[...refused].slice(0, 60).join('')}…` : refused;
  const retry = post.retryAfterMs ?? 0;
  const then = retry > 0 ? ` It can be sent again in ${Math.ceil(retry / 100) / 10} s.` : ' Press Up to get it back.';
  return {
    ...systemNotice(room_id, `Message not sent (${reason}): "${quote}".${then}`, 'NOTICE_NOT_SENT'),
    refused,
    client_msg_id: post.clientMsgId ?? '',
    retry_after_ms: retry,
  };
}
