// Flags, their environment twins and the config file -> a Config. A flag beats
// the environment, which beats the file (config-file.ts), which beats the defaults.
import { Command, InvalidArgumentError, Option } from 'commander';
import { version } from '../protos/rules.js';
import { applyConfigFile, configPath, ConfigFileError } from './config-file.js';
import { parseRateLimit, type RateLimit } from './limits.js';
import { logFormats, logLevels, type LogFormat, type LogLevel } from './log.js';
import { checkUsername } from './validate.js';

export interface Config {
  host: string;
  port: number;
  history: number;
  store: string;
  maxMessageBytes: number;
  maxQueue: number;
  /** null: off. */
  rateLimit: RateLimit | null;
  maxRoomsPerUser: number;
  maxStreamsPerConnection: number;
  /** Ping each connection this often; one silent for half as long again is dropped. */
  keepaliveSeconds: number;
  /** PEM files; both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** Accounts file: when set, every call needs a valid token. */
  users?: string;
  logLevel: LogLevel;
  /** text (the seed's lines, the default) or json (one object a line). */
  logFormat?: LogFormat;
  /** Serve Prometheus metrics on this port (0: any free port); unset: off. */
  metricsPort?: number;
  /** Where the metrics endpoint listens; unset: the same host as the gRPC server. */
  metricsHost?: string;
  /** The file the settings were read from, if any. */
  configFile?: string;
  /** Issue 16: server-wide operators of every room (names); none unless set. */
  operators?: string[];
}

export interface ParsedArgs {
  config: Config;
  /** --print-config: print the effective config as TOML instead of serving. */
  printConfig: boolean;
}

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** --operators alice,bob: names, checked like usernames. */
function operatorNames(value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    const checked = checkUsername(name);
    if (!checked.ok) throw new InvalidArgumentError(`'${name}': ${checked.error}`);
  }
  return names;
}

function rateLimit(value: string): RateLimit | null {
  try {
    return parseRateLimit(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `chat-server add-user NAME --users FILE`. */
export function parseAddUser(argv: readonly string[]): { name: string; file: string } {
  const program = new Command('chat-server add-user')
    .description('create (or replace) an account and print its token; only a salted hash is stored')
    .argument('<name>', 'the username the token may speak as')
    .addOption(
      new Option('--operators <names>', 'operators of every room, comma separated (with --users they are accounts; without, anyone may take a name)')
        .env('CHAT_OPERATORS')
        .argParser(operatorNames),
    )
    .addOption(new Option('--users <file>', 'the accounts file (created if missing)').env('CHAT_USERS').makeOptionMandatory())
    .showHelpAfterError('(run chat-server add-user --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  return { name: program.processedArgs[0] as string, file: program.opts<{ users: string }>().users };
}

export function parseConfig(argv: readonly string[]): Config {
  return parseServerArgs(argv).config;
}

/** The server's flags (also `chat-server check`'s); `name` is the command shown in errors and help. */
export function parseServerArgs(argv: readonly string[], name = 'chat-server'): ParsedArgs {
  const program = new Command(name)
    .description('gRPC chat server: rooms, history, join/leave notices (chat-tui)')
    .version(version, '-v, --version')
    .addOption(new Option('--host <host>', 'address to listen on').env('CHAT_HOST').default('::'))
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').env('CHAT_PORT').default(50051).argParser(integer(0, 65535)))
    .addOption(new Option('--history <n>', 'messages replayed to a joiner').env('CHAT_HISTORY').default(50).argParser(integer(0, 10_000)))
    .addOption(
      new Option('--store <spec>', 'history store: memory, sqlite (in the user data directory), sqlite:PATH, or redis://HOST:PORT[/DB] to share rooms between servers')
        .env('CHAT_STORE')
        .default('sqlite'),
    )
    .addOption(
      new Option('--max-message-bytes <n>', 'longest message accepted, in UTF-8 bytes')
        .env('CHAT_MAX_MESSAGE_BYTES')
        .default(4096)
        .argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option('--max-queue <n>', 'messages queued for a slow reader before its stream is ended')
        .env('CHAT_MAX_QUEUE')
        .default(1000)
        .argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option('--rate-limit <rate[/burst]>', 'messages a second each user may post, with bursts; "off" for benchmarks and imports')
        .env('CHAT_RATE_LIMIT')
        .default('5/50')
        .argParser(rateLimit),
    )
    .addOption(
      new Option('--max-rooms-per-user <n>', 'rooms one user may be in at once on this server')
        .env('CHAT_MAX_ROOMS_PER_USER')
        .default(50)
        .argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option('--max-streams-per-connection <n>', 'chat streams one client connection may hold open')
        .env('CHAT_MAX_STREAMS_PER_CONNECTION')
        .default(1000)
        .argParser(integer(1, 1_000_000)),
    )
    .addOption(
      new Option('--keepalive <seconds>', 'ping clients this often; one that does not answer within half that is dropped')
        .env('CHAT_KEEPALIVE')
        .default(20)
        .argParser(integer(1, 3600)),
    )
    .addOption(new Option('--tls-cert <file>', 'serve TLS with this PEM certificate (chain); needs --tls-key').env('CHAT_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'the PEM private key for --tls-cert').env('CHAT_TLS_KEY'))
    .addOption(
      new Option('--operators <names>', 'operators of every room, comma separated (with --users they are accounts; without, anyone may take a name)')
        .env('CHAT_OPERATORS')
        .argParser(operatorNames),
    )
    .addOption(new Option('--users <file>', 'require accounts from this file (made by: chat-server add-user NAME --users FILE)').env('CHAT_USERS'))
    .addOption(new Option('--log-level <level>', 'log detail (message text is logged only at debug)').env('CHAT_LOG_LEVEL').default('info').choices(logLevels))
    .addOption(new Option('--log-format <format>', 'text: the seed\'s lines; json: one object a line, for log shippers').env('CHAT_LOG_FORMAT').default('text').choices(logFormats))
    .addOption(new Option('--metrics-port <port>', 'serve Prometheus metrics on http://HOST:PORT/metrics (off unless given)').env('CHAT_METRICS_PORT').argParser(integer(0, 65535)))
    .addOption(new Option('--metrics-host <host>', 'address for the metrics endpoint (default: --host)').env('CHAT_METRICS_HOST'))
    .addOption(new Option('--config <file>', 'read settings from this TOML file (keys: the flag names without --); flags and environment win').env('CHAT_CONFIG'))
    .addOption(new Option('--print-config', 'print the effective configuration as TOML (secrets redacted) and exit'))
    .addHelpText('after', [
      '',
      'Commands:',
      '  chat-server add-user NAME --users FILE   create or replace an account; prints its token once',
      '  chat-server remove-user NAME --users FILE  remove an account; its open streams end at once',
      '  chat-server check [--config FILE]        validate a configuration (files, store) and exit 0 or 1',
      '  chat-server health [--server HOST:PORT]  ask a running server\'s health service; exit 0 if serving',
      '  chat-server export --room ROOM           write a room\'s history as JSON lines',
      '  chat-server import [FILE]                read JSON lines into the store (seqs, authors and times kept)',
      '',
      'The accounts file is watched (and SIGHUP re-reads it and the TLS certificate); SIGTERM drains and exits within 5 s.',
    ].join('\n'))
    .showHelpAfterError('(run chat-server --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  const file = configPath(argv);
  if (file !== undefined) {
    try {
      applyConfigFile(program, file);
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      program.error(`error: ${err.message}`);
    }
  }
  program.parse([...argv], { from: 'user' });
  const tls = program.opts<{ tlsCert?: string; tlsKey?: string }>();
  if (Boolean(tls.tlsCert) !== Boolean(tls.tlsKey)) {
    program.error('error: --tls-cert and --tls-key go together: give both, or neither for plain text');
  }
  // Commander runs each option's argParser on environment values too.
  const o = program.opts<Omit<Config, 'rateLimit'> & { rateLimit: RateLimit | null | string; keepalive: number; config?: string; printConfig?: boolean }>();
  // Commander hands the default through unparsed.
  const limit = typeof o.rateLimit === 'string' ? parseRateLimit(o.rateLimit) : o.rateLimit;
  const config: Config = {
    host: o.host,
    port: o.port,
    history: o.history,
    store: o.store,
    maxMessageBytes: o.maxMessageBytes,
    maxQueue: o.maxQueue,
    rateLimit: limit,
    maxRoomsPerUser: o.maxRoomsPerUser,
    maxStreamsPerConnection: o.maxStreamsPerConnection,
    keepaliveSeconds: o.keepalive,
    tlsCert: o.tlsCert,
    tlsKey: o.tlsKey,
    users: o.users,
    logLevel: o.logLevel,
    logFormat: o.logFormat,
    metricsPort: o.metricsPort,
    metricsHost: o.metricsHost,
    configFile: o.config,
    operators: o.operators,
  };
  return { config, printConfig: o.printConfig === true };
}
