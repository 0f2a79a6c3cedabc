// kill -9 under load with the SQLite store: every message echoed before the
// kill is in history after a restart, seq continues, and a chat-tui client
// resumes with no gap and no duplicate.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { assertShowsHistory, connect, eventually, fullHistory, join, lastSeqFor, sleep, tempDir, tuiClient, type Chatter } from '../helpers.js';
import { freePort, startBinary, stopBinary } from '../processes.js';

const ROOM = 'crash';


describe('crash durability (SQLite)', () => {
  it('keeps every echoed message through kill -9, continues seq, and resumes clients cleanly', async (t) => {
    const tmp = tempDir();
    const port = await freePort();
    const args = ['--port', String(port), '--store', `sqlite:${path.join(tmp.dir, 'chat.db')}`, '--rate-limit', 'off'];
    // startBinary passes --port 0 first; a later --port wins.
    let server = await startBinary(args);
    const target = `127.0.0.1:${port}`;
    const { store, client: tui } = tuiClient('Tui', target, ROOM);
    const grpcClients: ChatServiceClient[] = [];
    const writers: Chatter[] = [];
    t.after(async () => {
      tui.close();
      for (const w of writers) w.call.cancel();
      for (const c of grpcClients) c.close();
      await stopBinary(server, 'SIGKILL');
      tmp.cleanup();
    });
    tui.join(ROOM);
    await eventually(() => store.getState().connection.state === 'online', 'chat-tui online');

    // Four writers on their own connections, each posting as fast as its echoes come back, plus the tui typing.
    for (let i = 0; i < 4; i++) {
      const c = connect(target, { 'grpc.use_local_subchannel_pool': 1 });
      grpcClients.push(c);
      writers.push(join(c, `W${i}`, ROOM));
    }
    let n = 0;
    let typing = true;
    const typed: string[] = [];
    const load = (async () => {
      while (typing) {
        writers.forEach((w, i) => w.say(`W${i} ${n}`));
        if (n % 10 === 0) {
          typed.push(`tui ${n}`);
          tui.send(ROOM, `tui ${n}`);
        }
        n++;
        await sleep(2);
      }
    })();
    await sleep(1500);
    await stopBinary(server, 'SIGKILL');
    typing = false;
    await load;
    // What each writer saw echoed (its own TEXT, stamped with a seq) before the kill.
    const ownEchoes = writers.flatMap((w, i) => w.received.filter((m) => m.type === 'TEXT' && m.username === `W${i}`));
    assert.ok(ownEchoes.length > 200, `writers saw ${ownEchoes.length} echoes before the kill`);
    const lastSeqBefore = Math.max(...writers.flatMap((w) => w.received.map((m) => m.seq)));

    server = await startBinary(args);
    const reader = connect(target, { 'grpc.use_local_subchannel_pool': 1 });
    grpcClients.push(reader);
    const history = await fullHistory(reader, ROOM);
    const stored = new Map(history.map((m) => [m.seq, m]));
    for (const e of ownEchoes) {
      assert.equal(stored.get(e.seq)?.message, e.message, `echoed seq ${e.seq} "${e.message}" survived the kill`);
    }
    history.forEach((m, i) => assert.equal(m.seq, i + 1, 'seqs 1..N with no hole'));
    assert.ok(history.length >= lastSeqBefore);

    // seq continues after the restart.
    const after = join(reader, 'After', ROOM);
    writers.push(after);
    after.say('after the crash');
    await after.waitForText('after the crash');
    const newSeq = after.received.find((m) => m.message === 'after the crash')?.seq ?? 0;
    assert.ok(newSeq > (history.at(-1)?.seq ?? 0), `new seq ${newSeq} continues after ${history.at(-1)?.seq}`);

    // chat-tui resumes: everything stored, once, except its own JOINs; everything it typed stored once.
    await eventually(() => (store.getState().rooms[ROOM]?.pending.length ?? 1) === 0, 'tui messages confirmed', 30_000);
    const final = await fullHistory(reader, ROOM);
    await eventually(() => store.getState().rooms[ROOM]?.lastSeq === lastSeqFor(final, 'Tui'), 'tui caught up', 20_000);
    assertShowsHistory(store, ROOM, final);
    const tuiTexts = final.filter((m) => m.username === 'Tui' && m.type === 'TEXT').map((m) => m.message);
    assert.deepEqual(tuiTexts, typed, 'everything the tui typed is stored once, in order');
    assert.ok(typed.length > 10, `tui typed ${typed.length}`);
    t.diagnostic(
      `${ownEchoes.length} echoes before kill -9 (last seq ${lastSeqBefore}), all stored; ${history.length} stored; ` +
        `seq went on at ${newSeq}; the tui typed ${typed.length}, each stored once`,
    );
  });
});
