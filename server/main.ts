#!/usr/bin/env node
// chat-server: flags/env -> config -> store -> gRPC server; signals -> shutdown.
import * as grpc from '@grpc/grpc-js';
import { CommanderError } from 'commander';
import { addUser } from './accounts.js';
import { version } from '../protos/rules.js';
import { parseAddUser, parseConfig, type Config } from './config.js';
import { checkUsername } from './validate.js';
import { createLogger } from './log.js';
import { readFiles, startChatServer } from './server.js';
import { openBackend } from './store/open.js';
import { StoreUnavailable } from './store/types.js';

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
  if (process.argv[2] === 'add-user') return addUserCommand(process.argv.slice(3));
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const log = createLogger(config.logLevel);
  // grpc-js's own log lines (e.g. on a busy port) duplicate ours; show them only when debugging.
  if (config.logLevel !== 'debug') grpc.setLogVerbosity(grpc.logVerbosity.NONE);
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
  log.info(banner(config, running.address, backend.description));

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
  });
}

/** What this server is and where it listens, e.g. `chat-server 0.1.0 listening on [::]:50051 (store: memory, ...)`. */
function banner(config: Config, address: string, store: string): string {
  const tls = config.tlsCert ? `TLS on, certificate ${config.tlsCert}` : 'TLS off';
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
