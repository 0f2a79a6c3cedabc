// Issue 16: accounts take effect at once. The server watches its users file
// and reads it again after a short quiet spell; add-user and remove-user
// replace the file by a rename, so the directory is watched (a watch on the
// file itself would follow the old inode and go deaf). Every change of the
// accounts (this watch, SIGHUP, or one a token check noticed by its mtime)
// sweeps the open streams: one whose token the file no longer holds (account
// removed, token replaced by add-user) ends with UNAUTHENTICATED and a reason
// a person can act on. Every other stream stays as it is.
import { unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { revoked, type Accounts } from './accounts.js';
import type { Logger } from './log.js';
import type { Closable } from './types.js';

/** Editors and add-user write in several steps: read once they are done. */
const QUIET_MS = 100;
/** Where the directory cannot be watched (some network filesystems): how often to look instead. */
const POLL_MS = 1000;

/** Ends every stream in `streams` whose token `accounts` no longer holds; returns how many. */
export function revokeStale(accounts: Accounts, streams: Iterable<Closable>, log: Logger): number {
  let ended = 0;
  // A copy: a revoked stream leaves the set as it ends.
  for (const stream of [...streams]) {
    const credential = stream.credential;
    if (!credential || !stream.revoke) continue;
    const why = accounts.check(credential);
    if (why === null) continue;
    log.info(`Ending a stream of ${credential.username}: ${why === 'removed' ? 'the account was removed' : 'the token was replaced'}`, {
      event: 'revoked',
      user: credential.username,
    });
    stream.revoke(revoked(why, credential.username));
    ended++;
  }
  return ended;
}

/** Watches the accounts file and ends revoked streams on every change; returns the way to stop watching. */
export function watchAccounts(accounts: Accounts, streams: Iterable<Closable>, log: Logger): () => void {
  let stopped = false;
  accounts.onChange(() => {
    if (!stopped) revokeStale(accounts, streams, log);
  });
  const file = path.resolve(accounts.path);
  let timer: NodeJS.Timeout | undefined;
  /** The last read error reported, so a file left broken is reported once, not at every event. */
  let reported = '';
  const reread = (): void => {
    timer = undefined;
    if (stopped) return;
    try {
      const before = accounts.size;
      const after = accounts.reload();
      reported = '';
      log.debug(`Read the accounts file again (${before} -> ${after} accounts)`, { event: 'accounts_reload' });
    } catch (err) {
      const message = (err as Error).message;
      if (message !== reported) log.warn(`The accounts file changed but cannot be used; the accounts in use stay: ${message}`, { event: 'reload_failed' });
      reported = message;
    }
  };
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(reread, QUIET_MS);
  };
  let watcher: FSWatcher | null = null;
  let polling = false;
  const poll = (): void => {
    if (polling || stopped) return;
    polling = true;
    watchFile(file, { interval: POLL_MS, persistent: false }, changed);
  };
  try {
    const base = path.basename(file);
    watcher = watch(path.dirname(file), { persistent: false }, (_event, name) => {
      // No name: the platform does not say which file; look anyway.
      if (name === null || name.toString() === base) changed();
    });
    watcher.on('error', (err: Error) => {
      log.warn(`Watching the accounts file failed (${err.message}); checking it every ${POLL_MS / 1000} s instead`, { event: 'accounts_watch' });
      watcher?.close();
      watcher = null;
      poll();
    });
  } catch {
    poll();
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
    watcher?.close();
    if (polling) unwatchFile(file, changed);
  };
}
