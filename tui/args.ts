// chat-tui's flags, the seed client's positional form (chat-tui USER [ROOM]
// [SERVER]), the environment and the config file, in that order of weight:
// a flag beats the environment, which beats the file.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { homedir } from 'node:os';
import { version } from '../protos/rules.js';
import { JOINS_MODES, type JoinsMode } from './quiet-joins.js';
import { ConfigError, DEFAULT_SETTINGS, defaultConfigPath, readConfig, readTokenFile, type ClientSettings, type FileConfig } from './config.js';

export interface TuiArgs {
  user: string;
  /** --room (and the other ways to say it); absent: the user's rooms as the server keeps them (issue 13). */
  room?: string;
  /** Tried in turn: a lost connection moves on to the next. */
  servers: string[];
  /** Connect with TLS; `ca` trusts that PEM file instead of the system's roots. */
  tls: boolean;
  ca?: string;
  /** For servers with accounts (--token, --token-file, CHAT_TOKEN, CHAT_TOKEN_FILE, or the config file). */
  token?: string;
  /** Client settings: the config file's, NO_COLOR applied. */
  settings: ClientSettings;
  /** The config file that was read, if any. */
  configFile?: string;
  /** Line mode: give up after this long without an answer from any server. */
  timeoutMs: number;
  /** One-shot: post this message (`-`: each stdin line) and exit. */
  send?: string;
  /** With --send: print this many recent messages first. */
  history: number;
}

function whole(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${what} must be a whole number`);
    return n;
  };
}

export interface ParseOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default os.homedir(): for ~/.config and ~/ in config paths. */
  home?: string;
  /** Where commander writes errors (default stderr). */
  writeErr?: (text: string) => void;
  /** Where commander writes --help and --version (default stdout). */
  writeOut?: (text: string) => void;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "a:1,b:2" and repeated flags alike become one list, blanks dropped. */
export function splitServers(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

const CONFIG_HELP = `
Settings not given as flags come from the environment (CHAT_USER, CHAT_ROOM,
CHAT_SERVER, CHAT_TOKEN, CHAT_TOKEN_FILE, CHAT_CONFIG, NO_COLOR), then from
the config file: $XDG_CONFIG_HOME/chat-tui/config.toml, else
~/.config/chat-tui/config.toml, or --config FILE. Its keys mirror the flags:

  user = "Alice"
  server = ["chat1:50051", "chat2:50051"]
  token_file = "~/.config/chat-tui/token"   # others may not read it (chmod 600)
  tls = true
  ca = "server.pem"                          # relative to the config file
  mouse = false                              # as --no-mouse
  notifications = "bell"                     # "bell", "osc777", "osc9" or "off"
  joins = "smart"                            # join/leave lines: "smart", "all" or "none"
  timestamp_format = "%H:%M:%S"              # %H %M %S %d %m %Y %y %%; "" hides it
  color = true                               # false: as NO_COLOR
  [keys]                                     # key = action, e.g.
  "ctrl+t" = "send"
  "alt+n" = "next-room"
`;

const nonEmpty = (v: string | undefined) => (v !== undefined && v.trim().length > 0 ? v.trim() : undefined);

export function parseArgs(argv: readonly string[], options: ParseOptions = {}): TuiArgs {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const program = new Command('chat-tui')
    .description('Full-screen terminal chat client for chat-server')
    .version(version, '-v, --version')
    .argument('[user]', 'your name (the seed client\'s positional form)')
    .argument('[room]', 'room to join')
    .argument('[server]', 'server address')
    .option('-u, --user <name>', 'your name (1-32 characters)')
    .option('-r, --room <room>', 'a room to join and start in (without it: your rooms as the server keeps them, or #general for a new name)', undefined)
    .option('-s, --server <host:port>', 'chat-server address; repeat it or give a comma-separated list to fail over between servers', collect, [])
    .addOption(new Option('--token <token>', 'your account token, for servers run with --users (env: CHAT_TOKEN)'))
    .option('--token-file <file>', 'read the token from this file, which others may not read (env: CHAT_TOKEN_FILE)')
    .option('--tls', 'connect with TLS (the server runs with --tls-cert/--tls-key)')
    .option('--no-tls', 'connect in plain text, whatever the config file says')
    .option('--ca <file>', 'trust this PEM certificate (e.g. a self-signed server\'s); implies --tls')
    .option('--mouse', 'clicks on rooms and wheel scrolling (the default; Shift+drag still selects text)')
    .option('--no-mouse', 'leave the mouse to the terminal, whatever the config file says')
    .addOption(new Option('--joins <mode>', 'which join/leave lines to show: smart (who spoke in the last 10 minutes, or rooms under 10 members), all, none').choices(JOINS_MODES))
    .option('-c, --config <file>', 'read settings from this TOML file (env: CHAT_CONFIG)')
    .option('--send <text>', 'post one message (- : each line of stdin) once the server has it, then exit')
    .option('--history <n>', 'with --send: print the N most recent messages first', whole('--history'), 0)
    .option('--timeout <seconds>', 'without a terminal: give up (exit 3) when no server answers for this long', whole('--timeout'), 30)
    .addHelpText('after', CONFIG_HELP)
    .showHelpAfterError('(run chat-tui --help for usage)')
    .exitOverride();
  if (options.writeErr || options.writeOut) {
    program.configureOutput({
      ...(options.writeErr ? { writeErr: options.writeErr } : {}),
      ...(options.writeOut ? { writeOut: options.writeOut } : {}),
    });
  }
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{ user?: string; room?: string; server: string[]; tls?: boolean; mouse?: boolean; ca?: string; token?: string; tokenFile?: string; config?: string; send?: string; history: number; timeout: number; joins?: JoinsMode }>();
  const [pUser, pRoom, pServer] = program.processedArgs as Array<string | undefined>;
  // Mistakes in the environment or the file are not usage mistakes: one line, no usage hint.
  const fail = (message: string): never => {
    program.showHelpAfterError(false);
    return program.error(`error: ${message}`, { exitCode: 2 });
  };

  let file: FileConfig | null;
  try {
    const asked = o.config ?? nonEmpty(env.CHAT_CONFIG);
    file = readConfig(asked ?? defaultConfigPath(env, home), { required: asked !== undefined, home });
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }

  const user = nonEmpty(o.user) ?? nonEmpty(pUser) ?? nonEmpty(env.CHAT_USER) ?? file?.user;
  if (!user) {
    program.error('error: a name is required: chat-tui --user NAME (or chat-tui NAME, CHAT_USER, or user = "NAME" in the config file)', { exitCode: 2 });
  }
  const cliServers = splitServers(o.server.length > 0 ? o.server : pServer ? [pServer] : []);
  const envServers = splitServers(env.CHAT_SERVER ? [env.CHAT_SERVER] : []);
  const fileServers = splitServers(file?.server ?? []);
  const servers = [cliServers, envServers, fileServers].find((l) => l.length > 0) ?? ['localhost:50051'];

  // --no-tls wins over the file; with --ca on the same command line it is a contradiction.
  if (o.tls === false && o.ca) return fail('--ca needs TLS; drop --no-tls');
  const ca = o.ca ?? (o.tls === false ? undefined : file?.ca);
  const tls = o.tls ?? (ca !== undefined || (file?.tls ?? false));

  const settings: ClientSettings = { ...DEFAULT_SETTINGS, ...file?.settings };
  // no-color.org: present and not empty.
  if (env.NO_COLOR) settings.color = false;
  if (o.mouse !== undefined) settings.mouse = o.mouse;
  if (o.joins !== undefined) settings.joins = o.joins;

  const room = nonEmpty(o.room) ?? nonEmpty(pRoom) ?? nonEmpty(env.CHAT_ROOM) ?? file?.room;
  const args: TuiArgs = { user: user!, servers, tls, settings, timeoutMs: Math.max(1, o.timeout) * 1000, history: o.history };
  if (room !== undefined) args.room = room;
  if (o.send !== undefined) args.send = o.send;
  if (ca) args.ca = ca;
  try {
    const token = resolveToken(
      [o.token, o.tokenFile, '--token', '--token-file'],
      [nonEmpty(env.CHAT_TOKEN), nonEmpty(env.CHAT_TOKEN_FILE), 'CHAT_TOKEN', 'CHAT_TOKEN_FILE'],
      [file?.token, file?.tokenFile, 'token', 'token_file'],
    );
    if (token) args.token = token;
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  if (file) args.configFile = file.path;
  return args;
}

type TokenLevel = [token: string | undefined, file: string | undefined, tokenName: string, fileName: string];

/** The first level (flags, environment, file) that gives a token or a token file decides. */
function resolveToken(...levels: TokenLevel[]): string | undefined {
  for (const [token, file, tokenName, fileName] of levels) {
    if (token !== undefined && file !== undefined) throw new ConfigError(`give ${tokenName} or ${fileName}, not both`);
    if (token !== undefined) return token;
    if (file !== undefined) return readTokenFile(file);
  }
  return undefined;
}

export { CommanderError };
