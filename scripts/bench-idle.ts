// npm run bench -- --idle N: N JoinChat streams that join and then sit idle,
// spread over C connections and R rooms, against the bare grpc-js fan-out loop
// and then the chat server (each in its own process, scripts/bench-server.ts),
// from several client processes (scripts/idle-client.ts). With --session, a
// third run: the chat server again, with N Session streams instead (issue 13;
// one user each, joined to its one room by Hello.join, resuming by
// Hello.resume in the storm, posting `post` frames), several a connection as
// the JoinChat streams are. Measured per run (scripts/idle-report.ts prints it):
//   admitted   first stream opened -> the server lists all N as members of their
//              rooms (bare: its member count; chat: ListRooms' member counts;
//              polled every 200 ms). Chat also: -> every client has received its
//              end of history (every room holds a seeded message, so every joiner
//              gets a history replay, as in a real room).
//   RSS/stream (server RSS with N streams - RSS with none) / N, both after a full
//              GC, split into V8 heap (in use, committed), external and the rest.
//   broadcast  one message in every room, sent 2 s after the server lists all N
//              and again after --quiet seconds: from the send to the last of the
//              N deliveries; lost and duplicated deliveries counted.
//   storm      every connection drops (streams cancelled, channel closed) and
//              comes back; each stream rejoins at a random moment within
//              --storm-spread ms, resuming after the last seq it saw; timed to
//              every stream being in again (chat: its caught-up notice; bare: the
//              member count back at N). Then a third broadcast, and (chat) every
//              seq a stream skipped is checked against the stored history.
//   loop       the server's event-loop delay (perf_hooks.monitorEventLoopDelay,
//              via scripts/idle-probe.ts) during the joins, broadcast and storm.
// --profile DIR also writes CPU profiles of the server's joins, first
// broadcast and storm (read them with scripts/cpu-breakdown.ts); --heap DIR heap
// snapshots with none and with N streams (scripts/heap-breakdown.ts); --alloc DIR
// a sampling heap profile from the joins to the RSS figure of what survived a
// scavenge, dead or alive (--alloc-live: only what is alive), to be read with
// scripts/alloc-breakdown.ts. These slow the server down, and writing a
// snapshot grows the server's RSS: such runs' timings and RSS figures are not
// the benchmark's (--alloc's the least: its RSS figures move within the noise).
//   node dist/scripts/bench.js --idle 20000 [--connections 20] [--rooms N/50]
//     [--procs 2] [--quiet 10] [--storm-spread 2000] [--session] [--only bare|chat|session]
//     [--profile DIR] [--heap DIR] [--alloc DIR [--alloc-live]] [--deadline 45]
// --deadline: seconds a broadcast or the storm may take before the bench moves
// on and counts what has not arrived as lost. --pace S: the streams open evenly
// over S seconds instead of all at once (a diagnosis aid: the same joins and
// notices without the backlog).
import * as grpc from '@grpc/grpc-js';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadChatPackage } from '../protos/load.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { BcastCount, IdleInit, Received, Verdict } from './idle-client.js';
import { ClientProc, ServerUnderTest } from './idle-procs.js';
import type { LoopDelay, Memory } from './idle-probe.js';
import { checks, table, type Broadcast, type IdleMode, type IdleOptions, type IdleResult } from './idle-report.js';

const ADMIT_DEADLINE_MS = 120_000;
const POLL_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

function parse(argv: string[]): IdleOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      idle: { type: 'string' },
      connections: { type: 'string', default: '20' },
      rooms: { type: 'string' },
      procs: { type: 'string', default: '2' },
      quiet: { type: 'string', default: '10' },
      'storm-spread': { type: 'string', default: '2000' },
      only: { type: 'string' },
      session: { type: 'boolean', default: false },
      profile: { type: 'string' },
      heap: { type: 'string' },
      alloc: { type: 'string' },
      'alloc-live': { type: 'boolean', default: false },
      deadline: { type: 'string', default: '45' },
      pace: { type: 'string', default: '0' },
    },
  });
  const n = Number(values.idle);
  const connections = Number(values.connections);
  // 50 streams a room unless told otherwise: the shape.
  const rooms = values.rooms === undefined ? Math.max(1, Math.round(n / 50)) : Number(values.rooms);
  const procs = Math.min(Number(values.procs), connections);
  for (const [name, v] of Object.entries({ idle: n, connections, rooms, procs })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  }
  const modes: IdleMode[] = ['bare', 'chat', 'session'];
  if (values.only !== undefined && !modes.includes(values.only as IdleMode)) throw new Error('--only is bare, chat or session');
  return {
    n,
    connections,
    rooms,
    procs,
    quietSeconds: Number(values.quiet),
    stormSpreadMs: Number(values['storm-spread']),
    modes: values.only ? [values.only as IdleMode] : values.session ? modes : ['bare', 'chat'],
    profileDir: values.profile ?? null,
    heapDir: values.heap ?? null,
    alloc: values.alloc === undefined ? null : { dir: values.alloc, live: values['alloc-live'] },
    deadlineMs: Number(values.deadline) * 1000,
    paceMs: Number(values.pace) * 1000,
  };
}

/** Gives every room one stored message, so every joiner's history replay ends with a notice. */
async function seed(client: ChatServiceClient, rooms: number): Promise<void> {
  // A few hundred at a time: one connection may hold only so many streams (--max-streams-per-connection).
  for (let from = 0; from < rooms; from += 250) await seedRooms(client, from, Math.min(rooms, from + 250));
  // Ending a stream posts its LEAVE a moment later: wait for JOIN, TEXT and LEAVE to be stored.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const list = await listRooms(client);
    const ready = list.filter((r) => r.latest_seq >= 3 && r.member_count === 0).length;
    if (ready >= rooms) return;
  }
  throw new Error('seeding the rooms did not finish within 30 s');
}

async function seedRooms(client: ChatServiceClient, from: number, to: number): Promise<void> {
  await Promise.all(
    Array.from({ length: to - from }, (_, k) => {
      const r = from + k;
      const call = client.JoinChat();
      call.on('data', () => undefined);
      const done = new Promise<void>((resolve) => call.on('status', () => resolve()));
      call.on('error', () => undefined);
      call.write({ username: `seed${r}`, user_id: `seed${r}`, room_id: `room${r}`, type: 'JOIN' });
      call.write({ type: 'TEXT', message: `room${r} seeded` });
      call.end();
      return done;
    }),
  );
}

function listRooms(client: ChatServiceClient): Promise<Array<{ latest_seq: number; member_count: number }>> {
  return new Promise((resolve, reject) => client.ListRooms({}, (e, r) => (e || !r ? reject(e) : resolve(r.rooms))));
}

interface ClientStats {
  micros: number;
  refusals: Record<string, number>;
  received: Received;
}

async function statsOf(procs: readonly ClientProc[]): Promise<ClientStats> {
  const answers = await Promise.all(procs.map((p) => p.ask({ cmd: 'cpu' })));
  const refusals: Record<string, number> = {};
  const received: Received = { byType: [0, 0, 0, 0], replayed: 0, liveNotices: 0, frames: 0 };
  for (const a of answers) {
    for (const [k, v] of Object.entries(a.refusals)) refusals[k] = (refusals[k] ?? 0) + v;
    a.received.byType.forEach((v, t) => (received.byType[t as 0 | 1 | 2 | 3] += v));
    received.replayed += a.received.replayed;
    received.liveNotices += a.received.liveNotices;
    received.frames += a.received.frames;
  }
  return { micros: answers.reduce((s, a) => s + a.micros, 0), refusals, received };
}

/** What the clients received between two snapshots of their counters. */
function receivedBetween(a: ClientStats, b: ClientStats): Received {
  return {
    byType: b.received.byType.map((v, t) => v - (a.received.byType[t] ?? 0)) as Received['byType'],
    replayed: b.received.replayed - a.received.replayed,
    liveNotices: b.received.liveNotices - a.received.liveNotices,
    frames: b.received.frames - a.received.frames,
  };
}

/** Memory after a full GC. */
async function memory(server: ServerUnderTest): Promise<Memory> {
  await server.probe({ probe: 'gc' });
  const { mem } = await server.probe({ probe: 'mem' });
  if (!mem) throw new Error('the server probe sent no memory figures');
  return mem;
}

async function loopSince(server: ServerUnderTest): Promise<LoopDelay> {
  const { loop } = await server.probe({ probe: 'loop' });
  if (!loop) throw new Error('the server probe sent no loop delay');
  return loop;
}

/** Resolves with the moment all of `ats` have (the latest), or null at the deadline. */
async function latest(ats: Promise<number[]>, deadline: number): Promise<number | null> {
  const done = await Promise.race([ats, sleep(Math.max(0, deadline - now())).then(() => null)]);
  return done ? Math.max(...done) : null;
}

async function broadcast(procs: readonly ClientProc[], round: number, deadlineMs: number): Promise<Broadcast> {
  const t0 = now();
  const all = Promise.all(procs.map((p) => p.ask({ cmd: 'bcast', round }).then((e) => e.count)));
  const counts = await Promise.race([all, sleep(deadlineMs).then(() => null)]);
  const final: BcastCount[] = counts ?? (await Promise.all(procs.map((p) => p.ask({ cmd: 'bcast-count', round }).then((e) => e.count))));
  const received = final.reduce((s, c) => s + c.received, 0);
  return {
    ms: Math.max(...final.map((c) => c.lastAt)) - t0,
    received,
    complete: counts !== null,
    dups: final.reduce((s, c) => s + c.dups, 0),
  };
}

async function run(mode: IdleMode, o: IdleOptions): Promise<IdleResult> {
  /** The chat server, through JoinChat or Session (it tells a joiner it is in, and stores what it sends). */
  const chat = mode !== 'bare';
  // Two malloc arenas, as the soak runs it: glibc's default (8 per core) makes RSS depend on thread timing.
  const server = new ServerUnderTest(chat ? 'chat' : 'bare', { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' });
  const procs: ClientProc[] = [];
  const profile = async (what: 'start' | 'stop', name?: string) => {
    if (!o.profileDir) return;
    if (what === 'start') await server.probe({ probe: 'cpu-start' });
    else await server.probe({ probe: 'cpu-stop', file: path.join(o.profileDir, `${mode}-${o.n}-${name}.cpuprofile`) });
  };
  const snapshot = async (name: string) => {
    if (o.heapDir) await server.probe({ probe: 'heap', file: path.join(o.heapDir, `${mode}-${o.n}-${name}.heapsnapshot`) });
  };
  try {
    const port = await server.port;
    const { proto } = loadChatPackage();
    const admin = new proto.chat.ChatService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    if (chat) await seed(admin, o.rooms);
    /** Members the server lists: the bare loop's count, the chat server's ListRooms. */
    const listed = async () =>
      chat ? (await listRooms(admin)).reduce((s, r) => s + r.member_count, 0) : (await server.report()).streams;
    const listedAll = async (deadline: number): Promise<number | null> => {
      for (; now() < deadline; await sleep(POLL_MS)) if ((await listed()) === o.n) return now();
      return null;
    };

    for (let p = 0; p < o.procs; p++) procs.push(new ClientProc());
    const init: Omit<IdleInit, 'proc'> = {
      port,
      n: o.n,
      connections: o.connections,
      rooms: o.rooms,
      procs: o.procs,
      chat,
      session: mode === 'session',
    };
    await Promise.all(procs.map((c, proc) => c.ask({ cmd: 'init', init: { ...init, proc } })));
    await Promise.all(procs.map((c) => c.ask({ cmd: 'warmup' })));
    await sleep(500); // the warm-up streams' ends and LEAVEs
    const base = await memory(server);
    const serverCpu0 = (await server.report()).cpuMicros;
    await snapshot('0');

    // The joins: every stream opened at once (a few hundred per client turn).
    if (o.alloc) await server.probe({ probe: 'alloc-start', live: o.alloc.live });
    const stats0 = await statsOf(procs);
    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const t0 = now();
    const inAt = Promise.all(procs.map((c) => c.ask({ cmd: 'open', paceMs: o.paceMs }).then((e) => e.at)));
    const listedAt = await listedAll(t0 + ADMIT_DEADLINE_MS);
    // The first broadcast goes out 2 s after the server lists everyone, whatever it still has queued.
    await sleep(Math.max(0, (listedAt ?? now()) + 2000 - now()));
    await profile('stop', 'join');
    const loopJoin = await loopSince(server);
    const serverCpu1 = (await server.report()).cpuMicros;
    const stats1 = await statsOf(procs);

    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const bcast1 = await broadcast(procs, 1, o.deadlineMs);
    await profile('stop', 'bcast1');
    const loopBcast = await loopSince(server);
    const allInAt = chat ? await latest(inAt, t0 + ADMIT_DEADLINE_MS) : listedAt;
    const full = await memory(server);
    if (o.alloc) {
      const file = path.join(o.alloc.dir, `${mode}-${o.n}-join${o.alloc.live ? '-live' : ''}.heapprofile`);
      await server.probe({ probe: 'alloc-stop', file });
    }
    await snapshot(String(o.n));

    // Quiet, then the second broadcast.
    await sleep(o.quietSeconds * 1000);
    const bcast2 = await broadcast(procs, 2, o.deadlineMs);
    const quiet = await memory(server);

    // The reconnect storm, then a third broadcast to everyone.
    const stormStats0 = await statsOf(procs);
    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const s0 = now();
    const back = Promise.all(procs.map((c) => c.ask({ cmd: 'storm', spreadMs: o.stormSpreadMs }).then((e) => e.at)));
    let backAt: number | null;
    if (chat) backAt = await latest(back, s0 + o.deadlineMs);
    else {
      await back;
      backAt = await listedAll(s0 + o.deadlineMs);
    }
    await profile('stop', 'storm');
    const loopStorm = await loopSince(server);
    const stormStats1 = await statsOf(procs);
    await sleep(2000);
    const bcast3 = await broadcast(procs, 3, o.deadlineMs);

    let verdict: Verdict | null = null;
    if (chat) {
      const verdicts = await Promise.all(procs.map((c) => c.ask({ cmd: 'verify' }).then((e) => e.verdict)));
      verdict = {
        lost: verdicts.reduce((s, v) => s + v.lost, 0),
        ownJoins: verdicts.reduce((s, v) => s + v.ownJoins, 0),
        dups: verdicts.reduce((s, v) => s + v.dups, 0),
        behind: verdicts.reduce((s, v) => s + v.behind, 0),
        examples: verdicts.flatMap((v) => v.examples).slice(0, 5),
      };
    }
    const { refusals } = await statsOf(procs);
    admin.close();

    const perStreamKb = (r: Memory, f: (r: Memory) => number) => (f(r) - f(base)) / o.n / 1024;
    const seconds = (at: number | null, from: number) => (at === null ? null : (at - from) / 1000);
    return {
      mode,
      listedS: seconds(listedAt, t0),
      allInS: seconds(allInAt, t0),
      rssPerStreamKb: perStreamKb(full, (r) => r.rss),
      heapPerStreamKb: perStreamKb(full, (r) => r.heapUsed),
      heapTotalPerStreamKb: perStreamKb(full, (r) => r.heapTotal),
      externalPerStreamKb: perStreamKb(full, (r) => r.external),
      nativePerStreamKb: perStreamKb(full, (r) => r.rss - r.heapTotal - r.external),
      rssQuietPerStreamKb: perStreamKb(quiet, (r) => r.rss),
      bcast: [bcast1, bcast2, bcast3],
      stormS: seconds(backAt, s0),
      loopJoin,
      loopStorm,
      loopBcast,
      joinCpu: { server: (serverCpu1 - serverCpu0) / 1e6, clients: (stats1.micros - stats0.micros) / 1e6 },
      joinReceived: receivedBetween(stats0, stats1),
      stormReceived: receivedBetween(stormStats0, stormStats1),
      verdict,
      refusals,
    };
  } finally {
    await Promise.all(procs.map((c) => c.close()));
    await server.stop();
  }
}

/** Runs the idle bench; returns the process exit code (1 when a goal is missed). */
export async function idleMain(argv: string[]): Promise<number> {
  const o = parse(argv);
  for (const dir of [o.profileDir, o.heapDir, o.alloc?.dir]) if (dir) mkdirSync(dir, { recursive: true });
  console.log(
    `idle bench: ${o.n} streams over ${o.connections} connections from ${o.procs} client processes, ` +
      `${o.rooms} rooms (${(o.n / o.rooms).toFixed(0)} a room); chat server uses ${process.env.CHAT_BENCH_STORE ?? 'SQLite'}`,
  );
  const results: IdleResult[] = [];
  for (const mode of o.modes) {
    const t = Date.now();
    // Other work on the machine moves every figure here: say how busy it was.
    const load = () => loadavg()[0]?.toFixed(1);
    const before = load();
    results.push(await run(mode, o));
    console.log(`  ${mode}: done in ${((Date.now() - t) / 1000).toFixed(0)} s (load average ${before} -> ${load()} on ${cpus().length} cores)`);
  }
  for (const line of table(o, results)) console.log(line);
  const list = checks(o, results);
  for (const [ok, what] of list) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
  return list.every(([ok]) => ok) ? 0 : 1;
}
