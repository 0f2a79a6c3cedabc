// Real processes for the tests: the chat-server and chat-tui binaries, and
// redis-server, each on a loopback port of its own.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from './helpers.js';
import { binPath } from './paths.js';

/** The binaries users run, as package.json installs them (built by `npm run build`). */
export const SERVER_BIN = binPath('chat-server');
export const TUI_BIN = binPath('chat-tui');

/** Runs chat-server to its end (a subcommand, --help, a refusal) and returns what it printed. */
export function runBinary(args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [SERVER_BIN, ...args], { encoding: 'utf8', ...options });
}

export interface Spawned {
  child: ChildProcess;
  port: number;
  target: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts the chat-server binary on a free loopback port; resolves once it listens. */
export function startBinary(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Spawned> {
  const child = spawn(process.execPath, [SERVER_BIN, '--host', '127.0.0.1', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let err = '';
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - signalledAt })),
  );
  const origKill = child.kill.bind(child);
  child.kill = (sig?: NodeJS.Signals | number) => {
    signalledAt = Date.now();
    return origKill(sig);
  };
  child.stdout?.resume();
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        const port = Number(m[1]);
        resolve({ child, port, target: `127.0.0.1:${port}`, stderr: () => err, exited });
      }
    });
    child.on('exit', () => reject(new Error(`server exited early:\n${err}`)));
  });
}

/** Stops a server binary (SIGTERM unless told) and waits for it to exit. */
export async function stopBinary(s: Spawned, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal);
  await s.exited;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

export interface RedisProcess {
  port: number;
  url: string;
  /** SIGKILL: the data survives only in the append-only file. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A self-signed certificate for localhost and 127.0.0.1, made by openssl as the README shows. */
export function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { cert, key };
}

/**
 * A redis-server on a free loopback port. Its append-only file is fsynced on
 * every write, so a restart after kill() keeps history and seq counters, as a
 * production Redis configured for durability would.
 */
export async function startRedis(opts: { tls?: { cert: string; key: string } } = {}): Promise<RedisProcess> {
  if (!hasRedis) throw new Error('redis-server is not installed (bash .ci/run installs it; or apt-get install redis-server)');
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-redis-'));
  const port = await freePort();
  // With TLS the plain port stays open on loopback, only for the readiness PING below.
  const tlsPort = opts.tls ? await freePort() : 0;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
      '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'warning'];
    if (opts.tls) {
      args.push('--tls-port', String(tlsPort), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key, '--tls-auth-clients', 'no');
    }
    const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (c.exitCode !== null) throw new Error(`redis-server exited:\n${out}`);
      if (await answers(port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port}:\n${out}`);
      await sleep(50);
    }
  };
  const kill = async (): Promise<void> => {
    child?.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    url: opts.tls ? `rediss://localhost:${tlsPort}` : `redis://127.0.0.1:${port}`,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when something on the port answers PING with +PONG. */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}
