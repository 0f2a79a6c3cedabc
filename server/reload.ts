// SIGHUP: read the accounts file and the TLS pair again, in place. Streams stay
// open, except those whose token the accounts file no longer holds (issue 16:
// accounts-watch.ts ends them, as it does when it sees the file change); a new
// TLS pair applies to connections made after it (open ones keep their
// session). A file that does not load is reported and the one in use stays.
import type { Accounts } from './accounts.js';
import type { Logger } from './log.js';
import { metrics } from './metrics.js';
import type { ReloadableCertificate } from './tls-files.js';

export interface ReloadTargets {
  accounts: Accounts | null;
  certificate: ReloadableCertificate | null;
}

export interface ReloadResult {
  /** One line per file: what was loaded, or why not. */
  lines: string[];
  ok: boolean;
}

export function reloadFiles(targets: ReloadTargets, log: Logger): ReloadResult {
  const lines: string[] = [];
  let ok = true;
  const attempt = (what: 'accounts' | 'tls', run: () => string): void => {
    try {
      const line = run();
      lines.push(line);
      log.info(line, { event: 'reload' });
      metrics.reloads.inc({ what, result: 'ok' });
    } catch (err) {
      ok = false;
      const line = `SIGHUP: kept the ${what === 'tls' ? 'TLS certificate' : 'accounts'} in use: ${(err as Error).message}`;
      lines.push(line);
      log.error(line, { event: 'reload_failed' });
      metrics.reloads.inc({ what, result: 'failed' });
    }
  };
  const { accounts, certificate } = targets;
  if (accounts) attempt('accounts', () => `SIGHUP: reloaded the accounts file (${accounts.reload()} accounts)`);
  if (certificate) attempt('tls', () => `SIGHUP: reloaded the TLS certificate (${certificate.reload()}); new connections use it`);
  if (!accounts && !certificate) {
    const line = 'SIGHUP: nothing to reload (no --users, no --tls-cert); other settings need a restart';
    lines.push(line);
    log.info(line, { event: 'reload' });
  }
  return { lines, ok };
}
