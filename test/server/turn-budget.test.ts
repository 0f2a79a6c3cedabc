// The time budget rooms share per turn of the event loop (server/turn-budget.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnBudget } from '../../server/turn-budget.js';
import { sleep } from '../helpers.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Counts turns of the event loop (one per check phase) and the longest gap between two. */
function heartbeat(): { turn(): number; stop(): number } {
  let turns = 0;
  let last = performance.now();
  let longest = 0;
  let on = true;
  const beat = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    turns++;
    if (on) setImmediate(beat);
  };
  setImmediate(beat);
  return {
    turn: () => turns,
    stop: () => {
      on = false;
      // The stretch since the last beat counts too (work that never let the loop turn).
      return Math.max(longest, performance.now() - last);
    },
  };
}

describe('turn budget', () => {
  it('spreads synchronous work over turns, in the order asked, with the loop turning between', async () => {
    const budget = new TurnBudget(8);
    const beat = heartbeat();
    const ran: number[] = [];
    const turnsSeen = new Set<number>();
    // 50 pieces of 3 ms: 150 ms of work that would otherwise run in one turn.
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        budget.turn().then(() => {
          busy(3);
          ran.push(i);
          turnsSeen.add(beat.turn());
        }),
      ),
    );
    const longest = beat.stop();
    assert.deepEqual(ran, Array.from({ length: 50 }, (_, i) => i));
    assert.ok(turnsSeen.size >= 8, `spread over ${turnsSeen.size} turns`);
    // A slice is 8 ms plus the piece that crosses it; at worst two slices meet in one turn.
    assert.ok(longest < 75, `the loop turned at least every ${longest.toFixed(0)} ms`);
    assert.equal(budget.waiting, 0);
  });

  it('counts what a piece does in its microtasks, and lets a piece that waits on I/O hold nothing', async () => {
    const budget = new TurnBudget(8);
    const beat = heartbeat();
    // Each piece's work comes after an await, as a room's chain does with a synchronous store.
    const chained = Array.from({ length: 20 }, () =>
      budget
        .turn()
        .then(() => Promise.resolve())
        .then(() => busy(5)),
    );
    await Promise.all(chained);
    assert.ok(beat.stop() < 75, 'microtask work is within the budget');
    // Ten pieces that each wait 30 ms (a network round trip): they overlap.
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 10 }, () => budget.turn().then(() => sleep(30))));
    const took = performance.now() - t0;
    assert.ok(took < 200, `waiting pieces overlap (${took.toFixed(0)} ms for ten of 30 ms)`);
  });

  it('keeps up with a storm: tens of thousands of pieces queued at once cost no more each', async () => {
    const budget = new TurnBudget(8);
    const n = 60_000;
    let done = 0;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      for (let i = 0; i < n; i++) budget.defer(() => void (++done === n && resolve()));
    });
    const took = performance.now() - t0;
    // About 0.1 s here; taking the first of a 60,000-long array one at a time took 1.8 s.
    assert.ok(took < 800, `${n} pieces in ${took.toFixed(0)} ms`);
    assert.equal(budget.waiting, 0);
  });
});
