// npm run soak: C clients across R rooms for S seconds, each posting now and
// then, while a share of them disconnect and reconnect (resuming from the last
// seq they saw) every second. At the end every client's view is checked
// against the room's stored history: a stored message a client should have
// seen and did not is lost; one seen twice is a duplicate. The server's RSS,
// heap (after a full GC) and open streams are printed as the run goes; at the
// end it must hold exactly one stream per client.
//   node dist/scripts/soak.js [--clients 500] [--rooms 20] [--seconds 180] [--churn 10] [--post-every 2]
import * as grpc from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../protos/generated/chat/ChatService.js';
import { fullHistory, sleep } from '../test/helpers.js';
import { forkServer } from '../test/support/server-child.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    rooms: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '180' },
    churn: { type: 'string', default: '10' }, // clients reconnecting per second
    'post-every': { type: 'string', default: '2' }, // seconds between one client's messages
  },
});
const CLIENTS = Number(args.clients);
const ROOMS = Number(args.rooms);
const SECONDS = Number(args.seconds);
const CHURN = Number(args.churn);
const POST_EVERY = Number(args['post-every']);
const CONNECTIONS = 10;

interface Client {
  name: string;
  room: string;
  conn: ChatServiceClient;
  call: grpc.ClientDuplexStream<ChatMessage, ChatMessage__Output> | null;
  /** Stored seqs this client received (any type). */
  seen: Map<number, number>;
  firstSeq: number;
  lastSeq: number;
  reconnects: number;
}

const server = forkServer('chat', {
  execArgv: ['--expose-gc'],
  env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
});
const port = await server.port;
const report = server.report;
const target = `127.0.0.1:${port}`;
const { proto } = loadChatPackage();
const conns = Array.from(
  { length: CONNECTIONS },
  () => new proto.chat.ChatService(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }),
);

let delivered = 0;
function open(c: Client): void {
  const call = c.conn.JoinChat();
  c.call = call;
  call.on('data', (m: ChatMessage__Output) => {
    if (m.seq <= 0) return;
    delivered++;
    c.seen.set(m.seq, (c.seen.get(m.seq) ?? 0) + 1);
    if (c.firstSeq === 0) c.firstSeq = m.seq;
    c.lastSeq = Math.max(c.lastSeq, m.seq);
  });
  call.on('error', () => undefined);
  const first: ChatMessage = { user_id: `${c.name}-id`, username: c.name, room_id: c.room, type: 'JOIN' };
  if (c.lastSeq > 0) first.resume_after_seq = c.lastSeq;
  call.write(first);
}

const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => ({
  name: `soak${i}`,
  room: `soak-room${i % ROOMS}`,
  conn: conns[i % CONNECTIONS] as ChatServiceClient,
  call: null,
  seen: new Map(),
  firstSeq: 0,
  lastSeq: 0,
  reconnects: 0,
}));
for (const c of clients) open(c);
await sleep(2000);

console.log(`soak: ${CLIENTS} clients in ${ROOMS} rooms for ${SECONDS}s, ${CHURN} reconnects/s, a message per client every ${POST_EVERY}s`);
console.log('   t(s)  rss(MB)  heap(MB)  deliveries/s  reconnects  server streams');
let sent = 0;
let reconnects = 0;
let next = 0;
const started = Date.now();
let lastDelivered = delivered;
let lastReport = Date.now();
const samples: Array<{ t: number; rss: number; heap: number }> = [];
while (Date.now() - started < SECONDS * 1000) {
  const tickStart = Date.now();
  // Posts: spread evenly so each client posts about once per POST_EVERY seconds.
  const perTick = Math.round(CLIENTS / POST_EVERY / 10);
  for (let k = 0; k < perTick; k++) {
    const c = clients[next++ % CLIENTS] as Client;
    if (c.call) {
      c.call.write({ type: 'TEXT', message: `${c.name} #${sent++}` });
    }
  }
  // Churn: a few clients drop their stream and come back, resuming. Distinct
  // clients: grpc-js (1.14.7) still starts a call cancelled in the same tick it
  // was made (ResolvingCall creates its child after cancel), so cancelling the
  // stream just opened would leave it open on the server for good, a client-side
  // leak that no real client (chat-tui never cancels) makes.
  if (Math.floor((tickStart - started) / 100) % 10 === 0) {
    const picked = new Set<Client>();
    while (picked.size < Math.min(CHURN, CLIENTS)) picked.add(clients[Math.floor(Math.random() * CLIENTS)] as Client);
    for (const c of picked) {
      c.call?.cancel();
      c.reconnects++;
      reconnects++;
      open(c);
    }
  }
  if (Date.now() - lastReport >= 10_000) {
    const r = await report();
    const t = (Date.now() - started) / 1000;
    const rate = (delivered - lastDelivered) / ((Date.now() - lastReport) / 1000);
    samples.push({ t, rss: r.rss / 1048576, heap: r.heapUsed / 1048576 });
    console.log(
      `${t.toFixed(0).padStart(7)} ${(r.rss / 1048576).toFixed(1).padStart(8)} ${(r.heapUsed / 1048576).toFixed(1).padStart(9)} ${rate.toFixed(0).padStart(13)} ${String(reconnects).padStart(11)} ${String(r.streams).padStart(15)}`,
    );
    lastDelivered = delivered;
    lastReport = Date.now();
  }
  await sleep(Math.max(0, 100 - (Date.now() - tickStart)));
}

// Quiet: let the last messages and resumes arrive.
await sleep(3000);
const reader = conns[0] as ChatServiceClient;
const history = new Map<string, ChatMessage__Output[]>();
for (let r = 0; r < ROOMS; r++) {
  const room = `soak-room${r}`;
  history.set(room, await fullHistory(reader, room));
}

let lost = 0;
let duplicates = 0;
let expected = 0;
let storedTexts = 0;
for (const msgs of history.values()) storedTexts += msgs.filter((m) => m.type === 'TEXT').length;
for (const c of clients) {
  const msgs = history.get(c.room) ?? [];
  for (const m of msgs) {
    if (m.seq < c.firstSeq) continue;
    // The seed's rule: a joiner is not sent its own JOIN (each reconnect makes one).
    if (m.type === 'JOIN' && m.message === `${c.name} joined the room`) continue;
    expected++;
    const n = c.seen.get(m.seq) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicates += n - 1;
  }
}
const final = await report();
// Every client holds exactly one stream; more on the server means streams that outlived their client.
const leakedStreams = final.streams - CLIENTS;
const warm = samples.find((s) => s.t >= 30) ?? samples[0];
console.log(
  `sent ${sent}, stored ${storedTexts} texts (the ${sent - storedTexts} others were written just before the client dropped that stream); checked ${expected} client-message pairs: lost ${lost}, duplicates ${duplicates}; ${reconnects} reconnects`,
);
if (warm) {
  console.log(
    `server RSS ${warm.rss.toFixed(1)} MB at ${warm.t.toFixed(0)}s -> ${(final.rss / 1048576).toFixed(1)} MB at the end; ` +
      `heap ${warm.heap.toFixed(1)} -> ${(final.heapUsed / 1048576).toFixed(1)} MB; ` +
      `${final.streams} streams open on the server for ${CLIENTS} clients`,
  );
}
for (const c of clients) c.call?.cancel();
for (const conn of conns) conn.close();
await server.stop();
const ok = lost === 0 && duplicates === 0 && leakedStreams === 0;
console.log(ok ? 'PASS nothing lost, nothing twice, no stream left behind' : 'MISS');
process.exitCode = ok ? 0 : 1;
