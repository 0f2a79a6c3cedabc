// The real chat-tui binary in a pseudo-terminal against a real server.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { connect, join, sleep, startServer, suiteServer, tempDir } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

describe('chat-tui end to end', () => {
  // A failed test must not leave a chat-tui running (it would hold the runner open); before the server stops.
  after(killRunningTuis);
  const fx = suiteServer({ history: 20 });

  it('two users chat, switch rooms by keyboard and quit with the terminal restored', async () => {
    const alice = new PtyTui(['--user', 'Alice', '--room', 'general', '--server', fx.server.target]);
    await alice.waitFor(/online \| Alice \| #general/);
    assert.equal(alice.term.buffer.active.type, 'alternate', 'runs on the alternate screen');
    const bob = new PtyTui(['Bob', 'general', fx.server.target]);
    await bob.waitFor(/online \| Bob/);
    await alice.waitFor(/>>> Bob joined the room/);
    await alice.type('Hello everyone!');
    await alice.type('\r');
    await bob.waitFor(/\[\d\d:\d\d:\d\d\] Alice: Hello everyone!/);
    await bob.type('Hi Alice!\r');
    await alice.waitFor(/Bob: Hi Alice!/);
    // Two lines in one chunk (a paste, or typeahead): two messages, as typed.
    await bob.type('pasted one\rpasted two\r');
    await alice.waitFor(/Bob: pasted one\n.*Bob: pasted two/);

    await bob.type('/join dev\r');
    await bob.waitFor(/Bob \| #dev/);
    await bob.type('/nonsense\r');
    await bob.waitFor(/unknown command \/nonsense/);
    await bob.type('\u000e'); // Ctrl+N: next room wraps to general
    await bob.waitFor(/Bob \| #general/);
    await bob.type('\u0010'); // Ctrl+P
    await bob.waitFor(/Bob \| #dev/);

    await alice.type('/quit\r');
    assert.equal(await alice.waitForExit(), 0);
    assert.equal(alice.term.buffer.active.type, 'normal', 'the normal screen is back');
    await bob.waitFor(/Alice left the room|#dev/);
    bob.proc.write('\u0003'); // Ctrl+C
    assert.equal(await bob.waitForExit(), 0);
    assert.equal(bob.term.buffer.active.type, 'normal');
  });

  it('scrolls back into server history with PgUp and reports the beginning', async () => {
    const client = connect(fx.server.target);
    const w = join(client, 'Writer', 'long');
    for (let i = 1; i <= 300; i++) w.say(`old message ${i}`);
    await w.waitForText('old message 300', 10000);
    const reader = new PtyTui(['--user', 'Reader', '--room', 'long', '--server', fx.server.target], 90, 22);
    await reader.waitFor(/old message 300/);
    for (let i = 0; i < 40 && !/old message 1\b/.test(reader.screen()); i++) {
      await reader.type('\u001b[5~'); // PgUp
      await sleep(100);
    }
    await reader.waitFor(/old message 1\b/, 10000);
    await reader.waitFor(/beginning of #long/);
    // Past the beginning, one PgDn moves the view at once (the position was clamped).
    await reader.type('\u001b[6~');
    await reader.waitFor(/old message 2[0-9]\b/);
    assert.doesNotMatch(reader.screen(), /beginning of #long/);
    await reader.type('\u001b'); // Esc: back to the bottom
    await reader.waitFor(/old message 300/);
    reader.proc.write('\u0003');
    await reader.waitForExit();
    w.leave();
    client.close();
  });

  it('reconnects after the server restarts and resumes with no gap and no duplicate', async () => {
    const tmp = tempDir();
    const store = `sqlite:${tmp.dir}/chat.db`;
    const srv = await startServer({ store, port: 0 });
    const port = srv.port;
    const tui = new PtyTui(['--user', 'Rita', '--room', 'resume', '--server', srv.target]);
    await tui.waitFor(/online \| Rita/);
    await tui.type('before restart\r');
    await tui.waitFor(/Rita: before restart/);
    await srv.stop();
    await tui.waitFor(/reconnecting in \d+s/);
    // The server comes back on the same port with the same SQLite file.
    const again = await startServer({ store, port });
    const c = connect(again.target);
    const other = join(c, 'Omar', 'resume');
    other.say('while you were away');
    await tui.waitFor(/online \| Rita/, 20000);
    await tui.waitFor(/Omar: while you were away/, 10000);
    await tui.type('after restart\r');
    await other.waitForText('after restart');
    const screen = tui.screen();
    assert.equal(screen.split('Omar: while you were away').length - 1, 1, 'shown once');
    tui.proc.write('\u0003');
    await tui.waitForExit();
    other.leave();
    c.close();
    assert.equal(screen.split('Rita: before restart').length - 1, 1, 'no duplicate after resume');
    await again.stop();
    tmp.cleanup();
  });
});
