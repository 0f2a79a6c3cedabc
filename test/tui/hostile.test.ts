// A server that does not clean what it sends (a hostile or buggy one): the
// real chat-tui in a pseudo-terminal must show control and escape characters
// as placeholders and never write them to the terminal.
import * as grpc from '@grpc/grpc-js';
import xtermHeadless from '@xterm/headless';
import * as pty from 'node-pty';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { loadChatPackage } from '../../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import { sleep } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../tui/chat-tui.mjs', import.meta.url));
const { Terminal } = xtermHeadless;

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

async function startHostileServer(): Promise<{ target: string; stop(): Promise<void> }> {
  const { proto } = loadChatPackage();
  const server = new grpc.Server();
  server.addService(proto.chat.ChatService.service, {
    JoinChat(call: grpc.ServerDuplexStream<ChatMessage__Output, ChatMessage>) {
      call.on('data', (first: ChatMessage__Output) => {
        if (first.type !== 'JOIN') return;
        const base = { timestamp: Date.now(), room_id: first.room_id, notice: 'NOTICE_NONE' as const };
        call.write({ ...base, user_id: 'evil', username: `Ev\u001b[8mil${PAYLOADS.title}`, message: hostile, type: 'TEXT', seq: 1 });
        call.write({ ...base, user_id: 'SYSTEM', username: 'System', message: `notice ${PAYLOADS.clear}`, type: 'SYSTEM', seq: 0 });
      });
      call.on('error', () => undefined);
    },
    GetHistory: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { room_id: 'general', messages: [], reached_start: true }),
    ListRooms: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { rooms: [] }),
    ListMembers: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { room_id: 'general', members: [{ user_id: 'evil', username: `Evil${PAYLOADS.clipboard}` }] }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { target: `127.0.0.1:${port}`, stop: () => new Promise((r) => server.tryShutdown(() => r())) };
}

describe('terminal safety', () => {
  it('never lets what a server sends drive the terminal', async (t) => {
    const server = await startHostileServer();
    const term = new Terminal({ cols: 120, rows: 20, allowProposedApi: true });
    let raw = '';
    const titles: string[] = [];
    term.onTitleChange((title) => titles.push(title));
    const proc = pty.spawn(process.execPath, [BIN, '--user', 'Victim', '--server', server.target], {
      cols: 120,
      rows: 20,
      env: { ...process.env, TERM: 'xterm-256color' },
    });
    proc.onData((d) => {
      raw += d;
      term.write(d);
    });
    t.after(async () => {
      proc.kill();
      await server.stop();
    });
    const screen = () => {
      const buf = term.buffer.active;
      return Array.from({ length: buf.length }, (_, i) => buf.getLine(i)?.translateToString(true) ?? '').join('\n');
    };
    const deadline = Date.now() + 10_000;
    while (!screen().includes('C1RED') || !screen().includes('CLEARED')) {
      if (Date.now() > deadline) throw new Error(`never showed the hostile lines:\n${screen()}`);
      await sleep(25);
    }
    // /who lists the members' names, as the server gave them.
    proc.write('/who\r');
    const whoBy = Date.now() + 5000;
    while (!screen().includes('Evil')) {
      if (Date.now() > whoBy) throw new Error(`/who never answered:\n${screen()}`);
      await sleep(25);
    }

    for (const [name, payload] of Object.entries(PAYLOADS)) assert.ok(!raw.includes(payload), `${name} was written raw`);
    assert.ok(!raw.includes('\u001b]0;PWNED'), 'no title change sequence');
    assert.ok(!raw.includes('\u001b]52;'), 'no clipboard write');
    assert.ok(!raw.includes('\u009b'), 'no C1 CSI');
    assert.ok(!raw.includes('\u001bPq'), 'no DCS');
    assert.ok(!raw.includes('\u202e'), 'no bidi override');
    assert.ok(!raw.includes('\u001b[8m'), 'no hidden-text attribute from a name');
    assert.deepEqual(titles, [], 'the terminal title never changed');
    const s = screen();
    assert.match(s, /␛\]0;PWNED-TITLE␇/, 'the title payload shows as placeholders');
    assert.match(s, /␛\[2J␛\[HCLEARED/, 'the clear payload shows as placeholders');
    assert.match(s, /ring␇ring/);
    assert.match(s, /Evil␛\]52;c;/, '/who shows the member name with placeholders');
  });
});
