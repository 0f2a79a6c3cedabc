// The config file and the operator's commands: flag > environment > file,
// --print-config (round trip, secrets redacted), `check` on good and bad
// configurations, `health` against a running and a stopped server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { tempDir } from '../helpers.js';
import { freePort, SERVER_BIN, selfSigned, startBinary, stopBinary } from '../processes.js';

/** The environment without any CHAT_ setting of the machine running the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CHAT_')));
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [SERVER_BIN, ...args], { encoding: 'utf8', env: cleanEnv(env) });
}

describe('config file', () => {
  it('takes a flag over the environment over the file over the defaults', () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'chat-server.toml');
      writeFileSync(file, [
        'port = 6000', 'history = 7', 'max-queue = 300', 'log-format = "json"',
        'store = "redis://chat:hunter2@127.0.0.1:6379/3?maxlen=500"', 'rate-limit = "2/20"',
      ].join('\n'));
      const out = run(['--config', file, '--port', '8000', '--print-config'], { CHAT_PORT: '7000', CHAT_HISTORY: '9' });
      assert.equal(out.status, 0, out.stderr);
      const printed = parse(out.stdout);
      assert.equal(printed.port, 8000, 'flag over environment and file');
      assert.equal(printed.history, 9, 'environment over file');
      assert.equal(printed['max-queue'], 300, 'file over default');
      assert.equal(printed['log-format'], 'json');
      assert.equal(printed['rate-limit'], '2/20');
      assert.equal(printed['max-message-bytes'], 4096, 'default');
      assert.equal(printed.store, 'redis://chat:***@127.0.0.1:6379/3?maxlen=500', 'password redacted, the rest kept');
      assert.doesNotMatch(out.stdout, /hunter2/);

      // CHAT_CONFIG names the file too; what --print-config prints reads back to the same settings.
      const again = path.join(tmp.dir, 'printed.toml');
      writeFileSync(again, out.stdout);
      const viaEnv = run(['--print-config'], { CHAT_CONFIG: again });
      assert.equal(viaEnv.status, 0, viaEnv.stderr);
      assert.deepEqual(parse(viaEnv.stdout), printed);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses an unknown key, a snake_case key and a bad value with one clear line', () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'bad.toml');
      const refusal = (text: string): string => {
        writeFileSync(file, text);
        const out = run(['--config', file, '--print-config']);
        assert.equal(out.status, 1);
        assert.doesNotMatch(out.stderr, /\n\s+at /, 'no stack trace');
        return out.stderr.split('\n')[0] ?? '';
      };
      assert.equal(refusal('max_queue = 5\n'), `error: ${file}: unknown key 'max_queue' (keys are kebab case: max-queue); the keys are the flag names without --, see chat-server --help`);
      assert.equal(refusal('colour = "red"\n'), `error: ${file}: unknown key 'colour'; the keys are the flag names without --, see chat-server --help`);
      assert.equal(refusal('port = 99999\n'), `error: ${file}: port = 99999: expected a whole number from 0 to 65535`);
      assert.match(refusal('port = \n'), new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid TOML \\(line 1, column \\d+\\)`));
    } finally {
      tmp.cleanup();
    }
  });
});

describe('chat-server check', () => {
  it('accepts a good configuration and says what it found', () => {
    const tmp = tempDir();
    try {
      const { cert, key } = selfSigned(tmp.dir);
      const users = path.join(tmp.dir, 'users.json');
      assert.equal(run(['add-user', 'Alice', '--users', users]).status, 0);
      const file = path.join(tmp.dir, 'good.toml');
      writeFileSync(file, [`store = "sqlite:${path.join(tmp.dir, 'chat.db')}"`, `users = "${users}"`, `tls-cert = "${cert}"`, `tls-key = "${key}"`, 'metrics-port = 9464'].join('\n'));
      const out = run(['check', '--config', file]);
      assert.equal(out.status, 0, out.stderr);
      assert.match(out.stdout, new RegExp(`^config: ${file}$`, 'm'));
      assert.match(out.stdout, /^tls: CN=localhost, valid until /m);
      assert.match(out.stdout, /^accounts: .*users\.json, 1 accounts$/m);
      assert.match(out.stdout, /^store: sqlite:.*chat\.db, 0 rooms$/m);
      assert.match(out.stdout, /^listen: \[::\]:50051, metrics: \[::\]:9464\/metrics, log: info text$/m);
      assert.match(out.stdout, /\nok\n$/);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a bad one with the reason and exit 1', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'bad.toml');
      const reason = (lines: string[], env: Record<string, string> = {}): string => {
        writeFileSync(file, lines.join('\n'));
        const out = run(['check', '--config', file], env);
        assert.equal(out.status, 1, `exit 1 for ${lines.join('; ')}`);
        return out.stderr.trim();
      };
      assert.equal(
        reason(['tls-cert = "/nonexistent/c.pem"', 'tls-key = "/nonexistent/k.pem"', 'store = "memory"']),
        'chat-server check: cannot read the TLS certificate /nonexistent/c.pem: ENOENT',
      );
      const port = await freePort();
      assert.equal(
        reason([`store = "redis://127.0.0.1:${port}"`]),
        `chat-server check: cannot reach Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      );
      writeFileSync(path.join(tmp.dir, 'users.json'), '{ not json');
      assert.equal(
        reason(['store = "memory"', `users = "${path.join(tmp.dir, 'users.json')}"`]),
        `chat-server check: the users file ${path.join(tmp.dir, 'users.json')} is not JSON; make it with chat-server add-user`,
      );
      assert.match(reason(['history = "lots"']), /history = "lots": expected a whole number from 0 to 10000/);
      // The environment is checked too: it is part of the configuration the server would run with.
      assert.match(reason(['store = "memory"'], { CHAT_LOG_LEVEL: 'loud' }), /option '--log-level <level>' value 'loud' from env 'CHAT_LOG_LEVEL' is invalid/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('chat-server health', () => {
  it('exits 0 for a running server and 1 for a stopped one', async () => {
    const server = await startBinary(['--store', 'memory']);
    let stopped = false;
    try {
      const up = run(['health', '--server', server.target]);
      assert.equal(up.status, 0, up.stderr);
      assert.equal(up.stdout, `${server.target}: SERVING\n`);
      // The default address follows CHAT_PORT, as in the container's HEALTHCHECK.
      const byEnv = run(['health'], { CHAT_PORT: String(server.port) });
      assert.equal(byEnv.status, 0, byEnv.stderr);
      await stopBinary(server);
      stopped = true;
      const down = run(['health', '--server', server.target, '--timeout', '2']);
      assert.equal(down.status, 1);
      assert.equal(down.stderr, `chat-server health: cannot ask ${server.target}: connect ECONNREFUSED ${server.target}\n`);
    } finally {
      if (!stopped) await stopBinary(server);
    }
  });
});
