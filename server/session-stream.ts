// Issue 13: one Session stream, one person's every room on one stream. With
// accounts its token is checked first; the hello then names the user (the
// name is held here once, and claimed on the other servers as JoinChat does),
// the Welcome lists the user's rooms (UserState, plus Hello.join), and every
// room is joined: what followed the client's cursor, or recent history. Later
// frames (session-frames.ts), user events and room signals from the bus all
// run one at a time on the stream's chain, in the order they came, so a frame
// waiting on the store holds the ones behind it rather than overtaking them.
// Everything sent goes through the frame writer: one ServerFrame per turn.
//
// A stream ends one way, by name (as JoinChat's): refuse(s) it never got in;
// leave() the client half-closed (what it is owed is written, then OK);
// drop(s) the server or the network ended it; shutdown() the server stops
// (UNAVAILABLE). None stores a LEAVE: a session ending is presence, not a leave.
import * as grpc from '@grpc/grpc-js';
import type { ClientFrame__Output } from '../protos/generated/chat/ClientFrame.js';
import type { ServerFrame } from '../protos/generated/chat/ServerFrame.js';
import { authHeader, peerAddress, refusal } from './accounts.js';
import { FrameWriter, type FrameCall } from './frame-writer.js';
import { newSessionId } from './membership.js';
import { roomState } from './room-state.js';
import { SessionFrames } from './session-frames.js';
import { announceOffline, applyUserEvent } from './session-user-events.js';
import type { SessionHandle } from './session-registry.js';
import { SessionRooms, type RoomsOwner } from './session-rooms.js';
import { startSession } from './session-start.js';
import type { EnterOptions, LiveSession, SessionContext } from './session-types.js';
import type { Closable, Credential, Status, UserEvent } from './types.js';
import { roomWork } from './turn-budget.js';
import { checkUsername } from './validate.js';
import { systemNotice } from './wire.js';

type Call = grpc.ServerDuplexStream<ClientFrame__Output, ServerFrame>;
type State = 'authenticating' | 'new' | 'starting' | 'live' | 'leaving' | 'closed';

/** Frames and events waiting their turn on the chain; more means the client sends faster than the store answers. */
const MAX_QUEUED = 5000;
/** The longest a half-closed stream waits for its last posts to be stored and written. */
const LEAVE_FLUSH_MS = 5000;

export class SessionStream implements Closable, SessionHandle, LiveSession, RoomsOwner {
  readonly id = newSessionId();
  username = '';
  userId = '';
  userKey = '';
  readonly writer: FrameWriter;
  readonly rooms: SessionRooms;
  readonly peer: string | undefined;
  private state: State = 'new';
  private tokenName: string | null = null;
  /** Issue 16, with accounts: the account entry the token matched; the stream ends once the file no longer holds it. */
  credential: Credential | null = null;
  private holdsName = false;
  /** The last operation queued; null once everything queued has run (an idle session holds no promise). */
  private chain: Promise<void> | null = null;
  /** Operations queued on the chain and not yet finished. */
  private running = 0;
  private queued = 0;
  private readonly frames: SessionFrames;
  /** SessionErrors raised before the welcome is sent, sent right after it. */
  private early: Array<() => void> | null = null;
  private isWelcomed = false;
  /** The user a received hello names, until that hello is through (SessionRegistry.arrive). */
  private arrival: string | null = null;
  private helloSeen = false;
  /**
   * Frames received before the hello's turn of room work (the hello first, and
   * all of them while the token is checked). A storm's thousands of hellos wait
   * their turn for seconds, each as this array and one queued callback: waiting
   * on the chain instead held a promise chain and two suspended async functions
   * (about 2.4 KB a session), which the wait promoted to the old space and
   * which were garbage once the session started, 50 MB of RSS at 20,000.
   */
  private beforeStart: ClientFrame__Output[] | null = null;

  constructor(
    private readonly call: Call,
    readonly ctx: SessionContext,
  ) {
    // The one place a built frame (Buffer) is written where grpc-js's types expect
    // a ServerFrame: wire.ts's Session serializer passes buffers through unchanged.
    this.writer = new FrameWriter(call as unknown as FrameCall, ctx.wire.encodeEvent);
    this.rooms = new SessionRooms(this);
    this.frames = new SessionFrames(this);
    ctx.streams.add(this);
    const peer = call.getPeer();
    const refused = ctx.admission.openStream(peer);
    this.peer = refused ? undefined : peer;
    call.on('data', (frame: ClientFrame__Output) => this.receive(frame));
    call.on('end', () => this.leave());
    const gone = (): void => this.drop(null);
    call.on('cancelled', gone);
    call.on('error', gone);
    call.on('close', gone);
    if (refused) this.refuse(refused);
    else if (ctx.accounts) this.authenticate(ctx.accounts);
  }

  get handle(): SessionHandle {
    return this;
  }

  async shutdown(message: string, graceMs: number): Promise<void> {
    if (this.state === 'closed') return;
    this.writer.event({ message: systemNotice('', message, 'NOTICE_SHUTDOWN') });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.writer.drained(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.end({ code: 'UNAVAILABLE', details: `${message}; reconnect to resume` });
  }

  error(code: number, details: string, requestId: number, roomId: string): void {
    const send = (): void => this.writer.event({ error: { code, details, request_id: requestId, room_id: roomId } });
    if (!this.isWelcomed) (this.early ??= []).push(send);
    else send();
  }

  /** The welcome is out: errors go straight out from now on. */
  welcomed(): void {
    this.isWelcomed = true;
    const early = this.early;
    this.early = null;
    if (early) for (const send of early) send();
  }

  async enterRoom(roomId: string, opts: EnterOptions): Promise<{ joined: Promise<void> } | null> {
    const readSeq = opts.readSeq ?? (await this.ctx.store.users.readMarks(this.userKey)).get(roomId) ?? 0;
    const state = await roomState(this.ctx.store, roomId, this.username, readSeq, this.ctx.policy);
    if (this.state === 'closed' || this.rooms.has(roomId)) return null;
    this.writer.event({ room: state });
    return { joined: this.rooms.join(roomId, opts.resumeAfterSeq, opts.announce) };
  }

  userEvent(event: UserEvent): void {
    this.run(() => this.onUserEvent(event));
  }

  signal(encoded: Buffer): void {
    if (this.state === 'live') this.writer.encoded(encoded);
  }

  overflow(room: string, queued: number): void {
    this.ctx.log.warn(`User ${this.username} fell behind (${queued} messages queued in '${room}'); ending the session`, {
      event: 'slow_reader',
      user: this.username,
      room,
      peer: this.peer,
    });
    this.drop({ code: 'RESOURCE_EXHAUSTED', details: `you fell too far behind (${queued} messages waiting to be read); reconnect to resume` });
  }

  failed(room: string, err: unknown): void {
    this.ctx.log.error(`[${room}] join failed for ${this.username}: ${String(err)}`);
    this.error(grpc.status.UNAVAILABLE, `the server could not load room ${room} from its message store; join it again`, 0, room);
  }

  /** Sets who this is (the hello passed) and holds the name here. */
  identify(username: string, userId: string): void {
    this.username = username;
    this.userId = userId;
    this.userKey = username.toLowerCase();
    this.ctx.admission.holdName(username, userId);
    this.holdsName = true;
  }

  get tokenUser(): string | null {
    return this.tokenName;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Issue 16: the account was removed or its token replaced (accounts-watch.ts). */
  revoke(status: Status): void {
    this.drop(status);
  }

  private authenticate(accounts: NonNullable<SessionContext['accounts']>): void {
    this.state = 'authenticating';
    this.run(async () => {
      const verdict = await accounts.verify(authHeader(this.call.metadata), peerAddress(this.call.getPeer()));
      if (this.state !== 'authenticating') return;
      if (!verdict.ok) return this.refuse(refusal(verdict.reason));
      this.tokenName = verdict.username;
      this.credential = verdict.credential;
      this.state = 'new';
      if (this.beforeStart) roomWork.defer(() => this.start());
    });
  }

  private receive(frame: ClientFrame__Output): void {
    if (this.state === 'closed' || this.state === 'leaving') return;
    if (++this.queued > MAX_QUEUED) {
      return this.drop({ code: 'RESOURCE_EXHAUSTED', details: `more than ${MAX_QUEUED} frames are waiting to be handled; slow down and reconnect` });
    }
    if (!this.helloSeen) {
      // The first frame: a hello announces its user now, ahead of its turn.
      this.helloSeen = true;
      const name = frame.frame === 'hello' && frame.hello ? checkUsername(frame.hello.username) : null;
      if (name?.ok) this.ctx.registry.arrive((this.arrival = name.value.toLowerCase()));
    }
    if (this.state === 'authenticating' || this.state === 'new') {
      // The hello waits for its turn of the shared budget: a storm's hellos (each
      // reading the user's rooms and read state) must not all run in one turn.
      // (An array literal: a push() onto [] would allocate room for 17 frames.)
      if (this.beforeStart) this.beforeStart.push(frame);
      else {
        this.beforeStart = [frame];
        if (this.state === 'new') roomWork.defer(() => this.start());
      }
      return;
    }
    this.run(() => this.take(frame));
  }

  /** The hello's turn of room work: it and the frames after it go on the chain, in order. */
  private start(): void {
    const frames = this.beforeStart;
    this.beforeStart = null;
    if (this.state === 'closed' || !frames) return;
    for (const frame of frames) this.run(() => this.take(frame));
  }

  /** One frame's turn on the chain: the first starts the session, later ones are handled once it is live. */
  private async take(frame: ClientFrame__Output): Promise<void> {
    this.queued--;
    if (this.state === 'new') {
      this.state = 'starting';
      const refused = await startSession(this, frame).finally(() => this.arrived());
      if (refused) return this.refuse(refused);
      if (this.state === 'starting') this.state = 'live';
    } else if (this.state === 'live') await this.frames.handle(frame);
  }

  private async onUserEvent(event: UserEvent): Promise<void> {
    if (this.state === 'live') await applyUserEvent(this, event);
  }

  /** Runs `op` after everything before it; a store failure is the frame's error (or, before the welcome, the stream's end). */
  private run(op: () => Promise<void> | void): void {
    this.running++;
    // Once nothing is queued behind it, the chain lets go of its last promise.
    const done = (): void => {
      if (--this.running === 0) this.chain = null;
    };
    this.chain = (this.chain ?? Promise.resolve()).then(op).then(done, (err: unknown) => {
      done();
      if (this.state === 'closed') return;
      this.ctx.log.error(`session of ${this.username || '?'}: ${String(err)}`);
      if (this.state === 'live') this.error(grpc.status.UNAVAILABLE, 'the server could not read or write its store; try again', 0, '');
      else this.drop({ code: 'UNAVAILABLE', details: 'the server could not start your session; try again' });
    });
  }

  /** Resolves once everything queued on the chain so far has run. */
  private ran(): Promise<void> {
    return this.chain ?? Promise.resolve();
  }

  /** The hello is through (or never will be). */
  private arrived(): void {
    const arrival = this.arrival;
    this.arrival = null;
    if (arrival !== null) this.ctx.registry.arrived(arrival);
  }

  private refuse(refused: Status): void {
    this.end(refused);
  }

  /** The client half-closed: what it posted is stored and echoed and everything queued is written, then OK. */
  private leave(): void {
    if (this.state !== 'live') {
      if (this.state !== 'leaving') this.end(null);
      if (this.state === 'closed') this.call.end();
      return;
    }
    this.state = 'leaving';
    // In its turn of room work, as JoinChat's: a client that cancels half-closes
    // first, and a storm does that to thousands at once; by the time this runs
    // most are gone (waiting on each cost a 672 ms stall in the storm).
    roomWork.defer(() => {
      if (this.state === 'leaving') this.finishLeaving();
    });
  }

  private finishLeaving(): void {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, LEAVE_FLUSH_MS)));
    const done = this.ran().then(() => this.rooms.settled()).then(() => this.writer.drained());
    void Promise.race([done, limit]).then(() => {
      clearTimeout(timer);
      if (this.state !== 'leaving') return;
      this.end(null);
      this.call.end();
    });
  }

  private drop(status: Status | null): void {
    this.end(status);
  }

  /** The one way out, taken once: leaves every room quietly, lets go of the name, tells the client `status`. */
  private end(status: Status | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const { ctx } = this;
    ctx.streams.delete(this);
    if (this.peer !== undefined) ctx.admission.closeStream(this.peer);
    this.writer.close();
    const rooms = this.rooms.ids();
    // Told only if the user stays away past the grace (a reconnect tells nobody
    // anything), after this session's rooms are left (queued first) and after
    // the hellos that arrived meanwhile (SessionRegistry.arrive).
    const offline = (): void =>
      roomWork.defer(
        () =>
          void announceOffline(ctx, this.userKey, this.username).catch((err: unknown) => {
            ctx.registry.settleDeparture(this.userKey);
            ctx.log.warn(`presence of ${this.username}: ${String(err)}`);
          }),
      );
    const last = this.userKey !== '' && ctx.registry.remove(this, rooms, offline);
    this.rooms.leaveAll();
    this.arrived();
    if (this.holdsName && ctx.admission.releaseName(this.username, this.userId)) ctx.names?.release(this.username, this.userId);
    if (last) ctx.buckets.forget(this.userId);
    if (status) this.call.emit('error', { code: grpc.status[status.code], details: status.details });
  }
}
