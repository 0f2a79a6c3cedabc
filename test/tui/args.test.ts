// chat-tui's command line: flags, the seed's positional form, server lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs } from '../../tui/args.js';

describe('chat-tui arguments', () => {
  it('takes flags or the seed client\'s positional form', () => {
    assert.deepEqual(parseArgs(['--user', 'Alice', '--room', 'dev']), { user: 'Alice', room: 'dev', servers: ['localhost:50051'], tls: false, timeoutMs: 30_000, history: 0 });
    assert.deepEqual(parseArgs(['Bob', 'ops', 'h:1', '--ca', 'c.pem']), { user: 'Bob', room: 'ops', servers: ['h:1'], tls: true, ca: 'c.pem', timeoutMs: 30_000, history: 0 });
  });

  it('takes the one-shot and line-mode flags: --send, --history, --timeout', () => {
    const a = parseArgs(['-u', 'deploy', '-r', 'ops', '--send', 'build 123 is green', '--history', '5', '--timeout', '3']);
    assert.deepEqual([a.send, a.history, a.timeoutMs], ['build 123 is green', 5, 3000]);
    assert.equal(parseArgs(['-u', 'x', '--send', '-']).send, '-');
    assert.throws(() => parseArgs(['-u', 'x', '--timeout', 'soon']), /--timeout must be a whole number/);
  });

  it('accepts several servers, repeated or comma-separated, in the order given', () => {
    assert.deepEqual(parseArgs(['-u', 'A', '--server', 'a:1,b:2']).servers, ['a:1', 'b:2']);
    assert.deepEqual(parseArgs(['-u', 'A', '--server', 'a:1', '-s', 'b:2', '--server', ' c:3 , ']).servers, ['a:1', 'b:2', 'c:3']);
    assert.deepEqual(parseArgs(['A', 'general', 'x:1,y:2']).servers, ['x:1', 'y:2']);
  });
});
