// What was typed and not yet echoed, per room: the one owner of that queue.
//
// - A message waits in its room's queue until the server echoes it back.
// - Each stream a room opens gets a number; a message records the stream it was
//   last written on, and drain() writes, in order, whatever the current stream
//   has not had yet, whenever the room is live.
// - A stream that reopens as a resume while messages are unconfirmed holds them
//   until the server's caught-up mark: the replay's echoes confirm what did
//   arrive, and only the rest is written again.
// - An echo confirms the oldest pending message with its text; a NOT_SENT notice
//   drops the sent message whose text it quotes.
//
// Seams for what comes next: drain() is where pacing to the server's advertised
// rate goes (write what the bucket allows, schedule the rest); Post is where a
// client message id goes, and confirms() is where the echo is matched on it
// instead of on the text.
import { refusedPrefix } from '../protos/rules.js';
import type { PendingMessage, RoomEvent } from './domain.js';

/** One message as it goes on the wire. */
export interface Post {
  text: string;
}

export interface OutgoingPorts {
  /** Puts one post on the room's current stream. */
  write(roomId: string, post: Post): void;
  /** The room's queue changed: show it (oldest first). Unchanged entries keep their identity. */
  changed(roomId: string, pending: readonly PendingMessage[]): void;
}

/** down: no stream that answers; catchingUp: a resumed stream before its caught-up mark; live: writes go out. */
type Phase = 'down' | 'catchingUp' | 'live';

interface Queued {
  /** What the store shows; replaced, never mutated, when it changes. */
  view: PendingMessage;
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

/** The echo of `post` would confirm this message. Today: same text; next, the same client message id. */
function confirms(item: Queued, echoText: string): boolean {
  return item.view.text === echoText;
}

export class Outgoing {
  private nextId = 0;
  private readonly rooms = new Map<string, RoomQueue>();

  constructor(private readonly ports: OutgoingPorts) {}

  /** Queues a typed message; it goes out at once if the room is live. */
  add(roomId: string, text: string): void {
    const q = this.room(roomId);
    q.items.push({ view: { id: ++this.nextId, text, sent: false }, sentOn: null });
    this.drain(roomId, q);
    this.publish(roomId, q);
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
      if (e.kind === 'message' && e.own) changed = this.remove(q, (i) => confirms(i, e.line.text)) || changed;
      // The server refused one of ours: stop showing it as on its way (the notice says which).
      if (e.kind === 'notSent') changed = this.remove(q, (i) => i.sentOn !== null && refusedPrefix(i.view.text) === e.refused) || changed;
      if (e.kind === 'caughtUp' && q.phase === 'catchingUp') q.phase = 'live';
    }
    if (this.drain(roomId, q) || changed) this.publish(roomId, q);
  }

  /** The room's unconfirmed messages, oldest first. */
  pending(roomId: string): readonly PendingMessage[] {
    return this.rooms.get(roomId)?.items.map((i) => i.view) ?? [];
  }

  /** Writes, in order, what the live stream has not had yet; true if anything was written. */
  private drain(roomId: string, q: RoomQueue): boolean {
    if (q.phase !== 'live') return false;
    let wrote = false;
    for (const item of q.items) {
      if (item.sentOn === q.stream) continue;
      this.ports.write(roomId, { text: item.view.text });
      item.sentOn = q.stream;
      if (!item.view.sent) item.view = { ...item.view, sent: true };
      wrote = true;
    }
    return wrote;
  }

  /** Removes the oldest queued message that `match` picks; true if there was one. */
  private remove(q: RoomQueue, match: (item: Queued) => boolean): boolean {
    const i = q.items.findIndex(match);
    if (i < 0) return false;
    q.items.splice(i, 1);
    return true;
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
