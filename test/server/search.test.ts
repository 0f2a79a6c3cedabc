// SearchHistory (issue 15): a room's stored TEXT messages whose words start
// with every word of the query, newest first, paged; nothing the query holds
// is read as search syntax; GetHistory's access rules.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import type { SearchRequest } from '../../protos/generated/chat/SearchRequest.js';
import type { SearchResults__Output } from '../../protos/generated/chat/SearchResults.js';
import { addUser } from '../../server/accounts.js';
import { Chatter, connect, join, startServer, suiteServer, tempDir } from '../helpers.js';

function search(client: ChatServiceClient, req: SearchRequest, md = new grpc.Metadata()): Promise<SearchResults__Output> {
  return new Promise((resolve, reject) => client.SearchHistory(req, md, (err, res) => (err || !res ? reject(err) : resolve(res))));
}

const texts = (r: SearchResults__Output) => r.messages.map((m) => m.message);

const rejectsWith = (p: Promise<unknown>, code: grpc.status, details: RegExp) =>
  assert.rejects(p, (e: grpc.ServiceError) => {
    assert.equal(e.code, code, e.details);
    assert.match(e.details, details);
    return true;
  });

describe('SearchHistory', () => {
  const tmp = tempDir();
  // SQLite: the full-text index is what this suite is about (the store contract covers memory and Redis too).
  const fx = suiteServer({ store: `sqlite:${path.join(tmp.dir, 'search.db')}` });
  after(() => tmp.cleanup());

  it('finds TEXT messages in one room, newest first, ignoring case and accents, every word a prefix', async () => {
    const w = join(fx.client, 'Writer', 'docs');
    const o = join(fx.client, 'Other', 'elsewhere');
    for (const t of ['Deploying the Café build', 'nothing to see', 'deploy FAILED again', 'a deployment of cafés', 'joined in spirit']) w.say(t);
    o.say('deploy elsewhere');
    await w.waitForText('joined in spirit');
    await o.waitForText('deploy elsewhere');

    const deploy = await search(fx.client, { room_id: 'docs', query: 'deplo' });
    assert.deepEqual(texts(deploy), ['a deployment of cafés', 'deploy FAILED again', 'Deploying the Café build'], 'newest first; other rooms not searched');
    assert.equal(deploy.room_id, 'docs');
    assert.equal(deploy.more, false);
    assert.equal(Number(deploy.next_before_seq), 0);
    const first = deploy.messages[0];
    assert.ok(first && first.seq > 0 && first.timestamp > 0 && first.username === 'Writer' && first.type === 'TEXT', 'whole messages');
    assert.deepEqual(texts(await search(fx.client, { room_id: '#docs', query: 'CAFE deploy' })), ['a deployment of cafés', 'Deploying the Café build']);
    assert.deepEqual(texts(await search(fx.client, { room_id: 'docs', query: 'failed nothing' })), [], 'every word must match');
    assert.deepEqual(texts(await search(fx.client, { room_id: 'docs', query: 'ploy' })), [], 'words match from their start');
    // "Writer joined the room" is stored too, as a JOIN: only what people wrote is searched.
    assert.deepEqual(texts(await search(fx.client, { room_id: 'docs', query: 'joined' })), ['joined in spirit']);
    assert.deepEqual(texts(await search(fx.client, { room_id: 'nowhere', query: 'deploy' })), [], 'a room with no history');
    w.leave();
    o.leave();
  });

  it('pages back with next_before_seq until there is no more', async () => {
    const w = join(fx.client, 'Pager', 'paging');
    for (let i = 1; i <= 25; i++) w.say(`needle ${i}${i % 5 === 0 ? '' : ' and hay'}`);
    await w.waitForText('needle 25');
    const seen: string[] = [];
    let before = 0;
    let calls = 0;
    for (;;) {
      const page = await search(fx.client, { room_id: 'paging', query: 'needle', before_seq: before, limit: 10 });
      calls++;
      seen.push(...texts(page));
      if (!page.more) break;
      before = Number(page.next_before_seq);
      assert.equal(before, page.messages.at(-1)?.seq, 'the next page starts after the last match given');
    }
    assert.equal(calls, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `needle ${25 - i}${(25 - i) % 5 === 0 ? '' : ' and hay'}`));
    const alone = await search(fx.client, { room_id: 'paging', query: 'needle', limit: 5000 });
    assert.equal(alone.messages.length, 25, 'a large limit is capped, not refused');
    const mid = await search(fx.client, { room_id: 'paging', query: 'needle 1', before_seq: alone.messages[10]?.seq ?? 0 });
    assert.deepEqual(texts(mid), ['needle 14 and hay', 'needle 13 and hay', 'needle 12 and hay', 'needle 11 and hay', 'needle 10', 'needle 1 and hay']);
    w.leave();
  });

  it('reads nothing in a query as search syntax', async () => {
    const w = join(fx.client, 'Quoter', 'syntax');
    w.say('she said "a OR b*" literally');
    w.say('NEAR(x y) and col:umn');
    await w.waitForText('NEAR(x y) and col:umn');
    assert.deepEqual(texts(await search(fx.client, { room_id: 'syntax', query: '"a OR b*' })), ['she said "a OR b*" literally']);
    assert.deepEqual(texts(await search(fx.client, { room_id: 'syntax', query: 'NEAR(x' })), ['NEAR(x y) and col:umn']);
    for (const q of ['a AND', 'x"*', '{body}: x', '^near', 'col:', '-she', 'NOT said']) {
      await search(fx.client, { room_id: 'syntax', query: q }).catch((e: grpc.ServiceError) => assert.fail(`${q}: ${e.details}`));
    }
    // The index keys each room by a token; naming another room's token finds nothing there.
    const token = `r${Buffer.from('docs').toString('hex')}`;
    assert.deepEqual(texts(await search(fx.client, { room_id: 'syntax', query: `room : "${token}"` })), []);
    assert.deepEqual(texts(await search(fx.client, { room_id: 'syntax', query: token })), []);
    w.leave();
  });

  it('refuses an empty or too long query and a bad room with INVALID_ARGUMENT', async () => {
    await rejectsWith(search(fx.client, { room_id: 'docs', query: '' }), grpc.status.INVALID_ARGUMENT, /no words to search for/);
    await rejectsWith(search(fx.client, { room_id: 'docs', query: '  *** "" ' }), grpc.status.INVALID_ARGUMENT, /no words to search for/);
    await rejectsWith(search(fx.client, { room_id: 'docs', query: 'x'.repeat(257) }), grpc.status.INVALID_ARGUMENT, /257 characters long; the limit is 256/);
    await rejectsWith(search(fx.client, { room_id: 'bad room', query: 'x' }), grpc.status.INVALID_ARGUMENT, /invalid room/);
  });
});

describe('SearchHistory with accounts', () => {
  it('needs a valid token, as GetHistory does', async (t) => {
    const tmp = tempDir();
    const users = path.join(tmp.dir, 'users.json');
    const token = await addUser(users, 'Alice');
    const server = await startServer({ users });
    const client = connect(server.target);
    t.after(async () => {
      client.close();
      await server.stop();
      tmp.cleanup();
    });
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    const alice = new Chatter(client, { username: 'Alice', room_id: 'vip', type: 'JOIN', user_id: 'a' }, md);
    alice.say('members only secret');
    await alice.waitForText('members only secret');
    await rejectsWith(search(client, { room_id: 'vip', query: 'secret' }), grpc.status.UNAUTHENTICATED, /needs an account/);
    const bad = new grpc.Metadata();
    bad.set('authorization', `Bearer ${token.split('.')[0]}.wrong`);
    await rejectsWith(search(client, { room_id: 'vip', query: 'secret' }, bad), grpc.status.UNAUTHENTICATED, /not valid/);
    assert.deepEqual(texts(await search(client, { room_id: 'vip', query: 'secret' }, md)), ['members only secret']);
    alice.leave();
  });
});
