// chat-tui's command line: flags, the seed's positional form, server lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs } from '../../tui/args.js';

describe('chat-tui arguments', () => {
  it('takes flags or the seed client\'s positional form', () => {
    assert.deepEqual(parseArgs(['--user', 'Alice', '--room', 'dev']), { user: 'Alice', room: 'dev', servers: ['localhost:50051'], tls: false });
    assert.deepEqual(parseArgs(['Bob', 'ops', 'h:1', '--ca', 'c.pem']), { user: 'Bob', room: 'ops', servers: ['h:1'], tls: true, ca: 'c.pem' });
  });

  it('accepts several servers, repeated or comma-separated, in the order given', () => {
    assert.deepEqual(parseArgs(['-u', 'A', '--server', 'a:1,b:2']).servers, ['a:1', 'b:2']);
    assert.deepEqual(parseArgs(['-u', 'A', '--server', 'a:1', '-s', 'b:2', '--server', ' c:3 , ']).servers, ['a:1', 'b:2', 'c:3']);
    assert.deepEqual(parseArgs(['A', 'general', 'x:1,y:2']).servers, ['x:1', 'y:2']);
  });
});
