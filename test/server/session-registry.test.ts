// Issue 13/14: the session registry's bookkeeping of users: one session or
// several per user, and the OFFLINE grace, which starts the moment a user's
// last session is forgotten. A reconnect storm queues the new session's hello
// ahead of the old session's leaving; the user must then count as returning
// (nobody told), not as a newcomer (ONLINE to every member of every room).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalBus } from '../../server/local-bus.js';
import { SessionRegistry, type SessionHandle } from '../../server/session-registry.js';
import type { UserEvent } from '../../server/types.js';

function handle(userKey: string): SessionHandle & { events: UserEvent[]; signals: number } {
  return {
    userKey,
    events: [],
    signals: 0,
    userEvent(event) {
      this.events.push(event);
    },
    signal() {
      this.signals++;
    },
  };
}

describe('SessionRegistry', () => {
  const encode = (): Buffer => Buffer.from([0x0a, 0]);
  /** The local bus delivers in a microtask. */
  const delivered = (): Promise<void> => Promise.resolve();

  it('a session that starts right after its user ended the last one is a return, and no OFFLINE is owed', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const registry = new SessionRegistry(new LocalBus(), encode);
    const old = handle('ann');
    assert.equal(registry.add(old), false, 'the first session is no return');
    let offline = 0;
    assert.equal(
      registry.remove(old, [], () => offline++),
      true,
      'the last session of the user',
    );
    // The new hello runs before anything else of the old session's end.
    const next = handle('ann');
    assert.equal(registry.add(next), true, 'within the grace: a return');
    assert.equal(registry.sessionsOf('ann'), 1);
    t.mock.timers.tick(60_000);
    assert.equal(offline, 0);
  });

  it('a hello reached only after the grace, before the OFFLINE is decided, is still a return (nothing told)', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const registry = new SessionRegistry(new LocalBus(), encode);
    const old = handle('dee');
    registry.add(old);
    let offline = 0;
    registry.remove(old, [], () => offline++);
    t.mock.timers.tick(60_000);
    assert.equal(offline, 1, 'the grace is over: the OFFLINE is being decided');
    assert.equal(registry.awaitingOffline('dee'), true);
    assert.equal(registry.add(handle('dee')), true, 'a return');
    assert.equal(registry.awaitingOffline('dee'), false);
    assert.equal(registry.settleDeparture('dee'), false, 'no OFFLINE owed any more');
  });

  it('a hello received within the grace but through only after it: a return; one that comes to nothing: OFFLINE then', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const registry = new SessionRegistry(new LocalBus(), encode);
    for (const [user, through] of [
      ['eve', 'started'],
      ['fay', 'refused'],
    ] as const) {
      const old = handle(user);
      registry.add(old);
      let offline = 0;
      registry.remove(old, [], () => offline++);
      registry.arrive(user);
      t.mock.timers.tick(60_000);
      assert.equal(offline, 0, `${user}: a hello is on its way`);
      assert.equal(registry.awaitingOffline(user), false);
      if (through === 'started') {
        assert.equal(registry.add(handle(user)), true, 'a return');
        registry.arrived(user);
        assert.equal(offline, 0);
      } else {
        registry.arrived(user);
        assert.equal(offline, 1, 'decided once the hello came to nothing');
        assert.equal(registry.settleDeparture(user), true);
      }
    }
  });

  it('OFFLINE is owed once the grace passes with no session of the user', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const registry = new SessionRegistry(new LocalBus(), encode);
    const s = handle('bo');
    registry.add(s);
    let offline = 0;
    registry.remove(s, [], () => offline++);
    t.mock.timers.tick(1000);
    assert.equal(offline, 0, 'not within the grace');
    t.mock.timers.tick(60_000);
    assert.equal(offline, 1);
    assert.equal(registry.settleDeparture('bo'), true, 'nothing changed: told');
    assert.equal(registry.add(handle('bo')), false, 'a session after the OFFLINE is no return');
  });

  it('several sessions of one user: each gets the user events; only the last one out starts the grace', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const bus = new LocalBus();
    const registry = new SessionRegistry(bus, encode);
    const [a, b, c] = [handle('cy'), handle('cy'), handle('cy')];
    registry.add(a);
    registry.add(b);
    registry.add(c);
    assert.equal(registry.sessionsOf('cy'), 3);
    bus.publish({ to: 'user', event: { t: 'read', user: 'Cy', room: 'r', seq: 4 } });
    await delivered();
    assert.deepEqual([a.events.length, b.events.length, c.events.length], [1, 1, 1]);
    let offline = 0;
    assert.equal(registry.remove(a, [], () => offline++), false);
    assert.equal(registry.remove(b, [], () => offline++), false);
    assert.equal(registry.sessionsOf('cy'), 1);
    bus.publish({ to: 'user', event: { t: 'read', user: 'cy', room: 'r', seq: 5 } });
    await delivered();
    assert.deepEqual([a.events.length, b.events.length, c.events.length], [1, 1, 2]);
    assert.equal(registry.remove(c, [], () => offline++), true);
    assert.equal(registry.sessionsOf('cy'), 0);
    t.mock.timers.tick(60_000);
    assert.equal(offline, 1);
  });

  it('a room signal reaches the sessions in its room but not those of the user it is about', async () => {
    const bus = new LocalBus();
    const registry = new SessionRegistry(bus, encode);
    const [me, you, away] = [handle('me'), handle('you'), handle('away')];
    for (const s of [me, you, away]) registry.add(s);
    registry.enterRoom('r', me);
    registry.enterRoom('r', you);
    bus.publish({ to: 'room', signal: { t: 'typing', room: 'r', username: 'Me', typing: true } });
    await delivered();
    assert.deepEqual([me.signals, you.signals, away.signals], [0, 1, 0]);
  });
});
