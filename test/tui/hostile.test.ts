// A server that does not clean what it sends (a hostile or buggy one): the
// real chat-tui in a pseudo-terminal must show control and escape characters
// as placeholders and never write them to the terminal, neither in the
// screen nor in what it writes to the terminal itself (the window title, the
// desktop notification a mention sends).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClientFrame__Output } from '../../protos/generated/chat/ClientFrame.js';
import { serveChatService } from '../helpers.js';
import { PtyTui } from '../pty.js';

// Each would do something to a terminal if written raw.
const PAYLOADS = {
  title: '\u001b]0;PWNED-TITLE\u0007',
  clipboard: '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  clear: '\u001b[2J\u001b[HCLEARED',
  blink: '\u001b[5;42mBLINK',
  c1csi: '\u009b31mC1RED',
  bell: 'ring\u0007ring',
  bidi: 'abc\u202edcba',
  dcs: '\u001bPq#0;2;0;0;0#0~~@@vv@@~~$\u001b\\',
};
const hostile = Object.values(PAYLOADS).join(' ');

function startHostileServer(): ReturnType<typeof serveChatService> {
  return serveChatService({
    // The Session stream (issue 13): a welcome with one room, then what a hostile server would send in it.
    Session(call) {
      const room_id = 'general';
      const base = { room_id, notice: 'NOTICE_NONE' as const };
      const send = (...events: object[]) => call.write({ events });
      call.on('data', (frame: ClientFrame__Output) => {
        if (frame.hello) {
          send(
            { welcome: { username: frame.hello.username, user_id: 'victim-id', server: {}, rooms: [{ room_id, latest_seq: 0 }] } },
            { message: { ...base, timestamp: Date.now(), user_id: 'evil', username: `Ev\u001b[8mil${PAYLOADS.title}`, message: hostile, type: 'TEXT', seq: 1 } },
            { message: { ...base, timestamp: Date.now(), user_id: 'SYSTEM', username: 'System', message: `notice ${PAYLOADS.clear}`, type: 'SYSTEM', seq: 0 } },
          );
        }
        // /who asks with include_offline: the names as the server gives them.
        if (frame.members) send({ members: { room_id, request_id: frame.request_id, members: [{ user_id: 'evil', username: `Evil${PAYLOADS.clipboard}`, presence: 'ONLINE' }] } });
        // Whatever the client says is answered with a mention carrying every payload, in the name and the text.
        if (frame.post) {
          send({ message: { ...base, timestamp: Date.now(), user_id: 'evil', username: `Mal;lory${PAYLOADS.title}`, message: `Victim ${hostile}`, type: 'TEXT', seq: 2 } });
        }
      });
      call.on('error', () => undefined);
    },
    GetHistory: (_call, cb) => cb(null, { room_id: 'general', messages: [], reached_start: true }),
    ListRooms: (_call, cb) => cb(null, { rooms: [] }),
    ListMembers: (_call, cb) => cb(null, { room_id: 'general', members: [{ user_id: 'evil', username: `Evil${PAYLOADS.clipboard}` }] }),
  });
}

describe('terminal safety', () => {
  it('never lets what a server sends drive the terminal', async (t) => {
    const server = await startHostileServer();
    // Desktop notifications on: the server's words would go into an OSC string.
    const tui = new PtyTui(['--user', 'Victim', '--server', server.target], 120, 20, { config: 'notifications = "osc777"\n' });
    t.after(async () => {
      tui.kill();
      await server.stop();
    });
    await tui.waitFor((screen) => screen.includes('C1RED') && screen.includes('CLEARED'), 10_000);
    // /who lists the members' names, as the server gave them.
    tui.proc.write('/who\r');
    await tui.waitFor((screen) => screen.includes('Evil'), 5000);
    // The terminal loses the focus; a message brings back a mention: the title counts it, a notification goes out.
    tui.proc.write('\u001b[O');
    await new Promise((r) => setTimeout(r, 100));
    tui.proc.write('hello\r');
    await tui.waitFor((screen) => screen.includes('Mal;lory'), 5000);
    await tui.waitFor(() => tui.titles.includes('chat-tui (1, 1!)'), 5000);

    const { raw, titles } = tui;
    for (const [name, payload] of Object.entries(PAYLOADS)) assert.ok(!raw.includes(payload), `${name} was written raw`);
    assert.ok(!raw.includes('\u001b]0;PWNED'), 'no title change sequence');
    assert.ok(!raw.includes('\u001b]52;'), 'no clipboard write');
    assert.ok(!raw.includes('\u009b'), 'no C1 CSI');
    assert.ok(!raw.includes('\u001bPq'), 'no DCS');
    assert.ok(!raw.includes('\u202e'), 'no bidi override');
    assert.ok(!raw.includes('\u001b[8m'), 'no hidden-text attribute from a name');
    // The title only ever says how many: nothing of the server's is in it.
    assert.ok(titles.length > 0);
    for (const title of titles) assert.match(title, /^chat-tui( \(\d+(, \d+!)?\))?$/);
    // Exactly one desktop notification, its fields free of every control character.
    const notes = [...raw.matchAll(/\u001b\]777;notify;([^\u001b\u0007]*)\u001b\\/g)];
    assert.equal(notes.length, 1, 'one notification');
    const [, fields = ''] = notes[0]!;
    assert.doesNotMatch(fields, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const [title, ...body] = fields.split(';');
    assert.equal(title, 'Mal,lory ]0,PWNED-TITLE in #general', "the sender's name, its ';' unable to start a field");
    assert.match(body.join(';'), /^Victim \]0;PWNED-TITLE ]52;c;ZWNobyBwd25lZA== \[2J \[HCLEARED \[5;42mBLINK/);
    // Nothing but our own sequences between OSC and its end: no OSC opened inside another.
    assert.equal(raw.split('\u001b]').length - 1, titles.length + notes.length, 'OSC sequences: the titles and the notification only');
    const s = tui.screen();
    assert.match(s, /␛\]0;PWNED-TITLE␇/, 'the title payload shows as placeholders');
    assert.match(s, /␛\[2J␛\[HCLEARED/, 'the clear payload shows as placeholders');
    assert.match(s, /ring␇ring/);
    assert.match(s, /Evil␛\]52;c;/, '/who shows the member name with placeholders');
  });
});
