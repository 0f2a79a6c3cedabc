// TLS with a self-signed pair made by openssl, as the README shows: the server
// binary serves it, chat-tui's client connects with --ca, plain text is refused.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadChatPackage } from '../../protos/load.js';
import { channelCredentials } from '../../tui/credentials.js';
import { failureReason } from '../../tui/format.js';
import { eventually, memberNames, tempDir, tuiClient } from '../helpers.js';
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

    const { store, client: tui } = tuiClient('Secure', target, 'tls', { credentials: channelCredentials({ tls: true, ca: cert }) });
    t.after(() => tui.close());
    tui.join('tls');
    tui.send('tls', 'over TLS');
    await eventually(() => store.getState().rooms.tls?.lines.some((l) => l.text === 'over TLS' && l.seq > 0) ?? false, 'the echo over TLS');

    // Neither a plain-text client nor one that does not trust the certificate can talk to it.
    const { proto } = loadChatPackage();
    const refusal = async (credentials: grpc.ChannelCredentials): Promise<grpc.status | undefined> => {
      const client = new proto.chat.ChatService(target, credentials);
      const err = await memberNames(client, 'tls').then(
        () => null,
        (e: grpc.ServiceError) => e,
      );
      client.close();
      return err?.code;
    };
    assert.equal(await refusal(grpc.credentials.createInsecure()), grpc.status.UNAVAILABLE);
    assert.equal(await refusal(grpc.credentials.createSsl()), grpc.status.UNAVAILABLE);

    // chat-tui says why on its status line: without --tls, and without --ca.
    const reasonFor = async (credentials: grpc.ChannelCredentials | undefined): Promise<string> => {
      const { store: st, client: c } = tuiClient('Lost', target, 'tls', credentials ? { credentials } : {});
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
