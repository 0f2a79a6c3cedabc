// Makes dist/tui/chat-tui-app.cache, V8's code cache of the bundled app
// (tui/app-script.ts says what it is for): the bundled chat-tui runs once in
// a pseudo-terminal with CHAT_TUI_BUILDING_CACHE=1, writes the cache at its
// first frame and exits (no server is needed: the frame comes before the
// connection). Then V8 here is asked whether it takes the cache. Whatever
// fails (no node-pty, no pseudo-terminal, a timeout) leaves no cache and a
// warning, not a failed build: chat-tui then starts slower and works the same.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { APP_SCRIPT, BUILT_CACHE, compileApp } from '../../tui/app-script.js';

const TIMEOUT_MS = 20_000;

async function runOnce(launcher: string): Promise<string> {
  const pty = await import('node-pty');
  // No developer's config file: the cache is made on the path a new user's start takes.
  const configHome = mkdtempSync(path.join(tmpdir(), 'chat-tui-cache-'));
  try {
    const p = pty.spawn(process.execPath, [launcher, '--user', 'Cache', '--server', '127.0.0.1:9'], {
      cols: 100,
      rows: 30,
      env: { ...process.env, TERM: 'xterm-256color', XDG_CONFIG_HOME: configHome, CHAT_CONFIG: '', CHAT_TUI_BUILDING_CACHE: '1' },
    });
    let output = '';
    p.onData((d) => (output += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        p.kill();
        resolve(null);
      }, TIMEOUT_MS);
      p.onExit(({ exitCode }) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) return `chat-tui ${code === null ? `did not exit within ${TIMEOUT_MS} ms` : `exited ${code}`}: ${output.slice(-500)}`;
    return '';
  } finally {
    rmSync(configHome, { recursive: true, force: true });
  }
}

/** Makes the cache; resolves to '' or to why there is none. */
export async function makeCodeCache(launcher: string): Promise<string> {
  const cacheFile = fileURLToPath(BUILT_CACHE);
  rmSync(cacheFile, { force: true });
  let why: string;
  try {
    why = await runOnce(launcher);
  } catch (err) {
    why = (err as Error).message;
  }
  if (why) return why;
  try {
    const filename = fileURLToPath(APP_SCRIPT);
    const script = compileApp(vm, readFileSync(filename, 'utf8'), filename, readFileSync(cacheFile));
    if (!script.cachedDataRejected) return '';
    why = 'V8 refuses the cache it just made';
  } catch (err) {
    why = (err as Error).message;
  }
  rmSync(cacheFile, { force: true });
  return why;
}
