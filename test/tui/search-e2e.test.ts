// Search end to end (issue 15): the real chat-tui binary in a pseudo-terminal
// against a real server with a SQLite store. A message 300 back is found,
// Enter shows it among its neighbours, highlighted, PgDn pages newer history
// in, and Esc is back at the live bottom with what arrived meanwhile.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { join, suiteServer, tempDir } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

const FILLER = (i: number) => `filler ${i}`;
const NEEDLE = 'the distinctive zebra crossing';

/** The screen row holding `text` and whether its cells there are drawn inverse. */
function inverseAt(tui: PtyTui, text: string): boolean | null {
  const buf = tui.term.buffer.active;
  for (let y = 0; y < buf.length; y++) {
    const line = buf.getLine(y);
    const x = line?.translateToString(true).indexOf(text) ?? -1;
    if (line && x >= 0) return Boolean(line.getCell(x)?.isInverse());
  }
  return null;
}

describe('chat-tui search end to end', () => {
  after(killRunningTuis);
  const tmp = tempDir();
  const fx = suiteServer({ store: `sqlite:${path.join(tmp.dir, 'search.db')}` });
  after(() => tmp.cleanup());

  it('finds a message 300 back, shows it among its neighbours, pages on, and Esc is live again', async () => {
    const writer = join(fx.client, 'Writer', 'long');
    for (let i = 1; i <= 400; i++) writer.say(i === 100 ? NEEDLE : FILLER(i));
    await writer.waitForText(FILLER(400), 10000);

    const tui = new PtyTui(['--user', 'Reader', '--room', 'long', '--server', fx.server.target], 90, 22);
    await tui.waitFor(/filler 400/);
    assert.doesNotMatch(tui.screen(), /distinctive/, 'the message is far out of view');

    await tui.type('/search zebra distinct');
    await tui.type('\r');
    await tui.waitFor(/Search #long for "zebra distinct": 1 result/);
    await tui.waitFor(/\[\d{4}-\d\d-\d\d \d\d:\d\d\] Writer: the distinctive zebra crossing/);
    assert.equal(inverseAt(tui, 'Writer: the distinctive'), true, 'the selected result is highlighted');

    await tui.type('\r'); // Enter on the result: its context
    await tui.waitFor((s) => /filler 99\n.*the distinctive zebra crossing\n.*filler 101/.test(s));
    const screen = tui.screen();
    assert.match(screen, /#long: search result at \d{4}-\d\d-\d\d/);
    assert.match(screen, /\[\d\d:\d\d:\d\d\] Writer: the distinctive zebra crossing/, 'shown as a message, with its time and author');
    assert.doesNotMatch(screen, /filler 400/, 'the live bottom is not shown');
    assert.equal(inverseAt(tui, 'the distinctive zebra'), true, 'the hit is highlighted');
    assert.equal(inverseAt(tui, 'filler 101'), false, 'its neighbours are not');

    // Something arrives meanwhile: it waits in the live view.
    writer.say('live while reading');
    await writer.waitForText('live while reading');

    // PgDn pages past the 20 loaded after the hit: newer history comes in from the server.
    for (let i = 0; i < 20 && !/filler 160\b/.test(tui.screen()); i++) await tui.type('\u001b[6~');
    await tui.waitFor(/filler 160\b/);
    // And PgUp back past the 20 before it: older history.
    for (let i = 0; i < 30 && !/filler 60\b/.test(tui.screen()); i++) await tui.type('\u001b[5~');
    await tui.waitFor(/filler 60\b/);

    await tui.type('\u001b'); // Esc: back to live
    await tui.waitFor(/Writer: live while reading/);
    assert.match(tui.screen(), /filler 400/);
    assert.doesNotMatch(tui.screen(), /distinctive|search result/);

    // Ctrl+R starts a search too; Esc closes the results where they were opened.
    await tui.type('\u0012');
    await tui.waitFor(/\[#long\] \/search /);
    await tui.type('nothing-like-this\r');
    await tui.waitFor(/No message in #long matches/);
    await tui.type('\u001b');
    await tui.waitFor((s) => /filler 400/.test(s) && !/No message/.test(s));

    tui.proc.write('\u0003');
    assert.equal(await tui.waitForExit(), 0);
    writer.leave();
  });
});
