// The idle bench's handles on its child processes: the server under test
// (scripts/server-child.ts's forkServer, with scripts/idle-probe.ts loaded
// beside it) and the client processes (scripts/idle-client.ts). Each turns the
// IPC messages into promises; a server question waits for the previous one,
// because forkServer's report() takes the next message the child sends.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServerMode as BenchMode, ServerReport } from '../test/support/server-child.js';
import type { IdleCommand, IdleEvent } from './idle-client.js';
import type { ProbeAnswer, ProbeRequest } from './idle-probe.js';
import { forkServer, type ServerChild } from '../test/support/server-child.js';

const PROBE = new URL('./idle-probe.js', import.meta.url).href;
const CLIENT = fileURLToPath(new URL('./idle-client.js', import.meta.url));

export class ServerUnderTest {
  private readonly server: ServerChild;
  private queue: Promise<unknown> = Promise.resolve();
  readonly port: Promise<number>;

  constructor(mode: BenchMode, env: NodeJS.ProcessEnv) {
    this.server = forkServer(mode, { env, execArgv: ['--import', PROBE] });
    this.port = this.server.port;
  }

  get pid(): number {
    return this.server.child.pid ?? 0;
  }

  report(): Promise<ServerReport> {
    return this.serial(() => this.server.report());
  }

  probe(req: ProbeRequest): Promise<ProbeAnswer> {
    return this.serial(
      () =>
        new Promise<ProbeAnswer>((resolve, reject) => {
          const child = this.server.child;
          const onMessage = (m: unknown) => {
            if (typeof m !== 'object' || m === null || (m as ProbeAnswer).probe !== req.probe) return;
            child.off('message', onMessage);
            const answer = m as ProbeAnswer;
            if (answer.error) reject(new Error(`server probe ${req.probe}: ${answer.error}`));
            else resolve(answer);
          };
          child.on('message', onMessage);
          child.send(req);
        }),
    );
  }

  stop(): Promise<void> {
    return this.serial(() => this.server.stop());
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

type EventOf<K extends IdleEvent['ev']> = Extract<IdleEvent, { ev: K }>;

export class ClientProc {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<string, Array<(e: IdleEvent) => void>>();
  private readonly exited: Promise<void>;

  constructor() {
    this.child = fork(CLIENT, [], { stdio: 'inherit' });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (e: IdleEvent) => {
      const queue = this.waiting.get(e.ev);
      queue?.shift()?.(e);
    });
    this.child.once('exit', (code) => {
      if (code !== 0 && this.waiting.size > 0 && [...this.waiting.values()].some((q) => q.length > 0)) {
        console.error(`an idle client process exited with code ${code} while the bench waited for it`);
        process.exit(1);
      }
    });
  }

  ask<K extends IdleCommand['cmd']>(cmd: Extract<IdleCommand, { cmd: K }>): Promise<EventOf<K & IdleEvent['ev']>> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(cmd.cmd) ?? [];
      queue.push(resolve as (e: IdleEvent) => void);
      this.waiting.set(cmd.cmd, queue);
      this.child.send(cmd);
    });
  }

  /** Closes its streams and connections; killed if it has not exited within 5 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.ask({ cmd: 'close' }).catch(() => undefined);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
