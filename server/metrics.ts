// Prometheus metrics (prom-client) for one server process. The counters are
// module-level so the code that sees an event counts it with one line
// (metrics.refused.inc({ reason: 'too_long' })); gauges are read when scraped
// from the live state each server registers with watch(). Served only with
// --metrics-port (metrics-http.ts). No metric has a room or user label: a
// label per room would grow without bound.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

/** A counter bumped for every message (hot paths): a plain number, handed to prom-client when scraped. */
export class Tally {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

function tallied(name: string, help: string, tally: Tally): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(tally.value);
    },
  });
}

/** What a server has live, read at scrape time. */
export interface LiveState {
  rooms: number;
  members: number;
  /** Messages waiting in each member stream's outbox. */
  queues: number[];
}

const sources = new Set<() => LiveState>();

function live(): LiveState {
  const total: LiveState = { rooms: 0, members: 0, queues: [] };
  for (const read of sources) {
    const s = read();
    total.rooms += s.rooms;
    total.members += s.members;
    total.queues.push(...s.queues);
  }
  return total;
}

const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const LAG_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const postedTally = new Tally();
const deliveredTally = new Tally();

export const metrics = {
  /** Client TEXT messages stored by this server. */
  posted: postedTally,
  /** Messages written to client streams (live, history replays, notices). */
  delivered: deliveredTally,
  refused: new Counter({
    name: 'chat_messages_refused_total',
    help: 'Client messages not posted, by reason (too_long, rate_limited, empty, store_failed)',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  slowReaders: new Counter({
    name: 'chat_slow_reader_disconnects_total',
    help: 'Streams ended because their reader fell more than --max-queue messages behind',
    registers: [registry],
  }),
  streams: new Gauge({
    name: 'chat_streams_open',
    help: 'Open streaming calls by kind (chat: JoinChat, health_watch, reflection)',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
  calls: new Counter({
    name: 'chat_calls_total',
    help: 'Finished gRPC calls by method and status code',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  }),
  storeSeconds: new Histogram({
    name: 'chat_store_operation_seconds',
    help: 'Time the message store took per operation (append, before, after, first_seq, latest_seq, rooms)',
    labelNames: ['op'] as const,
    buckets: STORE_BUCKETS,
    registers: [registry],
  }),
  storeErrors: new Counter({
    name: 'chat_store_errors_total',
    help: 'Message store operations that failed, by operation',
    labelNames: ['op'] as const,
    registers: [registry],
  }),
  storeUp: new Gauge({
    name: 'chat_store_up',
    help: '1 while the message store is reachable, 0 while it is lost (Redis)',
    registers: [registry],
  }),
  busLag: new Histogram({
    name: 'chat_bus_lag_seconds',
    help: 'Redis: from a message being posted (on any server) to this server receiving it from pub/sub',
    buckets: LAG_BUCKETS,
    registers: [registry],
  }),
  reloads: new Counter({
    name: 'chat_reloads_total',
    help: 'SIGHUP reloads by file (accounts, tls) and result (ok, failed)',
    labelNames: ['what', 'result'] as const,
    registers: [registry],
  }),
};

// Known label values start at 0, so rate() and alerts see them before the first event.
for (const reason of ['too_long', 'rate_limited', 'empty', 'store_failed']) metrics.refused.inc({ reason }, 0);
for (const kind of ['chat', 'health_watch', 'reflection']) metrics.streams.set({ kind }, 0);
for (const op of ['append', 'before', 'after', 'first_seq', 'latest_seq', 'rooms']) metrics.storeSeconds.zero({ op });

tallied('chat_messages_posted_total', 'Client text messages stored by this server', postedTally);
tallied('chat_messages_delivered_total', 'Messages written to client streams (live, history replays and notices)', deliveredTally);

new Gauge({
  name: 'chat_rooms_active',
  help: 'Rooms with members (or unfinished posts) on this server',
  registers: [registry],
  collect() {
    this.set(live().rooms);
  },
});
new Gauge({
  name: 'chat_room_members',
  help: 'Member streams in rooms on this server (one per user per room per connection)',
  registers: [registry],
  collect() {
    this.set(live().members);
  },
});
new Gauge({
  name: 'chat_outbox_queued_messages',
  help: 'Messages waiting in member streams\' outboxes, summed over streams',
  registers: [registry],
  collect() {
    this.set(live().queues.reduce((a, b) => a + b, 0));
  },
});
new Gauge({
  name: 'chat_outbox_queued_max',
  help: 'The longest single outbox queue (a stream is ended past --max-queue)',
  registers: [registry],
  collect() {
    this.set(live().queues.reduce((a, b) => Math.max(a, b), 0));
  },
});

/** Reads `source` at every scrape until the returned function is called. */
export function watch(source: () => LiveState): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

let defaultsOn = false;

/** process_* and nodejs_* metrics, among them nodejs_eventloop_lag_*; only once metrics are served. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry });
}

/** Redis bus lag from a delivered batch's post time (ms since the epoch, the posting server's clock). */
export function observeBusLag(postedAt: number): void {
  if (Number.isFinite(postedAt) && postedAt > 0) metrics.busLag.observe(Math.max(0, Date.now() - postedAt) / 1000);
}
