// chat-tui's flags, and the seed client's positional form: chat-tui USER [ROOM] [SERVER].
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { DEFAULT_ROOM, version } from '../protos/rules.js';

export interface TuiArgs {
  user: string;
  room: string;
  /** Tried in turn: a lost connection moves on to the next. */
  servers: string[];
  /** Connect with TLS; `ca` trusts that PEM file instead of the system's roots. */
  tls: boolean;
  ca?: string;
  /** For servers with accounts (--token or CHAT_TOKEN). */
  token?: string;
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "a:1,b:2" and repeated flags alike become one list, blanks dropped. */
export function splitServers(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

export function parseArgs(argv: readonly string[]): TuiArgs {
  const program = new Command('chat-tui')
    .description('Full-screen terminal chat client for chat-server')
    .version(version, '-v, --version')
    .argument('[user]', 'your name (the seed client\'s positional form)')
    .argument('[room]', 'room to join')
    .argument('[server]', 'server address')
    .option('-u, --user <name>', 'your name (1-32 characters)')
    .option('-r, --room <room>', 'room to join', undefined)
    .option('-s, --server <host:port>', 'chat-server address; repeat it or give a comma-separated list to fail over between servers', collect, [])
    .addOption(new Option('--token <token>', 'your account token, for servers run with --users').env('CHAT_TOKEN'))
    .option('--tls', 'connect with TLS (the server runs with --tls-cert/--tls-key)')
    .option('--ca <file>', 'trust this PEM certificate (e.g. a self-signed server\'s); implies --tls')
    .option('--send <text>', 'post one message (- : each line of stdin) once the server has it, then exit')
    .option('--history <n>', 'with --send: print the N most recent messages first', whole('--history'), 0)
    .option('--timeout <seconds>', 'without a terminal: give up (exit 3) when no server answers for this long', whole('--timeout'), 30)
    .showHelpAfterError('(run chat-tui --help for usage)')
    .exitOverride();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{ user?: string; room?: string; server: string[]; tls?: boolean; ca?: string; token?: string; send?: string; history: number; timeout: number }>();
  const [pUser, pRoom, pServer] = program.processedArgs as Array<string | undefined>;
  const user = (o.user ?? pUser ?? '').trim();
  if (!user) {
    program.error('error: a name is required: chat-tui --user NAME (or chat-tui NAME)', { exitCode: 2 });
  }
  let servers = splitServers(o.server.length > 0 ? o.server : pServer ? [pServer] : []);
  if (servers.length === 0) servers = ['localhost:50051'];
  const args: TuiArgs = {
    user,
    room: o.room ?? pRoom ?? DEFAULT_ROOM,
    servers,
    tls: Boolean(o.tls || o.ca),
    timeoutMs: Math.max(1, o.timeout) * 1000,
    history: o.history,
  };
  if (o.send !== undefined) args.send = o.send;
  if (o.ca) args.ca = o.ca;
  if (o.token) args.token = o.token;
  return args;
}

/** Plain text, or TLS trusting the system's roots or the --ca file. */
export function channelCredentials(args: Pick<TuiArgs, 'tls' | 'ca'>): grpc.ChannelCredentials {
  if (!args.tls) return grpc.credentials.createInsecure();
  if (!args.ca) return grpc.credentials.createSsl();
  let pem: Buffer;
  try {
    pem = readFileSync(args.ca);
  } catch (err) {
    throw new Error(`cannot read the CA certificate ${args.ca}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return grpc.credentials.createSsl(pem);
}

export { CommanderError };
