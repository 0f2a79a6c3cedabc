// npm run bench: R rooms x C clients posting at a fixed total rate for S
// seconds against the chat server, and the same load against a bare grpc-js
// fan-out loop (the baseline), each server in its own process.
//   node dist/scripts/bench.js [--rooms 10] [--clients 20] [--rate 1000] [--seconds 10]
import * as grpc from '@grpc/grpc-js';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { BenchMode, ServerReport } from './bench-server.js';

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '10' },
    clients: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' }, // shorter runs swing p99 by 2x on a 2-core machine
  },
});
const ROOMS = Number(args.rooms);
const CLIENTS = Number(args.clients);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const TICK_MS = 10;

interface Result {
  mode: BenchMode;
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
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask(child: ChildProcess): Promise<ServerReport> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as ServerReport));
    child.send('report');
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(mode: BenchMode): Promise<Result> {
  const child = fork(fileURLToPath(new URL('./bench-server.js', import.meta.url)), [mode], { stdio: 'inherit' });
  const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
  const { proto } = loadChatPackage();
  const target = `127.0.0.1:${port}`;

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
  const cpu0 = await ask(child);
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
  const cpu1 = await ask(child);
  measuring = false;
  for (const s of streams) s.end();
  for (const c of clients) c.close();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));

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
  };
}

function row(r: Result): string {
  return [
    r.mode.padEnd(5),
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
    `(${RATE * CLIENTS} deliveries/s target); chat server uses SQLite`,
);
const bare = await run('bare');
const chat = await run('chat');
console.log('mode     sent  deliv/s   lost  p50(ms)  p99(ms)  max(ms) cpu-us/del rss(MB)');
console.log(row(bare));
console.log(row(chat));
const p99Ratio = chat.p99 / bare.p99;
const cpuRatio = chat.cpuPerDelivery / bare.cpuPerDelivery;
console.log(`chat/bare: p99 ${p99Ratio.toFixed(2)}x, cpu per delivery ${cpuRatio.toFixed(2)}x`);
const checks = [
  [chat.lost === 0, `nothing lost (${chat.lost})`],
  [chat.p99 < 50, `p99 < 50 ms (${chat.p99.toFixed(2)})`],
  [p99Ratio <= 1.5, `p99 within 1.5x of bare (${p99Ratio.toFixed(2)}x)`],
  [cpuRatio <= 1.3, `cpu/delivery within 1.3x of bare (${cpuRatio.toFixed(2)}x)`],
] as const;
for (const [ok, what] of checks) console.log(`${ok ? 'PASS' : 'MISS'} ${what}`);
process.exitCode = checks.every(([ok]) => ok) ? 0 : 1;
