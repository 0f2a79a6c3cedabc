// chat-server --print-config: the effective settings as a TOML file that
// --config reads back to the same settings.
import { stringify } from 'smol-toml';
import type { Config } from './config.js';
import { redactStore } from './config-file.js';

/** The effective config as a file --config would read back (the Redis password redacted). */
export function configToToml(config: Config): string {
  const table: Record<string, string | number | string[]> = {
    host: config.host,
    port: config.port,
    history: config.history,
    store: redactStore(config.store),
    'max-message-bytes': config.maxMessageBytes,
    'max-queue': config.maxQueue,
    'rate-limit': config.rateLimit ? `${config.rateLimit.rate}/${config.rateLimit.burst}` : 'off',
    'max-rooms-per-user': config.maxRoomsPerUser,
    'max-streams-per-connection': config.maxStreamsPerConnection,
    keepalive: config.keepaliveSeconds,
    'log-level': config.logLevel,
    'log-format': config.logFormat ?? 'text',
  };
  // TOML has no null: unset optional settings are left out, as in a file that never named them.
  if (config.tlsCert) table['tls-cert'] = config.tlsCert;
  if (config.tlsKey) table['tls-key'] = config.tlsKey;
  if (config.users) table.users = config.users;
  if (config.metricsPort !== undefined) table['metrics-port'] = config.metricsPort;
  if (config.metricsHost !== undefined) table['metrics-host'] = config.metricsHost;
  if (config.operators && config.operators.length > 0) table.operators = config.operators;
  const from = config.configFile ? `# with ${config.configFile}\n` : '';
  return `# chat-server's effective configuration (flags > environment > config file > defaults)\n${from}${stringify(table).trimEnd()}\n`;
}
