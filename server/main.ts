#!/usr/bin/env node
// chat-server: flags/env/file -> config -> store -> gRPC server; SIGHUP ->
// reload, SIGINT/SIGTERM -> shutdown. The other commands live in commands/.
import * as grpc from '@grpc/grpc-js';
import { CommanderError } from 'commander';
import { format } from 'node:util';
import { addUser } from './accounts.js';
import { version } from '../protos/rules.js';
import { parseAddUser, parseServerArgs, type Config } from './config.js';
import { configToToml } from './print-config.js';
import { checkUsername } from './validate.js';
import { createLogger } from './log.js';
import { readFiles, startChatServer } from './server.js';
import { openBackend } from './store/open.js';
import { StoreUnavailable } from './store/types.js';
import { checkCommand } from './commands/check.js';
import { exportCommand } from './commands/export.js';
import { healthCommand } from './commands/health.js';
import { importCommand } from './commands/import.js';
import { removeUserCommand } from './commands/remove-user.js';

const commands = new Map<string, (argv: readonly string[]) => Promise<number>>([
  ['add-user', addUserCommand],
  ['remove-user', removeUserCommand],
  ['check', checkCommand],
  ['health', healthCommand],
  ['export', exportCommand],
  ['import', importCommand],
]);

async function addUserCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseAddUser(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const name = checkUsername(parsed.name);
  if (!name.ok) {
    process.stderr.write(`chat-server add-user: ${name.error}\n`);
    return 2;
  }
  try {
    const token = await addUser(parsed.file, name.value);
    process.stdout.write(`${token}\n`);
    process.stderr.write(`Account '${name.value}' saved in ${parsed.file}. The token above is shown only this once:\n` +
      `  chat-tui --user ${name.value} --token TOKEN   (or CHAT_TOKEN=TOKEN)\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`chat-server add-user: ${(err as Error).message}\n`);
    return 1;
  }
}

async function main(): Promise<number> {
  const command = commands.get(process.argv[2] ?? '');
  if (command) return command(process.argv.slice(3));
  let parsed;
  try {
    parsed = parseServerArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const { config } = parsed;
  if (parsed.printConfig) {
    process.stdout.write(configToToml(config));
    return 0;
  }
  const log = createLogger(config.logLevel, undefined, config.logFormat);
  // grpc-js's own log lines (e.g. on a busy port) duplicate ours; show them only when debugging.
  if (config.logLevel !== 'debug') grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  // In JSON, they too must be one object a line.
  else if (config.logFormat === 'json') grpc.setLogger({ error: (...args: unknown[]) => log.debug(format(...args), { event: 'grpc' }) });
  // Unreadable TLS or accounts files are a startup error: say so before touching the store.
  let files;
  try {
    files = readFiles(config);
  } catch (err) {
    process.stderr.write(`chat-server: ${(err as Error).message}\n`);
    return 1;
  }
  let backend;
  try {
    backend = await openBackend(config.store, log);
  } catch (err) {
    if (!(err instanceof StoreUnavailable)) throw err;
    process.stderr.write(`chat-server: ${err.message}\n`);
    return 1;
  }
  let running;
  try {
    running = await startChatServer(config, backend, log, files);
  } catch (err) {
    await backend.close();
    process.stderr.write(`chat-server: ${(err as Error).message}\n`);
    return 1;
  }
  log.info(banner(config, running.address, backend.description, files.certificate?.summary));
  if (running.metrics) log.info(`Metrics on ${running.metrics.url}`, { event: 'metrics' });

  const server = running;
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      log.info(`Received ${signal}, shutting down`);
      server.shutdown().then(
        () => resolve(0),
        (err: unknown) => {
          log.error(`shutdown failed: ${String(err)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // Accounts and TLS certificates, in place; open streams stay (reload.ts).
    process.on('SIGHUP', () => server.reload());
  });
}

/** What this server is and where it listens, e.g. `chat-server 0.1.0 listening on [::]:50051 (store: memory, ...)`. */
function banner(config: Config, address: string, store: string, certificate = ''): string {
  const tls = config.tlsCert ? `TLS on, certificate ${config.tlsCert}${certificate ? ` (${certificate})` : ''}` : 'TLS off';
  const accounts = config.users ? `accounts from ${config.users}` : 'accounts off';
  return `chat-server ${version} listening on ${address} (store: ${store}, history ${config.history}, ${tls}, ${accounts})`;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chat-server: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
