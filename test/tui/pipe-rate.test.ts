// chat-tui in a pipe against the default rate limit (5 a second, bursts of
// 50): it paces itself instead of being refused. On its own because it takes
// about 90 seconds (450 lines at 5 a second after the first burst).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numbered, sqliteServer, storedTexts, tui } from './pipe-helpers.js';

describe('chat-tui in a pipe at the default rate limit', () => {
  it('stores 500 piped lines in order against the default rate limit, and exits 0', { timeout: 180_000 }, async (t) => {
    const { server } = await sqliteServer(t);
    const lines = numbered(1, 500);
    const started = Date.now();
    const run = tui(['--user', 'bot', '--room', 'ops', '--server', server.target]);
    run.end(`${lines.join('\n')}\n`);
    assert.equal(await run.code, 0, run.stderr());
    const seconds = (Date.now() - started) / 1000;
    assert.deepEqual(await storedTexts(server.target, 'ops', 'bot'), lines);
    assert.doesNotMatch(server.stderr(), /not posted/, 'paced: the server refused nothing (it logs each refusal)');
    t.diagnostic(`500 lines at the default 5/50 limit in ${seconds.toFixed(1)} s (${(500 / seconds).toFixed(1)} lines/s)`);
  });

});
