// chat-tui in a pipe and as a one-shot, against the real chat-server binary:
// every line given is stored, in order, exactly once, or the exit code and
// stderr say which were not.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sleep, tempDir } from '../helpers.js';
import { freePort, startBinary, stopBinary } from '../processes.js';
import { numbered, sqliteServer, storedTexts, tui } from './pipe-helpers.js';

describe('chat-tui in pipes and one-shots', () => {
  it('stores a line given three times three times', async (t) => {
    const { server } = await sqliteServer(t);
    const run = tui(['--user', 'echo', '--room', 'same', '--server', server.target]);
    run.end('again\nagain\nagain\n');
    assert.equal(await run.code, 0, run.stderr());
    assert.deepEqual(await storedTexts(server.target, 'same', 'echo'), ['again', 'again', 'again']);
  });

  it('stores every line exactly once, in order, when the server is killed and restarted mid-pipe', { timeout: 120_000 }, async (t) => {
    const tmp = tempDir();
    const db = path.join(tmp.dir, 'chat.db');
    const port = await freePort();
    const args = ['--store', `sqlite:${db}`, '--port', String(port), '--rate-limit', 'off'];
    let server = await startBinary(args);
    t.after(async () => {
      await stopBinary(server, 'SIGKILL');
      tmp.cleanup();
    });
    const lines = numbered(1, 1000);
    const run = tui(['--user', 'pipe', '--room', 'restart', '--server', server.target]);
    // Fed a little at a time, so the kill lands in the middle of the stream.
    const feeding = (async () => {
      for (let i = 0; i < lines.length; i += 20) {
        run.write(`${lines.slice(i, i + 20).join('\n')}\n`);
        await sleep(15);
      }
      run.end();
    })();
    await sleep(300);
    await stopBinary(server, 'SIGKILL');
    const before = await feeding.then(() => 'fed');
    assert.equal(before, 'fed');
    await sleep(500);
    server = await startBinary(args);
    assert.equal(await run.code, 0, run.stderr());
    const stored = await storedTexts(server.target, 'restart', 'pipe');
    assert.equal(stored.length, 1000, `stored ${stored.length} of 1000`);
    assert.deepEqual(stored, lines);
  });

  it('exits 3 and says so on stderr when no server answers within --timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    const run = tui(['--user', 'x', '--server', `127.0.0.1:${port}`, '--timeout', '2']);
    run.end('hi\n');
    assert.equal(await run.code, 3);
    assert.ok(Date.now() - started < 6000, 'gave up near the timeout');
    assert.match(run.stderr(), new RegExp(`cannot reach 127\\.0\\.0\\.1:${port} \\(connection refused\\); 1 of 1 line\\(s\\) not sent, the first: "hi"`));
    assert.doesNotMatch(run.stdout(), /cannot reach/, 'errors go to stderr');
  });

  it('--send posts one message and exits 0; a refused one exits 4 with the reason', async (t) => {
    const { server } = await sqliteServer(t, ['--max-message-bytes', '20']);
    const ok = tui(['--user', 'deploy', '--room', 'ci', '--server', server.target, '--send', 'build 123 is green']);
    ok.end();
    assert.equal(await ok.code, 0, ok.stderr());
    assert.equal(ok.stdout(), '', 'nothing on stdout unless asked');
    assert.deepEqual(await storedTexts(server.target, 'ci', 'deploy'), ['build 123 is green']);

    const history = tui(['--user', 'deploy', '--room', 'ci', '--server', server.target, '--send', 'second', '--history', '3']);
    history.end();
    assert.equal(await history.code, 0, history.stderr());
    // The newest stored lines, as the seed prints them: the first run's join and post (its leave
    // may still sit in the join/leave notice window), and nothing of this run's own post.
    const printed = history.stdout().trimEnd().split('\n');
    assert.ok(printed.length >= 2 && printed.length <= 3, history.stdout());
    assert.ok(printed.every((l) => /^\[[\d:]{8}\] (>>> deploy (joined|left) the room|deploy: build 123 is green)$/.test(l)), history.stdout());
    assert.ok(printed.some((l) => l.endsWith('deploy: build 123 is green')), 'the first post is printed');

    const long = tui(['--user', 'deploy', '--room', 'ci', '--server', server.target, '--send', 'this message is far too long']);
    long.end();
    assert.equal(await long.code, 4);
    assert.match(long.stderr(), /1 of 1 line\(s\) not sent, the first: "this message is far too long" \(Message not sent \(it is 28 bytes long and the limit is 20 bytes\)/);

    const fromStdin = tui(['--user', 'deploy', '--room', 'ci', '--server', server.target, '--send', '-']);
    fromStdin.end('one\ntwo\n');
    assert.equal(await fromStdin.code, 0, fromStdin.stderr());
    assert.deepEqual(await storedTexts(server.target, 'ci', 'deploy'), ['build 123 is green', 'second', 'one', 'two']);
  });
});
