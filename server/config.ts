// Flags and their environment twins -> a Config. Flags win over environment.
import { Command, InvalidArgumentError, Option } from 'commander';
import { version } from '../protos/rules.js';
import { parseRateLimit, type RateLimit } from './limits.js';
import { logLevels, type LogLevel } from './log.js';

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
    .addOption(new Option('--users <file>', 'the accounts file (created if missing)').env('CHAT_USERS').makeOptionMandatory())
    .showHelpAfterError('(run chat-server add-user --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  return { name: program.processedArgs[0] as string, file: program.opts<{ users: string }>().users };
}

export function parseConfig(argv: readonly string[]): Config {
  const program = new Command('chat-server')
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
    .addOption(new Option('--users <file>', 'require accounts from this file (made by: chat-server add-user NAME --users FILE)').env('CHAT_USERS'))
    .addOption(new Option('--log-level <level>', 'log detail').env('CHAT_LOG_LEVEL').default('info').choices(logLevels))
    .addHelpText('after', '\nCommands:\n  chat-server add-user NAME --users FILE   create or replace an account; prints its token once')
    .showHelpAfterError('(run chat-server --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  const tls = program.opts<{ tlsCert?: string; tlsKey?: string }>();
  if (Boolean(tls.tlsCert) !== Boolean(tls.tlsKey)) {
    program.error('error: --tls-cert and --tls-key go together: give both, or neither for plain text');
  }
  // Commander runs each option's argParser on environment values too.
  const o = program.opts<Omit<Config, 'rateLimit'> & { rateLimit: RateLimit | null | string; keepalive: number }>();
  // Commander hands the default through unparsed.
  const limit = typeof o.rateLimit === 'string' ? parseRateLimit(o.rateLimit) : o.rateLimit;
  return {
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
  };
}
