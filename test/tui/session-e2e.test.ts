// Issue 13 end to end: the real chat-tui binary in a pseudo-terminal. Alice
// /msg Bob; Bob's sidebar shows the conversation and /msg Alice answers into
// it; Alice quits and starts again with only --user and gets her rooms and
// the conversation back.
import { after, describe, it } from 'node:test';
import { suiteServer } from '../helpers.js';
import { killRunningTuis, PtyTui } from '../pty.js';

describe('chat-tui sessions end to end', () => {
  after(killRunningTuis);
  const fx = suiteServer({ history: 20 });

  it('direct messages both ways, typing shown, and rooms that come back with only the name', async () => {
    const alice = new PtyTui(['--user', 'Alice', '--room', 'general', '--server', fx.server.target]);
    await alice.waitFor(/online \| Alice \| #general/);
    const bob = new PtyTui(['--user', 'Bob', '--room', 'general', '--server', fx.server.target]);
    await bob.waitFor(/online \| Bob \| #general/);
    await alice.type('/join ops\r');
    await alice.waitFor(/Alice \| #ops/);
    await alice.type('/msg Bob are you there?\r');
    await alice.waitFor(/Alice \| @Bob/);
    await alice.waitFor(/Alice: are you there\?/);
    // Bob's sidebar: the conversation, marked as a mention, named after Alice.
    await bob.waitFor(/2!@Alice 1/);
    await bob.type('/msg Alice yes\r');
    await bob.waitFor(/Bob \| @Alice/);
    await alice.waitFor(/Bob: yes/);
    // Typing in the conversation shows on Alice's status line, and goes when he sends.
    await bob.type('lunch at');
    await alice.waitFor(/Bob \(online\) \| Bob is typing…/);
    await bob.type(' noon\r');
    await alice.waitFor((screen) => screen.includes('Bob: lunch at noon') && !screen.includes('typing…'));
    await alice.type('/quit\r');
    await alice.waitForExit();
    // Only the name: general, ops and the conversation with Bob, in her order.
    const again = new PtyTui(['--user', 'Alice', '--server', fx.server.target]);
    // (Her last read may not have reached the server before she quit: the marker goes out after 500 ms.)
    await again.waitFor(/1 #general[\s\S]*2 #ops[\s\S]*3.@Bob/);
    await again.waitFor(/online \| Alice \| #general/);
    await again.type('\u001b3'); // Alt+3: the conversation, with its history
    await again.waitFor(/Bob: yes/);
    again.proc.write('\u0003');
    await again.waitForExit();
    bob.proc.write('\u0003');
    await bob.waitForExit();
  });
});
