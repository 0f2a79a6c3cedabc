// One client process of the idle bench (scripts/bench-idle.ts forks several,
// so opening 20,000 streams and reading a join storm is not itself the
// bottleneck). It owns some of the bench's connections, each its own grpc-js
// client with its own subchannel pool (one HTTP/2 connection, as a real user
// has), and on each of them the streams s with s % connections == c. Stream s
// is user u<s> in room<floor(s * rooms / n)>, so a room's members are spread
// over all connections. Messages are read with scripts/idle-wire.ts instead of
// being decoded, to keep this side's CPU low.
//
// Streams are JoinChat streams, or (init.session) Session streams (issue 13):
// one per user, joined to its one room by Hello.join, resuming by
// Hello.resume, posting `post` frames; the ChatMessages inside each ServerFrame
// are read as a JoinChat stream's are (scripts/session-wire.ts).
//
// It obeys the orchestrator's commands over IPC (see IdleCommand) and answers
// each with an event of the same name once done.
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { ClientFrame } from '../protos/generated/chat/ClientFrame.js';
import { verify } from './idle-verify.js';
import {
  JOIN,
  LEAVE,
  NOTICE_CAUGHT_UP,
  NOTICE_HISTORY_END,
  peek,
  text,
  TEXT,
  type Call,
  type Outgoing,
  type Peek,
  type Stream,
  type Verdict,
} from './idle-wire.js';
import { EVENT_ERROR, EVENT_MESSAGE, eachEvent, sessionError } from './session-wire.js';
export type { Stream, Verdict };

export interface IdleInit {
  port: number;
  /** Streams in the whole bench, connections and rooms they are spread over. */
  n: number;
  connections: number;
  rooms: number;
  /** This process is number `proc` of `procs`; it owns connections c with c % procs == proc. */
  proc: number;
  procs: number;
  /**
   * The chat server tells a joiner it is in (end of history, or caught up after a
   * resume) and numbers stored messages; the bare loop does neither.
   */
  chat: boolean;
  /** Session streams instead of JoinChat streams (chat server only). */
  session: boolean;
}

export type IdleCommand =
  | { cmd: 'init'; init: IdleInit }
  | { cmd: 'warmup' }
  | { cmd: 'open'; paceMs: number }
  | { cmd: 'bcast'; round: number }
  | { cmd: 'bcast-count'; round: number }
  | { cmd: 'storm'; spreadMs: number }
  | { cmd: 'verify' }
  | { cmd: 'cpu' }
  | { cmd: 'close' };

export interface BcastCount {
  received: number;
  expected: number;
  dups: number;
  /** Absolute time (performance.timeOrigin + now) of the last delivery counted. */
  lastAt: number;
}

/** Messages received so far, by MessageType (TEXT, JOIN, LEAVE, SYSTEM), and how they came. */
export interface Received {
  byType: [number, number, number, number];
  /** Stored messages that came in a replay (history or resume), before the stream's end-of-replay notice. */
  replayed: number;
  /** JOIN and LEAVE notices that came live, after it. */
  liveNotices: number;
  /** Reads from the wire: one per message on JoinChat, one per ServerFrame (of any number of events) on Session. */
  frames: number;
}


export type IdleEvent =
  | { ev: 'init' }
  | { ev: 'warmup'; delivered: number }
  | { ev: 'open'; at: number }
  | { ev: 'bcast'; count: BcastCount }
  | { ev: 'bcast-count'; count: BcastCount }
  | { ev: 'storm'; at: number }
  | { ev: 'verify'; verdict: Verdict }
  | { ev: 'cpu'; micros: number; refusals: Record<string, number>; received: Received }
  | { ev: 'close' };

const now = () => performance.timeOrigin + performance.now();
const JOIN_CHAT = '/chat.ChatService/JoinChat';
const SESSION = '/chat.ChatService/Session';
const RETRY_MS = 1000;


let init: IdleInit;
/** JoinChat's or Session's request serializer, whichever init.session picks. */
let serialize: (m: Outgoing) => Buffer;
const clients = new Map<number, grpc.Client>();
const streams: Stream[] = [];
let unacked = 0;
let waitingForAll: ((at: number) => void) | null = null;
const refusals: Record<string, number> = {};
const received: Received = { byType: [0, 0, 0, 0], replayed: 0, liveNotices: 0, frames: 0 };
const scratch: Peek = { type: 0, seq: 0, notice: 0, textStart: 0, textEnd: 0 };
const bcast = { round: -1, count: { received: 0, expected: 0, dups: 0, lastAt: 0 }, done: null as (() => void) | null };

function connect(conn: number): grpc.Client {
  // A local subchannel pool per client: no two share a connection (grpc-js
  // would otherwise reuse one subchannel for equal targets and options).
  const client = new grpc.Client(`127.0.0.1:${init.port}`, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'chat-bench.connection': conn,
  });
  clients.set(conn, client);
  return client;
}

function open(s: Stream): void {
  const client = clients.get(s.conn);
  if (!client) throw new Error(`no connection ${s.conn}`);
  const call = openCall(client);
  s.call = call;
  call.on('data', (buf: Buffer) => {
    received.frames++;
    if (init.session) readFrame(s, buf);
    else onMessage(s, buf, 0, buf.length);
  });
  call.on('error', (err: grpc.ServiceError) => {
    if (s.call !== call) return; // an old stream we cancelled ourselves
    const code = grpc.status[err.code] ?? String(err.code);
    refusals[code] = (refusals[code] ?? 0) + 1;
    lost(s);
  });
  call.on('end', () => {
    if (s.call !== call) return;
    refusals['ended'] = (refusals['ended'] ?? 0) + 1;
    lost(s);
  });
  call.write(init.session ? hello(s) : firstMessage(s));
  if (!init.chat) ack(s);
}

function openCall(client: grpc.Client): Call {
  return client.makeBidiStreamRequest<Outgoing, Buffer>(init.session ? SESSION : JOIN_CHAT, serialize, (b: Buffer) => b);
}

function firstMessage(s: Stream): ChatMessage {
  const first: ChatMessage = { user_id: `id${s.index}`, username: s.name, room_id: s.room, type: 'JOIN' };
  if (init.chat && s.lastSeq > 0) first.resume_after_seq = s.lastSeq;
  return first;
}

/**
 * A Session's first frame: the first time it joins its room (an explicit join,
 * stored once); after that the room is in the user's list and the hello
 * resumes it from the last seq seen, as chat-tui does on a reconnect.
 */
function hello(s: Stream): ClientFrame {
  const user = { username: s.name, user_id: `id${s.index}` };
  if (s.lastSeq === 0) return { hello: { ...user, join: [s.room] } };
  return { hello: { ...user, resume: [{ room_id: s.room, after_seq: s.lastSeq }] } };
}

/** A post; JoinChat's go without a client id, as they always have here (Session posts carry one, as chat-tui's do). */
function post(call: Call, room: string, message: string, clientMsgId: string): void {
  if (init.session) call.write({ post: { room_id: room, text: message, client_msg_id: clientMsgId } });
  else call.write({ type: 'TEXT', message });
}

/** Every ChatMessage of a Session's ServerFrame goes where a JoinChat stream's messages go; a SessionError counts as a refusal. */
function readFrame(s: Stream, frame: Buffer): void {
  eachEvent(frame, (kind, start, end) => {
    if (kind === EVENT_MESSAGE) onMessage(s, frame, start, end);
    else if (kind === EVENT_ERROR) {
      const key = `SessionError ${sessionError(frame, start, end).code}`;
      refusals[key] = (refusals[key] ?? 0) + 1;
    }
  });
}

/** The server ended or refused the stream: come back a second later, resuming, as a client would. */
function lost(s: Stream): void {
  s.call = null;
  if (s.acked) {
    s.acked = false;
    unacked++;
  }
  setTimeout(() => {
    if (s.call === null && clients.has(s.conn)) open(s);
  }, RETRY_MS);
}

function ack(s: Stream): void {
  if (s.acked) return;
  s.acked = true;
  unacked--;
  if (unacked === 0 && waitingForAll) {
    const done = waitingForAll;
    waitingForAll = null;
    done(now());
  }
}

function onMessage(s: Stream, buf: Buffer, start: number, end: number): void {
  const m = peek(buf, scratch, start, end);
  received.byType[m.type as 0 | 1 | 2 | 3]++;
  if (!s.acked && m.seq > 0) received.replayed++;
  else if (s.acked && (m.type === JOIN || m.type === LEAVE)) received.liveNotices++;
  if (m.seq > 0) {
    if (s.lastSeq === 0) s.lastSeq = m.seq;
    else if (m.seq <= s.lastSeq) s.seqDups++;
    else {
      if (m.seq > s.lastSeq + 1) s.gaps.push(s.lastSeq + 1, m.seq - 1);
      s.lastSeq = m.seq;
    }
  }
  if (m.notice === NOTICE_HISTORY_END || m.notice === NOTICE_CAUGHT_UP) ack(s);
  else if (m.type === TEXT && bcast.round >= 0) {
    const t = text(buf, m);
    if (t.startsWith(`bcast ${bcast.round} `)) countBcast(s);
  }
}

function countBcast(s: Stream): void {
  const bit = 1 << bcast.round;
  const c = bcast.count;
  if (s.rounds & bit) c.dups++;
  else {
    s.rounds |= bit;
    c.received++;
    c.lastAt = now();
    if (c.received === c.expected) {
      bcast.done?.();
      bcast.done = null;
    }
  }
}

function allAcked(): Promise<number> {
  if (unacked === 0) return Promise.resolve(now());
  return new Promise((resolve) => (waitingForAll = resolve));
}

async function start(i: IdleInit): Promise<void> {
  init = i;
  const { packageDefinition } = loadChatPackage();
  const method = (packageDefinition['chat.ChatService'] as protoLoader.ServiceDefinition)[i.session ? 'Session' : 'JoinChat'];
  if (!method) throw new Error(`chat.proto has no ${i.session ? 'Session' : 'JoinChat'}`);
  serialize = method.requestSerialize as (m: Outgoing) => Buffer;
  const perRoom = new Set<number>();
  for (let s = 0; s < i.n; s++) {
    const conn = s % i.connections;
    const room = Math.floor((s * i.rooms) / i.n);
    const sender = !perRoom.has(room);
    perRoom.add(room);
    if (conn % i.procs !== i.proc) continue;
    streams.push({
      index: s,
      room: `room${room}`,
      name: `u${s}`,
      conn,
      sender,
      call: null,
      acked: false,
      lastSeq: 0,
      gaps: [],
      seqDups: 0,
      rounds: 0,
    });
  }
  unacked = streams.length;
  // Connect first, so admission time is streams, not TCP and HTTP/2 setup.
  const deadline = Date.now() + 10_000;
  await Promise.all(
    [...new Set(streams.map((s) => s.conn))].map(
      (conn) => new Promise<void>((resolve, reject) => connect(conn).waitForReady(deadline, (e) => (e ? reject(e) : resolve()))),
    ),
  );
}

/**
 * Before anything is measured: a room of this process's own, 50 streams on its
 * first connection and 100 messages to all of them, so the write and read
 * paths of server and client are compiled by the time the bench times them
 * (the bare loop otherwise meets its first write in the timed broadcast).
 */
async function warmup(): Promise<number> {
  const client = clients.get(streams[0]?.conn ?? -1);
  if (!client) return 0;
  let delivered = 0;
  const room = `warm${init.proc}`;
  const calls = Array.from({ length: 50 }, (_, k) => {
    const call = openCall(client);
    const read = (buf: Buffer, start: number, end: number) => {
      const m = peek(buf, scratch, start, end);
      if (m.type === TEXT && text(buf, m).startsWith('warm ')) delivered++;
    };
    call.on('data', (buf: Buffer) => {
      if (!init.session) return read(buf, 0, buf.length);
      eachEvent(buf, (kind, start, end) => {
        if (kind === EVENT_MESSAGE) read(buf, start, end);
      });
    });
    call.on('error', () => undefined);
    const name = `warm${init.proc}-${k}`;
    call.write(init.session ? { hello: { username: name, user_id: name, join: [room] } } : { user_id: name, username: name, room_id: room, type: 'JOIN' });
    return call;
  });
  await new Promise((r) => setTimeout(r, 500));
  for (let round = 0; round < 100; round++) {
    const target = delivered + calls.length;
    const first = calls[0];
    if (first) post(first, room, `warm ${round}`, `warm${round}`);
    for (const until = Date.now() + 1000; delivered < target && Date.now() < until; ) await new Promise((r) => setTimeout(r, 1));
  }
  for (const call of calls) call.cancel();
  return delivered;
}

/**
 * Opens every stream, a few hundred per turn of the event loop so replies are
 * read meanwhile; with paceMs, spread evenly over that long instead.
 */
async function openAll(list: readonly Stream[], paceMs: number): Promise<void> {
  const chunk = paceMs > 0 ? 10 : 250;
  const t0 = Date.now();
  for (let k = 0; k < list.length; k += chunk) {
    for (const s of list.slice(k, k + chunk)) open(s);
    const due = t0 + (paceMs * (k + chunk)) / list.length;
    await new Promise((r) => (paceMs > 0 ? setTimeout(r, Math.max(0, due - Date.now())) : setImmediate(r)));
  }
}

function broadcast(round: number): Promise<BcastCount> {
  if (round > 30) throw new Error('at most 31 broadcast rounds');
  // A round the bench gave up on still gets its answer, so answers and questions stay paired.
  bcast.done?.();
  bcast.round = round;
  const count = (bcast.count = { received: 0, expected: streams.length, dups: 0, lastAt: 0 });
  const done = new Promise<void>((resolve) => (bcast.done = resolve));
  for (const s of streams) if (s.sender && s.call) post(s.call, s.room, `bcast ${round} ${s.room}`, `bcast${round}`);
  return done.then(() => count);
}

/**
 * Every connection drops (its streams cancelled, its channel closed) and comes
 * straight back; each stream rejoins at a random moment within spreadMs,
 * resuming after the last seq it saw. Resolves once all are in again.
 */
async function storm(spreadMs: number): Promise<number> {
  for (const s of streams) {
    const call = s.call;
    s.call = null;
    if (s.acked) {
      s.acked = false;
      unacked++;
    }
    call?.cancel();
  }
  for (const [conn, client] of clients) {
    client.close();
    connect(conn);
  }
  for (const s of streams) {
    setTimeout(() => {
      if (s.call === null) open(s);
    }, Math.random() * spreadMs);
  }
  return allAcked();
}

const reply = (ev: IdleEvent) => process.send?.(ev);

process.on('message', (msg: IdleCommand) => {
  void (async () => {
    switch (msg.cmd) {
      case 'init':
        await start(msg.init);
        return reply({ ev: 'init' });
      case 'warmup':
        return reply({ ev: 'warmup', delivered: await warmup() });
      case 'open':
        await openAll(streams, msg.paceMs);
        return reply({ ev: 'open', at: await allAcked() });
      case 'bcast':
        return reply({ ev: 'bcast', count: await broadcast(msg.round) });
      case 'bcast-count':
        return reply({ ev: 'bcast-count', count: bcast.count });
      case 'storm':
        return reply({ ev: 'storm', at: await storm(msg.spreadMs) });
      case 'verify':
        return reply({ ev: 'verify', verdict: await verify(init.port, streams) });
      case 'cpu': {
        const cpu = process.cpuUsage();
        return reply({ ev: 'cpu', micros: cpu.user + cpu.system, refusals, received });
      }
      case 'close':
        for (const s of streams) {
          const call = s.call;
          s.call = null;
          call?.cancel();
        }
        for (const client of clients.values()) client.close();
        clients.clear();
        reply({ ev: 'close' });
        return process.disconnect();
    }
  })().catch((err: unknown) => {
    console.error(`idle client ${init?.proc ?? '?'}: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
});
