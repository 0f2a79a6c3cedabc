// One stream's outgoing queue (server/outbox.ts) against a sink that stands in
// for grpc-js's Writable: how much it hands over, what it keeps, in what order.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { Outbox, WINDOW, type Sink } from '../../server/outbox.js';
import type { Encoded } from '../../server/wire.js';

/** A Writable-like sink: everything written waits until flush() (a 'drain' after). */
class FakeSink extends EventEmitter implements Sink {
  readonly written: string[] = [];
  private waiting = 0;
  get writableLength(): number {
    return this.waiting;
  }
  write(chunk: Encoded): boolean {
    this.written.push(chunk.toString());
    this.waiting++;
    return this.waiting < 16;
  }
  flush(): void {
    this.waiting = 0;
    this.emit('drain');
  }
}

const msg = (s: string) => Buffer.from(s) as Encoded;
const range = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('outbox', () => {
  it('hands grpc-js at most WINDOW messages, keeps the rest in order until drain', () => {
    const sink = new FakeSink();
    const box = new Outbox(sink, 10_000, () => assert.fail('no overflow'));
    for (const m of range(WINDOW + 10)) box.send(msg(m));
    assert.deepEqual(sink.written, range(WINDOW));
    assert.equal(box.queued, 10);
    sink.flush();
    assert.deepEqual(sink.written, range(WINDOW + 10));
    assert.equal(box.queued, 0);
  });

  it('writes a replay ahead of live messages held meanwhile, and counts only live ones against the limit', () => {
    const sink = new FakeSink();
    let overflowed = 0;
    const box = new Outbox(sink, 3, (n) => (overflowed = n));
    box.hold();
    for (const m of range(3, 'live')) box.send(msg(m));
    for (const m of range(50, 'old')) box.replay(msg(m)); // over the limit, but history
    box.release();
    sink.flush();
    sink.flush();
    assert.deepEqual(sink.written, [...range(50, 'old'), ...range(3, 'live')]);
    assert.equal(overflowed, 0);
    // A reader that falls more than `limit` live messages behind is ended.
    for (let i = 0; i < WINDOW + 4; i++) box.send(msg(`x${i}`));
    assert.equal(overflowed, 4);
    assert.ok(box.isClosed);
  });

  it('says when everything is handed over, and drops what waits when closed', async () => {
    const sink = new FakeSink();
    const box = new Outbox(sink, 10_000, () => undefined);
    await box.idle(); // nothing queued: at once
    for (const m of range(WINDOW + 1)) box.send(msg(m));
    let idle = false;
    const waited = box.idle().then(() => (idle = true));
    await Promise.resolve();
    assert.equal(idle, false);
    sink.flush();
    await waited;
    assert.equal(box.queued, 0);
    for (const m of range(WINDOW + 5)) box.send(msg(m));
    assert.ok(box.queued > 0);
    const handed = sink.written.length;
    const closing = box.idle();
    box.close();
    await closing;
    sink.flush();
    box.send(msg('late'));
    assert.equal(sink.written.length, handed, 'what waited in the outbox, or came later, is not written after close');
  });
});
