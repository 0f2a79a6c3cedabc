// Many streams at once, and a reader that stops reading.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { Chatter, connect, eventually, join, memberNames, suiteServer } from '../helpers.js';

describe('concurrency and backpressure', () => {
  const fx = suiteServer({ maxQueue: 200 });

  it('serves 200+ concurrent streams across rooms (the seed stopped at 10)', async () => {
    const clients: ChatServiceClient[] = Array.from({ length: 4 }, () => connect(fx.server.target));
    const chatters: Chatter[] = [];
    for (let i = 0; i < 220; i++) {
      chatters.push(join(clients[i % clients.length] as ChatServiceClient, `user${i}`, `crowd${i % 11}`));
    }
    await eventually(() => fx.server.running.hub.sessions.size >= 220, '220 sessions', 15000);
    for (let i = 0; i < 11; i++) chatters[i]?.say(`hello from room ${i}`);
    await Promise.all(
      chatters.map((c, i) => c.waitForText(`hello from room ${i % 11}`, 15000)),
    );
    for (const c of chatters) {
      assert.equal(c.texts().length, 1, 'exactly its own room\'s message');
      c.leave();
    }
    for (const c of clients) c.close();
  });

  it('ends a stalled reader with RESOURCE_EXHAUSTED without slowing the others', async () => {
    const clients = [connect(fx.server.target), connect(fx.server.target)];
    const [c0, c1] = clients as [ChatServiceClient, ChatServiceClient];
    const stalled = join(c0, 'Sleepy', 'flood');
    const reader = join(c1, 'Reader', 'flood');
    const writer = join(c1, 'Writer', 'flood');
    // Reader and Writer may join within one presence window (one notice, not sent to them): ask the member list.
    await eventually(async () => (await memberNames(c1, 'flood')).length === 3, 'all three in');
    stalled.call.pause(); // stop reading: HTTP/2 flow control fills up behind it
    const filler = 'x'.repeat(2000);
    const total = 3000;
    for (let i = 0; i < total; i++) writer.say(`${i} ${filler}`);
    await reader.waitFor((r) => r.filter((m) => m.type === 'TEXT').length === total, 'every message', 30000);
    await reader.waitForText('Sleepy left the room', 10000);
    const texts = reader.received.filter((m) => m.type === 'TEXT').map((m) => Number(m.message.split(' ')[0]));
    assert.deepEqual(texts, Array.from({ length: total }, (_, i) => i), 'the reader lost nothing');
    // The stalled client gets its status once it reads again.
    stalled.call.resume();
    const status = await stalled.waitForStatus(10000);
    assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.match(status.details, /fell too far behind .*reconnect to resume/);
    reader.leave();
    writer.leave();
    for (const c of clients) c.close();
  });
});
