// The idle bench's clients read the few ChatMessage fields they need straight
// from the protobuf bytes: decoding every JOIN notice of a join storm into a
// full object (as @grpc/proto-loader does) would make the clients, not the
// server, the bottleneck on a 2-core machine. Field numbers: protos/chat.proto.
import type * as grpc from '@grpc/grpc-js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';

/** What an idle client writes: ChatMessages on JoinChat, ClientFrames on Session. */
export type Outgoing = ChatMessage | ClientFrame;
/** Either kind of stream; the bytes that come back are read without decoding. */
export type Call = grpc.ClientDuplexStream<Outgoing, Buffer>;

/** What an idle client looks at in a server message. */
export interface Peek {
  /** MessageType: 0 TEXT, 1 JOIN, 2 LEAVE, 3 SYSTEM. */
  type: number;
  seq: number;
  /** NoticeKind (SYSTEM only); 2 is HISTORY_END, 6 CAUGHT_UP. */
  notice: number;
  /** Where the message text (field 3) sits in the buffer; decoded only when needed. */
  textStart: number;
  textEnd: number;
}

export const TEXT = 0;
export const JOIN = 1;
export const LEAVE = 2;
export const NOTICE_HISTORY_END = 2;
export const NOTICE_CAUGHT_UP = 6;

/** Reads a varint at `pos`; returns value and the next position (values past 2^53 lose precision, none here get there). */
export function varint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw new Error('truncated varint');
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

/**
 * One pass over the fields of the ChatMessage in buf[start, end) (the whole
 * buffer unless told: a Session frame carries many); unknown fields are
 * skipped by wire type.
 */
export function peek(buf: Buffer, out: Peek, start = 0, end = buf.length): Peek {
  out.type = 0;
  out.seq = 0;
  out.notice = 0;
  out.textStart = 0;
  out.textEnd = 0;
  let pos = start;
  while (pos < end) {
    const [tag, afterTag] = varint(buf, pos);
    pos = afterTag;
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (wireType === 0) {
      const [value, next] = varint(buf, pos);
      pos = next;
      if (field === 5) out.type = value;
      else if (field === 7) out.seq = value;
      else if (field === 9) out.notice = value;
    } else if (wireType === 2) {
      const [length, next] = varint(buf, pos);
      if (field === 3) {
        out.textStart = next;
        out.textEnd = next + length;
      }
      pos = next + length;
    } else if (wireType === 1) pos += 8;
    else if (wireType === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return out;
}

export function text(buf: Buffer, p: Peek): string {
  return buf.toString('utf8', p.textStart, p.textEnd);
}

export interface Verdict {
  /** Stored seqs a stream skipped that are not its own JOIN (which the server rightly does not echo). */
  lost: number;
  /** Skipped seqs that are the stream's own JOIN notice. */
  ownJoins: number;
  /** Stored seqs a stream received twice (or out of order). */
  dups: number;
  /** Streams whose newest seq is behind their room's newest. */
  behind: number;
  examples: string[];
}

export interface Stream {
  index: number;
  room: string;
  name: string;
  conn: number;
  /** The room's first stream posts its broadcasts. */
  sender: boolean;
  call: Call | null;
  /** In: the server has said so (chat) or the JOIN is written (bare). */
  acked: boolean;
  /** Highest stored seq seen; 0 before the first. */
  lastSeq: number;
  /** Skipped seq ranges, flattened [from, to, from, to, ...]. */
  gaps: number[];
  seqDups: number;
  /** Bit r: broadcast round r arrived. */
  rounds: number;
}
