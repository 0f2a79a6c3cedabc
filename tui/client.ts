// What the app holds to talk to the server: join, leave, send, page back, list.
// It wires three parts and decides nothing itself:
//   connection.ts  the gRPC adapter: streams, reconnect, failover; wire -> domain events
//   outgoing.ts    typed but not yet echoed: the queue, resend after a resume, echo matching
//   store.ts       what the screen shows
// Every batch from a room's stream goes through applyBatch(): the store first,
// then outgoing, so a caught-up mark is acted on after the replay it ends.
import { Connection, type ClientOptions } from './connection.js';
import type { RoomEvent, RoomSummary } from './domain.js';
import { Outgoing } from './outgoing.js';
import type { ChatStore } from './store.js';

export type { ClientOptions } from './connection.js';

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

  constructor(
    private readonly store: ChatStore,
    targets: string | readonly string[],
    opts: ClientOptions = {},
  ) {
    const st = () => this.store.getState();
    this.outgoing = new Outgoing({
      write: (roomId, post) => this.connection.post(roomId, post.text),
      changed: (roomId, pending) => st().setPending(roomId, pending),
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
        live: (roomId) => this.outgoing.live(roomId),
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

  listRooms(): Promise<RoomSummary[]> {
    return this.connection.listRooms();
  }

  listMembers(roomId: string): Promise<string[]> {
    return this.connection.listMembers(roomId);
  }

  close(): void {
    this.connection.close();
  }

  private refreshMembers(roomId: string): void {
    this.listMembers(roomId).then(
      (names) => this.store.getState().setMembers(roomId, names),
      () => undefined,
    );
  }
}
