// What the app holds to talk to the server: join, leave, send, page back, list.
// It wires three parts and decides little itself:
//   connection.ts  the gRPC adapter: the Session stream, reconnect, failover; wire -> domain items
//   outgoing.ts    typed but not yet echoed: the queue, resend after a resume, echo matching
//   store.ts       what the screen shows
// Every room's messages in a server frame go through applyBatch(): the store
// first, then outgoing, so a caught-up mark is acted on after the replay it ends.
import { DEFAULT_ROOM } from '../protos/rules.js';
import { Connection, type ClientOptions } from './connection.js';
import type { Line, MemberInfo, ModerationAct, RoomEvent, RoomSummary, SearchPage, SessionItem, SessionNews } from './domain.js';
import { Outgoing } from './outgoing.js';
import { roomLabel } from './rooms.js';
import type { ChatStore } from './store.js';
import { frames, type Identity } from './wire.js';

export type { ClientOptions };

/** A message the server refused for good: the room, its text, the server's words. */
export type RefusedListener = (roomId: string, text: string, reason: string) => void;

export const HISTORY_PAGE = 100;

/** SessionError codes that mean the room is not (or cannot be) one of the user's. */
const NOT_IN_ROOM = new Set([3, 5, 7]); // INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED

/**
 * One batch of a room's messages, applied in order: the store shows what is
 * new, then outgoing settles our own messages from the same new events. Any
 * caught-up mark in the batch therefore resends only what the replay before it
 * did not echo.
 */
export function applyBatch(store: ChatStore, outgoing: Outgoing, roomId: string, events: readonly RoomEvent[]): RoomEvent[] {
  const fresh = store.getState().receive(roomId, events);
  outgoing.received(roomId, fresh);
  return fresh;
}

/** An edit, delete or reaction applied to a line (issue 16): the room and the server's sentence for it. */
export type AmendListener = (roomId: string, line: Line) => void;

export class ChatClient {
  private readonly connection: Connection;
  private readonly outgoing: Outgoing;
  private readonly refusedListeners: RefusedListener[] = [];
  private readonly amendListeners: AmendListener[] = [];
  private readonly me: Identity;
  /** Rooms asked for (--room, /join, /msg) and not yet confirmed: a Hello carries them again. */
  private readonly joining = new Set<string>();
  /**
   * The rooms the command line named (--room): every Hello adds them again, as
   * each start of chat-tui would, so a server that lost the user's list (or a
   * line mode pipe) still speaks there; a /leave here drops them.
   */
  private readonly sticky = new Set<string>();
  /** A Hello has been answered at least once. */
  private welcomed = false;
  /** Rooms the server has confirmed as the user's (welcome, room events). */
  private readonly confirmed = new Set<string>();
  /** Issue 16: edit, delete, react and moderate frames by request id, to the room they were about: a refusal is said there. */
  private readonly acting = new Map<number, string>();

  constructor(
    private readonly store: ChatStore,
    targets: string | readonly string[],
    opts: ClientOptions = {},
  ) {
    const st = () => this.store.getState();
    this.me = { userId: st().userId, username: st().username };
    this.outgoing = new Outgoing({
      write: (roomId, post) => {
        this.connection.write(frames.post(roomId, post.text, post.clientMsgId, post.replyTo ?? 0));
      },
      changed: (roomId, pending) => st().setPending(roomId, pending),
      refused: (roomId, text, reason) => this.tellRefused(roomId, text, reason),
    });
    this.connection = new Connection(
      targets,
      this.me,
      {
        opening: () => {
          // The limit comes with the welcome; until then nothing goes out blind.
          this.outgoing.pacer.unknown();
          const resume = new Map<string, number>();
          for (const roomId of st().order) {
            const lastSeq = st().rooms[roomId]?.lastSeq ?? 0;
            resume.set(roomId, lastSeq);
            this.outgoing.opened(roomId, lastSeq > 0);
          }
          return { join: [...new Set([...this.sticky, ...this.joining])], resume };
        },
        frame: (items) => this.apply(items),
        down: (final, detail) => {
          for (const roomId of st().order) this.outgoing.lost(roomId);
          if (final) this.local(`Server refused: ${detail}`);
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

  /** Opens the session (the user's rooms come with the welcome). */
  start(): void {
    this.connection.start();
  }

  /**
   * Adds a room (or a direct conversation) to the user's rooms; it shows at
   * once and fills when the server answers. `sticky`: named on the command
   * line, asked for in every Hello.
   */
  join(roomId: string, sticky = false): void {
    if (sticky) this.sticky.add(roomId);
    const st = this.store.getState();
    st.addRoom(roomId);
    if (!st.current) this.store.setState({ current: roomId });
    // Already one of ours (/join of a room in the sidebar): nothing to open again.
    if (this.confirmed.has(roomId)) return;
    if (this.joining.has(roomId)) return this.connection.start();
    this.joining.add(roomId);
    this.outgoing.opened(roomId, false);
    // Not live yet: the Hello carries it.
    if (!this.connection.write(frames.join(roomId))) this.connection.start();
  }

  /** Removes the room from the user's rooms, in every session of the user. */
  leave(roomId: string): boolean {
    // Not live: nothing is said, and the room stays (the next welcome would bring it back anyway).
    if (!this.connection.write(frames.leave(roomId))) return false;
    this.confirmed.delete(roomId);
    this.joining.delete(roomId);
    this.sticky.delete(roomId);
    this.outgoing.forget(roomId);
    this.store.getState().removeRoom(roomId);
    return true;
  }

  /** Queues the text as pending; it goes out now if the room is live, else once it is. `replyTo`: the seq it answers. */
  send(roomId: string, text: string, replyTo = 0): void {
    this.outgoing.add(roomId, text, replyTo);
  }

  // Issue 16: each false when the session is down (nothing was said); the room event, or a refusal in the room, answers.
  edit(roomId: string, seq: number, text: string): boolean {
    return this.act(roomId, (id) => frames.edit(id, roomId, seq, text));
  }

  remove(roomId: string, seq: number): boolean {
    return this.act(roomId, (id) => frames.delete(id, roomId, seq));
  }

  /** Toggles: reacting again with the same emoji takes it back (the server decides). */
  react(roomId: string, seq: number, emoji: string): boolean {
    return this.act(roomId, (id) => frames.react(id, roomId, seq, emoji));
  }

  moderate(roomId: string, act: ModerationAct): boolean {
    return this.act(roomId, (id) => frames.moderate(id, roomId, act));
  }

  private act(roomId: string, build: Parameters<Connection['act']>[0]): boolean {
    const id = this.connection.act(build);
    if (id === null) return false;
    this.acting.set(id, roomId);
    // Allowed acts are never answered as such: only the newest few are kept to match refusals to.
    if (this.acting.size > 200) this.acting.delete(this.acting.keys().next().value!);
    return true;
  }

  /** The user is typing in the room (or stopped); dropped while the session is down. */
  typing(roomId: string, typing: boolean): void {
    this.connection.write(frames.typing(roomId, typing));
  }

  /** The user has read the room up to `seq`: the server keeps it, the user's other sessions follow. */
  read(roomId: string, seq: number): void {
    if (this.connection.write(frames.read(roomId, seq))) this.store.getState().markRead(roomId, seq);
  }

  /** /away reason, or /back; false when the session is down (nothing was said). */
  away(away: boolean, reason: string): boolean {
    if (!this.connection.write(frames.away(away, reason))) return false;
    this.store.getState().setAway(away, away ? reason : '');
    return true;
  }

  loadOlder(roomId: string): void {
    const st = this.store.getState();
    const room = st.rooms[roomId];
    // Nothing stored on screen yet (the join's history is still on its way): no anchor to page from.
    const before = room?.lines.find((l) => l.seq > 0)?.seq;
    if (!room || before === undefined || room.loadingOlder || room.reachedStart) return;
    st.setLoadingOlder(roomId, true);
    this.history(roomId, before, HISTORY_PAGE).then(
      (page) => this.store.getState().prependHistory(roomId, page.lines, page.reachedStart),
      () => this.store.getState().setLoadingOlder(roomId, false),
    );
  }

  /** Issue 15: the room's stored messages matching `query`, newest first, before `beforeSeq` (0: the newest). */
  search(roomId: string, query: string, beforeSeq: number, limit: number): Promise<SearchPage> {
    return this.connection.search(roomId, query, beforeSeq, limit);
  }

  /** Stored lines strictly before `beforeSeq`, oldest first, through the session (fetch_history). */
  async history(roomId: string, beforeSeq: number, limit: number): Promise<{ lines: Line[]; reachedStart: boolean }> {
    const answer = await this.connection.ask((id) => frames.history(id, roomId, beforeSeq, limit));
    if (answer.kind !== 'history') throw new Error('no history in the answer');
    return { lines: answer.lines, reachedStart: answer.reachedStart };
  }

  listRooms(): Promise<RoomSummary[]> {
    return this.connection.listRooms();
  }

  /** Who is in the room, with presence; `includeOffline`: also those who keep it in their list but are not connected. */
  async members(roomId: string, includeOffline = false): Promise<MemberInfo[]> {
    const answer = await this.connection.ask((id) => frames.members(id, roomId, includeOffline));
    if (answer.kind !== 'members') throw new Error('no members in the answer');
    // The store has it already: the answer went through the frame's items in order (connection.ts answered()).
    return answer.members;
  }

  /** The names of who is in the room now. */
  async listMembers(roomId: string): Promise<string[]> {
    return (await this.members(roomId)).map((m) => m.username);
  }

  /** Line mode prints edits, deletes and reactions as the server words them (the pane applies them to their lines instead). */
  onAmend(listener: AmendListener): void {
    this.amendListeners.push(listener);
  }

  /** Plain mode counts refusals; the pane shows the server's notice anyway. */
  onRefused(listener: RefusedListener): void {
    this.refusedListeners.push(listener);
  }

  /** The room's newest `limit` stored lines, oldest first (line mode's --history: before any session). */
  async recent(roomId: string, limit: number): Promise<Line[]> {
    return (await this.connection.unaryHistory(roomId, 0, limit)).lines;
  }

  /** Messages typed and not yet confirmed by the server, in every room. */
  get unconfirmed(): number {
    return this.outgoing.size;
  }

  close(): void {
    this.outgoing.close();
    this.connection.close();
  }

  /** One server frame: each room's messages as one batch, everything else in its place between them. */
  private apply(items: readonly SessionItem[]): void {
    const batches = new Map<string, RoomEvent[]>();
    const flush = () => {
      for (const [roomId, events] of batches) this.roomBatch(roomId, events);
      batches.clear();
    };
    for (const item of items) {
      if (item.kind === 'roomEvent') {
        const list = batches.get(item.roomId);
        if (list) list.push(item.event);
        else batches.set(item.roomId, [item.event]);
        continue;
      }
      flush();
      this.news(item);
    }
    flush();
  }

  private roomBatch(roomId: string, events: RoomEvent[]): void {
    if (!this.store.getState().rooms[roomId]) return;
    const fresh = applyBatch(this.store, this.outgoing, roomId, events);
    for (const e of fresh) if (e.kind === 'amend') for (const listener of this.amendListeners) listener(roomId, e.line);
    // One member-list refresh per batch: a replayed history can hold thousands of
    // JOIN/LEAVE lines. A kick or ban takes someone out as surely as a LEAVE.
    const leaves = (e: RoomEvent) => e.kind === 'moderation' && (e.act.action === 'kick' || e.act.action === 'ban');
    if (events.some((e) => e.kind === 'memberChange' || leaves(e))) this.refreshMembers(roomId);
  }

  private news(item: SessionNews): void {
    const st = () => this.store.getState();
    switch (item.kind) {
      case 'welcome': {
        if (item.userId) {
          this.me.userId = item.userId;
          this.store.setState({ userId: item.userId });
        }
        this.outgoing.pacer.setLimit(item.limit);
        const known = new Set(item.rooms.map((r) => r.roomId));
        // Rooms left in another session while this one was away go; the rest follow the server's order.
        for (const roomId of st().order) if (!known.has(roomId)) this.drop(roomId, 'you are no longer in this room');
        st().welcome(item.rooms);
        st().setAway(item.away, item.awayReason);
        this.confirmed.clear();
        for (const r of item.rooms) {
          this.confirmed.add(r.roomId);
          this.joining.delete(r.roomId);
          this.outgoing.live(r.roomId);
          this.refreshMembers(r.roomId);
        }
        const first = !this.welcomed;
        this.welcomed = true;
        // A new user with no rooms (and no --room): the default room, as chat-tui always started.
        if (first && item.rooms.length === 0 && this.joining.size === 0) this.join(DEFAULT_ROOM);
        this.outgoing.kick();
        return;
      }
      case 'room':
        this.confirmed.add(item.room.roomId);
        this.joining.delete(item.room.roomId);
        st().roomInfo(item.room);
        this.outgoing.live(item.room.roomId);
        this.refreshMembers(item.room.roomId);
        return;
      case 'left': {
        const room = st().rooms[item.roomId];
        this.confirmed.delete(item.roomId);
        // Kicked, banned, or left elsewhere: a later Hello must not add it again (--room).
        this.sticky.delete(item.roomId);
        if (!room) return;
        this.drop(item.roomId, item.reason || 'you left this room');
        st().removeRoom(item.roomId);
        this.local(`Left ${roomLabel(room)}${item.reason ? ` (${item.reason})` : ''}`);
        return;
      }
      case 'read':
        return st().markRead(item.roomId, item.seq);
      case 'typing':
        if (item.username.toLowerCase() === this.me.username.toLowerCase()) return;
        return st().typingIn(item.roomId, item.username, item.typing);
      case 'presence':
        return st().setPresence(item.member);
      case 'members':
        return st().setMemberInfos(item.roomId, item.members);
      case 'history':
        return;
      case 'error':
        return this.sessionError(item);
    }
  }

  /** A frame the server could not do: a join refused, a post to a room the user is not in, ... */
  private sessionError(e: Extract<SessionNews, { kind: 'error' }>): void {
    const st = this.store.getState();
    const acted = e.requestId ? this.acting.get(e.requestId) : undefined;
    if (acted !== undefined) {
      // An edit, delete, reaction or moderation act refused (not allowed, no such message, muted...): said in its room, which stays.
      this.acting.delete(e.requestId);
      if (st.rooms[acted]) st.localLine(acted, e.details);
      else this.local(e.details);
      return;
    }
    const room = e.roomId ? st.rooms[e.roomId] : undefined;
    if (e.roomId && NOT_IN_ROOM.has(e.code)) {
      // Whatever waits for that room will never go: say so, and drop a room that never opened.
      this.drop(e.roomId, e.details);
      this.confirmed.delete(e.roomId);
      if (this.joining.delete(e.roomId) && room) st.removeRoom(e.roomId);
      this.local(`${room ? `${roomLabel(room)}: ` : ''}${e.details}`);
      return;
    }
    if (room) st.localLine(e.roomId, e.details);
    else this.local(e.details);
  }

  /** The room is gone for this client: what still waited to be sent there is refused, not silently lost. */
  private drop(roomId: string, reason: string): void {
    for (const p of this.outgoing.pending(roomId)) this.tellRefused(roomId, p.text, reason);
    this.outgoing.forget(roomId);
    this.store.getState().setPending(roomId, []);
  }

  private tellRefused(roomId: string, text: string, reason: string): void {
    for (const listener of this.refusedListeners) listener(roomId, text, reason);
  }

  /** A line for this session only, in the room on screen. */
  private local(text: string): void {
    const { current, localLine } = this.store.getState();
    // No room left (kicked from the only one): the empty pane still says it.
    localLine(current, text);
  }

  private refreshMembers(roomId: string): void {
    this.members(roomId).then(
      () => undefined,
      () => undefined,
    );
  }
}
