// What was typed and not yet echoed, per room: the one owner of that queue.
//
// - A message waits in its room's queue until the server echoes it back.
// - Each stream a room opens gets a number; a message records the stream it was
//   last written on, and drain() writes, in order, whatever the current stream
//   has not had yet, whenever the room is live.
// - A stream that reopens as a resume while messages are unconfirmed holds them
//   until the server's caught-up mark: the replay's echoes confirm what did
//   arrive, and only the rest is written again.
// - Every message carries a client message id: its echo confirms exactly it
//   (a server too old to echo ids: the oldest with the same text), and the
//   server drops a resend of an id it has already stored.
// - Writes are paced to the server's rate limit (pacer.ts): what the bucket
//   does not allow now waits for a timer, in order. A refusal for rate puts the
//   message back in the queue after the wait the server asks for; any other
//   refusal drops it and tells the owner.
import { randomBytes } from 'node:crypto';
import { refusedPrefix } from '../protos/rules.js';
import type { PendingMessage, RoomEvent } from './domain.js';
import { Pacer } from './pacer.js';

/** One message as it goes on the wire. */
export interface Post {
  text: string;
  clientMsgId: string;
  /** Issue 16: the seq this answers (absent: not a reply). */
  replyTo?: number;
}

export interface OutgoingPorts {
  /** Puts one post on the room's current stream. */
  write(roomId: string, post: Post): void;
  /** The room's queue changed: show it (oldest first). Unchanged entries keep their identity. */
  changed(roomId: string, pending: readonly PendingMessage[]): void;
  /** The server refused one of ours for good (too long, store down, ...): it will not be sent again. */
  refused?(roomId: string, text: string, reason: string): void;
}

/** down: no stream that answers; catchingUp: a resumed stream before its caught-up mark; live: writes go out. */
type Phase = 'down' | 'catchingUp' | 'live';

interface Queued {
  /** What the store shows; replaced, never mutated, when it changes. */
  view: PendingMessage;
  clientMsgId: string;
  replyTo: number;
  /** The stream it was last written on (null: never written). */
  sentOn: number | null;
}

interface RoomQueue {
  items: Queued[];
  phase: Phase;
  /** Numbers the room's streams, so a reopened stream gets everything again. */
  stream: number;
  /** This stream is a resume and some messages went out on an earlier one: wait for the caught-up mark. */
  holdForCatchUp: boolean;
}

/**
 * Posts written on a stream and not yet echoed, at most. Without a rate limit a
 * pipe could write thousands at once; the echoes would then pile up on the
 * server faster than this client reads them while it writes, and the server
 * ends a reader that falls that far behind.
 */
export const MAX_IN_FLIGHT = 200;

/** Which queued message an echo or a refusal is about: by id when the server names one, else by text. */
function isAbout(item: Queued, clientMsgId: string, matchText: (item: Queued) => boolean): boolean {
  return clientMsgId ? item.clientMsgId === clientMsgId : matchText(item);
}

export class Outgoing {
  private nextId = 0;
  private readonly rooms = new Map<string, RoomQueue>();
  /** Ids are unique per user: a random prefix per process, a counter per message. */
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ports: OutgoingPorts,
    readonly pacer: Pacer = new Pacer(),
  ) {}

  /** Queues a typed message; it goes out at once if the room is live and the pace allows. */
  add(roomId: string, text: string, replyTo = 0): void {
    const q = this.room(roomId);
    const id = ++this.nextId;
    q.items.push({ view: { id, text, sent: false }, clientMsgId: `${this.idPrefix}.${id}`, replyTo, sentOn: null });
    this.drain(roomId, q);
    this.publish(roomId, q);
  }

  /** Messages not yet confirmed, in every room. */
  get size(): number {
    let n = 0;
    for (const q of this.rooms.values()) n += q.items.length;
    return n;
  }

  /** The pacer learnt the limit: write what waited for it. */
  kick(): void {
    for (const [roomId, q] of this.rooms) if (this.drain(roomId, q)) this.publish(roomId, q);
  }

  /** Stops the pacing timer (the client is closing). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A new stream for the room is opening; `resuming`: it asks only for what it missed. */
  opened(roomId: string, resuming: boolean): void {
    const q = this.room(roomId);
    q.stream++;
    q.phase = 'down';
    q.holdForCatchUp = resuming && q.items.some((i) => i.sentOn !== null);
  }

  /** The room's stream answered. */
  live(roomId: string): void {
    const q = this.room(roomId);
    if (q.phase !== 'down') return;
    q.phase = q.holdForCatchUp ? 'catchingUp' : 'live';
    if (this.drain(roomId, q)) this.publish(roomId, q);
  }

  /** The room's stream ended; messages wait for the next one. */
  lost(roomId: string): void {
    const q = this.rooms.get(roomId);
    if (q) q.phase = 'down';
  }

  /** The room was left: its unconfirmed messages go with it. */
  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  /**
   * What the room's stream brought (new to us, in order). Echoes and refusals
   * settle queued messages; a caught-up mark makes the room live and writes what
   * is still unconfirmed. The caller hands a whole batch at once, so that write
   * comes after every echo in the replay has been counted.
   */
  received(roomId: string, events: readonly RoomEvent[]): void {
    const q = this.rooms.get(roomId);
    if (!q) return;
    let changed = false;
    for (const e of events) {
      if (e.kind === 'message' && e.own) {
        const text = e.line.text;
        changed = this.remove(q, (i) => isAbout(i, e.clientMsgId, (x) => x.view.text === text)) !== null || changed;
      }
      if (e.kind === 'notSent') changed = this.refusedOne(roomId, q, e) || changed;
      if (e.kind === 'caughtUp' && q.phase === 'catchingUp') q.phase = 'live';
    }
    if (this.drain(roomId, q) || changed) this.publish(roomId, q);
  }

  /** The room's unconfirmed messages, oldest first. */
  pending(roomId: string): readonly PendingMessage[] {
    return this.rooms.get(roomId)?.items.map((i) => i.view) ?? [];
  }

  /** A NOT_SENT notice: for rate, the message waits and goes again; otherwise it is dropped. */
  private refusedOne(roomId: string, q: RoomQueue, e: Extract<RoomEvent, { kind: 'notSent' }>): boolean {
    const about = (i: Queued) => i.sentOn !== null && isAbout(i, e.clientMsgId, (x) => refusedPrefix(x.view.text) === e.refused);
    if (e.retryAfterMs > 0) {
      const item = q.items.find(about);
      if (!item) return false;
      // Written again, in its place in the queue, once the server's wait is over.
      item.sentOn = null;
      this.pacer.backOff(e.retryAfterMs);
      this.schedule();
      return false;
    }
    const gone = this.remove(q, about);
    if (gone) this.ports.refused?.(roomId, gone.view.text, e.line.text);
    return gone !== null;
  }

  /** Writes, in order, what the live stream has not had yet, as fast as the pacer allows; true if anything was written. */
  private drain(roomId: string, q: RoomQueue): boolean {
    // Until the server's limit is known the pacer would only be guessing: wait for kick().
    if (q.phase !== 'live' || !this.pacer.ready) return false;
    let wrote = false;
    let inFlight = q.items.filter((i) => i.sentOn === q.stream).length;
    for (const item of q.items) {
      if (item.sentOn === q.stream) continue;
      // More goes out as echoes come back (received() drains again).
      if (inFlight >= MAX_IN_FLIGHT) break;
      inFlight++;
      if (this.pacer.wait() > 0) {
        this.schedule();
        break;
      }
      this.pacer.take();
      this.ports.write(roomId, { text: item.view.text, clientMsgId: item.clientMsgId, ...(item.replyTo > 0 ? { replyTo: item.replyTo } : {}) });
      item.sentOn = q.stream;
      if (!item.view.sent) item.view = { ...item.view, sent: true };
      wrote = true;
    }
    return wrote;
  }

  /** One timer for every room: when the pacer allows the next post, drain again. */
  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      for (const [roomId, q] of this.rooms) if (this.drain(roomId, q)) this.publish(roomId, q);
    }, Math.max(1, this.pacer.wait()));
  }

  /** Removes the oldest queued message that `match` picks, and returns it. */
  private remove(q: RoomQueue, match: (item: Queued) => boolean): Queued | null {
    const i = q.items.findIndex(match);
    if (i < 0) return null;
    return q.items.splice(i, 1)[0] ?? null;
  }

  private publish(roomId: string, q: RoomQueue): void {
    this.ports.changed(roomId, q.items.map((i) => i.view));
  }

  private room(roomId: string): RoomQueue {
    let q = this.rooms.get(roomId);
    if (!q) {
      q = { items: [], phase: 'down', stream: 0, holdForCatchUp: false };
      this.rooms.set(roomId, q);
    }
    return q;
  }
}
