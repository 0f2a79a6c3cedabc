// npm run bench: R rooms x C clients posting at a fixed total rate for S
// seconds against the chat server, and the same load against a bare grpc-js
// fan-out loop (the baseline), each server in its own process. With
// --instances 2 it also runs the load split across two chat servers sharing a
// redis-server on loopback (every room has members on both).
//   node dist/scripts/bench.js [--rooms 10] [--clients 20] [--rate 1000] [--seconds 30] [--instances 1|2]
// With --idle N it runs the idle-streams bench instead (see bench-idle.ts).
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { forkServer, type ServerChild, type ServerMode, type ServerReport } from '../test/support/server-child.js';

// --idle N: the idle-streams bench (scripts/bench-idle.ts), with its own flags.
if (process.argv.includes('--idle')) {
  const { idleMain } = await import('./bench-idle.js');
  process.exit(await idleMain(process.argv.slice(2)));
}

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '10' },
    clients: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' }, // shorter runs swing p99 by 2x on a 2-core machine
    instances: { type: 'string', default: '1' },
  },
});
const INSTANCES = Number(args.instances);
if (INSTANCES !== 1 && INSTANCES !== 2) throw new Error('--instances must be 1 or 2');
const ROOMS = Number(args.rooms);
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const TICK_MS = 10;

type RunMode = ServerMode | 'chat x2';

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
  /** Redis's own CPU per delivery (two-instance mode only). */
  redisCpuPerDelivery?: number;
}

interface Redis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A throwaway redis-server on a free loopback port, in memory (no persistence). */
async function startRedis(): Promise<Redis> {
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(p));
    });
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.once('error', (err) => {
    throw new Error(`cannot start redis-server (apt-get install redis-server): ${err.message}`);
  });
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** User+system CPU of another process, in microseconds (Linux). */
function processCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function startServer(mode: ServerMode, store?: string): ServerChild {
  return forkServer(mode, store ? { env: { ...process.env, CHAT_BENCH_STORE: store } } : {});
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
  const { proto } = loadChatPackage();

  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let delivered = 0;
  let measuring = false;
  let nextStream = 0;
  let nextId = 0;
  const streams: Array<grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output>> = [];
  const clients: grpc.Client[] = [];
  for (let r = 0; r < ROOMS; r++) {
    for (let c = 0; c < CLIENTS; c++) {
      // Two instances: alternate, so every room has members on both servers.
      const target = targets[c % targets.length] as string;
      const client = new proto.chat.ChatService(target, grpc.credentials.createInsecure());
      clients.push(client);
      const call = client.JoinChat();
      call.on('data', (m: ChatMessage__Output) => {
        if (m.type !== 'TEXT') return;
        const id = Number(m.message.slice(0, m.message.indexOf(' ')));
        const t0 = sentAt.get(id);
        if (t0 === undefined) return;
        delivered++;
        if (measuring) latencies.push(performance.now() - t0);
      });
      call.on('error', () => undefined);
      call.write({ user_id: `u${r}-${c}`, username: `user${r}-${c}`, room_id: `room${r}`, type: 'JOIN' });
      streams.push(call);
    }
  }
  await sleep(1000); // let joins, history and JOIN notices settle
  // One second of the same load unmeasured, so both sides are past JIT warm-up.
  await drive(RATE, 1);
  await sleep(500);
  const deliveredBefore = delivered;
  const cpu0 = await askAll(servers);
  const redisCpu0 = redis ? processCpuMicros(redis.pid) : 0;
  measuring = true;
  const started = performance.now();
  const sent = await drive(RATE, SECONDS);
  const expected = deliveredBefore + sent * CLIENTS;

  async function drive(rate: number, seconds: number): Promise<number> {
    const t0 = performance.now();
    const total = rate * seconds;
    let count = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        // Catch up to the schedule so the rate holds even if a tick runs late.
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        while (count < due) {
          const stream = streams[nextStream++ % streams.length];
          const id = nextId++;
          sentAt.set(id, performance.now());
          stream?.write({ type: 'TEXT', message: `${id} benchmark message with a little body to it` });
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
  const cpu1 = await askAll(servers);
  const redisCpu1 = redis ? processCpuMicros(redis.pid) : 0;
  measuring = false;
  for (const s of streams) s.end();
  for (const c of clients) c.close();
  await Promise.all(servers.map((s) => s.stop()));
  await redis?.stop();

  const sorted = Float64Array.from(latencies).sort();
  return {
    mode,
    sent,
    expected: expected - deliveredBefore,
    delivered: delivered - deliveredBefore,
    lost: expected - delivered,
    seconds: elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    cpuPerDelivery: (cpu1.cpuMicros - cpu0.cpuMicros) / Math.max(1, delivered - deliveredBefore),
    rssMb: cpu1.rss / 1024 / 1024,
    redisCpuPerDelivery: redis ? (redisCpu1 - redisCpu0) / Math.max(1, delivered - deliveredBefore) : undefined,
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
  ].join(' ');
}

console.log(
  `bench: ${ROOMS} rooms x ${CLIENTS} clients, ${RATE} msg/s for ${SECONDS}s ` +
    `(${RATE * CLIENTS} deliveries/s target); chat server uses ${process.env.CHAT_BENCH_STORE ?? 'SQLite'}` +
    (INSTANCES === 2 ? '; chat x2: two servers sharing an in-memory redis-server' : ''),
);
const bare = await run('bare');
const chat = await run('chat');
const two = INSTANCES === 2 ? await run('chat x2') : null;
console.log('mode       sent  deliv/s   lost  p50(ms)  p99(ms)  max(ms) cpu-us/del rss(MB)');
console.log(row(bare));
console.log(row(chat));
if (two) {
  console.log(`${row(two)}   (cpu and rss: both servers; redis-server adds ${two.redisCpuPerDelivery?.toFixed(2)} cpu-us/del)`);
}
const p99Ratio = chat.p99 / bare.p99;
const cpuRatio = chat.cpuPerDelivery / bare.cpuPerDelivery;
console.log(`chat/bare: p99 ${p99Ratio.toFixed(2)}x, cpu per delivery ${cpuRatio.toFixed(2)}x`);
const checks: Array<[boolean, string]> = [
  [chat.lost === 0, `nothing lost (${chat.lost})`],
  [chat.p99 < 50, `p99 < 50 ms (${chat.p99.toFixed(2)})`],
  [p99Ratio <= 1.5, `p99 within 1.5x of bare (${p99Ratio.toFixed(2)}x)`],
  [cpuRatio <= 1.3, `cpu/delivery within 1.3x of bare (${cpuRatio.toFixed(2)}x)`],
];
if (two) {
  checks.push([two.lost === 0, `chat x2: nothing lost (${two.lost})`], [two.p99 < 50, `chat x2: p99 < 50 ms (${two.p99.toFixed(2)})`]);
}
for (const [ok, what] of checks) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
process.exitCode = checks.every(([ok]) => ok) ? 0 : 1;
