// Garbage on the wire: random bytes as messages, wrong field types, huge
// strings, raw junk on the socket and thousands of streams opened and dropped.
// The server (in its own process) must stay up, keep serving normal chat, and
// not grow: its heap after a full GC, and its RSS, after the third round are
// compared with the same after the first (warm-up) round.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http2 from 'node:http2';
import net from 'node:net';
import { describe, it } from 'node:test';
import type { RoomList__Output } from '../../protos/generated/chat/RoomList.js';
import { connect, join, sleep, unary } from '../helpers.js';
import { forkServer } from '../support/server-child.js';

const JOIN_PATH = '/chat.ChatService/JoinChat';

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

/** Protobuf by hand: (field, wire type, payload). */
function field(no: number, wire: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(no << 3) | wire]), payload]);
}
const varint = (n: number): Buffer => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
};
const lengthDelimited = (b: Buffer): Buffer => Buffer.concat([varint(b.length), b]);

function randomMessage(i: number): Buffer {
  switch (i % 6) {
    case 0:
      return randomBytes(1 + (i % 300)); // plain noise
    case 1: // username (2) as a varint, type (5) as a string
      return Buffer.concat([field(2, 0, varint(12345)), field(5, 2, lengthDelimited(Buffer.from('TEXT')))]);
    case 2: // a length prefix far past the end
      return Buffer.concat([field(3, 2, varint(1_000_000)), randomBytes(10)]);
    case 3: // an unknown enum value and a negative timestamp
      return Buffer.concat([
        field(2, 2, lengthDelimited(Buffer.from(`f${i}`))),
        field(5, 0, varint(99)),
        field(4, 0, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
      ]);
    case 4: // invalid UTF-8 in a string field
      return Buffer.concat([field(2, 2, lengthDelimited(Buffer.from([0xc3, 0x28, 0xff, 0xfe]))), field(6, 2, lengthDelimited(Buffer.from([0xe2, 0x82])))]);
    default: // an unknown field and wire type 7
      return Buffer.concat([field(15, 2, lengthDelimited(randomBytes(20))), Buffer.from([0x3f]), randomBytes(5)]);
  }
}

async function round(target: string, port: number): Promise<void> {
  // 1. Thousands of malformed messages over raw bidi streams (bytes passed through unserialised).
  const raw = new grpc.Client(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const calls: grpc.ClientDuplexStream<Buffer, Buffer>[] = [];
  for (let s = 0; s < 100; s++) {
    const call = raw.makeBidiStreamRequest(JOIN_PATH, (b: Buffer) => b, (b: Buffer) => b);
    call.on('error', () => undefined);
    call.on('data', () => undefined);
    for (let m = 0; m < 20; m++) call.write(randomMessage(s * 20 + m));
    calls.push(call);
  }
  await sleep(200);
  for (const c of calls) c.cancel();

  // 2. Huge strings through the real message type: a 1 MB name, a 3 MB message, a 100 KB room.
  const client = connect(target, { 'grpc.use_local_subchannel_pool': 1, 'grpc.max_send_message_length': 8 * 1024 * 1024 });
  const bigName = join(client, 'x'.repeat(1 << 20), 'fuzz');
  const bigRoom = join(client, 'Roomy', 'r'.repeat(100_000));
  const talker = join(client, 'Talker', 'fuzz');
  talker.say('y'.repeat(3 << 20));
  await Promise.all([bigName.waitForStatus(), bigRoom.waitForStatus()]);
  await talker.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT'), 'the size refusal');
  talker.leave();

  // 3. 2000 streams opened and dropped across 4 connections, half after joining.
  const churn = Array.from({ length: 4 }, () => connect(target, { 'grpc.use_local_subchannel_pool': 1 }));
  for (let wave = 0; wave < 4; wave++) {
    const open = Array.from({ length: 500 }, (_, i) => {
      const c = churn[i % churn.length] as ReturnType<typeof connect>;
      if (i % 2 === 0) return join(c, `churn${wave}-${i}`, `churn${i % 7}`);
      const call = c.JoinChat();
      call.on('error', () => undefined);
      return { call };
    });
    await sleep(100);
    for (const o of open) o.call.cancel();
  }

  // 4. Junk that is not HTTP/2 at all, and HTTP/2 that is not gRPC.
  await new Promise<void>((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.end(randomBytes(4096)));
    sock.on('error', () => resolve());
    sock.on('close', () => resolve());
    sock.resume();
  });
  await new Promise<void>((resolve) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => resolve());
    const req = session.request({ ':method': 'POST', ':path': JOIN_PATH, 'content-type': 'application/grpc' });
    req.on('error', () => undefined);
    req.on('response', () => undefined);
    req.on('close', () => {
      session.close();
      resolve();
    });
    req.resume();
    // A frame header that claims 2 GB, then noise.
    req.end(Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0xff]), randomBytes(1000)]));
  });
  raw.close();
  client.close();
  for (const c of churn) c.close();
}

describe('garbage on the wire', () => {
  it('survives thousands of bad inputs, still chats, and does not grow', async (t) => {
    // The real chat server in a child that answers 'report' with its memory after a full GC. One malloc
    // arena: otherwise glibc keeps freed multi-megabyte buffers in per-thread arenas and RSS measures the
    // allocator's hoarding more than the server.
    const server = forkServer('chat', {
      execArgv: ['--expose-gc'],
      env: { ...process.env, CHAT_BENCH_STORE: 'memory', MALLOC_ARENA_MAX: '1' },
    });
    t.after(() => server.stop());
    const port = await server.port;
    const target = `127.0.0.1:${port}`;

    await round(target, port); // warm-up: JIT, pools, buffers
    await sleep(500);
    const warm = await server.report();
    await round(target, port);
    await round(target, port);
    await sleep(500);
    const after = await server.report();
    assert.equal(server.child.exitCode, null, 'the server is still running');
    assert.equal(after.streams, 0, 'every stream the fuzz opened is closed on the server');

    // Normal chat still works, and nothing of the churn is left in the rooms.
    const client = connect(target, { 'grpc.use_local_subchannel_pool': 1 });
    const a = join(client, 'Alice', 'after-fuzz');
    const b = join(client, 'Bob', 'after-fuzz');
    await a.waitForText('Bob joined the room');
    a.say('still standing');
    await b.waitForText('still standing');
    const rooms = await unary<object, RoomList__Output>(client.ListRooms.bind(client), {});
    const leftovers = rooms.rooms.filter((r) => r.room_id.startsWith('churn') || r.room_id === 'fuzz').filter((r) => r.member_count > 0);
    assert.deepEqual(leftovers, [], 'every dropped stream left its room');
    a.leave();
    b.leave();
    client.close();
    t.diagnostic(
      `server after warm-up: heap ${mb(warm.heapUsed)} MB, RSS ${mb(warm.rss)} MB; ` +
        `after two more rounds: heap ${mb(after.heapUsed)} MB, RSS ${mb(after.rss)} MB`,
    );
    // The memory store keeps each round's ~2000 JOIN/LEAVE lines (~0.3 MB): that much growth is history, not a leak.
    assert.ok(after.heapUsed < warm.heapUsed + 4 * 1048576, `heap grew from ${mb(warm.heapUsed)} to ${mb(after.heapUsed)} MB`);
    // RSS moves with the allocator, so only a gross rise counts.
    assert.ok(after.rss < warm.rss * 1.5, `RSS grew from ${mb(warm.rss)} to ${mb(after.rss)} MB`);
  });
});
