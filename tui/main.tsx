#!/usr/bin/env node
// chat-tui: flags -> store + gRPC client -> full-screen Ink app (or line mode
// when not on a terminal). The terminal is restored on every way out.
import './tty-env.js';
import { render } from 'ink';
import { randomUUID } from 'node:crypto';
import React from 'react';
import { createController } from './actions.js';
import { App } from './App.js';
import { channelCredentials, CommanderError, parseArgs } from './args.js';
import { ChatClient } from './client.js';
import { F1_SEQUENCES } from './keys.js';
import { runPlain } from './plain.js';
import { createChatStore } from './store.js';
import { roomName } from '../protos/rules.js';

const ENTER_ALT = '\u001b[?1049h\u001b[H';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';

function main(): void {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    throw err;
  }
  const room = roomName(args.room);
  const store = createChatStore({ username: args.user, userId: randomUUID(), server: args.servers[0] ?? '', room });
  let credentials;
  try {
    credentials = channelCredentials(args);
  } catch (err) {
    process.stderr.write(`chat-tui: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const client = new ChatClient(store, args.servers, { credentials, ...(args.token ? { token: args.token } : {}) });

  // --send is a one-shot for scripts and cron, terminal or not.
  if (args.send !== undefined || !process.stdin.isTTY || !process.stdout.isTTY) {
    const send = args.send === undefined ? undefined : args.send === '-' ? ('stdin' as const) : [args.send];
    void runPlain(store, client, { room, timeoutMs: args.timeoutMs, history: args.history, ...(send ? { send } : {}) }).then(
      (code) => process.exit(code),
    );
    return;
  }

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(LEAVE_ALT);
  };
  process.on('exit', restore);
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      restore();
      process.exit(0);
    });
  }
  process.on('uncaughtException', (err) => {
    restore();
    process.stderr.write(`chat-tui crashed: ${err.stack ?? String(err)}\n`);
    process.exit(1);
  });

  process.stdout.write(ENTER_ALT);
  // Registered before Ink's own listener: when the terminal reflows, the old
  // frame's rows wrap and Ink's erase-by-line-count misses some; on the
  // alternate screen the whole screen can simply be cleared first.
  process.stdout.on('resize', () => process.stdout.write('\u001b[2J\u001b[H'));
  let app: ReturnType<typeof render> | null = null;
  const quit = () => {
    client.close();
    app?.unmount();
    restore();
    process.exit(0);
  };
  const controller = createController(store, client, quit);
  // Ink reports F1 as an empty input; Ink reads stdin with read(), which also
  // emits 'data', so a listener sees the raw sequence without taking it.
  process.stdin.on('data', (chunk: Buffer | string) => {
    if (F1_SEQUENCES.includes(chunk.toString())) store.getState().toggleHelp();
  });
  app = render(<App store={store} controller={controller} onNeedOlder={(r) => client.loadOlder(r)} />, {
    exitOnCtrlC: false,
    patchConsole: true,
    // 60 fps: an isolated event still renders at once (leading edge); bursts coalesce per frame.
    maxFps: 60,
  });
  client.join(room);
}

main();
