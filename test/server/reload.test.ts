// SIGHUP: the accounts file and the TLS pair are read again while streams stay
// open. A new account works at once; new connections get the new certificate
// while an open connection keeps its session and its stream; a broken pair is
// refused and the working one stays.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { loadChatPackage } from '../../protos/load.js';
import { Chatter, eventually, tempDir } from '../helpers.js';
import { SERVER_BIN, selfSigned, startBinary, stopBinary } from '../processes.js';

/** A fixed, whole-second mtime: the server's own mtime check cannot tell the edited file from the old one. */
const FIXED_MTIME = 1_577_836_800;

function addUser(file: string, name: string): string {
  const run = spawnSync(process.execPath, [SERVER_BIN, 'add-user', name, '--users', file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  utimesSync(file, FIXED_MTIME, FIXED_MTIME);
  return run.stdout.trim();
}

function bearer(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}

/** The fingerprint of the certificate a new TLS connection to the port is shown. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['h2'] }, () => {
      resolve(sock.getPeerCertificate().fingerprint256);
      sock.destroy();
    });
    sock.on('error', reject);
  });
}

const fingerprint = (file: string): string => new X509Certificate(readFileSync(file)).fingerprint256;

describe('SIGHUP', () => {
  it('picks up a new account and a new TLS certificate without dropping an open stream', async (t) => {
    const tmp = tempDir();
    const [dirA, dirB] = [path.join(tmp.dir, 'a'), path.join(tmp.dir, 'b')];
    mkdirSync(dirA);
    mkdirSync(dirB);
    const [pairA, pairB] = [selfSigned(dirA), selfSigned(dirB)];
    const cert = path.join(tmp.dir, 'cert.pem');
    const key = path.join(tmp.dir, 'key.pem');
    copyFileSync(pairA.cert, cert);
    copyFileSync(pairA.key, key);
    const users = path.join(tmp.dir, 'users.json');
    const aliceToken = addUser(users, 'Alice');

    const server = await startBinary(['--store', 'memory', '--users', users, '--tls-cert', cert, '--tls-key', key]);
    const { proto } = loadChatPackage();
    const target = `localhost:${server.port}`;
    const trustingA = new proto.chat.ChatService(target, grpc.credentials.createSsl(readFileSync(pairA.cert)));
    const trustingB = new proto.chat.ChatService(target, grpc.credentials.createSsl(readFileSync(pairB.cert)));
    t.after(async () => {
      trustingA.close();
      trustingB.close();
      await stopBinary(server);
      tmp.cleanup();
    });
    const first = (name: string) => ({ user_id: `${name}-id`, username: name, room_id: 'hup', type: 'JOIN' as const });
    assert.equal(await servedFingerprint(server.port), fingerprint(pairA.cert));

    const alice = new Chatter(trustingA, first('Alice'), bearer(aliceToken));
    alice.say('before');
    await alice.waitForText('before');

    // Bob's account is in the file with the old mtime. (Issue 16: the server also
    // watches the file, so Bob may be let in before the SIGHUP; what is checked
    // here is that SIGHUP reads it whatever its mtime says.)
    const bobToken = addUser(users, 'Bob');

    copyFileSync(pairB.cert, cert);
    copyFileSync(pairB.key, key);
    server.child.kill('SIGHUP');
    await eventually(() => /reloaded the TLS certificate/.test(server.stderr()), 'the reload');
    assert.match(server.stderr(), /SIGHUP: reloaded the accounts file \(2 accounts\)/);
    assert.match(server.stderr(), /SIGHUP: reloaded the TLS certificate \(CN=localhost, valid until .*\); new connections use it/);

    // New connections get B; Bob, on one of them, reaches Alice on her old connection.
    assert.equal(await servedFingerprint(server.port), fingerprint(pairB.cert));
    const bob = new Chatter(trustingB, first('Bob'), bearer(bobToken));
    bob.say('after the reload');
    await alice.waitForText('after the reload');
    alice.say('still here');
    await bob.waitForText('still here');
    assert.equal(alice.status, null, "Alice's stream never ended");

    // A broken pair is refused; the server keeps serving B.
    writeFileSync(key, 'not a key\n');
    server.child.kill('SIGHUP');
    await eventually(() => /kept the TLS certificate in use/.test(server.stderr()), 'the refused reload');
    assert.match(server.stderr(), /SIGHUP: kept the TLS certificate in use: the TLS certificate or key is not usable PEM/);
    assert.equal(await servedFingerprint(server.port), fingerprint(pairB.cert));
    alice.say('and after the bad one');
    await bob.waitForText('and after the bad one');
    alice.leave();
    bob.leave();
  });
});
