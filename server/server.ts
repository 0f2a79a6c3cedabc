// The grpc-js server: ChatService, the standard health service and reflection,
// and an orderly shutdown.
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { readFileSync } from 'node:fs';
import { HealthImplementation } from 'grpc-health-check';
import { loadChatPackage } from '../protos/load.js';
import type { Config } from './config.js';
import { Hub } from './hub.js';
import { Accounts } from './accounts.js';
import { Admission } from './admission.js';
import { TokenBuckets } from './limits.js';
import type { Logger } from './log.js';
import type { StreamContext } from './join-chat.js';
import { chatHandlers, type QueryContext } from './service.js';
import type { Backend } from './store/open.js';
import { createWire } from './wire.js';

export interface RunningServer {
  port: number;
  /** host:port as the seed logs it, e.g. [::]:50051 */
  address: string;
  hub: Hub;
  /** Notifies clients, stops accepting, finishes writing, closes the store and feed. */
  shutdown(reason?: string): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 1500;
const SHUTDOWN_DEADLINE_MS = 4000;

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Plain text unless --tls-cert/--tls-key name a PEM pair. */
function serverCredentials(config: Pick<Config, 'tlsCert' | 'tlsKey'>): grpc.ServerCredentials {
  if (!config.tlsCert || !config.tlsKey) return grpc.ServerCredentials.createInsecure();
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const cert = read(config.tlsCert, 'certificate');
  const key = read(config.tlsKey, 'key');
  try {
    return grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: key }], false);
  } catch (err) {
    throw new Error(`the TLS certificate or key is not usable PEM: ${(err as Error).message}`);
  }
}

/** What the config names on disk (TLS pair, accounts), read up front so a bad file is a clear startup error. */
export interface FileBacked {
  credentials: grpc.ServerCredentials;
  accounts: Accounts | null;
}

export function readFiles(config: Pick<Config, 'tlsCert' | 'tlsKey' | 'users'>): FileBacked {
  return { credentials: serverCredentials(config), accounts: config.users ? new Accounts(config.users) : null };
}

export async function startChatServer(
  config: Config,
  backend: Backend,
  log: Logger,
  files: FileBacked = readFiles(config),
): Promise<RunningServer> {
  const { credentials, accounts } = files;
  const { packageDefinition } = loadChatPackage();
  const wire = createWire(packageDefinition);
  const hub = new Hub(backend.feed, backend.presence, wire, log);
  const streams: StreamContext = {
    streams: hub.sessions,
    rooms: hub,
    admission: new Admission({ maxRoomsPerUser: config.maxRoomsPerUser, maxStreamsPerConnection: config.maxStreamsPerConnection }),
    names: backend.names,
    accounts,
    buckets: new TokenBuckets(config.rateLimit),
    wire,
    log,
    limits: { historyLimit: config.history, maxMessageBytes: config.maxMessageBytes, maxQueue: config.maxQueue },
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
        await backend.close();
      }
    })();
    return stopping;
  };

  return { port, address, hub, shutdown };
}
