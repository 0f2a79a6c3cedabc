// admit(): the rules a stream's first message must pass, checked without a
// server; and Admission, the bookkeeping those rules read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit, type AdmitContext, type FirstMessage } from '../../server/admit.js';
import { Admission } from '../../server/admission.js';
import type { Identity } from '../../server/types.js';

const first = (username: string, room_id = 'general', user_id = ''): FirstMessage => ({ username, room_id, user_id });

function context(here = new Admission({ maxRoomsPerUser: 2, maxStreamsPerConnection: 3 }), tokenName: string | null = null): AdmitContext {
  let n = 0;
  return { tokenName, here, newUserId: () => `made-up-${++n}` };
}

function admitted(result: ReturnType<typeof admit>): Identity {
  if (!result.ok) assert.fail(`refused: ${result.refusal.code} ${result.refusal.details}`);
  return result.identity;
}

function refused(result: ReturnType<typeof admit>): string {
  if (result.ok) assert.fail(`admitted ${JSON.stringify(result.identity)}`);
  return `${result.refusal.code}: ${result.refusal.details}`;
}

describe('admit', () => {
  it('makes an identity from the first message: trimmed name, room without #, the general room for none', () => {
    assert.deepEqual(admitted(admit(first('  Alice ', '#dev', 'a-1'), context())), { username: 'Alice', userId: 'a-1', room: 'dev' });
    assert.deepEqual(admitted(admit(first('Bob', '  '), context())), { username: 'Bob', userId: 'made-up-1', room: 'general' });
  });

  it('refuses a bad username, room or user_id with INVALID_ARGUMENT, checking them in that order', () => {
    assert.match(refused(admit(first(''), context())), /^INVALID_ARGUMENT: invalid username: username is empty/);
    assert.match(refused(admit(first('', 'a/b'), context())), /invalid username/);
    assert.match(refused(admit(first('Alice', 'a/b'), context())), /^INVALID_ARGUMENT: invalid room: room name 'a\/b' may only/);
    assert.match(refused(admit(first('Alice', 'ok', 'x'.repeat(129)), context())), /^INVALID_ARGUMENT: invalid user_id: user_id is longer than 128/);
    assert.match(refused(admit(first('Alice', 'ok', 'a\u0007'), context())), /invalid user_id: user_id contains control characters/);
  });

  it('with a token, a second client of the same account speaks as the identity already holding the name; without, it is refused', () => {
    const here = new Admission({ maxRoomsPerUser: 2, maxStreamsPerConnection: 3 });
    here.enter({ username: 'Alice', userId: 'session-id', room: 'general' });
    assert.deepEqual(admitted(admit(first('alice', 'general', 'seed-id'), context(here, 'Alice'))), { username: 'alice', userId: 'session-id', room: 'general' });
    assert.match(refused(admit(first('alice', 'general', 'seed-id'), context(here))), /^ALREADY_EXISTS: the name 'alice' is in use/);
  });

  it("lets a token speak only as its own name (case ignored), after the input checks", () => {
    const ctx = context(undefined, 'alice');
    assert.equal(admitted(admit(first('ALICE'), ctx)).username, 'ALICE');
    assert.equal(
      refused(admit(first('Mallory'), ctx)),
      "PERMISSION_DENIED: this token belongs to 'alice'; it cannot speak as 'Mallory'",
    );
    assert.match(refused(admit(first('Mallory', '#'), ctx)), /^INVALID_ARGUMENT: invalid room/);
  });

  it('gives a name held here to its own user_id only, ignoring case', () => {
    const here = new Admission({ maxRoomsPerUser: 5, maxStreamsPerConnection: 5 });
    here.enter({ username: 'Alice', userId: 'a-1', room: 'general' });
    assert.deepEqual(admitted(admit(first('alice', 'other', 'a-1'), context(here))), { username: 'alice', userId: 'a-1', room: 'other' });
    assert.equal(
      refused(admit(first('ALICE', 'general', 'a-2'), context(here))),
      "ALREADY_EXISTS: the name 'ALICE' is in use by someone else right now; choose another name",
    );
    // A client without a user_id gets a fresh one, which never matches the holder's.
    assert.match(refused(admit(first('Alice'), context(here))), /^ALREADY_EXISTS/);
    // Free again once its last stream here has ended.
    here.leave({ username: 'Alice', userId: 'a-1', room: 'general' });
    assert.equal(admitted(admit(first('Alice', 'general', 'a-2'), context(here))).userId, 'a-2');
  });

  it('caps the rooms one user may be in, but not more streams to a room already joined', () => {
    const here = new Admission({ maxRoomsPerUser: 2, maxStreamsPerConnection: 5 });
    const ctx = context(here);
    for (const room of ['one', 'two']) here.enter(admitted(admit(first('Alice', room, 'a-1'), ctx)));
    assert.equal(
      refused(admit(first('Alice', 'three', 'a-1'), ctx)),
      'RESOURCE_EXHAUSTED: you are in 2 rooms, the most one user may be in; leave one first',
    );
    assert.equal(admitted(admit(first('Alice', 'two', 'a-1'), ctx)).room, 'two');
    // The cap is per user: someone else may still join a third room.
    assert.equal(admitted(admit(first('Bob', 'three', 'b-1'), ctx)).room, 'three');
  });

  it('changes nothing: the same question gets the same answer', () => {
    const here = new Admission({ maxRoomsPerUser: 1, maxStreamsPerConnection: 5 });
    const ctx = context(here);
    admit(first('Alice', 'one', 'a-1'), ctx);
    admit(first('Alice', 'two', 'a-1'), ctx);
    assert.equal(here.empty, true, 'admit records nothing; the stream does, once admitted');
  });
});

describe('Admission', () => {
  it('counts streams per identity and frees the name with the last one', () => {
    const here = new Admission({ maxRoomsPerUser: 5, maxStreamsPerConnection: 5 });
    const inGeneral = { username: 'Alice', userId: 'a-1', room: 'general' };
    const inDev = { ...inGeneral, room: 'dev' };
    here.enter(inGeneral);
    here.enter(inGeneral);
    here.enter(inDev);
    assert.deepEqual([...here.roomsOf('a-1')], [['general', 2], ['dev', 1]]);
    assert.equal(here.leave(inGeneral), false);
    assert.equal(here.leave(inDev), false);
    assert.equal(here.holds('ALICE', 'a-1'), true);
    assert.equal(here.leave(inGeneral), true, 'the last stream frees the name');
    assert.equal(here.nameHolder('alice'), undefined);
    assert.equal(here.empty, true);
  });

  it('caps the streams one connection may hold, and counts a closed one back', () => {
    const here = new Admission({ maxRoomsPerUser: 5, maxStreamsPerConnection: 2 });
    assert.equal(here.openStream('peer-1'), null);
    assert.equal(here.openStream('peer-1'), null);
    assert.deepEqual(here.openStream('peer-1'), {
      code: 'RESOURCE_EXHAUSTED',
      details: 'too many chat streams on one connection (the limit is 2); close some first',
    });
    assert.equal(here.openStream('peer-2'), null, 'per connection');
    here.closeStream('peer-1');
    assert.equal(here.openStream('peer-1'), null);
    for (const peer of ['peer-1', 'peer-1', 'peer-2']) here.closeStream(peer);
    assert.equal(here.empty, true);
  });
});
