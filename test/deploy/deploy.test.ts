// The deployment files, checked by running what they say (Docker and systemd
// cannot run here): the image's build and run steps, the compose file's two
// servers and Redis, the systemd unit's check/start/reload/stop. Only the
// addresses change: loopback and free ports instead of the containers' own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ChatClient } from '../../tui/client.js';
import { createChatStore } from '../../tui/store.js';
import { connect, eventually, join, sleep, tempDir } from '../helpers.js';
import { sample, scrape } from '../metrics.js';
import { answers, freePort, hasRedis, SERVER_BIN, selfSigned } from '../processes.js';
import { composeCommands, dockerfile, ROOT, sampleConfig, systemdUnit } from './files.js';

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs a command (argv[0] "node" meaning this Node) and collects its stderr. */
function launch(argv: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Proc {
  const [cmd = '', ...args] = argv;
  const child = spawn(cmd === 'node' ? process.execPath : cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stderr: () => err, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function listening(p: Proc, port: number): Promise<void> {
  await eventually(() => {
    if (p.child.exitCode !== null) throw new Error(`exited early:\n${p.stderr()}`);
    return p.stderr().includes(`listening on 127.0.0.1:${port}`);
  }, `a server on ${port}`, 15_000);
}

/** SIGTERM, as docker stop and systemctl stop send it: exit 0 within the 5 s drain. */
async function stopGracefully(p: Proc): Promise<void> {
  const t0 = Date.now();
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, p.stderr());
  assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
}

const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHAT_'))),
  ...extra,
});

function health(argv: string[], e: NodeJS.ProcessEnv, cwd = ROOT): number | null {
  const [cmd = '', ...args] = argv;
  return spawnSync(cmd === 'node' ? process.execPath : cmd, args, { cwd, env: e, encoding: 'utf8' }).status;
}

describe('deployment files', () => {
  it('Dockerfile: the build stage compiles the server from what it copies; the image runs and passes its healthcheck', async (t) => {
    const docker = dockerfile();
    const tmp = tempDir();
    t.after(() => tmp.cleanup());
    const build = path.join(tmp.dir, 'build');
    mkdirSync(build);
    for (const copy of docker.buildCopies) {
      const [sources, dest] = [copy.slice(0, -1), copy.at(-1) ?? '.'];
      for (const src of sources) cpSync(path.join(ROOT, src), path.join(build, dest === './' ? src : dest), { recursive: true });
    }
    // npm ci cannot run offline: the checkout's own install stands in for it.
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(build, 'node_modules'));
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: build, encoding: 'utf8' });
    assert.equal(tsc.status, 0, `tsc in the build stage:\n${tsc.stdout}${tsc.stderr}`);

    const app = path.join(tmp.dir, 'app');
    mkdirSync(app);
    for (const [from, to] of docker.runtimeCopies) {
      const target = path.join(app, to === './' ? path.basename(from) : to);
      if (from === 'node_modules') symlinkSync(path.join(ROOT, 'node_modules'), target);
      else cpSync(path.join(build, from), target, { recursive: true });
    }
    const port = await freePort();
    const e = env({ ...docker.env, CHAT_HOST: '127.0.0.1', CHAT_PORT: String(port), CHAT_STORE: `sqlite:${path.join(tmp.dir, 'data/chat.db')}` });
    assert.equal(docker.env.CHAT_STORE, 'sqlite:/data/chat.db', 'history on the volume');
    const server = launch(docker.entrypoint, e, app);
    t.after(() => server.child.kill('SIGKILL'));
    await listening(server, port);
    assert.equal(health(docker.healthcheck, e, app), 0, 'HEALTHCHECK passes');
    await stopGracefully(server);
    assert.equal(health(docker.healthcheck, e, app), 1, 'and fails once stopped');
  });

  it('compose: two servers and Redis, chat across them, metrics, a drain that moves the client', { skip: !hasRedis && 'no redis-server' }, async (t) => {
    const commands = composeCommands();
    const docker = dockerfile();
    const tmp = tempDir();
    const redisPort = await freePort();
    const redisArgs = commands.get('redis') ?? [];
    assert.equal(redisArgs[0], 'redis-server');
    const redis = launch([...redisArgs, '--port', String(redisPort), '--bind', '127.0.0.1', '--dir', tmp.dir, '--save', ''], process.env);
    t.after(async () => {
      redis.child.kill('SIGKILL');
      await redis.exited;
      tmp.cleanup();
    });
    await eventually(() => answers(redisPort), 'redis-server', 10_000);

    const servers: Array<{ proc: Proc; port: number; metrics: number; env: NodeJS.ProcessEnv }> = [];
    for (const name of ['chat-1', 'chat-2']) {
      const [port, metrics] = [await freePort(), await freePort()];
      const args = (commands.get(name) ?? []).map((a) => a.replace('redis://redis:6379', `redis://127.0.0.1:${redisPort}`).replace(/^9464$/, String(metrics)));
      assert.ok(args.includes(`redis://127.0.0.1:${redisPort}`), `${name} uses the shared Redis`);
      const e = env({ ...docker.env, CHAT_HOST: '127.0.0.1', CHAT_PORT: String(port) });
      const proc = launch([...docker.entrypoint, ...args], e);
      t.after(() => proc.child.kill('SIGKILL'));
      servers.push({ proc, port, metrics, env: e });
    }
    for (const s of servers) await listening(s.proc, s.port);
    for (const s of servers) assert.equal(health(docker.healthcheck, s.env), 0, 'each container is healthy');
    const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const [t1, t2] = [`127.0.0.1:${one.port}`, `127.0.0.1:${two.port}`];

    // chat-tui with both addresses, as the compose file's header says; Bob on the second server.
    const store = createChatStore({ username: 'Alice', userId: 'alice-id', server: t1, room: 'deploy' });
    const alice = new ChatClient(store, [t1, t2]);
    const c2 = connect(t2);
    t.after(() => {
      alice.close();
      c2.close();
    });
    alice.join('deploy');
    const bob = join(c2, 'Bob', 'deploy');
    await eventually(() => store.getState().connection.state === 'online', 'Alice online');
    alice.send('deploy', 'hello across servers');
    await bob.waitForText('hello across servers');
    for (const s of servers) {
      const m = await scrape(`http://127.0.0.1:${s.metrics}/metrics`);
      assert.equal(sample(m, 'chat_store_up'), 1);
    }
    assert.equal(sample(await scrape(`http://127.0.0.1:${one.metrics}/metrics`), 'chat_messages_posted_total'), 1);
    for (const line of one.proc.stderr().split('\n').filter(Boolean)) JSON.parse(line);

    // docker stop chat-1: Alice is told, moves to chat-2 and carries on.
    await stopGracefully(one.proc);
    assert.equal(health(docker.healthcheck, one.env), 1, 'the stopped one is unhealthy');
    await eventually(() => store.getState().server === t2 && store.getState().connection.state === 'online', 'Alice on chat-2', 15_000);
    alice.send('deploy', 'after the drain');
    await bob.waitForText('after the drain');
    bob.leave();
    await sleep(50);
    await stopGracefully(two.proc);
  });

  it('systemd: ExecStartPre checks, ExecStart serves TLS with accounts, ExecReload reloads, stop drains', async (t) => {
    const unit = systemdUnit();
    const tmp = tempDir();
    t.after(() => tmp.cleanup());
    const etc = path.join(tmp.dir, 'etc');
    mkdirSync(path.join(etc, 'tls'), { recursive: true });
    const config = path.join(etc, 'chat-server.toml');
    // The sample config, moved under the temp dir: /etc/chat-server and the unit's StateDirectory.
    writeFileSync(config, sampleConfig().replaceAll('/etc/chat-server/', `${etc}/`).replaceAll('/var/lib/chat-server/', `${tmp.dir}/`));
    const { cert } = selfSigned(path.join(etc, 'tls'));
    assert.equal(spawnSync(process.execPath, [SERVER_BIN, 'add-user', 'alice', '--users', path.join(etc, 'users.json')]).status, 0);
    const [port, metrics] = [await freePort(), await freePort()];
    // Loopback and free ports through the environment, which beats the file.
    const e = env({ CHAT_HOST: '127.0.0.1', CHAT_PORT: String(port), CHAT_METRICS_PORT: String(metrics) });
    const argv = (key: string): string[] =>
      (unit.get(key) ?? '').split(' ').flatMap((a) => (a === '/usr/bin/chat-server' ? ['node', SERVER_BIN] : [a.replace('/etc/chat-server/chat-server.toml', config)]));

    const check = spawnSync(process.execPath, argv('ExecStartPre').slice(1), { env: e, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /^tls: CN=localhost/m);
    assert.match(check.stdout, /^accounts: .*, 1 accounts$/m);

    const server = launch(argv('ExecStart'), e);
    t.after(() => server.child.kill('SIGKILL'));
    await listening(server, port);
    assert.equal(health(['node', SERVER_BIN, 'health', '--server', `localhost:${port}`, '--ca', cert], e), 0);
    assert.equal(sample(await scrape(`http://127.0.0.1:${metrics}/metrics`), 'chat_store_up'), 1);

    const reload = (unit.get('ExecReload') ?? '').replace('$MAINPID', String(server.child.pid)).split(' ');
    assert.equal(spawnSync(reload[0] ?? '', reload.slice(1)).status, 0);
    await eventually(() => /reloaded the TLS certificate/.test(server.stderr()), 'the reload');
    const reloads = server.stderr().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; msg: string }).filter((r) => r.event === 'reload');
    assert.deepEqual(reloads.map((r) => r.msg.replace(/\(.*\)/, '(...)')), [
      'SIGHUP: reloaded the accounts file (...)',
      'SIGHUP: reloaded the TLS certificate (...); new connections use it',
    ]);
    assert.equal(unit.get('KillSignal'), 'SIGTERM');
    assert.ok(Number(unit.get('TimeoutStopSec')) > 5, 'systemd waits longer than the drain takes');
    await stopGracefully(server);
  });
});
