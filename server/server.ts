// The grpc-js server: ChatService, the standard health service and reflection,
// metrics when asked for, SIGHUP reloads and an orderly shutdown.
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { loadChatPackage } from '../protos/load.js';
import type { Config } from './config.js';
import { Hub } from './hub.js';
import { Accounts } from './accounts.js';
import { Admission } from './admission.js';
import { TokenBuckets } from './limits.js';
import type { Logger } from './log.js';
import { chatHandlers, serverInfo, type QueryContext } from './service.js';
import { SessionRegistry } from './session-registry.js';
import type { SessionContext } from './session-types.js';
import type { Backend } from './store/open.js';
import { createWire } from './wire.js';
import { metrics, watch } from './metrics.js';
import { countCalls } from './metrics-calls.js';
import { serveMetrics, type MetricsEndpoint } from './metrics-http.js';
import { timeStore } from './metrics-store.js';
import { reloadFiles, type ReloadResult } from './reload.js';
import { ReloadableCertificate } from './tls-files.js';

export interface RunningServer {
  port: number;
  /** host:port as the seed logs it, e.g. [::]:50051 */
  address: string;
  hub: Hub;
  /** With --metrics-port: where Prometheus scrapes. */
  metrics: MetricsEndpoint | null;
  /** SIGHUP: reads the accounts file and the TLS pair again; open streams stay. */
  reload(): ReloadResult;
  /** Notifies clients, stops accepting, finishes writing, closes the store and feed. */
  shutdown(reason?: string): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 1500;
const SHUTDOWN_DEADLINE_MS = 4000;

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What the config names on disk (TLS pair, accounts), read up front so a bad file is a clear startup error. */
export interface FileBacked {
  credentials: grpc.ServerCredentials;
  /** null: plain text (no --tls-cert/--tls-key). */
  certificate: ReloadableCertificate | null;
  accounts: Accounts | null;
}

export function readFiles(config: Pick<Config, 'tlsCert' | 'tlsKey' | 'users'>): FileBacked {
  const certificate = config.tlsCert && config.tlsKey ? new ReloadableCertificate(config.tlsCert, config.tlsKey) : null;
  return {
    credentials: certificate ? certificate.credentials() : grpc.ServerCredentials.createInsecure(),
    certificate,
    accounts: config.users ? new Accounts(config.users) : null,
  };
}

export async function startChatServer(
  config: Config,
  backend: Backend,
  log: Logger,
  files: FileBacked = readFiles(config),
): Promise<RunningServer> {
  const { credentials, accounts } = files;
  timeStore(backend.feed.store);
  metrics.storeUp.set(1);
  backend.feed.onHealth?.((health) => metrics.storeUp.set(health === 'up' ? 1 : 0));
  const { packageDefinition } = loadChatPackage();
  const wire = createWire(packageDefinition);
  const hub = new Hub(backend.feed, backend.presence, wire, log, config.history);
  const streams: SessionContext = {
    streams: hub.sessions,
    rooms: hub,
    admission: new Admission({ maxRoomsPerUser: config.maxRoomsPerUser, maxStreamsPerConnection: config.maxStreamsPerConnection }),
    names: backend.names,
    accounts,
    buckets: new TokenBuckets(config.rateLimit),
    wire,
    log,
    limits: { historyLimit: config.history, maxMessageBytes: config.maxMessageBytes, maxQueue: config.maxQueue },
    // Issue 13: Session streams hear user events and room signals through the bus.
    bus: backend.bus,
    registry: new SessionRegistry(backend.bus),
    store: backend.feed.store,
    presence: backend.presence,
    serverInfo: () => serverInfo(streams),
  };
  const queries: QueryContext = {
    store: backend.feed.store,
    presence: backend.presence,
    liveRoomIds: () => hub.liveRoomIds(),
    accounts,
    log,
  };
  // Keepalive pings find peers that vanished without closing their connection
  // (a suspended laptop, a cut cable); their streams end and their members leave.
  const server = new grpc.Server({
    'grpc.keepalive_time_ms': config.keepaliveSeconds * 1000,
    'grpc.keepalive_timeout_ms': Math.max(1000, (config.keepaliveSeconds * 1000) / 2),
    // Counting calls costs a layer per message: only when someone scrapes the counts.
    interceptors: config.metricsPort === undefined ? [] : [countCalls],
  });
  server.addService(wire.service, chatHandlers(streams, queries));
  const health = new HealthImplementation({ '': 'SERVING', 'chat.ChatService': 'SERVING' });
  health.addToServer(server);
  new ReflectionService(packageDefinition).addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(formatAddress(config.host, config.port), credentials, (err, bound) => {
      if (!err) return resolve(bound);
      const inUse = /EADDRINUSE|address already in use/i.test(err.message);
      reject(
        inUse
          ? new Error(`port ${config.port} on ${config.host} is already in use (is another chat-server running?)`)
          : new Error(`could not listen on ${formatAddress(config.host, config.port)}: ${err.message}`),
      );
    });
  });
  const address = formatAddress(config.host, port);
  let endpoint: MetricsEndpoint | null = null;
  if (config.metricsPort !== undefined) {
    try {
      endpoint = await serveMetrics(config.metricsHost ?? config.host, config.metricsPort);
    } catch (err) {
      server.forceShutdown();
      throw err;
    }
  }
  const unwatch = watch(() => {
    const rooms = hub.liveRoomIds().map((id) => hub.room(id));
    const queues = rooms.flatMap((room) => [...room.members.values()].map((m) => m.outbox.queued));
    return { rooms: rooms.length, members: queues.length, queues };
  });

  let stopping: Promise<void> | null = null;
  const shutdown = (reason = 'Server is shutting down'): Promise<void> => {
    stopping ??= (async () => {
      health.setStatus('', 'NOT_SERVING');
      health.setStatus('chat.ChatService', 'NOT_SERVING');
      const stopped = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      const deadline = setTimeout(() => server.forceShutdown(), SHUTDOWN_DEADLINE_MS);
      try {
        await hub.settled();
        await Promise.all([...hub.sessions].map((s) => s.shutdown(reason, SHUTDOWN_GRACE_MS)));
        await hub.settled();
        await stopped;
      } finally {
        clearTimeout(deadline);
        unwatch();
        await endpoint?.close();
        await backend.close();
      }
    })();
    return stopping;
  };
  const reload = (): ReloadResult => reloadFiles(files, log);

  return { port, address, hub, metrics: endpoint, reload, shutdown };
}
