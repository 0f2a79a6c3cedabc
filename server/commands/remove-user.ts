// Issue 16: `chat-server remove-user NAME --users FILE`: takes an account out
// of the accounts file. A server using that file sees the change at once
// (accounts-watch.ts) and ends the user's open streams with UNAUTHENTICATED.
// Exit codes as add-user's: 0 done; 1 a missing argument or option, no such
// account, or a file that cannot be read or written; 2 a name no account can have.
import { Command, CommanderError, Option } from 'commander';
import { removeUser } from '../accounts.js';
import { checkUsername } from '../validate.js';

function parse(argv: readonly string[]): { name: string; file: string } {
  const program = new Command('chat-server remove-user')
    .description('remove an account: its token stops working and its open streams end at once on servers using the file')
    .argument('<name>', 'the account to remove (case ignored)')
    .addOption(new Option('--users <file>', 'the accounts file').env('CHAT_USERS').makeOptionMandatory())
    .showHelpAfterError('(run chat-server remove-user --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  return { name: program.processedArgs[0] as string, file: program.opts<{ users: string }>().users };
}

export async function removeUserCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const name = checkUsername(parsed.name);
  if (!name.ok) {
    process.stderr.write(`chat-server remove-user: ${name.error}\n`);
    return 2;
  }
  try {
    const removed = removeUser(parsed.file, name.value);
    if (removed === null) {
      process.stderr.write(`chat-server remove-user: there is no account named '${name.value}' in ${parsed.file}\n`);
      return 1;
    }
    process.stderr.write(`Account '${removed}' removed from ${parsed.file}. Its token no longer works; servers using the file end its open streams now.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`chat-server remove-user: ${(err as Error).message}\n`);
    return 1;
  }
}
