// The full-screen client paces itself too: 300 lines arriving at once (typed
// ahead, each ending in Enter) go out in order at the server's pace, shown as
// pending meanwhile, and the server refuses none of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect, fullHistory } from '../helpers.js';
import { startBinary, stopBinary } from '../processes.js';
import { killRunningTuis, PtyTui } from '../pty.js';

describe('chat-tui pacing in the full-screen client', () => {
  it('sends 300 lines typed at once in order, at the server\'s rate, with no refusal', { timeout: 90_000 }, async (t) => {
    // 25 a second, bursts of 10: the 290 beyond the burst take about 12 s.
    const server = await startBinary(['--store', 'memory', '--rate-limit', '25/10']);
    t.after(async () => {
      killRunningTuis();
      await stopBinary(server);
    });
    const tui = new PtyTui(['--user', 'Typist', '--room', 'paced', '--server', server.target], 100, 30);
    await tui.waitFor(/online \| Typist/);
    const lines = Array.from({ length: 300 }, (_, i) => `typed ${i + 1}`);
    tui.proc.write(`${lines.join('\r')}\r`);
    // Still going out a second later: paced, not refused.
    await tui.waitFor(/typed \d+/);
    const c = connect(server.target);
    t.after(() => c.close());
    const stored = async () => (await fullHistory(c, 'paced')).filter((m) => m.type === 'TEXT').map((m) => m.message);
    const soon = (await stored()).length;
    assert.ok(soon < 300, `paced: ${soon} of 300 stored at first`);
    const deadline = Date.now() + 60_000;
    while ((await stored()).length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(await stored(), lines);
    assert.doesNotMatch(server.stderr(), /not posted/, 'the server refused none');
    await tui.waitFor(/typed 300/);
    assert.doesNotMatch(tui.screen(), /Message not sent/);
  });
});
