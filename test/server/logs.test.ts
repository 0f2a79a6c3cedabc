// Logs: --log-format json is one JSON object a line with time, level, event,
// user, room and peer; message text (and tokens) never appear at info in
// either format, and only a debug line carries the text.
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Chatter, connect, join, tempDir } from '../helpers.js';
import { SERVER_BIN, startBinary, stopBinary } from '../processes.js';
import * as grpc from '@grpc/grpc-js';

const SECRET_TEXT = 'the quick brown fox 7261';

/** Runs Alice and Bob through a short chat (a text each, a leave) against a server binary. */
async function chat(target: string, metadata?: (name: string) => grpc.Metadata): Promise<void> {
  const client = connect(target);
  const alice = metadata ? new Chatter(client, { user_id: 'Alice-id', username: 'Alice', room_id: 'logs', type: 'JOIN' }, metadata('Alice')) : join(client, 'Alice', 'logs');
  const bob = metadata ? new Chatter(client, { user_id: 'Bob-id', username: 'Bob', room_id: 'logs', type: 'JOIN' }, metadata('Bob')) : join(client, 'Bob', 'logs');
  await alice.waitForText('Bob joined the room');
  alice.say(SECRET_TEXT);
  bob.say(`${SECRET_TEXT} too`);
  await alice.waitForText(`${SECRET_TEXT} too`);
  await bob.waitForText(SECRET_TEXT);
  bob.leave();
  await alice.waitForText('Bob left the room');
  alice.leave();
  // The server answers the end of the stream once it has logged the leave.
  await alice.waitForStatus();
  client.close();
}

describe('logs', () => {
  it('--log-format json: one object a line, with event, user, room and peer, and no message text or token at info', async () => {
    const tmp = tempDir();
    const users = path.join(tmp.dir, 'users.json');
    const tokens: Record<string, string> = {};
    for (const name of ['Alice', 'Bob']) {
      const made = spawnSync(process.execPath, [SERVER_BIN, 'add-user', name, '--users', users], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      tokens[name] = made.stdout.trim();
    }
    const server = await startBinary(['--store', 'memory', '--log-format', 'json', '--users', users]);
    try {
      await chat(server.target, (name) => {
        const md = new grpc.Metadata();
        md.set('authorization', `Bearer ${tokens[name] ?? ''}`);
        return md;
      });
    } finally {
      await stopBinary(server);
      tmp.cleanup();
    }
    const lines = server.stderr().split('\n').filter((l) => l !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of records) {
      assert.equal(typeof r.time, 'string');
      assert.ok(!Number.isNaN(Date.parse(r.time as string)), `time ${String(r.time)} is a date`);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(r.level as string), `level ${String(r.level)}`);
      assert.equal(typeof r.event, 'string');
      assert.equal(typeof r.msg, 'string');
    }
    const joins = records.filter((r) => r.event === 'join');
    assert.deepEqual(joins.map((r) => r.user).sort(), ['Alice', 'Bob']);
    for (const r of joins) {
      assert.equal(r.room, 'logs');
      assert.match(r.peer as string, /127\.0\.0\.1:\d+/);
    }
    assert.deepEqual(records.filter((r) => r.event === 'leave').map((r) => r.user).sort(), ['Alice', 'Bob']);
    assert.ok(records.some((r) => /listening on 127\.0\.0\.1:\d+/.test(r.msg as string)));
    const all = lines.join('\n');
    assert.doesNotMatch(all, /quick brown fox/, 'no message text');
    for (const token of Object.values(tokens)) {
      assert.ok(!all.includes(token.split('.')[1] ?? '?'), 'no token secret');
    }
  });

  it('logs message text only at debug, in both formats', async () => {
    for (const format of ['text', 'json']) {
      const server = await startBinary(['--store', 'memory', '--log-format', format, '--log-level', 'debug']);
      try {
        await chat(server.target);
      } finally {
        await stopBinary(server);
      }
      const lines = server.stderr().split('\n').filter((l) => l.includes(SECRET_TEXT));
      assert.equal(lines.length, 2, `${format}: one debug line per message:\n${lines.join('\n')}`);
      if (format === 'text') {
        assert.match(lines[0] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - DEBUG - \[logs\] (Alice|Bob): the quick brown fox 7261/);
      } else {
        for (const line of lines) {
          const r = JSON.parse(line) as Record<string, unknown>;
          assert.equal(r.level, 'debug');
          assert.equal(r.event, 'post');
          assert.equal(r.room, 'logs');
          assert.match(r.text as string, /^the quick brown fox 7261/);
        }
      }
    }
  });
});
