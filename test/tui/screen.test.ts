// The real chat-tui binary in a pseudo-terminal against a real server: the
// line editor, multi-line messages, the mouse, narrow and too small
// terminals, and settings from the config file.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fullHistory, join, sleep, suiteServer } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';
const click = (x: number, y: number) => `\u001b[<0;${x + 1};${y + 1}M\u001b[<0;${x + 1};${y + 1}m`;
const wheel = (up: boolean) => `\u001b[<${up ? 64 : 65};40;5M`;

describe('chat-tui on a real terminal', () => {
  after(killRunningTuis);
  const fx = suiteServer({ history: 50 });
  const texts = async (room: string, user: string) =>
    (await fullHistory(fx.client, room)).filter((m) => m.type === 'TEXT' && m.username === user).map((m) => m.message);

  it('edits the input: Ctrl+W deletes a word, Ctrl+A and Alt+F move, the cursor is drawn inverse', async (t) => {
    const tui = new PtyTui(['--user', 'Edna', '--room', 'edit', '--server', fx.server.target]);
    t.after(() => tui.kill());
    await tui.waitFor(/online \| Edna/);
    await tui.type('hello big world');
    await tui.type('\u0017'); // Ctrl+W
    await tui.waitFor(/\[#edit\] hello big\s*$/m);
    await tui.type('\u0001'); // Ctrl+A
    await tui.type('\u001bf'); // Alt+F: after "hello"
    await tui.type(',');
    await tui.waitFor(/\[#edit\] hello, big/);
    // The cursor cell (on the space after the comma) is inverse on the real terminal.
    const y = tui.screen().split('\n').findIndex((l) => l.startsWith('[#edit] hello, big'));
    const cell = tui.term.buffer.active.getLine(y)?.getCell('[#edit] hello,'.length);
    assert.equal(cell?.getChars() || ' ', ' ');
    assert.ok(cell?.isInverse(), 'the cursor cell is inverse');
    await tui.type('\r');
    await tui.waitFor(/Edna: hello, big/);
    assert.deepEqual(await texts('edit', 'Edna'), ['hello, big ']);
  });

  it('sends a bracketed paste of three lines as ONE three-line message, and Alt+Enter makes a line break', async (t) => {
    const tui = new PtyTui(['--user', 'Pam', '--room', 'paste', '--server', fx.server.target]);
    t.after(() => tui.kill());
    await tui.waitFor(/online \| Pam/);
    await tui.type(`${PASTE_START}first line\r\nsecond line\r\nthird line${PASTE_END}`);
    // All three in the input, to edit before sending.
    await tui.waitFor(/\[#paste\] first line\n\s+second line\n\s+third line/);
    await tui.type(' (edited)\r');
    await tui.waitFor(/Pam: first line\n.*│ +second line\n.*│ +third line \(edited\)/);
    await tui.type('top\u001b\rbottom\r'); // Alt+Enter between
    await tui.waitFor(/Pam: top\n.*│ +bottom/);
    assert.deepEqual(await texts('paste', 'Pam'), ['first line\nsecond line\nthird line (edited)', 'top\nbottom']);
  });

  it('wraps a 70-character word onto at most three rows at 40 columns, with a room bar instead of the sidebar', async (t) => {
    const tui = new PtyTui(['--user', 'Nan', '--room', 'narrow', '--server', fx.server.target], 40, 15);
    t.after(() => tui.kill());
    await tui.waitFor(/online/);
    assert.match(tui.row(0), /^1 #narrow/, 'a one-row room bar on top');
    assert.doesNotMatch(tui.screen(), /Rooms/);
    const word = 'w'.repeat(70);
    await tui.type(`${word}\r`);
    await tui.waitFor(/Nan: w+/);
    const rows = tui.screen().split('\n').filter((l) => /w{5,}/.test(l));
    assert.ok(rows.length <= 3, `${rows.length} rows:\n${rows.join('\n')}`);
    assert.equal(rows.join('').replace(/[^w]/g, '').length, 70, 'every character shown');
  });

  it('switches room on a click in the sidebar or the room bar, and scrolls with the wheel', async (t) => {
    const writer = join(fx.client, 'Wes', 'clicks');
    for (let i = 1; i <= 60; i++) writer.say(`line ${i}`);
    await writer.waitForText('line 60');
    const tui = new PtyTui(['--user', 'Mia', '--room', 'clicks', '--server', fx.server.target]);
    t.after(() => {
      tui.kill();
      writer.leave();
    });
    await tui.waitFor(/Wes: line 60/);
    await tui.type('/join other\r');
    await tui.waitFor(/Mia \| #other/);
    // The sidebar: "Rooms" on row 0, then one room a row.
    assert.match(tui.row(1), /^1 #clicks/);
    await tui.type(click(3, 1));
    await tui.waitFor(/Mia \| #clicks/);
    await tui.waitFor(/Wes: line 60/);
    await tui.type(wheel(true).repeat(2));
    await tui.waitFor((s) => !/line 60/.test(s) && /line 45/.test(s));
    await tui.type(wheel(false).repeat(2));
    await tui.waitFor(/Wes: line 60/);
    // Narrow: the room bar takes the clicks.
    tui.resize(40, 15);
    await tui.waitFor(/^1 #clicks {2}2 #other/);
    await tui.type(click(13, 0));
    await tui.waitFor(/^\[#other\]/m);
    // Nothing of the mouse reports was typed.
    assert.match(tui.screen(), /^\[#other\]\s*$/m);
  });

  it('shows one line on a terminal too small to use, and comes back when it grows', async (t) => {
    const tui = new PtyTui(['--user', 'Tim', '--room', 'small', '--server', fx.server.target], 90, 22);
    t.after(() => tui.kill());
    await tui.waitFor(/online \| Tim/);
    await tui.type('draft text');
    tui.resize(30, 5);
    await tui.waitFor((s) => s.split('\n')[0] === 'too small (30x5), need 20x6' && s.split('\n').slice(1).every((l) => l === ''));
    tui.resize(18, 12);
    await tui.waitFor((s) => s.split('\n')[0] === 'too small (18x12)');
    tui.resize(90, 22);
    await tui.waitFor(/online \| Tim/);
    // The input survived.
    await tui.waitFor(/\[#small\] draft text/);
  });

  it('takes the user, the server and the settings from the config file', async (t) => {
    const config = `user = "Cora"\nserver = "${fx.server.target}"\nroom = "cfg"\ntimestamp_format = "%H:%M"\nmouse = false\nnotifications = "off"\n[keys]\n"ctrl+t" = "send"\n`;
    const tui = new PtyTui([], 90, 22, { config });
    t.after(() => tui.kill());
    await tui.waitFor(/online \| Cora \| #cfg/);
    await tui.type('sent with ctrl+t\u0014'); // Ctrl+T, bound to send
    await tui.waitFor(/│\[\d\d:\d\d\] Cora: sent with ctrl\+t/);
    assert.ok(!tui.raw.includes('\u001b[?1000h'), 'mouse = false: no mouse reporting');
    assert.ok(tui.raw.includes('\u001b[?2004h'), 'bracketed paste on');
    assert.ok(tui.raw.includes('\u001b[?1004h'), 'focus reports on');
    tui.proc.write('\u0003');
    assert.equal(await tui.waitForExit(), 0);
    const tail = tui.raw.slice(tui.raw.lastIndexOf('\u001b[?1049l') - 40);
    for (const off of ['\u001b[?1000l', '\u001b[?1004l', '\u001b[?2004l']) assert.ok(tail.includes(off), `restores ${JSON.stringify(off)}`);
    assert.equal(tui.term.buffer.active.type, 'normal');
  });

  it('turns mouse reporting on by default, off with --no-mouse', async (t) => {
    const on = new PtyTui(['--user', 'Moe', '--room', 'mouse', '--server', fx.server.target]);
    const off = new PtyTui(['--user', 'Max', '--room', 'mouse', '--server', fx.server.target, '--no-mouse']);
    t.after(() => {
      on.kill();
      off.kill();
    });
    await on.waitFor(/online \| Moe/);
    await off.waitFor(/online \| Max/);
    assert.ok(on.raw.includes('\u001b[?1000h\u001b[?1006h'));
    assert.ok(!off.raw.includes('\u001b[?1000h'));
    await sleep(50);
  });
});
