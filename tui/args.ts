// chat-tui's flags, and the seed client's positional form: chat-tui USER [ROOM] [SERVER].
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';

export interface TuiArgs {
  user: string;
  room: string;
  server: string;
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
    .option('-s, --server <host:port>', 'chat-server address', undefined)
    .showHelpAfterError('(run chat-tui --help for usage)')
    .exitOverride();
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{ user?: string; room?: string; server?: string }>();
  const [pUser, pRoom, pServer] = program.processedArgs as Array<string | undefined>;
  const user = (o.user ?? pUser ?? '').trim();
  if (!user) {
    program.error('error: a name is required: chat-tui --user NAME (or chat-tui NAME)', { exitCode: 2 });
  }
  return { user, room: o.room ?? pRoom ?? 'general', server: o.server ?? pServer ?? 'localhost:50051' };
}

export { CommanderError };
