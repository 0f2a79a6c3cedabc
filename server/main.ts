#!/usr/bin/env node
// chat-server: flags/env -> config -> store -> gRPC server; signals -> shutdown.
import * as grpc from '@grpc/grpc-js';
import { CommanderError } from 'commander';
import { addUser } from './accounts.js';
import { parseAddUser, parseConfig } from './config.js';
import { checkUsername } from './validate.js';
import { createLogger } from './log.js';
import { readFiles, startChatServer } from './server.js';
import { openBackend, describeBackend } from './store/open.js';

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
    const what = (err as Error).message;
    // Redis errors already say what they tried to reach.
    process.stderr.write(`chat-server: ${what.startsWith('cannot') ? what : `cannot open store ${safeDescribe(config.store)}: ${what}`}\n`);
    return 1;
  }
  log.info(`ChatServer initialized with message history (store: ${backend.description}, last ${config.history} replayed)`);
  let running;
  try {
    running = await startChatServer(config, backend, log, files);
  } catch (err) {
    await backend.close();
    process.stderr.write(`chat-server: ${(err as Error).message}\n`);
    return 1;
  }
  if (config.tlsCert) log.info(`TLS on, certificate ${config.tlsCert}`);
  log.info(`Enhanced gRPC Chat Server listening on ${running.address}`);
  log.info('Features: Room isolation, Message history, Better logging');

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

function safeDescribe(spec: string): string {
  try {
    return describeBackend(spec);
  } catch {
    return `'${spec}'`;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chat-server: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
