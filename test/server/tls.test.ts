// TLS with a self-signed pair made by openssl, as the README shows: the server
// binary serves it, chat-tui's client connects with --ca, plain text is refused.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadChatPackage } from '../../protos/load.js';
import { channelCredentials } from '../../tui/args.js';
import { ChatClient } from '../../tui/client.js';
import { failureReason } from '../../tui/format.js';
import { createChatStore } from '../../tui/store.js';
import { connect, eventually, memberNames, tempDir } from '../helpers.js';
import { runBinary, selfSigned, startBinary, stopBinary } from '../processes.js';

describe('TLS', () => {
  it('serves TLS, lets chat-tui in with --ca and keeps plain-text clients out', async (t) => {
    const tmp = tempDir();
    const { cert, key } = selfSigned(tmp.dir);
    const server = await startBinary(['--store', 'memory', '--tls-cert', cert, '--tls-key', key]);
    t.after(async () => {
      await stopBinary(server);
      tmp.cleanup();
    });
    assert.match(server.stderr(), /TLS on, certificate /);
    const target = `localhost:${server.port}`;

    const store = createChatStore({ username: 'Secure', userId: 'secure-id', server: target, room: 'tls' });
    const tui = new ChatClient(store, target, { credentials: channelCredentials({ tls: true, ca: cert }) });
    t.after(() => tui.close());
    tui.join('tls');
    tui.send('tls', 'over TLS');
    await eventually(() => store.getState().rooms.tls?.lines.some((l) => l.text === 'over TLS' && l.seq > 0) ?? false, 'the echo over TLS');

    // A plain-text client cannot talk to it.
    const plain = connect(target);
    const err = await memberNames(plain, 'tls').then(
      () => null,
      (e: grpc.ServiceError) => e,
    );
    plain.close();
    assert.equal(err?.code, grpc.status.UNAVAILABLE);
    // Nor one that does not trust the certificate.
    const { proto } = loadChatPackage();
    const untrusting = new proto.chat.ChatService(target, grpc.credentials.createSsl());
    const err2 = await memberNames(untrusting, 'tls').then(
      () => null,
      (e: grpc.ServiceError) => e,
    );
    untrusting.close();
    assert.equal(err2?.code, grpc.status.UNAVAILABLE);

    // chat-tui says why on its status line: without --tls, and without --ca.
    const reasonFor = async (credentials: grpc.ChannelCredentials | undefined): Promise<string> => {
      const st = createChatStore({ username: 'Lost', userId: 'lost-id', server: target, room: 'tls' });
      const c = new ChatClient(st, target, credentials ? { credentials } : {});
      c.join('tls');
      await eventually(() => st.getState().connection.state === 'reconnecting', 'reconnecting');
      c.close();
      return failureReason(st.getState().connection.detail);
    };
    assert.equal(await reasonFor(undefined), 'closed before speaking gRPC; a TLS server needs --tls');
    assert.equal(await reasonFor(channelCredentials({ tls: true })), 'self-signed certificate');
  });

  it('refuses half a pair or an unreadable file with one clear line', () => {
    const half = runBinary(['--tls-cert', 'cert.pem']);
    assert.notEqual(half.status, 0);
    assert.match(half.stderr, /--tls-cert and --tls-key go together/);
    const missing = runBinary(['--port', '0', '--store', 'memory', '--tls-cert', '/nonexistent/c.pem', '--tls-key', '/nonexistent/k.pem']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr.trim(), 'chat-server: cannot read the TLS certificate /nonexistent/c.pem: ENOENT');
  });
});
