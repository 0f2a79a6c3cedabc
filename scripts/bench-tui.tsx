// npm run bench:tui: time from an incoming message or a keypress to the frame
// being written, with 1k, 10k and 100k messages in the room, and the RSS.
// The real App renders through Ink into an in-memory terminal (100x30).
//   node dist/scripts/bench-tui.js [--samples 200]
import { render } from 'ink';
import * as pty from 'node-pty';
import { fileURLToPath } from 'node:url';
import { PassThrough, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import React from 'react';
import type { ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { createController } from '../tui/actions.js';
import { App } from '../tui/App.js';
import { ChatClient } from '../tui/client.js';
import type { Line } from '../tui/domain.js';
import { createChatStore } from '../tui/store.js';
import { decode } from '../tui/wire.js';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '200' } } });
const SAMPLES = Number(values.samples);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class FakeStdout extends Writable {
  columns = 100;
  rows = 30;
  isTTY = true;
  onWrite: (() => void) | null = null;
  override _write(_chunk: unknown, _enc: string, cb: () => void) {
    const f = this.onWrite;
    this.onWrite = null;
    f?.();
    cb();
  }
}

function fakeStdin(): PassThrough & { isTTY: boolean; setRawMode(): void; ref(): void; unref(): void } {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function measure(size: number) {
  const store = createChatStore({ username: 'Me', userId: 'me', server: 'bench', room: 'big' });
  const lines: Line[] = Array.from({ length: size }, (_, i) => ({
    key: `s${i + 1}`, seq: i + 1, type: 'TEXT', userId: `u${i % 7}`, username: `user${i % 7}`,
    text: `history message number ${i + 1} with some ordinary chat text in it`, timestamp: Date.now() - (size - i) * 1000,
  }));
  // Fill the room directly: the renderer's cost is what is measured, beyond the client's own cap.
  store.setState((s) => ({ rooms: { ...s.rooms, big: { ...s.rooms.big!, lines, lastSeq: size, reachedStart: true } } }));
  const client = new ChatClient(store, '127.0.0.1:9'); // never called: typing and receiving need no server
  const controller = createController(store, client, () => undefined);
  const stdout = new FakeStdout();
  const stdin = fakeStdin();
  const app = render(<App store={store} controller={controller} onNeedOlder={() => undefined} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 60,
  });
  await sleep(200);
  let missed = 0;
  // A frame that never comes is reported, not waited for forever.
  const frame = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        missed++;
        stdout.onWrite = null;
        resolve();
      }, 1000);
      stdout.onWrite = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const incoming: number[] = [];
  const keys: number[] = [];
  let seq = size;
  for (let i = 0; i < SAMPLES; i++) {
    const m: ChatMessage__Output = {
      user_id: 'u1', username: 'user1', message: `live ${i}`, timestamp: Date.now(), type: 'TEXT', room_id: 'big', seq: ++seq, notice: 'NOTICE_NONE', refused: '', client_msg_id: '', retry_after_ms: 0,
    };
    let wrote = frame();
    let t0 = performance.now();
    store.getState().receive('big', [decode(m, 'me')]);
    await wrote;
    incoming.push(performance.now() - t0);
    await sleep(20); // past the frame throttle, so each sample is a fresh frame
    wrote = frame();
    t0 = performance.now();
    stdin.write(String.fromCharCode(97 + (i % 26))); // varied, so every key changes the visible input
    await wrote;
    keys.push(performance.now() - t0);
    await sleep(20);
  }
  app.unmount();
  client.close();
  return { size, incoming, keys, missed, rss: process.memoryUsage().rss / 1024 / 1024 };
}

/** Wall time from spawning the real chat-tui binary in a pty to its first frame (no server needed). */
async function firstFrame(): Promise<number[]> {
  const bin = fileURLToPath(new URL('../tui/chat-tui.mjs', import.meta.url));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const p = pty.spawn(process.execPath, [bin, '--user', 'Bench', '--server', '127.0.0.1:9'], { cols: 100, rows: 30 });
    await new Promise<void>((resolve) => {
      let seen = '';
      p.onData((d) => {
        seen += d;
        if (seen.includes('Rooms')) resolve();
      });
    });
    times.push(performance.now() - t0);
    p.kill();
    await sleep(100);
  }
  return times;
}

const starts = await firstFrame();
console.log(`chat-tui first frame: ${starts.map((t) => t.toFixed(0)).join(', ')} ms (median ${pct(starts, 50).toFixed(0)} ms)`);
console.log(`bench:tui: ${SAMPLES} samples per size, 100x30 terminal`);
console.log('messages   msg p50   msg p99   key p50   key p99   rss(MB)  no-frame');
const results = [];
for (const size of [1_000, 10_000, 100_000]) {
  const r = await measure(size);
  results.push(r);
  console.log(
    `${String(size).padStart(8)} ${pct(r.incoming, 50).toFixed(2).padStart(9)} ${pct(r.incoming, 99).toFixed(2).padStart(9)} ` +
      `${pct(r.keys, 50).toFixed(2).padStart(9)} ${pct(r.keys, 99).toFixed(2).padStart(9)} ${r.rss.toFixed(0).padStart(9)} ${String(r.missed).padStart(9)}`,
  );
}
const worst = Math.max(...results.flatMap((r) => [pct(r.incoming, 50), pct(r.keys, 50)]));
console.log(`${worst < 16 ? 'PASS' : 'MISS'} median frame time under 16 ms at every size (worst ${worst.toFixed(2)} ms)`);
process.exit(worst < 16 ? 0 : 1);
