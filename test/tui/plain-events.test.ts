// Issue 16 in line mode: someone else's edit, delete or reaction is printed as
// the server words it (the full-screen client applies it to its line instead).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { eventually, startServer, tempDir } from '../helpers.js';
import { binPath } from '../paths.js';
import { SessionClient } from '../session-client.js';

describe('line mode and room events', () => {
  it("prints another user's edit, reaction and delete as readable lines, in order after the message", async () => {
    const server = await startServer({ store: 'memory' });
    const cfg = tempDir();
    after(async () => {
      await server.stop();
      cfg.cleanup();
    });
    const bob = spawn(process.execPath, [binPath('chat-tui'), '--user', 'Bob', '--room', 'r', '--server', server.target], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: cfg.dir },
    });
    let out = '';
    bob.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => out.includes('[CLIENT] Joining room: r'), 'bob in line mode');
    const alice = new SessionClient(server.target, { username: 'Alice', user_id: '', join: ['r'], resume: [] });
    after(() => alice.cancel());
    await alice.welcome();
    alice.post('r', 'original text', 'a1');
    await alice.waitForText('r', 'original text');
    const seq = alice.messages('r').find((m) => m.message === 'original text')?.seq ?? 0;
    alice.send({ edit: { room_id: 'r', seq, text: 'fixed text' } });
    alice.send({ react: { room_id: 'r', seq, emoji: ':+1:' } });
    alice.send({ delete: { room_id: 'r', seq } });
    await eventually(() => out.includes('deleted a message'), 'the delete printed');
    bob.stdin.end();
    await new Promise((resolve) => bob.on('exit', resolve));
    const lines = out.split('\n').map((l) => l.replace(/^\[\d\d:\d\d:\d\d\] /, ''));
    const from = lines.indexOf('Alice: original text');
    assert.ok(from >= 0, out);
    assert.deepEqual(lines.slice(from, from + 4), [
      'Alice: original text',
      'Alice edited a message: fixed text',
      'Alice reacted 👍 to their own message',
      'Alice deleted a message',
    ]);
  });
});
