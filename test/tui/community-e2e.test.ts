// Issue 16 end to end: the real chat-tui binary in two pseudo-terminals on a
// real server. Alice replies to, edits, reacts to and deletes messages (with
// selection mode's keys and with the commands); Bob's terminal shows the
// quote, "(edited)", the reactions and the tombstone. Alice, the room's first
// member and so its operator, sets the topic and kicks Bob, whose screen says
// why and whose sidebar loses the room.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { suiteServer } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

const CTRL_S = '\u0013';
const UP = '\u001b[A';

describe('chat-tui messages and moderation end to end', () => {
  after(killRunningTuis);
  const fx = suiteServer({ history: 20 });

  it('replies, edits, reactions and deletes show in the other terminal; a kick shows its reason', async () => {
    const alice = new PtyTui(['--user', 'Alice', '--room', 'general', '--server', fx.server.target], 110, 24);
    // The first member of a room is its operator.
    await alice.waitFor(/online \| Alice \| #general \(op\)/);
    const bob = new PtyTui(['--user', 'Bob', '--room', 'general', '--server', fx.server.target], 110, 24);
    await bob.waitFor(/online \| Bob \| #general \|/);
    await bob.type('/join lobby\r');
    await bob.waitFor(/Bob \| #lobby/);
    await bob.type('\u001b1'); // Alt+1: back to #general
    await bob.waitFor(/Bob \| #general/);

    await alice.type('first message\r');
    await bob.waitFor(/Alice: first message/);
    await bob.type('a question?\r');
    await alice.waitFor(/Bob: a question\?/);

    // Selection mode starts on the newest message (Bob's); r replies to it.
    await alice.type(CTRL_S);
    await alice.waitFor(/r reply · e edit/);
    await alice.type('r');
    await alice.waitFor(/replying to Bob: a question\?/);
    await alice.type('the answer\r');
    await bob.waitFor(/↳ Bob: a question\?\n.*Alice: the answer/);

    // /edit: her last message.
    await alice.type('/edit the real answer\r');
    await bob.waitFor(/Alice: the real answer \(edited\)/);

    // /react: the last message; Bob adds his with selection mode's + and a shortcode.
    await alice.type('/react :tada:\r');
    await bob.waitFor(/🎉 1/);
    await bob.type(CTRL_S);
    await bob.waitFor(/r reply · e edit/);
    await bob.type('+');
    await bob.waitFor(/react to Alice: the real answer/);
    await bob.type(':+1:\r');
    await alice.waitFor(/🎉 1 {2}👍 1/);
    await bob.waitFor(/🎉 1 {2}👍 1/);

    // Two up from the newest: her first message; d asks, y deletes.
    await alice.type(CTRL_S);
    await alice.waitFor(/r reply · e edit/);
    await alice.type(UP);
    await alice.type(UP);
    await alice.type('d');
    await alice.waitFor(/Delete this message\? y \/ n/);
    await alice.type('y');
    await bob.waitFor(/Alice: \(message deleted\)/);
    assert.doesNotMatch(bob.screen(), /first message/);
    await alice.type('\u001b');
    await alice.waitFor((s) => !s.includes('r reply · e edit'));

    // The topic shows at the top of the pane; the kick's reason on Bob's screen, and #general leaves his sidebar.
    await alice.type('/topic release on Friday\r');
    await bob.waitFor(/#general: release on Friday/);
    await alice.type('/kick Bob spamming\r');
    await alice.waitFor(/Bob was kicked by Alice \(spamming\)/);
    await bob.waitFor(/kicked from #general by Alice: spamming/);
    // Alice's member count drops as it would for a LEAVE.
    await alice.waitFor(/Alice \| #general \(op\) \| 1 member \|/);
    await bob.waitFor(/Bob \| #lobby/);
    assert.doesNotMatch(bob.screen(), /\d #general/);

    alice.proc.write('\u0003');
    await alice.waitForExit();
    bob.proc.write('\u0003');
    await bob.waitForExit();
  });
});
