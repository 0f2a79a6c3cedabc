// Issue 16: permissions.ts (pure): who may do what to a room, the sentences
// events read as, and what a policy refuses at each door; store/policy.ts's
// changes; the `operators` setting (flag, environment, config file list).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decide, entryRefusal, eventChange, listedFor, mutedFor, postRefusal, removal, type ModerationRequest } from '../../server/permissions.js';
import { parseConfig } from '../../server/config.js';
import { configToToml } from '../../server/print-config.js';
import { applyChange, emptyPolicy } from '../../server/store/policy.js';
import type { PolicyChange, RoomPolicy } from '../../server/store/types.js';
import { tempDir } from '../helpers.js';

const NOW = 1_700_000_000_000;

function policy(...changes: PolicyChange[]): RoomPolicy {
  return changes.reduce(applyChange, emptyPolicy());
}

const req = (action: string, subject = '', detail = '', minutes = 0): ModerationRequest => ({ action, subject, detail, minutes });
const ctx = (actor: string, p: RoomPolicy, serverOperators: string[] = []) => ({ room: 'lounge', actor, policy: p, serverOperators: new Set(serverOperators), now: NOW });

describe('permissions: who may moderate', () => {
  const room = policy({ t: 'op', user: 'alice' });

  it('refuses every act to a non-operator, in words naming the act', () => {
    const cases: Array<[string, string]> = [
      ['TOPIC', 'set the topic'],
      ['OP', 'make operators'],
      ['DEOP', 'remove operators'],
      ['KICK', 'kick'],
      ['BAN', 'ban'],
      ['UNBAN', 'unban'],
      ['MUTE', 'mute'],
      ['UNMUTE', 'unmute'],
      ['INVITE', 'invite'],
      ['PRIVATE', 'make the room invite-only or open it'],
    ];
    for (const [action, what] of cases) {
      const d = decide(req(action, 'Carol', 'on'), ctx('Bob', room));
      assert.deepEqual(d, { ok: false, code: 'PERMISSION_DENIED', details: `only an operator of #lounge can ${what}` }, action);
    }
  });

  it('lets anyone set the topic of a room without any operator, and nothing else', () => {
    const d = decide(req('TOPIC', '', 'hi'), ctx('Bob', emptyPolicy()));
    assert.ok(d.ok);
    assert.equal(decide(req('KICK', 'Carol'), ctx('Bob', emptyPolicy())).ok, false);
    // A server operator counts as an operator of every room.
    assert.equal(decide(req('TOPIC', '', 'hi'), ctx('Bob', emptyPolicy(), ['root'])).ok, false);
  });

  it('names operators case-insensitively; server operators moderate every room', () => {
    assert.ok(decide(req('TOPIC', '', 'x'), ctx('ALICE', room)).ok);
    assert.ok(decide(req('KICK', 'Carol'), ctx('Root', emptyPolicy(), ['root'])).ok);
  });

  it('makes the sentences every client reads, and the policy changes', () => {
    const cases: Array<[ModerationRequest, string, PolicyChange | null]> = [
      [req('TOPIC', '', 'release on Friday'), 'Alice set the topic: release on Friday', { t: 'topic', topic: 'release on Friday' }],
      [req('TOPIC', '', '  '), 'Alice cleared the topic', { t: 'topic', topic: '' }],
      [req('KICK', 'Carol', 'spam'), 'Carol was kicked by Alice (spam)', null],
      [req('KICK', 'Carol'), 'Carol was kicked by Alice', null],
      [req('BAN', 'Dan'), 'Dan was banned by Alice', { t: 'ban', user: 'dan', reason: '' }],
      [req('MUTE', 'Eve', '', 10), 'Eve was muted by Alice for 10 minutes', { t: 'mute', user: 'eve', until: NOW + 600_000 }],
      [req('MUTE', 'Eve', 'calm', 1), 'Eve was muted by Alice for 1 minute (calm)', { t: 'mute', user: 'eve', until: NOW + 60_000 }],
      [req('MUTE', 'Eve'), 'Eve was muted by Alice', { t: 'mute', user: 'eve', until: 0 }],
      [req('OP', 'Bob'), 'Alice made Bob an operator', { t: 'op', user: 'bob' }],
      [req('INVITE', 'Frank'), 'Alice invited Frank', { t: 'invite', user: 'frank' }],
      [req('PRIVATE', '', 'on'), 'Alice made the room invite-only', { t: 'private', on: true }],
    ];
    for (const [r, message, change] of cases) {
      const d = decide(r, ctx('Alice', room));
      assert.ok(d.ok, `${r.action}: ${!d.ok ? d.details : ''}`);
      assert.equal(d.event.message, message);
      assert.deepEqual(d.change, change, r.action);
      assert.equal(d.removes, r.action === 'KICK' || r.action === 'BAN');
      // Every server derives the same change from the stored event (a mute's end from the event's time).
      const fromEvent = eventChange({ type: 'EVENT', ...d.event, timestamp: NOW });
      assert.deepEqual(fromEvent, change, `${r.action} from its event`);
    }
  });

  it('refuses what makes no sense, saying why', () => {
    const banned = policy({ t: 'op', user: 'alice' }, { t: 'op', user: 'bob' }, { t: 'ban', user: 'dan', reason: '' });
    const cases: Array<[ModerationRequest, string, RegExp, string[]?]> = [
      [req('KICK', 'alice'), 'INVALID_ARGUMENT', /^you cannot kick yourself/],
      [req('BAN', 'Bob'), 'PERMISSION_DENIED', /^Bob is an operator of #lounge; \/deop them first$/],
      [req('MUTE', 'root'), 'PERMISSION_DENIED', /^root is an operator of every room on this server/, ['root']],
      [req('DEOP', 'root'), 'PERMISSION_DENIED', /only the config can change that/, ['root']],
      [req('BAN', 'Dan'), 'FAILED_PRECONDITION', /^Dan is already banned from #lounge$/],
      [req('UNBAN', 'Carol'), 'FAILED_PRECONDITION', /^Carol is not banned from #lounge$/],
      [req('UNMUTE', 'Carol'), 'FAILED_PRECONDITION', /^Carol is not muted in #lounge$/],
      [req('OP', 'BOB'), 'FAILED_PRECONDITION', /^BOB is already an operator of #lounge$/],
      [req('PRIVATE', '', 'maybe'), 'INVALID_ARGUMENT', /"on" or "off"/],
      [req('PRIVATE', '', 'off'), 'FAILED_PRECONDITION', /already open to everyone/],
      [req('MUTE', 'Carol', '', 600_000), 'INVALID_ARGUMENT', /a mute lasts/],
      [req('KICK', '   '), 'INVALID_ARGUMENT', /^who\? kick needs a user's name/],
      [req('TOPIC', '', 'x'.repeat(301)), 'INVALID_ARGUMENT', /the limit is 300/],
      [req('EDIT'), 'INVALID_ARGUMENT', /not something a moderate frame can do/],
    ];
    for (const [r, code, details, serverOps] of cases) {
      const d = decide(r, ctx('Alice', banned, serverOps));
      assert.ok(!d.ok, `${r.action} ${r.subject} should be refused`);
      assert.equal(d.code, code, `${r.action}: ${d.details}`);
      assert.match(d.details, details);
    }
    // A server operator may act on a room operator.
    assert.ok(decide(req('BAN', 'Bob'), ctx('root', banned, ['root'])).ok);
  });
});

describe('permissions: doors', () => {
  it('refuses the banned everywhere, with the reason', () => {
    const p = policy({ t: 'ban', user: 'eve', reason: 'spam' });
    assert.equal(entryRefusal('lounge', p, new Set(), 'EVE', { listed: true }), 'you are banned from #lounge (spam)');
    assert.equal(postRefusal('lounge', p, 'Eve', NOW), 'you are banned from #lounge (spam)');
    assert.equal(entryRefusal('lounge', p, new Set(), 'Bob', { listed: false }), null);
    assert.equal(entryRefusal('lounge', p, new Set(), null, { listed: false }), null, 'an anonymous call cannot be a banned user');
  });

  it('mutes: minutes left, no end, or run out', () => {
    const p = policy({ t: 'mute', user: 'frank', until: NOW + 90_000 }, { t: 'mute', user: 'gina', until: 0 }, { t: 'mute', user: 'hana', until: NOW - 1 });
    assert.equal(postRefusal('lounge', p, 'Frank', NOW), 'you are muted in #lounge (for 2 more minutes)');
    assert.equal(postRefusal('lounge', p, 'Frank', NOW + 60_000), 'you are muted in #lounge (for 1 more minute)');
    assert.equal(postRefusal('lounge', p, 'Frank', NOW + 90_000), null, 'ran out');
    assert.equal(postRefusal('lounge', p, 'gina', NOW + 1e12), 'you are muted in #lounge');
    assert.equal(mutedFor(p, 'hana', NOW), null);
    assert.equal(entryRefusal('lounge', p, new Set(), 'Frank', { listed: false }), null, 'a muted user may read');
  });

  it('invite-only: members, the invited and operators in; everyone else (and anonymous calls) out', () => {
    const p = policy({ t: 'private', on: true }, { t: 'invite', user: 'henry' }, { t: 'op', user: 'alice' });
    const ops = new Set(['root']);
    const inside = (user: string | null, listed = false) => entryRefusal('vault', p, ops, user, { listed }) === null;
    assert.ok(inside('Henry'), 'invited');
    assert.ok(inside('alice'), 'operator');
    assert.ok(inside('Root'), 'server operator');
    assert.ok(inside('Ivy', true), 'already a member');
    assert.ok(!inside('Ivy'));
    assert.match(entryRefusal('vault', p, ops, 'Ivy', { listed: false }) ?? '', /^#vault is invite-only; ask one of its operators to \/invite you$/);
    assert.match(entryRefusal('vault', p, ops, null, { listed: false }) ?? '', /does not say who you are/);
    assert.ok(!listedFor('vault', p, ops, 'Ivy', { listed: false }));
    assert.ok(listedFor('vault', p, ops, 'Henry', { listed: false }));
    assert.ok(listedFor('open', emptyPolicy(), ops, null, { listed: false }));
  });

  it('a delivered KICK or BAN names whom it removes and why; other messages remove nobody', () => {
    const base = { username: 'Alice', room_id: 'lounge' };
    assert.deepEqual(removal({ ...base, type: 'EVENT', action: 'KICK', subject: 'Carol', detail: 'spam' }), { user: 'carol', details: 'kicked from #lounge by Alice: spam' });
    assert.deepEqual(removal({ ...base, type: 'EVENT', action: 'BAN', subject: 'Dan', detail: '' }), { user: 'dan', details: 'banned from #lounge by Alice' });
    assert.equal(removal({ ...base, type: 'EVENT', action: 'MUTE', subject: 'Dan' }), null);
    assert.equal(removal({ ...base, type: 'TEXT', action: 'KICK', subject: 'Dan' }), null);
  });
});

describe('operators setting', () => {
  it('comes from --operators, CHAT_OPERATORS or a list in the config file, and prints back', () => {
    assert.deepEqual(parseConfig(['--operators', 'alice, Bob']).operators, ['alice', 'Bob']);
    assert.equal(parseConfig([]).operators, undefined);
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'chat-server.toml');
      writeFileSync(file, 'operators = ["alice", "bob"]\n');
      const config = parseConfig(['--config', file]);
      assert.deepEqual(config.operators, ['alice', 'bob']);
      assert.match(configToToml(config), /^operators = \[ "alice", "bob" \]$/m);
      writeFileSync(file, configToToml(config));
      assert.deepEqual(parseConfig(['--config', file]).operators, ['alice', 'bob'], 'the printed config reads back');
    } finally {
      cleanup();
    }
  });
});
