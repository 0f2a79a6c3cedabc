// rediss://: two chat-server processes share rooms through a redis-server that
// speaks only TLS on the port they use, with a self-signed certificate trusted
// through NODE_EXTRA_CA_CERTS, as the README says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, fullHistory, join, tempDir } from '../helpers.js';
import { runBinary, selfSigned, startBinary, startRedis, stopBinary } from '../processes.js';

describe('Redis over TLS', () => {
  it('shares rooms over rediss:// and says so when the certificate is not trusted', async (t) => {
    const tmp = tempDir();
    const pair = selfSigned(tmp.dir);
    const redis = await startRedis({ tls: pair });
    t.after(async () => {
      await redis.stop();
      tmp.cleanup();
    });
    assert.match(redis.url, /^rediss:\/\/localhost:\d+$/);

    // Not trusted: one clear line, exit 1.
    const untrusted = runBinary(['--port', '0', '--store', redis.url], { timeout: 15_000 });
    assert.equal(untrusted.status, 1);
    assert.equal(untrusted.stderr.trim(), `chat-server: cannot reach Redis at ${redis.url}: self-signed certificate`);

    const env = { ...process.env, NODE_EXTRA_CA_CERTS: pair.cert };
    const [a, b] = await Promise.all([startBinary(['--store', redis.url], env), startBinary(['--store', redis.url], env)]);
    const ca = connect(a.target);
    const cb = connect(b.target);
    t.after(async () => {
      ca.close();
      cb.close();
      await Promise.all([stopBinary(a), stopBinary(b)]);
    });
    const alice = join(ca, 'Alice', 'secure');
    const bob = join(cb, 'Bob', 'secure');
    await alice.waitForText('Bob joined the room');
    alice.say('across TLS to Redis');
    await bob.waitForText('across TLS to Redis');
    const history = await fullHistory(cb, 'secure');
    assert.ok(history.some((m) => m.message === 'across TLS to Redis' && m.seq > 0), 'stored in Redis');
    alice.leave();
    bob.leave();
  });
});
