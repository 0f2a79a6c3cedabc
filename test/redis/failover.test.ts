// Kill one of two servers under load: chat-tui's client (given both addresses)
// moves to the other, resumes from its last seq and re-sends what was never
// confirmed. Nothing is lost and nothing is stored or shown twice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatClient } from '../../tui/client.js';
import type { ChatStore } from '../../tui/store.js';
import { assertConsecutive, assertShowsHistory, connect, eventually, fullHistory, join, lastSeqFor, sleep, tuiClient, type Chatter } from '../helpers.js';
import { startBinary, startRedis, stopBinary, type RedisProcess, type Spawned } from '../processes.js';

const ROOM = 'failover';


describe('failover between two servers sharing Redis', () => {
  let redis: RedisProcess;
  let a: Spawned;
  let b: Spawned;

  before(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([startBinary(['--store', redis.url, '--rate-limit', 'off']), startBinary(['--store', redis.url, '--rate-limit', 'off'])]);
  });
  after(async () => {
    await Promise.all([stopBinary(a, 'SIGKILL'), stopBinary(b)]);
    await redis.stop();
  });

  it('moves chat-tui clients to the surviving server with nothing lost and nothing twice', async (t) => {
    const cb = connect(b.target);
    const posters: Chatter[] = [];
    // Three chat-tui clients start on A (listed first), with B as the fallback.
    const users = ['Ann', 'Ben', 'Cat'];
    const clients: Array<{ name: string; store: ChatStore; client: ChatClient; typed: string[] }> = users.map((name) => ({
      name,
      ...tuiClient(name, [a.target, b.target], ROOM, { userId: `${name}-id` }),
      typed: [],
    }));
    t.after(() => {
      for (const c of clients) c.client.close();
      for (const p of posters) p.call.cancel();
      cb.close();
    });
    for (const c of clients) c.client.join(ROOM);
    await eventually(() => clients.every((c) => c.store.getState().connection.state === 'online'), 'clients online');

    // Load from two users on B throughout.
    posters.push(join(cb, 'P1', ROOM), join(cb, 'P2', ROOM));
    let posting = true;
    let n = 0;
    const load = (async () => {
      while (posting) {
        for (const p of posters) p.say(`${p === posters[0] ? 'P1' : 'P2'} #${n}`);
        n++;
        if (n % 5 === 0) for (const c of clients) {
          const text = `${c.name} says ${c.typed.length}`;
          c.typed.push(text);
          c.client.send(ROOM, text);
        }
        await sleep(10);
      }
    })();

    await sleep(1000);
    await stopBinary(a, 'SIGKILL');
    await sleep(2000);
    posting = false;
    await load;

    // Everything the posters had echoed, and everything the clients typed, must arrive.
    await eventually(() => clients.every((c) => (c.store.getState().rooms[ROOM]?.pending.length ?? 1) === 0), 'every typed message confirmed', 30_000);
    const history = await fullHistory(cb, ROOM);
    await eventually(
      () => clients.every((c) => c.store.getState().rooms[ROOM]?.lastSeq === lastSeqFor(history, c.name)),
      'clients at the latest seq',
      20_000,
    );

    // The store: consecutive seqs, every text once.
    assertConsecutive(history.map((m) => m.seq), 'history seqs are consecutive');
    const storedTexts = history.filter((m) => m.type === 'TEXT').map((m) => m.message);
    const twice = storedTexts.filter((t, i) => storedTexts.indexOf(t) !== i);
    assert.deepEqual(
      twice,
      [],
      `no text stored twice: ${history.filter((m) => twice.includes(m.message) || m.type !== 'TEXT').map((m) => `${m.seq} ${m.type} ${m.message}`).join('; ')}`,
    );
    for (const c of clients) {
      for (const t of c.typed) assert.equal(storedTexts.filter((s) => s === t).length, 1, `"${t}" stored once`);
    }
    // Every message the posters saw echoed is stored.
    const echoed = posters.flatMap((p, i) => p.received.filter((m) => m.type === 'TEXT' && m.username === `P${i + 1}`).map((m) => m.message));
    assert.ok(echoed.length > 100, `the posters' echoes (${echoed.length})`);
    for (const t of echoed) assert.ok(storedTexts.includes(t), `echoed "${t}" is stored`);

    // Each client: every stored message from its first to the latest, once, except its own JOINs (never sent to the joiner).
    for (const c of clients) {
      assertShowsHistory(c.store, ROOM, history);
      const room = c.store.getState().rooms[ROOM];
      assert.equal(c.store.getState().server, b.target, `${c.name} moved to B`);
      assert.equal(c.typed.filter((t) => (room?.lines ?? []).filter((l) => l.text === t).length === 1).length, c.typed.length);
    }
  });
});
