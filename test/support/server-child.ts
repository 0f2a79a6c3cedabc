// The chat server (or the bare baseline) in a child process of its own, so
// its CPU and memory are measured alone, and the IPC questions it answers:
// its port once listening, a report (CPU, RSS, heap) on request, and stop.
// Used by the fuzz test, and by the bench and the soak (scripts may use test
// support; tests use no scripts).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** "chat": the real chat-server. "bare": the baseline, a plain grpc-js fan-out on the same contract. */
export type ServerMode = 'chat' | 'bare';

export interface ServerReport {
  cpuMicros: number;
  rss: number;
  /** V8 heap in use, after a full GC when the process runs with --expose-gc (the fuzz test's leak check). */
  heapUsed: number;
  /** JoinChat streams the server holds open now: a stream that outlives its client is a leak. */
  streams: number;
}

export interface ServerChild {
  child: ChildProcess;
  /** Resolves once the server listens. */
  port: Promise<number>;
  report(): Promise<ServerReport>;
  /** Shuts the server down (removing its temporary store); killed if it takes over 5 s. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./measured-server.js', import.meta.url));

/** `env.CHAT_BENCH_STORE` picks the chat server's store (a temporary SQLite file if unset). */
export function forkServer(mode: ServerMode, opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): ServerChild {
  const child = fork(CHILD, [mode], { stdio: 'inherit', env: opts.env ?? process.env, execArgv: opts.execArgv ?? [] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  return {
    child,
    port,
    report: () =>
      new Promise<ServerReport>((resolve) => {
        child.once('message', (m) => resolve(m as ServerReport));
        child.send('report');
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
