// Issue 13: everything a Session stream sends in one turn of the event loop,
// as one ServerFrame: one write per session per tick (or sooner, once it
// passes FRAME_SOON_BYTES), however many rooms and messages it carries.
// Room messages arrive already encoded (one encoding per room for all its
// members) and are framed by prefixing field headers, never re-encoded:
// SessionEvent.message = 0x0A varint(len) msg, ServerFrame.events = 0x0A
// varint(len) event. Other events are encoded one by one (wire.encodeEvent
// gives a one-event ServerFrame, which is the same shape). A ServerFrame's
// repeated field is the concatenation of its parts, so a frame is a
// Buffer.concat. It is every membership's outbox Sink: when grpc-js pushes
// back, the outboxes hold their messages until 'drain', as for JoinChat.
import { EventEmitter } from 'node:events';
import type { SessionEvent } from '../protos/generated/chat/SessionEvent.js';
import { WINDOW, type Sink } from './outbox.js';
import type { Encoded } from './wire.js';

/** A frame is written at once when it reaches this many bytes, not at the end of the turn. */
export const FRAME_SOON_BYTES = 64 * 1024;

/** The part of a grpc-js server stream a writer needs. */
export interface FrameCall {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function putVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

/** The headers that make an encoded ChatMessage one event of a ServerFrame (ServerFrame.events[i].message). */
export function messageHeader(messageBytes: number): Buffer {
  const eventBytes = 1 + varintSize(messageBytes) + messageBytes;
  const head = Buffer.allocUnsafe(2 + varintSize(eventBytes) + varintSize(messageBytes));
  let at = 0;
  head[at++] = 0x0a; // ServerFrame.events, length-delimited
  at = putVarint(head, at, eventBytes);
  head[at++] = 0x0a; // SessionEvent.message, length-delimited
  putVarint(head, at, messageBytes);
  return head;
}

export class FrameWriter extends EventEmitter implements Sink {
  private parts: Buffer[] = [];
  private bytes = 0;
  private scheduled = false;
  /** grpc-js said no more for now: the outboxes hold theirs until 'drain'. */
  private blocked = false;
  private closed = false;
  private drainWaiters: Array<() => void> = [];
  /** Frames written (for the logs and tests of batching). */
  frames = 0;

  constructor(
    private readonly call: FrameCall,
    private readonly encodeEvent: (event: SessionEvent) => Buffer,
  ) {
    super();
    // One 'drain' listener per blocked outbox, i.e. per room of the session.
    this.setMaxListeners(0);
  }

  /** Sink: what an outbox hands on is the room's encoded ChatMessage. */
  write(chunk: Encoded): boolean {
    if (this.closed) return false;
    this.push(messageHeader(chunk.length));
    this.push(chunk);
    return !this.blocked;
  }

  /** Sink: an outbox blocks once this reaches its window, i.e. while grpc-js pushes back. */
  get writableLength(): number {
    return this.blocked ? WINDOW : 0;
  }

  /** Any other event (welcome, room, error, ...), in order with the messages. */
  event(event: SessionEvent): void {
    if (!this.closed) this.push(this.encodeEvent(event));
  }

  /** Writes what is pending now and resolves once grpc-js has taken it (or the writer closed). */
  drained(): Promise<void> {
    this.flush();
    if (!this.blocked || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Nothing more is written; pending parts are dropped. */
  close(): void {
    this.closed = true;
    this.parts = [];
    this.bytes = 0;
    this.wake();
  }

  private push(buf: Buffer): void {
    this.parts.push(buf);
    this.bytes += buf.length;
    if (this.bytes >= FRAME_SOON_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes the pending parts as one frame. */
  flush(): void {
    if (this.closed || this.parts.length === 0) return;
    const frame = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    this.frames++;
    if (this.call.write(frame) || this.blocked) return;
    this.blocked = true;
    this.call.once('drain', () => {
      this.blocked = false;
      this.emit('drain');
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
