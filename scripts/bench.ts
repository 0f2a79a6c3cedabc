// npm run bench: R rooms x C clients posting at a fixed total rate for S
// seconds, the same load in each mode, each server in its own process:
//   bare     a bare grpc-js fan-out loop on JoinChat (the baseline)
//   chat     the chat server through JoinChat (one stream per client)
//   session  the chat server through Session (issue 13): one Session stream per
//            client, joined to its room by Hello.join, posting `post` frames;
//            the server batches a session's events into one ServerFrame a turn
// Every client has its own HTTP/2 connection (grpc.use_local_subchannel_pool),
// as real users do; --shared-connection puts them all on one, as grpc-js does
// by default for clients of the same target. Clients read the bytes
// (scripts/bench-clients.ts) instead of decoding them, so their CPU does not
// crowd the server's on a small machine. Posts carry a client_msg_id in chat
// and session modes (as chat-tui's do), so both pay the store's dedupe check.
// With --instances 2 it also runs the JoinChat load split across two chat
// servers sharing a redis-server on loopback (every room has members on both).
// --rooms-per-client K: each user is in K rooms (room r's C users are also in
// rooms r+1 .. r+K-1), so every message reaches C*K streams; through JoinChat
// a user has K streams on its connection, through Session one stream whose
// frames can carry several rooms' messages at once (this is where batching
// can pay). The user posts to its rooms in turn.
// The posters take turns in the order of their rooms: a 10 ms tick's ~10
// posts come from neighbours, mostly in one room, so a room gets its messages
// in bursts (20 in two ticks, then quiet for the other rooms' turns). That is
// the load this bench has always run; --interleave makes successive posts go
// to successive rooms instead (about one a room a tick), which leaves a
// Session's frames less to batch.
//   node dist/scripts/bench.js [--rooms 10] [--clients 20] [--rate 1000] [--seconds 20]
//     [--modes bare,chat,session] [--rooms-per-client 1] [--interleave] [--instances 1|2]
//     [--shared-connection] [--profile DIR]
// --profile DIR: a V8 CPU profile of each chat server over the measured
// seconds (DIR/<mode>.cpuprofile; read it with scripts/cpu-breakdown.ts); it
// slows the server, so that run's figures are not the benchmark's.
// With --idle N it runs the idle-streams bench instead (see bench-idle.ts).
import * as grpc from '@grpc/grpc-js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { forkServer, type ServerChild, type ServerMode, type ServerReport } from '../test/support/server-child.js';
import { openStream, ownConnection, type Counters, type LoadStream, type Protocol } from './bench-clients.js';
import { processCpuMicros, startRedis } from './bench-redis.js';

// --idle N: the idle-streams bench (scripts/bench-idle.ts), with its own flags.
if (process.argv.includes('--idle')) {
  const { idleMain } = await import('./bench-idle.js');
  process.exit(await idleMain(process.argv.slice(2)));
}

type RunMode = 'bare' | 'chat' | 'session' | 'chat x2';
const MODES: readonly RunMode[] = ['bare', 'chat', 'session'];

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '10' },
    clients: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    // Three modes of 20 s take about as long as the two of 30 s did; shorter
    // runs swing p99 by 2x on a 2-core machine.
    seconds: { type: 'string', default: '20' },
    instances: { type: 'string', default: '1' },
    modes: { type: 'string', default: MODES.join(',') },
    'rooms-per-client': { type: 'string', default: '1' },
    interleave: { type: 'boolean', default: false },
    'shared-connection': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const INSTANCES = Number(args.instances);
if (INSTANCES !== 1 && INSTANCES !== 2) throw new Error('--instances must be 1 or 2');
const ROOMS = Number(args.rooms);
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const SHARED = args['shared-connection'];
const INTERLEAVE = args.interleave;
const PER_CLIENT = Number(args['rooms-per-client']);
if (!Number.isInteger(PER_CLIENT) || PER_CLIENT < 1 || PER_CLIENT > ROOMS) throw new Error('--rooms-per-client: 1 to --rooms');
/** Streams that receive each message. */
const FANOUT = CLIENTS * PER_CLIENT;
const PROFILE_DIR = args.profile ?? null;
const modes = args.modes.split(',').map((m) => m.trim()) as RunMode[];
for (const m of modes) if (!MODES.includes(m)) throw new Error(`--modes: ${m}? (${MODES.join(', ')})`);
if (INSTANCES === 2) modes.push('chat x2');
const TICK_MS = 10;
const BODY = 'benchmark message with a little body to it';
const PROBE = new URL('./idle-probe.js', import.meta.url).href;

interface Result {
  mode: RunMode;
  sent: number;
  expected: number;
  delivered: number;
  lost: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  cpuPerDelivery: number;
  rssMb: number;
  /** Reads from the wire during the measured seconds, and the ChatMessages they carried (TEXT or not). */
  frames: number;
  messages: number;
  /** Session only: SessionError events over the whole run. */
  errors: Map<string, number>;
  /** Session streams that had no Welcome before the load started. */
  notReady: number;
  /** Redis's own CPU per delivery (two-instance mode only). */
  redisCpuPerDelivery?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function startServer(mode: ServerMode, store?: string): ServerChild {
  return forkServer(mode, {
    ...(store ? { env: { ...process.env, CHAT_BENCH_STORE: store } } : {}),
    ...(PROFILE_DIR && mode === 'chat' ? { execArgv: ['--import', PROBE] } : {}),
  });
}

/** Asks the server's idle-probe (loaded with --profile) to start or stop a CPU profile; call with nothing else pending. */
function profile(server: ServerChild, probe: 'cpu-start' | 'cpu-stop', file?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || (m as { probe?: string }).probe !== probe) return;
      server.child.off('message', onMessage);
      const error = (m as { error?: string }).error;
      if (error) reject(new Error(error));
      else resolve();
    };
    server.child.on('message', onMessage);
    server.child.send(file ? { probe, file } : { probe });
  });
}

async function askAll(servers: readonly ServerChild[]): Promise<ServerReport> {
  const reports = await Promise.all(servers.map((s) => s.report()));
  const sum = (f: (r: ServerReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  return { cpuMicros: sum((r) => r.cpuMicros), rss: sum((r) => r.rss), heapUsed: sum((r) => r.heapUsed), streams: sum((r) => r.streams) };
}

async function run(mode: RunMode): Promise<Result> {
  const redis = mode === 'chat x2' ? await startRedis() : null;
  const servers = redis
    ? [startServer('chat', redis.url), startServer('chat', redis.url)]
    : [startServer(mode === 'bare' ? 'bare' : 'chat')];
  const targets = (await Promise.all(servers.map((s) => s.port))).map((port) => `127.0.0.1:${port}`);
  const protocol: Protocol = mode === 'session' ? 'session' : 'joinchat';
  const profiling = PROFILE_DIR !== null && mode !== 'bare';

  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let delivered = 0;
  let measuring = false;
  let nextStream = 0;
  let nextId = 0;
  const counters: Counters = { frames: 0, messages: 0, errors: new Map() };
  const onText = (id: number) => {
    const t0 = sentAt.get(id);
    if (t0 === undefined) return;
    delivered++;
    if (measuring) latencies.push(performance.now() - t0);
  };
  const streams: LoadStream[] = [];
  const shared = new Map<string, grpc.Client>();
  const clients: grpc.Client[] = [];
  for (let r = 0; r < ROOMS; r++) {
    for (let c = 0; c < CLIENTS; c++) {
      // Two instances: alternate, so every room has members on both servers.
      const target = targets[c % targets.length] as string;
      let client = SHARED ? shared.get(target) : undefined;
      if (!client) {
        client = SHARED ? new grpc.Client(target, grpc.credentials.createInsecure()) : ownConnection(target);
        clients.push(client);
        if (SHARED) shared.set(target, client);
      }
      streams.push(
        openStream({
          protocol,
          client,
          rooms: Array.from({ length: PER_CLIENT }, (_, k) => `room${(r + k) % ROOMS}`),
          username: `user${r}-${c}`,
          userId: `u${r}-${c}`,
          clientIds: mode !== 'bare',
          counters,
          onText,
        }),
      );
    }
  }
  await sleep(1000); // let joins, history and JOIN notices settle
  // A Session is answered with its Welcome: wait for all (JoinChat streams are always "ready").
  for (const until = performance.now() + 10_000; performance.now() < until; await sleep(50)) {
    if (streams.every((s) => s.ready)) break;
  }
  const notReady = streams.filter((s) => !s.ready).length;
  // One second of the same load unmeasured, so both sides are past JIT warm-up.
  await drive(RATE, 1);
  await sleep(500);
  const deliveredBefore = delivered;
  const cpu0 = await askAll(servers);
  const redisCpu0 = redis ? processCpuMicros(redis.pid) : 0;
  if (profiling) await Promise.all(servers.map((s) => profile(s, 'cpu-start')));
  const frames0 = counters.frames;
  const messages0 = counters.messages;
  measuring = true;
  const started = performance.now();
  const sent = await drive(RATE, SECONDS);
  const expected = deliveredBefore + sent * FANOUT;

  async function drive(rate: number, seconds: number): Promise<number> {
    const t0 = performance.now();
    const total = rate * seconds;
    let count = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Catch up to the schedule so the rate holds even if a tick runs late.
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        while (count < due) {
          const k = nextStream++;
          // streams[] is room-major (room r's clients are r*C .. r*C+C-1).
          const stream = streams[INTERLEAVE ? (k % ROOMS) * CLIENTS + (Math.floor(k / ROOMS) % CLIENTS) : k % streams.length];
          const id = nextId++;
          sentAt.set(id, performance.now());
          stream?.post(id, BODY);
          count++;
        }
        if (count >= total) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    return count;
  }
  const deadline = performance.now() + 5000;
  while (delivered < expected && performance.now() < deadline) await sleep(20);
  const elapsed = (performance.now() - started) / 1000;
  const frames = counters.frames - frames0;
  const messages = counters.messages - messages0;
  if (profiling) {
    await Promise.all(servers.map((s, k) => profile(s, 'cpu-stop', path.join(PROFILE_DIR, `${mode.replace(' ', '')}${k || ''}.cpuprofile`))));
  }
  const cpu1 = await askAll(servers);
  const redisCpu1 = redis ? processCpuMicros(redis.pid) : 0;
  measuring = false;
  for (const s of streams) s.close();
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.stop()));
  await redis?.stop();

  const sorted = Float64Array.from(latencies).sort();
  const deliveredNow = delivered - deliveredBefore;
  return {
    mode,
    sent,
    expected: expected - deliveredBefore,
    delivered: deliveredNow,
    lost: expected - delivered,
    seconds: elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    cpuPerDelivery: (cpu1.cpuMicros - cpu0.cpuMicros) / Math.max(1, deliveredNow),
    rssMb: cpu1.rss / 1024 / 1024,
    frames,
    messages,
    errors: counters.errors,
    notReady,
    redisCpuPerDelivery: redis ? (redisCpu1 - redisCpu0) / Math.max(1, deliveredNow) : undefined,
  };
}

function row(r: Result): string {
  return [
    r.mode.padEnd(7),
    String(r.sent).padStart(7),
    `${Math.round(r.delivered / SECONDS)}`.padStart(9),
    String(r.lost).padStart(6),
    r.p50.toFixed(2).padStart(8),
    r.p99.toFixed(2).padStart(8),
    r.max.toFixed(2).padStart(8),
    r.cpuPerDelivery.toFixed(2).padStart(10),
    r.rssMb.toFixed(0).padStart(7),
    String(r.frames).padStart(9),
    (r.messages / Math.max(1, r.frames)).toFixed(2).padStart(9),
  ].join(' ');
}

if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
console.log(
  `bench: ${ROOMS} rooms x ${CLIENTS} clients` +
    (PER_CLIENT > 1 ? `, each client in ${PER_CLIENT} rooms (${FANOUT} members a room)` : '') +
    (INTERLEAVE ? ', posts interleaved across rooms' : ', posts in room order (bursts a room)') +
    `, ${RATE} msg/s for ${SECONDS}s (${RATE * FANOUT} deliveries/s target); ${SHARED ? 'all clients on one connection' : 'one connection per client'}; ` +
    `chat server uses ${process.env.CHAT_BENCH_STORE ?? 'SQLite'}` +
    (INSTANCES === 2 ? '; chat x2: two servers sharing an in-memory redis-server' : '') +
    (PROFILE_DIR ? `; PROFILING into ${PROFILE_DIR} (figures not comparable)` : ''),
);
const results = new Map<RunMode, Result>();
for (const mode of modes) results.set(mode, await run(mode));
console.log('mode       sent  deliv/s   lost  p50(ms)  p99(ms)  max(ms) cpu-us/del rss(MB)    frames msg/frame');
for (const r of results.values()) {
  const extra = r.mode === 'chat x2' ? `   (cpu and rss: both servers; redis-server adds ${r.redisCpuPerDelivery?.toFixed(2)} cpu-us/del)` : '';
  console.log(row(r) + extra);
}
console.log('(frames: reads from the wire in the measured seconds; JoinChat carries one message in each, a Session ServerFrame many)');
const bare = results.get('bare');
const chat = results.get('chat');
const session = results.get('session');
const two = results.get('chat x2');
for (const r of results.values()) {
  if (r.notReady > 0) console.log(`${r.mode}: ${r.notReady} Session streams had no Welcome before the load started`);
  for (const [what, n] of r.errors) console.log(`${r.mode}: ${n} SessionError events: ${what}`);
}
const checks: Array<[boolean, string]> = [];
if (chat && bare) {
  const p99Ratio = chat.p99 / bare.p99;
  const cpuRatio = chat.cpuPerDelivery / bare.cpuPerDelivery;
  console.log(`chat/bare: p99 ${p99Ratio.toFixed(2)}x, cpu per delivery ${cpuRatio.toFixed(2)}x`);
  checks.push(
    [p99Ratio <= 1.5, `p99 within 1.5x of bare (${p99Ratio.toFixed(2)}x)`],
    [cpuRatio <= 1.3, `cpu/delivery within 1.3x of bare (${cpuRatio.toFixed(2)}x)`],
  );
}
if (chat) checks.unshift([chat.lost === 0, `nothing lost (${chat.lost})`], [chat.p99 < 50, `p99 < 50 ms (${chat.p99.toFixed(2)})`]);
if (session) {
  checks.push(
    [session.lost === 0, `session: nothing lost (${session.lost})`],
    [session.p99 < 50, `session: p99 < 50 ms (${session.p99.toFixed(2)})`],
    [session.errors.size === 0, `session: no SessionError events (${[...session.errors.values()].reduce((a, b) => a + b, 0)})`],
  );
  if (bare) console.log(`session/bare: p99 ${(session.p99 / bare.p99).toFixed(2)}x, cpu per delivery ${(session.cpuPerDelivery / bare.cpuPerDelivery).toFixed(2)}x`);
  if (chat) {
    const ratio = session.cpuPerDelivery / chat.cpuPerDelivery;
    console.log(`session/chat: p99 ${(session.p99 / chat.p99).toFixed(2)}x, cpu per delivery ${ratio.toFixed(2)}x`);
    // Issue 13's target: batching makes a Session delivery cheaper than a JoinChat one.
    checks.push([ratio < 1, `session cpu/delivery below JoinChat's (${session.cpuPerDelivery.toFixed(2)} vs ${chat.cpuPerDelivery.toFixed(2)} us)`]);
  }
}
if (two) checks.push([two.lost === 0, `chat x2: nothing lost (${two.lost})`], [two.p99 < 50, `chat x2: p99 < 50 ms (${two.p99.toFixed(2)})`]);
for (const [ok, what] of checks) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
process.exitCode = checks.every(([ok]) => ok) ? 0 : 1;
