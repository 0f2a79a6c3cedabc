// `chat-server check [--config FILE] [flags]`: everything the server would do
// before it listens, then stop: parse the settings (flags > environment >
// file), read the TLS pair and the accounts file, open the store and read
// from it. Exit 0 with a summary, or 1 with the reason.
import { Accounts } from '../accounts.js';
import { redactStore } from '../config-file.js';
import { parseServerArgs } from '../config.js';
import { formatAddress } from '../server.js';
import { loadPair } from '../tls-files.js';
import { openStoreOnly } from './store-spec.js';

export async function checkCommand(argv: readonly string[]): Promise<number> {
  // Bad flags or file values end here, through commander, with exit 1 and its message.
  const { config } = parseServerArgs(argv, 'chat-server check');
  const lines: string[] = [`config: ${config.configFile ?? '(no file: flags, environment and defaults)'}`];
  const fail = (reason: string): number => {
    process.stdout.write(lines.map((l) => `${l}\n`).join(''));
    process.stderr.write(`chat-server check: ${reason}\n`);
    return 1;
  };
  const metricsAt = config.metricsPort === undefined ? 'off' : `${formatAddress(config.metricsHost ?? config.host, config.metricsPort)}/metrics`;
  lines.push(`listen: ${formatAddress(config.host, config.port)}, metrics: ${metricsAt}, log: ${config.logLevel} ${config.logFormat ?? 'text'}`);
  if (config.tlsCert && config.tlsKey) {
    try {
      const pair = loadPair(config.tlsCert, config.tlsKey);
      if (pair.validTo.getTime() < Date.now()) return fail(`the TLS certificate ${config.tlsCert} expired (${pair.summary})`);
      lines.push(`tls: ${pair.summary}`);
    } catch (err) {
      return fail((err as Error).message);
    }
  } else lines.push('tls: off (plain text)');
  if (config.users) {
    try {
      lines.push(`accounts: ${config.users}, ${new Accounts(config.users).size} accounts`);
    } catch (err) {
      return fail((err as Error).message);
    }
  } else lines.push('accounts: off (anyone may pick a free name)');
  const shown = redactStore(config.store);
  try {
    const store = await openStoreOnly(config.store);
    try {
      const rooms = await store.rooms();
      lines.push(`store: ${shown}, ${rooms.length} rooms`);
    } finally {
      await store.close();
    }
  } catch (err) {
    const what = (err as Error).message;
    return fail(what.startsWith('cannot') ? what : `cannot open store ${shown}: ${what}`);
  }
  process.stdout.write(`${lines.join('\n')}\nok\n`);
  return 0;
}
