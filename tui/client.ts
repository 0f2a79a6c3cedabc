// What the app holds to talk to the server: join, leave, send, page back, list.
// It wires three parts and decides nothing itself:
//   connection.ts  the gRPC adapter: streams, reconnect, failover; wire -> domain events
//   outgoing.ts    typed but not yet echoed: the queue, resend after a resume, echo matching
//   store.ts       what the screen shows
// Every batch from a room's stream goes through applyBatch(): the store first,
// then outgoing, so a caught-up mark is acted on after the replay it ends.
import { Connection, type ClientOptions } from './connection.js';
import type { Line, RoomEvent, RoomSummary, SearchPage } from './domain.js';
import { Outgoing } from './outgoing.js';
import type { RateLimit } from './pacer.js';
import type { ChatStore } from './store.js';

export type { ClientOptions };

/** A message the server refused for good: the room, its text, the server's words. */
export type RefusedListener = (roomId: string, text: string, reason: string) => void;

export const HISTORY_PAGE = 100;

/**
 * One batch from a room's stream, applied in order: the store shows what is
 * new, then outgoing settles our own messages from the same new events. Any
 * caught-up mark in the batch therefore resends only what the replay before it
 * did not echo.
 */
export function applyBatch(store: ChatStore, outgoing: Outgoing, roomId: string, events: readonly RoomEvent[]): void {
  const fresh = store.getState().receive(roomId, events);
  outgoing.received(roomId, fresh);
}

export class ChatClient {
  private readonly connection: Connection;
  private readonly outgoing: Outgoing;
  private readonly refusedListeners: RefusedListener[] = [];
  /** The server whose rate limit the pacer follows. */
  private pacedFor: string | null = null;

  constructor(
    private readonly store: ChatStore,
    targets: string | readonly string[],
    opts: ClientOptions = {},
  ) {
    const st = () => this.store.getState();
    this.outgoing = new Outgoing({
      write: (roomId, post) => this.connection.post(roomId, post.text, post.clientMsgId),
      changed: (roomId, pending) => st().setPending(roomId, pending),
      refused: (roomId, text, reason) => {
        for (const listener of this.refusedListeners) listener(roomId, text, reason);
      },
    });
    const { userId, username } = st();
    this.connection = new Connection(
      targets,
      { userId, username },
      {
        opening: (roomId) => {
          const resumeAfter = st().rooms[roomId]?.lastSeq ?? 0;
          this.outgoing.opened(roomId, resumeAfter > 0);
          return resumeAfter;
        },
        live: (roomId) => {
          // Once per server reached: pace to its limit (it may differ after a move).
          if (this.pacedFor !== this.connection.target) this.learnRateLimit();
          this.outgoing.live(roomId);
        },
        batch: (roomId, events) => {
          applyBatch(this.store, this.outgoing, roomId, events);
          // One member-list refresh per batch: a replayed history can hold thousands of JOIN/LEAVE lines.
          if (events.some((e) => e.kind === 'memberChange')) this.refreshMembers(roomId);
        },
        members: (roomId, names) => st().setMembers(roomId, names),
        down: (roomId, final, detail) => {
          this.outgoing.lost(roomId);
          if (final) st().localLine(roomId, `Server refused: ${detail}`);
        },
        status: (s) => st().setConnection(s.state, s.detail, s.retryAt),
        moved: (target) => st().setServer(target),
      },
      opts,
    );
  }

  /** The server the channel points at now. */
  get target(): string {
    return this.connection.target;
  }

  join(roomId: string): void {
    this.store.getState().addRoom(roomId);
    this.connection.open(roomId);
  }

  leave(roomId: string): void {
    if (!this.connection.leave(roomId)) return;
    this.outgoing.forget(roomId);
    this.store.getState().removeRoom(roomId);
  }

  /** Queues the text as pending; it goes out now if the room is live, else once it is. */
  send(roomId: string, text: string): void {
    this.outgoing.add(roomId, text);
  }

  loadOlder(roomId: string): void {
    const st = this.store.getState();
    const room = st.rooms[roomId];
    // Nothing stored on screen yet (the join's history is still on its way): no anchor to page from.
    const before = room?.lines.find((l) => l.seq > 0)?.seq;
    if (!room || before === undefined || room.loadingOlder || room.reachedStart) return;
    st.setLoadingOlder(roomId, true);
    this.connection.history(roomId, before, HISTORY_PAGE).then(
      (page) => this.store.getState().prependHistory(roomId, page.lines, page.reachedStart),
      () => this.store.getState().setLoadingOlder(roomId, false),
    );
  }

  /** Issue 15: the room's stored messages matching `query`, newest first, before `beforeSeq` (0: the newest). */
  search(roomId: string, query: string, beforeSeq: number, limit: number): Promise<SearchPage> {
    return this.connection.search(roomId, query, beforeSeq, limit);
  }

  /** Stored lines strictly before `beforeSeq`, oldest first (search's context view pages with it). */
  history(roomId: string, beforeSeq: number, limit: number): Promise<{ lines: Line[]; reachedStart: boolean }> {
    return this.connection.history(roomId, beforeSeq, limit);
  }

  listRooms(): Promise<RoomSummary[]> {
    return this.connection.listRooms();
  }

  listMembers(roomId: string): Promise<string[]> {
    return this.connection.listMembers(roomId);
  }

  /** Plain mode counts refusals; the pane shows the server's notice anyway. */
  onRefused(listener: RefusedListener): void {
    this.refusedListeners.push(listener);
  }

  /** The room's newest `limit` stored lines, oldest first. */
  async recent(roomId: string, limit: number): Promise<Line[]> {
    return (await this.connection.history(roomId, 0, limit)).lines;
  }

  /** Messages typed and not yet confirmed by the server, in every room. */
  get unconfirmed(): number {
    return this.outgoing.size;
  }

  close(): void {
    this.outgoing.close();
    this.connection.close();
  }

  /** Asks the server for its rate limit; posts wait for the answer (a few ms), so none goes out blind. */
  private learnRateLimit(): void {
    const target = this.connection.target;
    this.pacedFor = target;
    this.outgoing.pacer.unknown();
    const known = (limit: RateLimit | null) => {
      this.outgoing.pacer.setLimit(limit);
      this.outgoing.kick();
    };
    this.connection.rateLimit().then(known, () => {
      // No answer: go unpaced (a refusal for rate still says how long to wait), and ask again next time.
      if (this.pacedFor === target) this.pacedFor = null;
      known(null);
    });
  }

  private refreshMembers(roomId: string): void {
    this.listMembers(roomId).then(
      (names) => this.store.getState().setMembers(roomId, names),
      () => undefined,
    );
  }
}
