// Issue 13: a Session on a server with accounts: the token's name only, and a
// direct conversation only with someone who has an account.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { directRoomId } from '../../protos/rules.js';
import { addUser } from '../../server/accounts.js';
import { startServer, tempDir } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';

const withToken = (token: string): grpc.Metadata => {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
};

describe('Session with accounts', () => {
  it("speaks only as the token's name; a direct room needs a peer with an account (else NOT_FOUND)", async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'users.json');
    const alice = await addUser(file, 'Alice');
    await addUser(file, 'Bob');
    const server = await startServer({ users: file });
    try {
      const none = new SessionClient(server.target, hello('Alice'));
      assert.equal((await none.waitForStatus()).code, grpc.status.UNAUTHENTICATED);
      none.cancel();
      const other = new SessionClient(server.target, hello('Bob'), withToken(alice));
      assert.equal((await other.waitForStatus()).code, grpc.status.PERMISSION_DENIED);
      other.cancel();
      const s = new SessionClient(server.target, hello('alice'), withToken(alice));
      await s.welcome();
      const ghost = s.join(directRoomId('alice', 'ghost'));
      const bob = s.join(directRoomId('alice', 'BOB'));
      await s.waitFor(() => s.of('error').length > 0 && s.of('room').length > 0, 'an error and a room');
      const error = s.of('error')[0];
      assert.equal(error?.request_id, ghost);
      assert.equal(error?.code, grpc.status.NOT_FOUND);
      assert.equal(error?.details, 'no user named ghost');
      assert.equal(s.of('room')[0]?.room_id, directRoomId('alice', 'bob'), `request ${bob}: bob has an account`);
      await s.end();
    } finally {
      await server.stop();
      tmp.cleanup();
    }
  });
});
