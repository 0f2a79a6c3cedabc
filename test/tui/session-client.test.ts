// Issue 13: ChatClient over the real Session stream. Direct messages between
// two users, rooms that follow the user into a new client, read markers and
// leaves synced between two sessions of one user, typing, away and /who.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directRoomId } from '../../protos/rules.js';
import { createController } from '../../tui/actions.js';
import { ChatClient } from '../../tui/client.js';
import { createChatStore, type ChatStore } from '../../tui/store.js';
import { eventually, startServer } from '../helpers.js';

function open(target: string, username: string, room?: string): { store: ChatStore; client: ChatClient } {
  const store = createChatStore({ username, userId: '', server: target, ...(room ? { room } : {}) });
  const client = new ChatClient(store, target);
  if (room) client.join(room, true);
  else client.start();
  return { store, client };
}

describe('chat client over Session', () => {
  it('/msg opens a direct room for both; the peer sees @name with a mention-level unread and answers into the same room', async (t) => {
    const server = await startServer({});
    const alice = open(server.target, 'Alice', 'general');
    const bob = open(server.target, 'Bob', 'general');
    t.after(async () => {
      alice.client.close();
      bob.client.close();
      await server.stop();
    });
    await eventually(() => alice.store.getState().connection.state === 'online' && bob.store.getState().connection.state === 'online', 'both online');
    const controller = createController(alice.store, alice.client, () => undefined);
    alice.store.getState().setInput('/msg Bob lunch at noon?');
    controller.submit();
    const id = directRoomId('Alice', 'Bob');
    assert.equal(alice.store.getState().current, id, 'Alice is in the conversation');
    await eventually(() => alice.store.getState().rooms[id]?.pending.length === 0 && (alice.store.getState().rooms[id]?.lines.length ?? 0) > 0, 'echoed');
    await eventually(() => bob.store.getState().rooms[id]?.lines.some((l) => l.text === 'lunch at noon?') ?? false, 'Bob has it');
    const dm = bob.store.getState().rooms[id]!;
    assert.equal(dm.direct, true);
    assert.equal(dm.peer.toLowerCase(), 'alice');
    assert.equal(bob.store.getState().current, 'general', 'it did not take Bob away from his room');
    assert.deepEqual([dm.unread, dm.mentioned], [1, true]);
    // Bob answers with /msg Alice: the same room.
    const bobs = createController(bob.store, bob.client, () => undefined);
    bob.store.getState().setInput('/msg alice yes!');
    bobs.submit();
    assert.equal(bob.store.getState().current, id);
    await eventually(() => alice.store.getState().rooms[id]?.lines.some((l) => l.text === 'yes!') ?? false, 'Alice has the answer');
    assert.equal(alice.store.getState().order.filter((r) => r.startsWith('@')).length, 1, 'one conversation');
  });

  it('a new client with only the name gets the user\'s rooms in order; a read and a leave in one session reach the other', async (t) => {
    const server = await startServer({});
    const first = open(server.target, 'Rosa', 'alpha');
    t.after(async () => {
      first.client.close();
      await server.stop();
    });
    await eventually(() => first.store.getState().connection.state === 'online', 'online');
    first.client.join('beta');
    first.client.join('gamma');
    await eventually(() => first.store.getState().order.join() === 'alpha,beta,gamma' && !first.store.getState().connection.detail, 'three rooms');
    const peer = open(server.target, 'Pete', 'beta');
    t.after(() => peer.client.close());
    await eventually(() => peer.store.getState().connection.state === 'online', 'peer online');
    // A name the server has never seen, without --room: the default room.
    const newbie = open(server.target, 'Newbie');
    t.after(() => newbie.client.close());
    await eventually(() => newbie.store.getState().order.join() === 'general' && newbie.store.getState().current === 'general', 'the default room');
    // Only the name: the rooms come from the server, in Rosa's order.
    const second = open(server.target, 'Rosa');
    t.after(() => second.client.close());
    await eventually(() => second.store.getState().order.join() === 'alpha,beta,gamma', 'rooms from the welcome');
    assert.equal(second.store.getState().current, 'alpha');
    peer.client.send('beta', 'one');
    peer.client.send('beta', 'two');
    await eventually(() => second.store.getState().rooms.beta?.unread === 2 && first.store.getState().rooms.beta?.unread === 2, 'unread in both sessions');
    // The first session reads beta: the second's count drops.
    const seq = first.store.getState().rooms.beta!.lastSeq;
    first.client.read('beta', seq);
    await eventually(() => second.store.getState().rooms.beta?.unread === 0, 'read synced');
    assert.equal(second.store.getState().rooms.beta?.readSeq, seq);
    // A leave in one session: the room goes from the other too.
    first.client.leave('gamma');
    await eventually(() => !second.store.getState().order.includes('gamma'), 'left everywhere');
  });

  it('shows typing from others, /away with its reason in /who, and the peer\'s presence in a direct room', async (t) => {
    const server = await startServer({});
    const ann = open(server.target, 'Ann', 'desk');
    const ben = open(server.target, 'Ben', 'desk');
    t.after(async () => {
      ann.client.close();
      ben.client.close();
      await server.stop();
    });
    await eventually(() => ann.store.getState().connection.state === 'online' && ben.store.getState().connection.state === 'online', 'online');
    const benCtl = createController(ben.store, ben.client, () => undefined);
    const annCtl = createController(ann.store, ann.client, () => undefined);
    ben.store.getState().setInput('I am wri');
    await eventually(() => Object.keys(ann.store.getState().rooms.desk?.typing ?? {}).includes('Ben'), 'Ann sees Ben typing');
    ben.store.getState().setInput('');
    await eventually(() => Object.keys(ann.store.getState().rooms.desk?.typing ?? {}).length === 0, 'stopped');
    ben.store.getState().setInput('/away in a meeting');
    benCtl.submit();
    assert.match(ben.store.getState().rooms.desk!.lines.at(-1)!.text, /away: in a meeting/);
    await eventually(() => ann.store.getState().presence.ben?.presence === 'away', 'presence event');
    ann.store.getState().setInput('/who');
    annCtl.submit();
    await eventually(() => ann.store.getState().rooms.desk?.lines.some((l) => l.type === 'LOCAL' && /Ben \(away: in a meeting\)/.test(l.text) && /Ann \(online\)/.test(l.text)) ?? false, '/who with presence');
    ann.store.getState().setInput('/query Ben');
    annCtl.submit();
    assert.equal(ann.store.getState().current, directRoomId('Ann', 'Ben'));
    ben.store.getState().setInput('/back');
    benCtl.submit();
    await eventually(() => ann.store.getState().presence.ben?.presence === 'online', 'back');
  });
});
