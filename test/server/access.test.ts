// Issue 13 access rules without a server: who may see a direct room, who a
// unary call is, which direct ids checkRoom keeps, admit() on direct rooms,
// and memberList's merge of presence, away and offline members.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directRoomId } from '../../protos/rules.js';
import { canSee, claimedName, roomAccess, unaryCaller, USER_HEADER } from '../../server/access.js';
import { admit } from '../../server/admit.js';
import { Admission } from '../../server/admission.js';
import { memberList } from '../../server/member-list.js';
import { MemoryUsers } from '../../server/store/memory-users.js';
import type { MemberInfo } from '../../server/types.js';
import { checkRoom } from '../../server/validate.js';

function header(value?: string): grpc.Metadata {
  const md = new grpc.Metadata();
  if (value !== undefined) md.set(USER_HEADER, value);
  return md;
}

describe('roomAccess', () => {
  const dm = directRoomId('Alice', 'Bob');

  it('leaves rooms with names open to anyone, named or not', () => {
    assert.equal(roomAccess('general', null), null);
    assert.equal(roomAccess('general', 'carol'), null);
    assert.equal(canSee('dev', null), true);
  });

  it('lets the two participants of a direct room in, whatever case they spell their names in', () => {
    assert.equal(dm, '@alice/bob');
    for (const who of ['alice', 'Alice', ' BOB ']) assert.equal(roomAccess(dm, who), null, who);
    const odd = directRoomId('Zoë', 'a b');
    assert.equal(roomAccess(odd, 'ZOË'), null);
    assert.equal(roomAccess(odd, 'a b'), null);
  });

  it('refuses anyone else, and a caller who said no name, with PERMISSION_DENIED in plain words', () => {
    assert.deepEqual(roomAccess(dm, 'carol'), {
      code: 'PERMISSION_DENIED',
      details: "'@alice/bob' is a private conversation between alice and bob; only they can see it",
    });
    assert.deepEqual(roomAccess(dm, null), {
      code: 'PERMISSION_DENIED',
      details: "'@alice/bob' is a private conversation between alice and bob; this call does not say who you are (send your name in the x-chat-user header)",
    });
    // A name that merely contains a participant's is someone else.
    assert.equal(roomAccess(dm, 'alice2')?.code, 'PERMISSION_DENIED');
    assert.equal(canSee(dm, 'carol'), false);
    assert.equal(canSee(dm, 'bob'), true);
  });

  it('refuses an @ id that is no direct room at all, even to a name it mentions', () => {
    assert.equal(roomAccess('@bob/alice', 'alice')?.code, 'PERMISSION_DENIED');
    assert.equal(roomAccess('@alice', 'alice')?.code, 'PERMISSION_DENIED');
  });
});

describe("a unary call's identity", () => {
  it('reads x-chat-user without accounts: trimmed, checked, absent or blank is nobody', () => {
    assert.deepEqual(claimedName(header('  Alice ')), { ok: true, value: 'Alice' });
    assert.deepEqual(claimedName(header()), { ok: true, value: null });
    assert.deepEqual(claimedName(header('   ')), { ok: true, value: null });
    const long = claimedName(header('x'.repeat(33)));
    assert.deepEqual(long, { ok: false, error: 'invalid x-chat-user header: username is 33 characters long; the limit is 32' });
  });

  it("takes the token's name with accounts, whatever the header claims", () => {
    assert.deepEqual(unaryCaller(header('alice'), 'carol'), { ok: true, value: 'carol' });
    assert.deepEqual(unaryCaller(header(), 'carol'), { ok: true, value: 'carol' });
    assert.deepEqual(unaryCaller(header('alice'), null), { ok: true, value: 'alice' });
  });
});

describe('checkRoom and direct rooms', () => {
  it('keeps a valid direct room id as it is', () => {
    for (const id of ['@alice/bob', directRoomId('Zoë', 'a b'), directRoomId('x', 'x')]) {
      assert.deepEqual(checkRoom(id), { ok: true, value: id });
    }
    assert.deepEqual(checkRoom('  @alice/bob '), { ok: true, value: '@alice/bob' });
  });

  it('refuses an @ id that directRoomId would not make, saying what one looks like', () => {
    for (const id of ['@', '@alice', '@bob/alice', '@Alice/bob', '@alice/bob/carol', '@alice/', '@%zz/bob', '@ alice/bob']) {
      const checked = checkRoom(id);
      assert.equal(checked.ok, false, id);
      if (!checked.ok) assert.match(checked.error, /is not a direct conversation id: those are '@' and the two lower-cased names/, id);
    }
  });

  it('refuses a direct room of a name no one may have', () => {
    const id = directRoomId('a\u0007b', 'bob');
    const checked = checkRoom(id);
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.match(checked.error, /names an impossible user: username contains control characters/);
    assert.equal(checkRoom(directRoomId('x'.repeat(33), 'bob')).ok, false);
  });

  it('still refuses @ inside a room name', () => {
    assert.equal(checkRoom('#@alice/bob').ok, false);
    assert.equal(checkRoom('a@b').ok, false);
  });
});

describe('admit and direct rooms', () => {
  const ctx = (tokenName: string | null = null) => ({
    tokenName,
    here: new Admission({ maxRoomsPerUser: 5, maxStreamsPerConnection: 5 }),
    newUserId: () => 'made-up',
  });

  it('admits a participant to a direct room like to any room', () => {
    const result = admit({ username: 'Alice', room_id: '@alice/bob', user_id: 'a-1' }, ctx());
    assert.deepEqual(result, { ok: true, identity: { username: 'Alice', userId: 'a-1', room: '@alice/bob' } });
    assert.equal(admit({ username: 'bob', room_id: '@alice/bob', user_id: '' }, ctx('Bob')).ok, true);
  });

  it('refuses anyone else with PERMISSION_DENIED, and a bad @ id with INVALID_ARGUMENT', () => {
    const carol = admit({ username: 'Carol', room_id: '@alice/bob', user_id: '' }, ctx());
    assert.deepEqual(carol, {
      ok: false,
      refusal: { code: 'PERMISSION_DENIED', details: "'@alice/bob' is a private conversation between alice and bob; only they can see it" },
    });
    const bad = admit({ username: 'Alice', room_id: '@bob/alice', user_id: '' }, ctx());
    assert.equal(bad.ok ? 'admitted' : bad.refusal.code, 'INVALID_ARGUMENT');
  });
});

describe('memberList', () => {
  const live = (...names: string[]): MemberInfo[] => names.map((n) => ({ user_id: `${n}-id`, username: n }));
  const presence = (members: MemberInfo[]) => ({ members: () => Promise.resolve(members) });

  it('lists live members ONLINE or AWAY with their reason, and with includeOffline the rest of the room OFFLINE', async () => {
    const users = new MemoryUsers();
    for (const name of ['zed', 'Alice', 'carol', 'Bob']) await users.addRoom(name, 'lounge');
    await users.addRoom('Mallory', 'elsewhere');
    await users.setAway('bob', 'lunch');
    await users.setAway('zed', 'asleep');
    const sources = { presence: presence(live('Alice', 'Bob', 'Dan')), users };

    assert.deepEqual(await memberList('lounge', sources, false), [
      { user_id: 'Alice-id', username: 'Alice', presence: 'ONLINE', away_reason: '' },
      { user_id: 'Bob-id', username: 'Bob', presence: 'AWAY', away_reason: 'lunch' },
      { user_id: 'Dan-id', username: 'Dan', presence: 'ONLINE', away_reason: '' },
    ]);
    const all = await memberList('lounge', sources, true);
    assert.deepEqual(
      all.map((m) => `${m.username} ${m.presence} ${m.away_reason}`),
      ['Alice ONLINE ', 'Bob AWAY lunch', 'Dan ONLINE ', 'carol OFFLINE ', 'zed OFFLINE '],
      'live ones once each, then offline ones by name; an away user with no stream is offline',
    );
    assert.equal(all.find((m) => m.username === 'carol')?.user_id, '');
  });

  it('is empty for a room nobody is in or keeps', async () => {
    assert.deepEqual(await memberList('void', { presence: presence([]), users: new MemoryUsers() }, true), []);
  });

  it('sees a live member as live whatever case the room list spells the name in', async () => {
    const users = new MemoryUsers();
    await users.addRoom('ALICE', 'lounge');
    const list = await memberList('lounge', { presence: presence(live('alice')), users }, true);
    assert.deepEqual(list.map((m) => `${m.username} ${m.presence}`), ['alice ONLINE']);
  });
});
