// Issue 16 on a real server (memory and SQLite): replies, edits, deletes and
// reactions from Session clients, stored as room events that every member
// sees (a JoinChat seed client as readable SYSTEM lines), checked (author,
// operator, deleted, text and emoji rules), and history pages as the messages
// are now. Also: resume delivers an edit made meanwhile, and a SQLite file from
// before these columns migrates.
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { HistoryPage__Output } from '../../protos/generated/chat/HistoryPage.js';
import type { SearchResults__Output } from '../../protos/generated/chat/SearchResults.js';
import type { SessionError__Output } from '../../protos/generated/chat/SessionError.js';
import { SELECT_TARGETING } from '../../server/store/sqlite.js';
import { connect, join, startServer, tempDir, type Chatter, type TestServer } from '../helpers.js';
import { hello, SessionClient } from '../session-client.js';

function getHistory(c: ChatServiceClient, room: string): Promise<HistoryPage__Output> {
  return new Promise((resolve, reject) =>
    c.GetHistory({ room_id: room, before_seq: 0, limit: 100 }, (err, res) => (err || !res ? reject(err) : resolve(res))),
  );
}

function search(c: ChatServiceClient, room: string, query: string): Promise<SearchResults__Output> {
  return new Promise((resolve, reject) => c.SearchHistory({ room_id: room, query }, (err, res) => (err || !res ? reject(err) : resolve(res))));
}

/** The SessionError answering request `rid`. */
async function errorFor(s: SessionClient, rid: number): Promise<SessionError__Output> {
  await s.waitFor(() => s.of('error').some((e) => e.request_id === rid), `an error for request ${rid}`);
  return s.of('error').find((e) => e.request_id === rid) as SessionError__Output;
}

/** The stored seq of the TEXT `text` a session received in `room`. */
async function seqOf(s: SessionClient, room: string, text: string): Promise<number> {
  await s.waitForText(room, text);
  return s.messages(room).find((m) => m.type === 'TEXT' && m.message === text)?.seq ?? 0;
}

/** Waits for the room event (SYSTEM with an action) of `action` on `target` and returns it. */
async function eventOf(s: SessionClient, room: string, action: string, target: number, nth = 1): Promise<ChatMessage__Output> {
  const found = () => s.messages(room).filter((m) => m.type === 'SYSTEM' && m.action === action && m.target_seq === target);
  await s.waitFor(() => found().length >= nth, `${action} #${nth} of ${target} in ${room}`);
  return found()[nth - 1] as ChatMessage__Output;
}

for (const kind of ['memory', 'sqlite'] as const) {
  describe(`messages: replies, edits, deletes, reactions (${kind})`, () => {
    let server: TestServer;
    let client: ChatServiceClient;
    let tmp: ReturnType<typeof tempDir> | null = null;
    const open: SessionClient[] = [];
    const chatters: Chatter[] = [];
    const session = async (name: string, room: string): Promise<SessionClient> => {
      const s = new SessionClient(server.target, hello(name, { join: [room] }));
      open.push(s);
      assert.ok((await s.welcome()).rooms.some((r) => r.room_id === room), `${name} in ${room}`);
      return s;
    };

    before(async () => {
      tmp = kind === 'sqlite' ? tempDir() : null;
      const store = tmp ? `sqlite:${path.join(tmp.dir, 'chat.db')}` : 'memory';
      server = await startServer({ store, operators: ['Olga'] });
      client = connect(server.target);
    });
    after(async () => {
      for (const s of open) s.cancel();
      for (const c of chatters) c.leave();
      client.close();
      await server.stop();
      tmp?.cleanup();
    });

    it('lets only the author edit and delete (others: PERMISSION_DENIED); an operator deletes any; a deleted message cannot be edited', async () => {
      const room = 'edits';
      const alice = await session('Alice', room);
      const bob = await session('Bob', room);
      const seed = join(client, 'Sid', room);
      chatters.push(seed);
      alice.post(room, 'hello wrold', 'a-1');
      const seq = await seqOf(alice, room, 'hello wrold');
      await bob.waitForText(room, 'hello wrold');

      const bobEdit = bob.send({ edit: { room_id: room, seq, text: 'mine now' } });
      const denied = await errorFor(bob, bobEdit);
      assert.equal(denied.code, grpc.status.PERMISSION_DENIED, denied.details);
      assert.equal(denied.room_id, room);
      const bobDelete = bob.send({ delete: { room_id: room, seq } });
      assert.equal((await errorFor(bob, bobDelete)).code, grpc.status.PERMISSION_DENIED);

      alice.send({ edit: { room_id: room, seq, text: 'hello world' } });
      const edit = await eventOf(bob, room, 'EDIT', seq);
      assert.equal(edit.message, 'Alice edited a message: hello world');
      assert.equal(edit.detail, 'hello world');
      assert.equal(edit.username, 'Alice');
      assert.ok(edit.seq > seq, 'the event is stored after the message');
      await eventOf(alice, room, 'EDIT', seq);
      // A seed client sees a readable SYSTEM line with the new text.
      await seed.waitFor((r) => r.some((m) => m.type === 'SYSTEM' && m.message === 'Alice edited a message: hello world'), 'the edit line');

      alice.send({ delete: { room_id: room, seq } });
      const del = await eventOf(bob, room, 'DELETE', seq);
      assert.equal(del.message, 'Alice deleted a message');
      await seed.waitFor((r) => r.some((m) => m.type === 'SYSTEM' && m.message === 'Alice deleted a message'), 'the delete line');
      const late = alice.send({ edit: { room_id: room, seq, text: 'back again' } });
      const refused = await errorFor(alice, late);
      assert.equal(refused.code, grpc.status.FAILED_PRECONDITION, refused.details);
      assert.match(refused.details, /was deleted/);

      // An operator (config operators) deletes someone else's message.
      bob.post(room, 'spam spam', 'b-1');
      const spam = await seqOf(bob, room, 'spam spam');
      const olga = await session('Olga', room);
      olga.send({ delete: { room_id: room, seq: spam } });
      assert.equal((await eventOf(bob, room, 'DELETE', spam)).message, "Olga deleted Bob's message");

      // Edit text rules as posts; unknown seqs and rooms not joined are refused.
      bob.post(room, 'short', 'b-2');
      const short = await seqOf(bob, room, 'short');
      const empty = bob.send({ edit: { room_id: room, seq: short, text: '\u001b[2J  ' } });
      assert.equal((await errorFor(bob, empty)).code, grpc.status.INVALID_ARGUMENT);
      const huge = bob.send({ edit: { room_id: room, seq: short, text: 'x'.repeat(5000) } });
      assert.equal((await errorFor(bob, huge)).code, grpc.status.INVALID_ARGUMENT);
      const nowhere = bob.send({ edit: { room_id: room, seq: 99_999, text: 'x' } });
      assert.equal((await errorFor(bob, nowhere)).code, grpc.status.NOT_FOUND);
      const notIn = bob.send({ delete: { room_id: 'elsewhere', seq: short } });
      assert.equal((await errorFor(bob, notIn)).code, grpc.status.NOT_FOUND);
      // An event itself is not a message to edit.
      const ofEvent = alice.send({ edit: { room_id: room, seq: edit.seq, text: 'x' } });
      assert.equal((await errorFor(alice, ofEvent)).code, grpc.status.NOT_FOUND);

      // History as it is now.
      const page = await getHistory(client, room);
      const original = page.messages.find((m) => m.seq === seq);
      assert.equal(original?.deleted, true);
      assert.equal(original?.message, '', 'a deleted message has no text');
      assert.equal(page.messages.find((m) => m.seq === spam)?.deleted, true);
      assert.equal(page.messages.find((m) => m.seq === short)?.deleted, false);
      assert.ok(page.messages.some((m) => m.seq === edit.seq && m.type === 'SYSTEM' && m.action === 'EDIT'), 'events stay in the log');
    });

    it('toggles reactions (REACT then UNREACT), with counts and names on GetHistory, fetch_history and SearchHistory', async () => {
      const room = 'reactions';
      const alice = await session('Ann', room);
      const bob = await session('Ben', room);
      const seed = join(client, 'Seth', room);
      chatters.push(seed);
      alice.post(room, 'ship it today', 'r-1');
      const seq = await seqOf(bob, room, 'ship it today');

      bob.send({ react: { room_id: room, seq, emoji: ':+1:' } });
      const react = await eventOf(alice, room, 'REACT', seq);
      assert.equal(react.detail, '👍', 'a shortcode is stored as the emoji');
      assert.equal(react.message, "Ben reacted 👍 to Ann's message");
      await seed.waitFor((r) => r.some((m) => m.type === 'SYSTEM' && m.message === "Ben reacted 👍 to Ann's message"), 'the reaction line');
      bob.send({ react: { room_id: room, seq, emoji: '👍' } });
      const unreact = await eventOf(alice, room, 'UNREACT', seq);
      assert.equal(unreact.detail, '👍');
      assert.ok(unreact.seq > react.seq);
      let page = await getHistory(client, room);
      assert.deepEqual(page.messages.find((m) => m.seq === seq)?.reactions, [], 'reacting twice took it back');

      bob.send({ react: { room_id: room, seq, emoji: '🎉' } });
      await eventOf(alice, room, 'REACT', seq, 2);
      alice.send({ react: { room_id: room, seq, emoji: '🎉' } });
      await eventOf(bob, room, 'REACT', seq, 3);
      bob.send({ react: { room_id: room, seq, emoji: ':rocket:' } });
      await eventOf(alice, room, 'REACT', seq, 4);
      page = await getHistory(client, room);
      const now = page.messages.find((m) => m.seq === seq);
      assert.deepEqual(
        now?.reactions.map((r) => [r.emoji, r.count, r.users]),
        [
          ['🎉', 2, ['Ben', 'Ann']],
          ['🚀', 1, ['Ben']],
        ],
      );
      assert.equal(now?.message, 'ship it today');
      assert.equal(now?.edited, false);

      alice.send({ edit: { room_id: room, seq, text: 'ship it tomorrow' } });
      await eventOf(bob, room, 'EDIT', seq);
      const rid = bob.send({ fetch_history: { room_id: room, before_seq: 0, limit: 50 } });
      await bob.waitFor(() => bob.of('history').some((h) => h.request_id === rid), 'the history page');
      const fetched = bob.of('history').find((h) => h.request_id === rid)?.messages.find((m) => m.seq === seq);
      assert.equal(fetched?.message, 'ship it tomorrow');
      assert.equal(fetched?.edited, true);
      assert.deepEqual(fetched?.reactions.map((r) => r.count), [2, 1]);
      const found = await search(client, room, 'ship');
      const hit = found.messages.find((m) => m.seq === seq);
      assert.equal(hit?.message, 'ship it tomorrow', 'search shows the current text');
      assert.equal(hit?.edited, true);

      // Emoji rules.
      for (const bad of ['ab', ':nope:', '👍👍', '']) {
        const r = bob.send({ react: { room_id: room, seq, emoji: bad } });
        assert.equal((await errorFor(bob, r)).code, grpc.status.INVALID_ARGUMENT, `'${bad}' is refused`);
      }
      const missing = bob.send({ react: { room_id: room, seq: 77_777, emoji: '👍' } });
      assert.equal((await errorFor(bob, missing)).code, grpc.status.NOT_FOUND);
    });

    it('fills a reply quote from the original as it is now; a reply to an unknown seq is refused as that message (NOT_SENT)', async () => {
      const room = 'replies';
      const alice = await session('Ada', room);
      const bob = await session('Bo', room);
      const seed = join(client, 'Sam', room);
      chatters.push(seed);
      const long = `${'a'.repeat(95)} bcdefghij`;
      alice.post(room, long, 'q-1');
      const seq = await seqOf(bob, room, long);
      bob.send({ post: { room_id: room, text: 'agreed', client_msg_id: 'q-2', reply_to: seq } });
      await alice.waitForText(room, 'agreed');
      const reply = alice.messages(room).find((m) => m.message === 'agreed');
      assert.equal(reply?.reply_to, seq);
      assert.equal(reply?.reply_quote, `Ada: ${'a'.repeat(95)} bcde…`);
      await seed.waitForText('agreed');
      assert.equal(seed.received.find((m) => m.message === 'agreed')?.type, 'TEXT', 'a seed client sees the text');

      alice.send({ edit: { room_id: room, seq, text: 'short now' } });
      await eventOf(bob, room, 'EDIT', seq);
      bob.send({ post: { room_id: room, text: 'still agreed', client_msg_id: 'q-3', reply_to: seq } });
      await alice.waitForText(room, 'still agreed');
      assert.equal(alice.messages(room).find((m) => m.message === 'still agreed')?.reply_quote, 'Ada: short now');

      // A reply that cannot be posted is refused as that one message (NOTICE_NOT_SENT with its id), like any refused post.
      bob.send({ post: { room_id: room, text: 'to nothing', client_msg_id: 'q-4', reply_to: 123_456 } });
      await bob.waitFor(() => bob.messages(room).some((m) => m.notice === 'NOTICE_NOT_SENT' && m.client_msg_id === 'q-4'), 'the refusal');
      const refusal = bob.messages(room).find((m) => m.client_msg_id === 'q-4' && m.notice === 'NOTICE_NOT_SENT');
      assert.match(refusal?.message ?? '', /there is no message 123456 in replies to reply to/);
      bob.post(room, 'after', 'q-5');
      await alice.waitForText(room, 'after');
      assert.ok(!alice.messages(room).some((m) => m.message === 'to nothing'), 'the refused reply was not posted');
      const page = await getHistory(client, room);
      assert.equal(page.messages.find((m) => m.message === 'agreed')?.reply_to, seq, 'history keeps reply_to');
      assert.equal(page.messages.find((m) => m.message === 'agreed')?.reply_quote, `Ada: ${'a'.repeat(95)} bcde…`);
    });

    it('delivers an edit made while a session was away when it resumes', async () => {
      const room = 'resumed';
      const alice = await session('Aya', room);
      const bob = await session('Bjorn', room);
      alice.post(room, 'draft one', 'z-1');
      const seq = await seqOf(bob, room, 'draft one');
      const last = Math.max(...bob.messages(room).map((m) => m.seq));
      await bob.end();
      alice.send({ edit: { room_id: room, seq, text: 'final one' } });
      await eventOf(alice, room, 'EDIT', seq);
      const back = new SessionClient(server.target, hello('Bjorn', { resume: [{ room_id: room, after_seq: last }] }));
      open.push(back);
      const edit = await eventOf(back, room, 'EDIT', seq);
      assert.equal(edit.detail, 'final one');
      assert.ok(!back.messages(room).some((m) => m.seq === seq), 'only what followed is replayed');
    });
  });
}

describe('messages: a SQLite file from before issue 16', () => {
  it('gains the new columns and the target index, and its old messages can be edited and reacted to', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'old.db');
    // The schema as it was (messages without reply or event columns).
    const db = new Database(file);
    db.exec(`
      CREATE TABLE rooms (room_id TEXT PRIMARY KEY, latest_seq INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE messages (
        room_id TEXT NOT NULL, seq INTEGER NOT NULL, user_id TEXT NOT NULL, username TEXT NOT NULL,
        message TEXT NOT NULL, timestamp INTEGER NOT NULL, type TEXT NOT NULL, client_msg_id TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (room_id, seq)
      ) WITHOUT ROWID;
      INSERT INTO rooms VALUES ('old', 2);
      INSERT INTO messages VALUES ('old', 1, 'sys', 'System', 'Olive joined the room', 1, 'JOIN', '');
      INSERT INTO messages VALUES ('old', 2, 'olive-id', 'Olive', 'from long ago', 2, 'TEXT', 'o-1');
    `);
    db.close();
    const server = await startServer({ store: `sqlite:${file}` });
    const client = connect(server.target);
    const olive = new SessionClient(server.target, hello('Olive', { join: ['old'] }));
    try {
      await olive.welcome();
      await olive.waitForText('old', 'from long ago');
      olive.send({ edit: { room_id: 'old', seq: 2, text: 'from long ago (fixed)' } });
      await eventOf(olive, 'old', 'EDIT', 2);
      olive.send({ react: { room_id: 'old', seq: 2, emoji: '❤️' } });
      await eventOf(olive, 'old', 'REACT', 2);
      const page = await getHistory(client, 'old');
      const m = page.messages.find((x) => x.seq === 2);
      assert.equal(m?.message, 'from long ago (fixed)');
      assert.equal(m?.edited, true);
      assert.deepEqual(m?.reactions.map((r) => [r.emoji, r.count]), [['❤️', 1]]);
      assert.equal(page.messages.find((x) => x.seq === 1)?.type, 'JOIN', 'old rows read as before');
    } finally {
      olive.cancel();
      client.close();
      await server.stop();
    }
    const check = new Database(file, { readonly: true });
    try {
      const columns = (check.prepare('PRAGMA table_info(messages)').all() as Array<{ name: string }>).map((c) => c.name);
      for (const c of ['reply_to', 'reply_quote', 'action', 'target_seq', 'subject', 'detail', 'minutes']) assert.ok(columns.includes(c), `column ${c}`);
      const indexes = (check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'").all() as Array<{ name: string }>).map((i) => i.name);
      assert.ok(indexes.includes('messages_target'), 'the (room_id, target_seq) index');
      const plan = check.prepare(`EXPLAIN QUERY PLAN ${SELECT_TARGETING}`).all('old', '[2]') as Array<{ detail: string }>;
      assert.ok(plan.some((p) => p.detail.includes('messages_target')), `amendments use the index: ${JSON.stringify(plan)}`);
    } finally {
      check.close();
      tmp.cleanup();
    }
  });
});
