// The real chat-server binary: flags, logs, health, reflection, busy port, signals.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { connect, join, tempDir } from '../helpers.js';
import { runBinary, startBinary } from '../processes.js';

const require = createRequire(import.meta.url);

describe('chat-server binary', () => {
  it('prints help and version, and refuses a bad flag with one line and a non-zero exit', () => {
    const help = runBinary(['--help']);
    assert.equal(help.status, 0);
    const flags = ['--host', '--port', '--history', '--store', '--max-message-bytes', '--rate-limit', '--max-rooms-per-user',
      '--max-streams-per-connection', '--keepalive', '--log-level'];
    for (const flag of flags) {
      assert.ok(help.stdout.includes(flag), `--help mentions ${flag}`);
    }
    const version = runBinary(['--version']);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const bad = runBinary(['--history', 'lots']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--history <n>' argument 'lots' is invalid/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
    const env = runBinary([], { env: { ...process.env, CHAT_PORT: '99999' } });
    assert.notEqual(env.status, 0);
    assert.match(env.stderr, /expected a whole number from 0 to 65535/);
    const rate = runBinary(['--rate-limit', 'lots']);
    assert.notEqual(rate.status, 0);
    assert.match(rate.stderr, /'lots' is not RATE\[\/BURST\] \(e\.g\. 5\/50\) or off/);
  });

  it('logs in the seed format (no message text at info), answers health and reflection, and refuses a busy port', async () => {
    const tmp = tempDir();
    const srv = await startBinary(['--store', `sqlite:${path.join(tmp.dir, 'c.db')}`]);
    try {
      const client = connect(`127.0.0.1:${srv.port}`);
      const alice = join(client, 'Alice', 'general');
      alice.say('Hello everyone!');
      await alice.waitForText('Hello everyone!');
      const log = srv.stderr();
      assert.match(log, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - INFO - chat-server \d+\.\d+\.\d+ listening on 127\.0\.0\.1:\d+ \(store: sqlite:.+\)$/m);
      assert.match(log, / - INFO - User Alice \(Alice-id\) joining room 'general'$/m);
      // Message text is logged only at debug (logs.test.ts): never at info.
      assert.doesNotMatch(log, /Hello everyone!/);

      const healthDef = protoLoader.loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { enums: String });
      const health = grpc.loadPackageDefinition(healthDef) as unknown as {
        grpc: { health: { v1: { Health: new (t: string, c: grpc.ChannelCredentials) => grpc.Client & { check: Function } } } };
      };
      const hc = new health.grpc.health.v1.Health(`127.0.0.1:${srv.port}`, grpc.credentials.createInsecure());
      const status = await new Promise<{ status: string }>((resolve, reject) =>
        hc.check({ service: 'chat.ChatService' }, (e: Error | null, r: { status: string }) => (e ? reject(e) : resolve(r))),
      );
      assert.equal(status.status, 'SERVING');
      hc.close();

      const reflDef = protoLoader.loadSync(
        require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto'),
        { keepCase: true },
      );
      const refl = grpc.loadPackageDefinition(reflDef) as unknown as {
        grpc: { reflection: { v1alpha: { ServerReflection: new (t: string, c: grpc.ChannelCredentials) => grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<object, { list_services_response?: { service: { name: string }[] } }> } } } };
      };
      const rc = new refl.grpc.reflection.v1alpha.ServerReflection(`127.0.0.1:${srv.port}`, grpc.credentials.createInsecure());
      const services = await new Promise<string[]>((resolve, reject) => {
        const call = rc.ServerReflectionInfo();
        call.on('data', (r) => {
          resolve((r.list_services_response?.service ?? []).map((s: { name: string }) => s.name));
          call.end();
        });
        call.on('error', reject);
        call.write({ list_services: '' });
      });
      assert.ok(services.includes('chat.ChatService'), `reflection lists ${services.join(', ')}`);
      rc.close();

      const busy = runBinary(['--host', '127.0.0.1', '--port', String(srv.port), '--store', 'memory']);
      assert.equal(busy.status, 1);
      const busyLines = busy.stderr.split('\n').filter((l) => l.startsWith('chat-server:'));
      assert.deepEqual(busyLines, [`chat-server: port ${srv.port} on 127.0.0.1 is already in use (is another chat-server running?)`]);
      assert.doesNotMatch(busy.stderr, /\n\s+at /, 'no stack trace');

      // SIGTERM: clients hear about it, the stream ends UNAVAILABLE, the process exits in time.
      srv.child.kill('SIGTERM');
      const end = await alice.waitForStatus(6000);
      assert.equal(end.code, grpc.status.UNAVAILABLE);
      assert.ok(alice.received.some((m) => m.type === 'SYSTEM' && m.notice === 'NOTICE_SHUTDOWN'));
      const exit = await srv.exited;
      assert.equal(exit.code, 0);
      assert.ok(exit.ms < 5000, `exited in ${exit.ms} ms`);
      client.close();
    } finally {
      srv.child.kill('SIGKILL');
      tmp.cleanup();
    }
  });
});
