// chat-tui's flags, and the seed client's positional form: chat-tui USER [ROOM] [SERVER].
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';

export interface TuiArgs {
  user: string;
  room: string;
  /** Tried in turn: a lost connection moves on to the next. */
  servers: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "a:1,b:2" and repeated flags alike become one list, blanks dropped. */
export function splitServers(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

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
    .showHelpAfterError('(run chat-tui --help for usage)')
    .exitOverride();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{ user?: string; room?: string; server: string[] }>();
  const [pUser, pRoom, pServer] = program.processedArgs as Array<string | undefined>;
  const user = (o.user ?? pUser ?? '').trim();
  if (!user) {
    program.error('error: a name is required: chat-tui --user NAME (or chat-tui NAME)', { exitCode: 2 });
  }
  let servers = splitServers(o.server.length > 0 ? o.server : pServer ? [pServer] : []);
  if (servers.length === 0) servers = ['localhost:50051'];
  return { user, room: o.room ?? pRoom ?? 'general', servers };
}

export { CommanderError };
