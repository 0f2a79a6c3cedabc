// chat-tui's command line: flags, the seed's positional form, server lists.
// (The config file and the environment: config.test.ts.)
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CommanderError, parseArgs, type ParseOptions } from '../../tui/args.js';
import { DEFAULT_SETTINGS } from '../../tui/config.js';
import { tempDir } from '../helpers.js';

// No config file and no CHAT_* variables: only the command line counts.
const tmp = tempDir();
after(() => tmp.cleanup());
const bare: ParseOptions = { env: {}, home: tmp.dir };
const parse = (argv: string[]) => parseArgs(argv, bare);

describe('chat-tui arguments', () => {
  it('takes flags or the seed client\'s positional form', () => {
    assert.deepEqual(parse(['--user', 'Alice', '--room', 'dev']), { user: 'Alice', room: 'dev', servers: ['localhost:50051'], tls: false, settings: DEFAULT_SETTINGS, timeoutMs: 30_000, history: 0 });
    assert.deepEqual(parse(['Bob', 'ops', 'h:1', '--ca', 'c.pem']), { user: 'Bob', room: 'ops', servers: ['h:1'], tls: true, ca: 'c.pem', settings: DEFAULT_SETTINGS, timeoutMs: 30_000, history: 0 });
  });

  it('takes the one-shot and line-mode flags: --send, --history, --timeout', () => {
    const a = parse(['-u', 'deploy', '-r', 'ops', '--send', 'build 123 is green', '--history', '5', '--timeout', '3']);
    assert.deepEqual([a.send, a.history, a.timeoutMs], ['build 123 is green', 5, 3000]);
    assert.equal(parse(['-u', 'x', '--send', '-']).send, '-');
    assert.throws(() => parseArgs(['-u', 'x', '--timeout', 'soon'], { ...bare, writeErr: () => undefined }), /--timeout must be a whole number/);
  });

  it('accepts several servers, repeated or comma-separated, in the order given', () => {
    assert.deepEqual(parse(['-u', 'A', '--server', 'a:1,b:2']).servers, ['a:1', 'b:2']);
    assert.deepEqual(parse(['-u', 'A', '--server', 'a:1', '-s', 'b:2', '--server', ' c:3 , ']).servers, ['a:1', 'b:2', 'c:3']);
    assert.deepEqual(parse(['A', 'general', 'x:1,y:2']).servers, ['x:1', 'y:2']);
  });

  it('asks for a name in one line plus the usage hint, exit code 2', () => {
    let err = '';
    assert.throws(
      () => parseArgs([], { ...bare, writeErr: (s) => (err += s) }),
      (e: unknown) => e instanceof CommanderError && e.exitCode === 2,
    );
    assert.equal(err, 'error: a name is required: chat-tui --user NAME (or chat-tui NAME, CHAT_USER, or user = "NAME" in the config file)\n(run chat-tui --help for usage)\n');
  });
});
