// npm run bench -- --idle N: N JoinChat streams that join and then sit idle,
// spread over C connections and R rooms, against the bare grpc-js fan-out loop
// and then the chat server (each in its own process, scripts/bench-server.ts),
// from several client processes (scripts/idle-client.ts). Measured per server:
//   admitted   first stream opened -> every stream in its room. Chat: the client
//              has received its end-of-history notice (every room holds a seeded
//              message, so every joiner gets a history replay, as in a real
//              room). Bare: the server's own member count reaches N (it answers
//              nothing to a join; polled every 50 ms).
//   RSS/stream (server RSS with N streams - RSS with none) / N, both after a
//              full GC; heap/stream likewise (V8 heap in use).
//   broadcast  one message in every room, sent 2 s after the last admission
//              and again after --quiet seconds: from the send to the last of
//              the N deliveries; lost and duplicated deliveries counted.
//   storm      every connection drops (streams cancelled, channel closed) and
//              comes back; each stream rejoins at a random moment within
//              --storm-spread ms, resuming after the last seq it saw; timed to
//              every stream being in again (chat: its caught-up notice; bare:
//              the member count back at N). Then a third broadcast, and (chat)
//              every skipped seq is checked against the stored history.
//   loop       the server's event-loop delay (perf_hooks.monitorEventLoopDelay,
//              via scripts/idle-probe.ts) during the joins and the storm.
// --profile DIR also writes CPU profiles of the chat server's join storm, first
// broadcast and reconnect storm; --heap DIR heap snapshots with none and with N
// streams (read them with scripts/heap-breakdown.ts). Both slow the server down:
// their runs' timings are not the benchmark's.
//   node dist/scripts/bench.js --idle 20000 [--connections 20] [--rooms 400]
//     [--procs 2] [--quiet 10] [--storm-spread 2000] [--only bare|chat]
import * as grpc from '@grpc/grpc-js';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadChatPackage } from '../protos/load.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import type { BenchMode, ServerReport } from './bench-server.js';
import type { BcastCount, IdleInit, Verdict } from './idle-client.js';
import { ClientProc, ServerUnderTest } from './idle-procs.js';
import type { LoopDelay } from './idle-probe.js';

interface Options {
  n: number;
  connections: number;
  rooms: number;
  procs: number;
  quietSeconds: number;
  stormSpreadMs: number;
  modes: BenchMode[];
  profileDir: string | null;
  heapDir: string | null;
}

interface Broadcast {
  ms: number;
  received: number;
  dups: number;
}

interface IdleResult {
  mode: BenchMode;
  admittedS: number;
  admitted: boolean;
  /** Chat: members the server lists (ListRooms), which must be N. */
  listed: number | null;
  rssPerStreamKb: number;
  heapPerStreamKb: number;
  rssQuietPerStreamKb: number;
  bcast: Broadcast[];
  stormS: number;
  stormBack: boolean;
  loopJoin: LoopDelay;
  loopStorm: LoopDelay;
  loopBcast: LoopDelay;
  /** Server and client CPU seconds during the joins. */
  joinCpu: { server: number; clients: number };
  verdict: Verdict | null;
  refusals: Record<string, number>;
}

const ADMIT_DEADLINE_MS = 120_000;
const BCAST_DEADLINE_MS = 30_000;
const STORM_DEADLINE_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

function parse(argv: string[]): Options {
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
      profile: { type: 'string' },
      heap: { type: 'string' },
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
  if (values.only !== undefined && values.only !== 'bare' && values.only !== 'chat') throw new Error('--only is bare or chat');
  return {
    n,
    connections,
    rooms,
    procs,
    quietSeconds: Number(values.quiet),
    stormSpreadMs: Number(values['storm-spread']),
    modes: values.only ? [values.only as BenchMode] : ['bare', 'chat'],
    profileDir: values.profile ?? null,
    heapDir: values.heap ?? null,
  };
}

/** Gives every room one stored message, so every joiner's history replay ends with a notice. */
async function seed(client: ChatServiceClient, rooms: number): Promise<void> {
  await Promise.all(
    Array.from({ length: rooms }, (_, r) => {
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
  // Ending a stream posts its LEAVE a moment later: wait for JOIN, TEXT and LEAVE to be stored.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const list = await listRooms(client);
    const ready = list.filter((r) => r.latest_seq >= 3 && r.member_count === 0).length;
    if (ready >= rooms) return;
  }
  throw new Error('seeding the rooms did not finish within 30 s');
}

function listRooms(client: ChatServiceClient): Promise<Array<{ latest_seq: number; member_count: number }>> {
  return new Promise((resolve, reject) => client.ListRooms({}, (e, r) => (e || !r ? reject(e) : resolve(r.rooms))));
}

async function cpuOf(procs: readonly ClientProc[]): Promise<{ micros: number; refusals: Record<string, number> }> {
  const answers = await Promise.all(procs.map((p) => p.ask({ cmd: 'cpu' })));
  const refusals: Record<string, number> = {};
  for (const a of answers) for (const [k, v] of Object.entries(a.refusals)) refusals[k] = (refusals[k] ?? 0) + v;
  return { micros: answers.reduce((s, a) => s + a.micros, 0), refusals };
}

async function loopSince(server: ServerUnderTest): Promise<LoopDelay> {
  const { loop } = await server.probe({ probe: 'loop' });
  if (!loop) throw new Error('the server probe sent no loop delay');
  return loop;
}

/** Polls the server until it holds `n` members (the bare loop's only sign of admission). */
async function serverHolds(server: ServerUnderTest, n: number, deadline: number): Promise<number | null> {
  while (now() < deadline) {
    if ((await server.report()).streams === n) return now();
    await sleep(50);
  }
  return null;
}

async function broadcast(procs: readonly ClientProc[], round: number): Promise<Broadcast> {
  const t0 = now();
  const all = Promise.all(procs.map((p) => p.ask({ cmd: 'bcast', round }).then((e) => e.count)));
  const counts = await Promise.race([all, sleep(BCAST_DEADLINE_MS).then(() => null)]);
  const final: BcastCount[] = counts ?? (await Promise.all(procs.map((p) => p.ask({ cmd: 'bcast-count', round }).then((e) => e.count))));
  return {
    ms: Math.max(...final.map((c) => c.lastAt)) - t0,
    received: final.reduce((s, c) => s + c.received, 0),
    dups: final.reduce((s, c) => s + c.dups, 0),
  };
}

async function run(mode: BenchMode, o: Options): Promise<IdleResult> {
  const chat = mode === 'chat';
  const server = new ServerUnderTest(mode, { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' });
  const procs: ClientProc[] = [];
  const profile = async (what: 'start' | 'stop', name?: string) => {
    if (!o.profileDir || !chat) return;
    if (what === 'start') await server.probe({ probe: 'cpu-start' });
    else await server.probe({ probe: 'cpu-stop', file: path.join(o.profileDir, `${mode}-${o.n}-${name}.cpuprofile`) });
  };
  const snapshot = async (name: string) => {
    if (!o.heapDir) return;
    await server.probe({ probe: 'heap', file: path.join(o.heapDir, `${mode}-${o.n}-${name}.heapsnapshot`) });
  };
  try {
    const port = await server.port;
    const { proto } = loadChatPackage();
    const admin = new proto.chat.ChatService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    if (chat) await seed(admin, o.rooms);

    for (let p = 0; p < o.procs; p++) procs.push(new ClientProc());
    const init: Omit<IdleInit, 'proc'> = { port, n: o.n, connections: o.connections, rooms: o.rooms, procs: o.procs, chat };
    await Promise.all(procs.map((c, proc) => c.ask({ cmd: 'init', init: { ...init, proc } })));
    await Promise.all(procs.map((c) => c.ask({ cmd: 'warmup' })));
    await sleep(500); // the warm-up streams' ends and LEAVEs
    await server.probe({ probe: 'gc' });
    const base = await server.report();
    await snapshot('0');

    // The join storm.
    const clientCpu0 = await cpuOf(procs);
    const serverCpu0 = base.cpuMicros;
    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const t0 = now();
    const deadline = t0 + ADMIT_DEADLINE_MS;
    const opened = Promise.all(procs.map((c) => c.ask({ cmd: 'open' }).then((e) => e.at)));
    let admittedAt: number | null;
    if (chat) {
      const ats = await Promise.race([opened, sleep(ADMIT_DEADLINE_MS).then(() => null)]);
      admittedAt = ats ? Math.max(...ats) : null;
    } else {
      await opened;
      admittedAt = await serverHolds(server, o.n, deadline);
    }
    await profile('stop', 'join');
    const loopJoin = await loopSince(server);
    const serverCpu1 = (await server.report()).cpuMicros;
    const clientCpu1 = await cpuOf(procs);
    const listed = chat ? (await listRooms(admin)).reduce((s, r) => s + r.member_count, 0) : null;

    // The first broadcast, 2 s after the last admission.
    await sleep(Math.max(0, (admittedAt ?? now()) + 2000 - now()));
    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const bcast1 = await broadcast(procs, 1);
    await profile('stop', 'bcast1');
    const loopBcast = await loopSince(server);
    await server.probe({ probe: 'gc' });
    const full = await server.report();
    await snapshot(String(o.n));

    // Quiet, then the second.
    await sleep(o.quietSeconds * 1000);
    const bcast2 = await broadcast(procs, 2);
    await server.probe({ probe: 'gc' });
    const quiet = await server.report();

    // The reconnect storm, then a third broadcast to everyone.
    await server.probe({ probe: 'loop-reset' });
    await profile('start');
    const s0 = now();
    const back = Promise.all(procs.map((c) => c.ask({ cmd: 'storm', spreadMs: o.stormSpreadMs }).then((e) => e.at)));
    let backAt: number | null;
    if (chat) {
      const ats = await Promise.race([back, sleep(STORM_DEADLINE_MS).then(() => null)]);
      backAt = ats ? Math.max(...ats) : null;
    } else {
      await back;
      backAt = await serverHolds(server, o.n, s0 + STORM_DEADLINE_MS);
    }
    await profile('stop', 'storm');
    const loopStorm = await loopSince(server);
    await sleep(2000);
    const bcast3 = await broadcast(procs, 3);

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
    const { refusals } = await cpuOf(procs);
    admin.close();

    const perStreamKb = (r: ServerReport, f: (r: ServerReport) => number) => (f(r) - f(base)) / o.n / 1024;
    return {
      mode,
      admittedS: ((admittedAt ?? now()) - t0) / 1000,
      admitted: admittedAt !== null,
      listed,
      rssPerStreamKb: perStreamKb(full, (r) => r.rss),
      heapPerStreamKb: perStreamKb(full, (r) => r.heapUsed),
      rssQuietPerStreamKb: perStreamKb(quiet, (r) => r.rss),
      bcast: [bcast1, bcast2, bcast3],
      stormS: ((backAt ?? now()) - s0) / 1000,
      stormBack: backAt !== null,
      loopJoin,
      loopStorm,
      loopBcast,
      joinCpu: { server: (serverCpu1 - serverCpu0) / 1e6, clients: (clientCpu1.micros - clientCpu0.micros) / 1e6 },
      verdict,
      refusals,
    };
  } finally {
    await Promise.all(procs.map((c) => c.close()));
    await server.stop();
  }
}

function table(o: Options, results: IdleResult[]): string[] {
  const bare = results.find((r) => r.mode === 'bare');
  const chat = results.find((r) => r.mode === 'chat');
  const cols = [bare, chat];
  const f = (v: number | undefined, digits: number) => (v === undefined ? '-' : v.toFixed(digits));
  const rows: Array<[string, (r: IdleResult) => string]> = [
    ['admitted (s)', (r) => (r.admitted ? r.admittedS.toFixed(2) : `>${r.admittedS.toFixed(0)} (not all)`)],
    ['  loop delay max during joins (ms)', (r) => f(r.loopJoin.max, 0)],
    ['  CPU during joins: server / clients (s)', (r) => `${r.joinCpu.server.toFixed(1)} / ${r.joinCpu.clients.toFixed(1)}`],
    ['RSS per stream, 2 s after (KB)', (r) => f(r.rssPerStreamKb, 1)],
    ['  V8 heap per stream (KB)', (r) => f(r.heapPerStreamKb, 1)],
    [`RSS per stream, after ${o.quietSeconds} s quiet (KB)`, (r) => f(r.rssQuietPerStreamKb, 1)],
    ['broadcast to all, 2 s after (ms)', (r) => f(r.bcast[0]?.ms, 0)],
    ['  loop delay max during it (ms)', (r) => f(r.loopBcast.max, 0)],
    [`broadcast to all, after ${o.quietSeconds} s quiet (ms)`, (r) => f(r.bcast[1]?.ms, 0)],
    ['reconnect storm: all back (s)', (r) => (r.stormBack ? r.stormS.toFixed(2) : `>${r.stormS.toFixed(0)} (not all)`)],
    ['  loop delay max during it (ms)', (r) => f(r.loopStorm.max, 0)],
    ['broadcast to all after the storm (ms)', (r) => f(r.bcast[2]?.ms, 0)],
    ['deliveries lost / duplicated (3 broadcasts)', (r) => `${lostOf(o, r)} / ${r.bcast.reduce((s, b) => s + b.dups, 0)}`],
    ['stored seqs lost / dup / behind (resume check)', (r) => (r.verdict ? `${r.verdict.lost} / ${r.verdict.dups} / ${r.verdict.behind}` : 'n/a')],
    ['streams refused or ended by the server', (r) => refusalText(r.refusals)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [`${''.padEnd(width)}  ${'bare'.padStart(12)}  ${'chat'.padStart(12)}`];
  for (const [name, get] of rows) lines.push(`${name.padEnd(width)}  ${cols.map((r) => (r ? get(r) : '-').padStart(12)).join('  ')}`);
  if (chat?.listed !== null && chat?.listed !== undefined) lines.push(`chat: ListRooms counts ${chat.listed} members after the joins`);
  for (const e of chat?.verdict?.examples ?? []) lines.push(`  e.g. ${e}`);
  return lines;
}

const lostOf = (o: Options, r: IdleResult) => r.bcast.reduce((s, b) => s + (o.n - b.received), 0);
const refusalText = (refusals: Record<string, number>) =>
  Object.entries(refusals).map(([k, v]) => `${k} ${v}`).join(', ') || '0';

function checks(o: Options, bare: IdleResult | undefined, chat: IdleResult | undefined): Array<[boolean, string]> {
  if (!chat) return [];
  const list: Array<[boolean, string]> = [
    [chat.admitted && chat.listed === o.n, `all ${o.n} admitted and listed (${chat.listed ?? 0} listed)`],
    [chat.rssPerStreamKb < 15, `RSS per idle stream under 15 KB (${chat.rssPerStreamKb.toFixed(1)})`],
    [lostOf(o, chat) === 0 && (chat.verdict?.lost ?? 0) === 0 && chat.bcast.every((b) => b.dups === 0) && (chat.verdict?.dups ?? 0) === 0,
      `nothing lost or duplicated (${lostOf(o, chat)} deliveries, ${chat.verdict?.lost ?? 0} stored seqs lost, ${chat.verdict?.dups ?? 0} dup)`],
    [chat.stormBack && chat.stormS <= 10, `reconnect storm back within 10 s (${chat.stormS.toFixed(2)} s)`],
    [chat.loopStorm.max <= 50, `event loop never blocked over 50 ms in the storm (${chat.loopStorm.max.toFixed(0)} ms)`],
    [Object.keys(chat.refusals).length === 0, `no stream refused or ended (${refusalText(chat.refusals)})`],
  ];
  if (bare) {
    const rssRatio = chat.rssPerStreamKb / bare.rssPerStreamKb;
    const budget = 1.5 * (bare.bcast[0]?.ms ?? 0) + 250;
    list.splice(1, 0, [rssRatio <= 1.5, `RSS per idle stream within 1.5x bare (${rssRatio.toFixed(2)}x)`]);
    list.splice(3, 0, [(chat.bcast[0]?.ms ?? Infinity) <= budget, `broadcast to all within 1.5x bare + 250 ms (${chat.bcast[0]?.ms.toFixed(0)} vs ${budget.toFixed(0)} ms)`]);
  }
  return list;
}

/** Runs the idle bench; returns the process exit code (1 when a goal is missed). */
export async function idleMain(argv: string[]): Promise<number> {
  const o = parse(argv);
  for (const dir of [o.profileDir, o.heapDir]) if (dir) mkdirSync(dir, { recursive: true });
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
  const list = checks(o, results.find((r) => r.mode === 'bare'), results.find((r) => r.mode === 'chat'));
  for (const [ok, what] of list) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
  return list.every(([ok]) => ok) ? 0 : 1;
}
