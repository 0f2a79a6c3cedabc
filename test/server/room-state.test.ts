// Issue 13: unread and mention counts for the Welcome (server/room-state.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directRoomId } from '../../protos/rules.js';
import { mentions, roomState } from '../../server/room-state.js';
import { MemoryStore } from '../../server/store/memory.js';

test('a mention is the name as a word of its own, in any case, next to any non-word character', () => {
  const cases: Array<[string, string, boolean]> = [
    ['hi alice!', 'Alice', true],
    ['@Alice: look', 'alice', true],
    ['bob', 'bob', true],
    ['😀alice', 'alice', true],
    ['malice', 'alice', false],
    ['alice_x', 'alice', false],
    ['𝒜alice', 'alice', false], // a letter outside the BMP before it
    ['Ålice', 'lice', false],
    ['see bob', 'bo', false],
    ['alice? no, malice', 'alice', true], // the first occurrence counts
    ['malice and alice', 'alice', true], // a later one counts too
  ];
  for (const [text, name, expected] of cases) assert.equal(mentions(text, name), expected, `${JSON.stringify(text)} names ${name}`);
});

test('unread counts TEXT from others after the marker; mentions those naming the user, every one in a direct room', async () => {
  const store = new MemoryStore();
  const msg = (username: string, message: string, type: 'TEXT' | 'JOIN' = 'TEXT') => ({ user_id: username, username, message, timestamp: 1, type });
  await store.append('lobby', [msg('bob', 'joined', 'JOIN'), msg('bob', 'hi all'), msg('alice', 'hello alice'), msg('bob', 'Alice, look'), msg('carol', 'later')]);
  assert.deepEqual(await roomState(store, 'lobby', 'Alice', 0), {
    room_id: 'lobby', direct: false, peer: '', latest_seq: 5, read_seq: 0, unread: 3, mentions: 1,
  });
  assert.equal((await roomState(store, 'lobby', 'alice', 4)).unread, 1);
  assert.equal((await roomState(store, 'lobby', 'alice', 5)).unread, 0);
  const dm = directRoomId('alice', 'bob');
  await store.append(dm, [msg('bob', 'one'), msg('bob', 'two')]);
  assert.deepEqual(await roomState(store, dm, 'alice', 0), {
    room_id: dm, direct: true, peer: 'bob', latest_seq: 2, read_seq: 0, unread: 2, mentions: 2,
  });
});
