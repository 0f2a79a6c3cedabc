// The default store: history and seq survive a restart.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { connect, eventually, join, startServer, tempDir } from '../helpers.js';

describe('sqlite store', () => {
  it('keeps history and seq across a server restart', async () => {
    const tmp = tempDir();
    const store = `sqlite:${path.join(tmp.dir, 'nested', 'chat.db')}`;
    try {
      const first = await startServer({ store, history: 10 });
      let client = connect(first.target);
      const alice = join(client, 'Alice', 'durable');
      alice.say('remember me');
      await alice.waitForText('remember me');
      const seqBefore = alice.received.find((m) => m.message === 'remember me')?.seq ?? 0;
      alice.leave();
      // Shutdown posts no LEAVE of its own; let the server see Alice go first.
      await eventually(async () => (await first.running.hub.members('durable')).length === 0, 'Alice to leave');
      await first.stop();
      client.close();

      const second = await startServer({ store, history: 10 });
      client = connect(second.target);
      const bob = join(client, 'Bob', 'durable');
      bob.say('new');
      await bob.waitForText('new');
      assert.deepEqual(bob.lines().slice(0, 3), [
        'SYSTEM System: --- Recent messages in durable ---',
        'JOIN System: Alice joined the room',
        'TEXT Alice: remember me',
      ]);
      const newSeq = bob.received.find((m) => m.message === 'new')?.seq ?? 0;
      // Alice's LEAVE (+1) and Bob's JOIN (+2) came in between.
      assert.equal(newSeq, seqBefore + 3, 'seq continues where it stopped');
      bob.leave();
      await second.stop();
      client.close();
    } finally {
      tmp.cleanup();
    }
  });
});
