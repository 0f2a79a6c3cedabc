// Issue 13: a Session resumes every room at once. After a server restart on
// SQLite the client sends its last seq per room and gets exactly what it
// missed in each (no gap, no duplicate), then a caught-up mark per room.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertConsecutive, connect, fullHistory, startServer, tempDir } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';

describe('Session resume', () => {
  it('resumes two rooms after a restart on SQLite: what was missed in each, once, then caught up', async () => {
    const tmp = tempDir();
    const store = `sqlite:${path.join(tmp.dir, 'chat.db')}`;
    const rooms = ['north', 'south'];
    try {
      let server = await startServer({ store, history: 5 });
      const reader = new SessionClient(server.target, hello('Kim', { join: rooms }));
      const writer = new SessionClient(server.target, hello('Lou', { join: rooms }));
      await Promise.all([reader.welcome(), writer.welcome()]);
      for (const room of rooms) for (let i = 0; i < 3; i++) writer.post(room, `${room} seen ${i}`, `${room}-a${i}`);
      for (const room of rooms) await reader.waitForText(room, `${room} seen 2`);
      const cursors = rooms.map((room) => ({ room_id: room, after_seq: Math.max(...reader.messages(room).map((m) => m.seq)) }));
      reader.cancel();
      for (const room of rooms) for (let i = 0; i < 8; i++) writer.post(room, `${room} missed ${i}`, `${room}-b${i}`);
      for (const room of rooms) await writer.waitForText(room, `${room} missed 7`);
      await writer.end();
      // What the store holds before the restart (a JOIN may follow it, once Kim is back).
      const before = connect(server.target);
      const stored = new Map<string, number[]>();
      for (const [i, room] of rooms.entries()) {
        const after = cursors[i]?.after_seq ?? 0;
        stored.set(room, (await fullHistory(before, room)).filter((m) => m.seq > after).map((m) => m.seq));
      }
      before.close();
      await server.stop();

      server = await startServer({ store, history: 5 });
      const back = new SessionClient(server.target, hello('Kim', { join: rooms, resume: cursors }));
      await back.welcome();
      for (const room of rooms) {
        await back.waitFor(() => back.messages(room).some((m) => m.notice === 'NOTICE_CAUGHT_UP'), `caught up in ${room}`);
      }
      for (const [i, room] of rooms.entries()) {
        const after = cursors[i]?.after_seq ?? 0;
        const got = back.messages(room);
        const upToMark = got.slice(0, got.findIndex((m) => m.notice === 'NOTICE_CAUGHT_UP'));
        const seqs = upToMark.filter((m) => m.seq > 0).map((m) => m.seq);
        assert.deepEqual(seqs, stored.get(room), `${room}: exactly what followed seq ${after}, before the mark`);
        assertConsecutive(seqs, room);
        assert.equal(seqs[0], after + 1, `${room}: no gap`);
        assert.ok(upToMark.filter((m) => m.type === 'TEXT').length >= 8, `${room}: the 8 missed posts`);
        assert.equal(new Set(seqs).size, seqs.length, `${room}: no duplicate`);
      }
      await back.end();
      await server.stop();
    } finally {
      tmp.cleanup();
    }
  });

  it('replays recent history to rooms without a cursor, and nothing twice', async () => {
    const server = await startServer({ history: 3 });
    try {
      const w = new SessionClient(server.target, hello('Max', { join: ['east', 'west'] }));
      await w.welcome();
      for (const room of ['east', 'west']) for (let i = 0; i < 6; i++) w.post(room, `${room} ${i}`, `${room}-${i}`);
      for (const room of ['east', 'west']) await w.waitForText(room, `${room} 5`);
      const east = Math.max(...w.messages('east').map((m) => m.seq));
      await w.end();
      const again = new SessionClient(server.target, hello('Max', { resume: [{ room_id: 'east', after_seq: east }] }));
      const welcome = await again.welcome();
      assert.deepEqual(welcome.rooms.map((r) => r.room_id), ['east', 'west']);
      await again.waitFor(() => again.messages('east').some((m) => m.notice === 'NOTICE_CAUGHT_UP'), 'east caught up');
      await again.waitFor(() => again.messages('west').some((m) => m.notice === 'NOTICE_HISTORY_END'), 'west history');
      assert.deepEqual(again.messages('east').map((m) => m.notice), ['NOTICE_CAUGHT_UP'], 'east: nothing was missed');
      assert.deepEqual(again.texts('west'), ['Max: west 3', 'Max: west 4', 'Max: west 5'], 'west: the last 3');
      await again.end();
    } finally {
      await server.stop();
    }
  });
});
