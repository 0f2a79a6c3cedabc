// chat-tui's config file with real files: where it is looked for, what it may
// say, how flags and the environment outrank it, and how each mistake reads.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { CommanderError, parseArgs, type ParseOptions, type TuiArgs } from '../../tui/args.js';
import { actionCommand, parseKeySpec } from '../../tui/bindings.js';
import { DEFAULT_SETTINGS, defaultConfigPath, formatTimestamp } from '../../tui/config.js';
import { Chatter, connect, tempDir } from '../helpers.js';
import { SERVER_BIN, startBinary, stopBinary } from '../processes.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let n = 0;

/** A fresh home with the given config.toml in $XDG_CONFIG_HOME/chat-tui (and other files beside it). */
function home(config: string | null, files: Record<string, [string, number]> = {}): { env: NodeJS.ProcessEnv; home: string; dir: string; file: string } {
  const h = path.join(tmp.dir, `home${n++}`);
  const dir = path.join(h, 'xdg', 'chat-tui');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.toml');
  if (config !== null) writeFileSync(file, config, { mode: 0o644 });
  for (const [name, [text, mode]] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), text);
    chmodSync(path.join(dir, name), mode);
  }
  return { env: { XDG_CONFIG_HOME: path.join(h, 'xdg') }, home: h, dir, file };
}

/** parseArgs, or the one error line and exit code it ends with. */
function run(argv: string[], where: { env: NodeJS.ProcessEnv; home: string }, extraEnv: NodeJS.ProcessEnv = {}): TuiArgs | { code: number; err: string } {
  let err = '';
  const opts: ParseOptions = { env: { ...where.env, ...extraEnv }, home: where.home, writeErr: (s) => (err += s), writeOut: () => undefined };
  try {
    return parseArgs(argv, opts);
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, err };
    throw e;
  }
}

/** The fields this file is about (other settings, e.g. line mode's, may sit beside them). */
const connection = ({ user, room, servers, tls, ca, token, settings, configFile }: TuiArgs) =>
  JSON.parse(JSON.stringify({ user, room, servers, tls, ca, token, settings, configFile })) as Partial<TuiArgs>;

function failure(r: ReturnType<typeof run>): { code: number; err: string } {
  assert.ok('code' in r, `expected an error, got ${JSON.stringify(r)}`);
  return r;
}
function ok(r: ReturnType<typeof run>): TuiArgs {
  assert.ok(!('code' in r), `expected arguments, got ${JSON.stringify(r)}`);
  return r;
}

describe('config file', () => {
  it('is found under $XDG_CONFIG_HOME, else ~/.config; a relative XDG_CONFIG_HOME is ignored', () => {
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: '/x' }, '/home/a'), '/x/chat-tui/config.toml');
    assert.equal(defaultConfigPath({}, '/home/a'), '/home/a/.config/chat-tui/config.toml');
    assert.equal(defaultConfigPath({ XDG_CONFIG_HOME: 'rel' }, '/home/a'), '/home/a/.config/chat-tui/config.toml');
  });

  it('gives server and token so that `chat-tui --user Alice` just works', () => {
    const h = home('server = ["chat1:1", "chat2:2"]\ntoken_file = "token"\n', { token: ['s3cret\n', 0o600] });
    const args = ok(run(['--user', 'Alice'], h));
    assert.deepEqual(connection(args), { user: 'Alice', servers: ['chat1:1', 'chat2:2'], tls: false, token: 's3cret', settings: DEFAULT_SETTINGS, configFile: h.file });
  });

  it('is optional where it is looked for by default, required when named', () => {
    const h = home(null);
    assert.deepEqual(connection(ok(run(['-u', 'A'], h))), { user: 'A', servers: ['localhost:50051'], tls: false, settings: DEFAULT_SETTINGS });
    const missing = path.join(h.dir, 'nope.toml');
    assert.deepEqual(failure(run(['-u', 'A', '--config', missing], h)), { code: 2, err: `error: ${missing}: cannot read the config file (ENOENT)\n` });
    assert.equal(failure(run(['-u', 'A'], h, { CHAT_CONFIG: missing })).code, 2);
  });

  it('ranks flags over the environment over the file', () => {
    const h = home('user = "FileUser"\nroom = "fileroom"\nserver = "file:1"\n');
    assert.deepEqual(
      (({ user, room, servers }) => ({ user, room, servers }))(ok(run([], h))),
      { user: 'FileUser', room: 'fileroom', servers: ['file:1'] },
    );
    const env = { CHAT_USER: 'EnvUser', CHAT_ROOM: 'envroom', CHAT_SERVER: 'env:1,env:2' };
    assert.deepEqual((({ user, room, servers }) => ({ user, room, servers }))(ok(run([], h, env))), { user: 'EnvUser', room: 'envroom', servers: ['env:1', 'env:2'] });
    assert.deepEqual(
      (({ user, room, servers }) => ({ user, room, servers }))(ok(run(['-u', 'Flag', '-r', 'flagroom', '-s', 'flag:1'], h, env))),
      { user: 'Flag', room: 'flagroom', servers: ['flag:1'] },
    );
    // The seed's positional form counts as flags.
    assert.equal(ok(run(['Positional'], h, env)).user, 'Positional');
  });

  it('takes the token from the first of flags, environment, file that has one', () => {
    const h = home('token_file = "file-token"\n', { 'file-token': ['from-file', 0o600], 'env-token': ['from-env-file', 0o600] });
    assert.equal(ok(run(['-u', 'A'], h)).token, 'from-file');
    assert.equal(ok(run(['-u', 'A'], h, { CHAT_TOKEN: 'from-env' })).token, 'from-env');
    assert.equal(ok(run(['-u', 'A'], h, { CHAT_TOKEN_FILE: path.join(h.dir, 'env-token') })).token, 'from-env-file');
    assert.equal(ok(run(['-u', 'A', '--token', 'from-flag'], h, { CHAT_TOKEN: 'from-env' })).token, 'from-flag');
    assert.equal(ok(run(['-u', 'A', '--token-file', path.join(h.dir, 'env-token')], h, { CHAT_TOKEN: 'from-env' })).token, 'from-env-file');
    assert.deepEqual(failure(run(['-u', 'A', '--token', 'x', '--token-file', 'y'], h)), { code: 2, err: 'error: give --token or --token-file, not both\n' });
  });

  it('refuses a token anyone can read, in a token file or in the config itself', () => {
    const open = home('token_file = "t"\n', { t: ['tok', 0o644] });
    const f = failure(run(['-u', 'A'], open));
    assert.equal(f.code, 2);
    assert.equal(f.err, `error: the token file ${path.join(open.dir, 't')} can be read by anyone on this machine; chmod 600 ${path.join(open.dir, 't')}\n`);
    // A group-readable file is accepted (shared accounts); only "others" is refused.
    assert.equal(ok(run(['-u', 'A'], home('token_file = "t"\n', { t: ['tok', 0o640] }))).token, 'tok');
    const inline = home('token = "tok"\n');
    assert.match(failure(run(['-u', 'A'], inline)).err, /holds a token but anyone on this machine can read it; chmod 600 .*config\.toml/);
    chmodSync(inline.file, 0o600);
    assert.equal(ok(run(['-u', 'A'], inline)).token, 'tok');
    assert.match(failure(run(['-u', 'A'], home('token_file = "t"\n', { t: ['\n', 0o600] }))).err, /the token file .* is empty/);
    assert.match(failure(run(['-u', 'A'], home('token_file = "absent"\n'))).err, /cannot read the token file .*absent \(ENOENT\)/);
  });

  it('resolves paths against the config file\'s folder and ~; ca implies tls; --no-tls overrides the file', () => {
    const h = home('ca = "certs/server.pem"\ntoken_file = "~/tok"\n');
    writeFileSync(path.join(h.home, 'tok'), 'T', { mode: 0o600 });
    const args = ok(run(['-u', 'A'], h));
    assert.equal(args.ca, path.join(h.dir, 'certs', 'server.pem'));
    assert.equal(args.tls, true);
    assert.equal(args.token, 'T');
    const plain = ok(run(['-u', 'A', '--no-tls'], h));
    assert.equal(plain.tls, false);
    assert.equal(plain.ca, undefined);
    assert.equal(ok(run(['-u', 'A'], home('tls = true\n'))).tls, true);
    assert.equal(ok(run(['-u', 'A', '--tls'], home('tls = false\n'))).tls, true);
    assert.deepEqual(failure(run(['-u', 'A', '--no-tls', '--ca', 'x.pem'], h)), { code: 2, err: 'error: --ca needs TLS; drop --no-tls\n' });
  });

  it('reads client settings; NO_COLOR wins over the file', () => {
    const h = home('mouse = true\nnotifications = "osc777"\ntimestamp_format = "%d/%m %H:%M"\ncolor = false\n');
    assert.deepEqual(ok(run(['-u', 'A'], h)).settings, { mouse: true, notifications: 'osc777', timestampFormat: '%d/%m %H:%M', color: false, keys: [], joins: 'smart' });
    assert.equal(ok(run(['-u', 'A'], home('color = true\n'), { NO_COLOR: '1' })).settings.color, false);
    // no-color.org: an empty NO_COLOR does not count.
    assert.equal(ok(run(['-u', 'A'], home(null), { NO_COLOR: '' })).settings.color, true);
    assert.equal(formatTimestamp('%Y-%m-%d %H:%M:%S %y %%', new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02 03:04:05 26 %');
  });

  it('takes the joins setting from the file, --joins over it, and refuses other values', () => {
    const h = home('joins = "all"\n');
    assert.equal(ok(run(['-u', 'A'], h)).settings.joins, 'all');
    assert.equal(ok(run(['-u', 'A', '--joins', 'none'], h)).settings.joins, 'none');
    assert.equal(failure(run(['-u', 'A'], home('joins = "some"\n'))).code, 2);
    assert.match(failure(run(['-u', 'A'], home('joins = "some"\n'))).err, /'joins' must be one of "smart", "all", "none"/);
    // (commander's own refusal of a flag value exits 1, as --history abc does)
    assert.match(failure(run(['-u', 'A', '--joins', 'loud'], home(null))).err, /Allowed choices are smart, all, none/);
  });

  it('checks the [keys] table: key specs and action names', () => {
    const h = home('[keys]\n"ctrl+t" = "send"\n"Alt+Enter" = "newline"\n"f2" = "next-room"\n"ctrl++" = "none"\n');
    const keys = ok(run(['-u', 'A'], h)).settings.keys;
    assert.deepEqual(keys.map((k) => [k.written, k.spec, k.action]), [
      ['ctrl+t', { ctrl: true, alt: false, shift: false, key: 't' }, 'send'],
      ['Alt+Enter', { ctrl: false, alt: true, shift: false, key: 'enter' }, 'newline'],
      ['f2', { ctrl: false, alt: false, shift: false, key: 'f2' }, 'next-room'],
      ['ctrl++', { ctrl: true, alt: false, shift: false, key: '+' }, 'none'],
    ]);
    assert.deepEqual(actionCommand('newline'), { kind: 'editor', op: { type: 'newline' } });
    assert.deepEqual(actionCommand('next-room'), { kind: 'switch', delta: 1 });
    assert.equal(parseKeySpec('hyper+x'), "unknown modifier 'hyper' (ctrl, alt, shift)");
    assert.match(String(parseKeySpec('x')), /without ctrl or alt would stop it being typed/);
    const bad = failure(run(['-u', 'A'], home('user = "A"\n[keys]\n"ctrl+t" = "send"\n"ctrl+q" = "explode"\n')));
    assert.match(bad.err, /^error: .*config\.toml:4: \[keys\] "ctrl\+q": the action must be one of newline, left, .*; not "explode"\n$/);
    assert.match(failure(run(['-u', 'A'], home('[keys]\n"ctrl+nope" = "send"\n'))).err, /config\.toml:2: \[keys\] "ctrl\+nope": unknown key 'nope'/);
  });

  it('says what is wrong in one line, with the line number, and exits 2', () => {
    const cases: Array<[string, RegExp]> = [
      ['user = "A"\nserver = ["x", \nroom = 3\n', /config\.toml:3:1: invalid value$/],
      ['user = "A"\ncolour = false\n', /config\.toml:2: unknown key 'colour' \(known: user, room, server, token, token_file, tls, ca, mouse, notifications, timestamp_format, color, joins, keys\)$/],
      ['tls = "yes"\n', /config\.toml:1: 'tls' must be true or false, not "yes"$/],
      ['\n\nserver = 5\n', /config\.toml:3: 'server' must be a "host:port" string or a list of them, not 5$/],
      ['notifications = "loud"\n', /config\.toml:1: 'notifications' must be one of "bell", "osc777", "osc9", "off", not "loud"$/],
      ['timestamp_format = "%H:%Q"\n', /config\.toml:1: 'timestamp_format' has an unknown code %Q/],
      ['user = ""\n', /config\.toml:1: 'user' is empty$/],
      ['keys = 1\n', /config\.toml:1: 'keys' must be a table: \[keys\]$/],
      ['token = "a"\ntoken_file = "b"\n', /config\.toml:2: give 'token' or 'token_file', not both$/],
    ];
    for (const [text, want] of cases) {
      const f = failure(run(['-u', 'A'], home(text)));
      assert.equal(f.code, 2, text);
      assert.equal(f.err.split('\n').length, 2, `one line: ${f.err}`);
      assert.match(f.err.trimEnd(), want);
    }
  });

  it('still answers --help and --version with a broken config file', () => {
    const h = home('this is not toml');
    let out = '';
    assert.throws(
      () => parseArgs(['--help'], { env: h.env, home: h.home, writeOut: (s) => (out += s) }),
      (e: unknown) => e instanceof CommanderError && e.exitCode === 0,
    );
    assert.match(out, /--config <file>/);
    assert.match(out, /~\/\.config\/chat-tui\/config\.toml/);
  });
});

describe('config file with the real binary', () => {
  const BIN = fileURLToPath(new URL('../../tui/chat-tui.cjs', import.meta.url));

  it('exits 2 with one line for a broken config file', () => {
    const h = home('user = "A"\ncolour = 1\n');
    const r = spawnSync(process.execPath, [BIN], { env: { ...process.env, ...h.env, CHAT_CONFIG: '' }, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `error: ${h.file}:2: unknown key 'colour' (known: user, room, server, token, token_file, tls, ca, mouse, notifications, timestamp_format, color, joins, keys)\n`);
  });

  it('connects with the server and the token the file gives (a server with accounts)', async (t) => {
    const users = path.join(tmp.dir, 'users.json');
    const addUser = (name: string) => {
      const add = spawnSync(process.execPath, [SERVER_BIN, 'add-user', name, '--users', users], { encoding: 'utf8' });
      assert.equal(add.status, 0, add.stderr);
      return add.stdout.trim();
    };
    const aliceToken = addUser('Alice');
    const bobToken = addUser('Bob');
    const server = await startBinary(['--store', 'memory', '--users', users]);
    const client = connect(server.target);
    t.after(async () => {
      client.close();
      await stopBinary(server);
    });
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${bobToken}`);
    const bob = new Chatter(client, { user_id: 'bob-id', username: 'Bob', room_id: 'vip', type: 'JOIN' }, md);
    const h = home(`server = "${server.target}"\ntoken_file = "token"\nroom = "vip"\n`, { token: [aliceToken, 0o600] });
    // Line mode (no terminal): one message per stdin line.
    const tui = spawn(process.execPath, [BIN, '--user', 'Alice'], { env: { ...process.env, ...h.env, CHAT_TOKEN: '', CHAT_CONFIG: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    tui.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => tui.on('exit', resolve));
    await bob.waitFor((r) => r.some((m) => m.type === 'JOIN' && m.message === 'Alice joined the room'), 'Alice to join');
    tui.stdin.end('hello from the config file\n');
    await bob.waitForText('hello from the config file');
    assert.equal(await exited, 0);
    bob.leave();
    assert.match(out, new RegExp(`Connecting to ${server.target.replace(/\./g, '\\.')} as Alice`));
    assert.doesNotMatch(out, /refused|needs an account/i);
  });
});
