// The chat server (or the bare baseline) in a child process of its own, so
// its CPU and memory are measured alone, and the IPC questions it answers:
// its port once listening, a report (CPU, RSS, heap) on request, and stop.
// Shared by the bench, the soak and the fuzz test.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchMode, ServerReport } from './bench-server.js';

export interface ServerChild {
  child: ChildProcess;
  /** Resolves once the server listens. */
  port: Promise<number>;
  report(): Promise<ServerReport>;
  /** Shuts the server down (removing its temporary store); killed if it takes over 5 s. */
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./bench-server.js', import.meta.url));

export function forkServer(mode: BenchMode, opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): ServerChild {
  const child = fork(SERVER, [mode], { stdio: 'inherit', env: opts.env ?? process.env, execArgv: opts.execArgv ?? [] });
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
