// The full-screen client: terminal modes on, the first frame drawn, and only
// then gRPC loaded and the room joined (main.tsx imports this module after
// the flags are read, so --help never loads Ink, React or gRPC). The
// terminal is restored on every way out.
import { render } from 'ink';
import React from 'react';
import { roomName } from '../protos/rules.js';
import { createController } from './actions.js';
import { App } from './App.js';
import type { TuiArgs } from './args.js';
import { bindingLookup } from './bindings.js';
import type { ChatClient } from './client.js';
import { configureDisplay } from './display.js';
import { createNotifier, type Notifier } from './notifier.js';
import { trackReads } from './read-sync.js';
import { createChatStore } from './store.js';
import { terminalModes } from './terminal.js';

const CLEAR = '\u001b[2J\u001b[H';

export interface FullScreenHooks {
  /** Called once the first frame is written, before V8's flags change (see below). */
  onFirstFrame?: () => void;
}

export function runFullScreen(args: TuiArgs, caPem: Buffer | undefined, hooks: FullScreenHooks = {}): void {
  const { settings } = args;
  configureDisplay({ color: settings.color, timeFormat: settings.timestampFormat });
  const modes = terminalModes({ mouse: settings.mouse });
  const out = process.stdout;

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write(modes.leave);
  };
  process.on('exit', restore);
  // SIGINT too: Ctrl+C is a key in raw mode, but `kill -INT` still arrives as the signal.
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
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

  out.write(modes.enter);
  // Registered before Ink's own listener: when the terminal reflows, the old
  // frame's rows wrap and Ink's erase-by-line-count misses some; on the
  // alternate screen the whole screen can simply be cleared first.
  out.on('resize', () => out.write(CLEAR));

  // Without --room the user's rooms come with the server's welcome (issue 13).
  const room = args.room === undefined ? undefined : roomName(args.room);
  let notifier: Notifier | null = null;
  const store = createChatStore({
    username: args.user,
    // Given with the client, below: node:crypto need not load before the first frame.
    userId: '',
    server: args.servers[0] ?? '',
    ...(room ? { room } : {}),
    joins: settings.joins,
    onAlert: (alert) => notifier?.alert(alert),
  });
  let client: ChatClient | null = null;
  // gRPC and protobufjs take a while to load: after the first frame, not before it.
  const clientReady = new Promise<ChatClient>((resolve, reject) => {
    setImmediate(() => {
      Promise.all([import('./client.js'), import('./credentials.js'), import('node:crypto')]).then(
        ([{ ChatClient }, { channelCredentials }, { randomUUID }]) => {
          store.setState({ userId: randomUUID() });
          const credentials = channelCredentials({ tls: args.tls, ...(caPem ? { caPem } : {}) });
          client = new ChatClient(store, args.servers, { credentials, ...(args.token ? { token: args.token } : {}) });
          if (room) client.join(room, true);
          else client.start();
          const c = client;
          trackReads(store, (roomId, seq) => c.read(roomId, seq));
          resolve(client);
        },
        reject,
      );
    });
  });
  clientReady.catch((err: Error) => {
    restore();
    process.stderr.write(`chat-tui crashed: ${err.stack ?? String(err)}\n`);
    process.exit(1);
  });

  let app: ReturnType<typeof render> | null = null;
  const quit = () => {
    client?.close();
    app?.unmount();
    restore();
    process.exit(0);
  };
  const controller = createController(store, clientReady, quit);
  const lookup = bindingLookup(settings.keys);
  app = render(
    <App store={store} controller={controller} onNeedOlder={(r) => void clientReady.then((c) => c.loadOlder(r))} {...(lookup ? { bindings: lookup } : {})} />,
    {
      exitOnCtrlC: false,
      patchConsole: true,
      // 60 fps: an isolated event still renders at once (leading edge); bursts coalesce per frame.
      maxFps: 60,
    },
  );
  // The bundle's code cache is made here when it needs making (tui/app-script.ts):
  // the code the first frame ran is compiled by now, and V8's flags are still
  // the ones a fresh process has (a cache made after the change below would be
  // refused by the next start).
  hooks.onFirstFrame?.();
  notifier = createNotifier(store, { write: (s) => out.write(s), notifications: settings.notifications });
  // After the first frame (start-up allocates a lot and would collect more
  // often): a chat client then idles between bursts, such as a room's
  // history arriving, and with this V8 keeps a smaller young generation and
  // gives memory back sooner; with 10 rooms of history loaded it settles at
  // ~72 MB RSS instead of ~107 MB. V8 reads it as the heap works, so setting
  // it at run time takes effect.
  void import('node:v8').then((v8) => v8.setFlagsFromString('--optimize-for-size'));
}
