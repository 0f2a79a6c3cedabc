// The bundle's stand-in for load-main.ts (scripts/bundle-tui.mjs swaps it in):
// main.tsx and everything it loads are one classic script,
// dist/tui/chat-tui-app.js, compiled here with V8's code cache. Node 20 keeps
// no compiled code between runs of ES modules (module.enableCompileCache is
// Node 22's), but vm.Script takes a cache V8 made earlier; with it V8 neither
// parses the ~1 MB of JavaScript nor compiles, function by function, what the
// first frame runs: the first frame comes ~45 ms sooner (README, start).
//
// Where the cache comes from: the build starts chat-tui once in a
// pseudo-terminal (scripts/bundle/code-cache.ts) and, at its first frame,
// this module writes chat-tui-app.cache beside the script. V8 takes a cache
// only from the same V8 run with the same flags (another Node version, or
// NODE_OPTIONS=--max-old-space-size=..., and it is refused): then the app is
// compiled from its source like any script and, after its first frame, a
// cache that fits is written to $XDG_CACHE_HOME/chat-tui/ (~/.cache), to be
// used from the next start on. Nothing here stops chat-tui from starting: a
// missing, refused or unwritable cache only makes the start slower.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Script } from 'node:vm';
import type { Main } from './load-main.js';

export const APP_SCRIPT = new URL('./chat-tui-app.js', import.meta.url);
export const BUILT_CACHE = new URL('./chat-tui-app.cache', import.meta.url);

/** The build's first line of the script: a hash of the rest, naming the user's cache of it. */
const HEADER = /^\/\/ chat-tui-app ([0-9a-f]{16,64})\n/;

/**
 * The script compiled as a function of what a CommonJS module is given, and
 * of the URL its import.meta.url stands for (the bundle defines it so).
 * One line, so the script's own line numbers stay.
 */
export function compileApp(vm: typeof import('node:vm'), source: string, filename: string, cachedData?: Buffer): Script {
  return new vm.Script(`(function (exports, require, module, __filename, __dirname, __chatTuiUrl) {${source}\n})`, {
    filename,
    ...(cachedData ? { cachedData } : {}),
  });
}

function readOrNull(file: string | URL | null): Buffer | null {
  if (file === null) return null;
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/**
 * What V8 checks a cache against besides the source: its version and its
 * flags (Node's version, its command line, NODE_OPTIONS), as a short hash,
 * so that a start with other flags keeps a cache of its own rather than
 * refusing and replacing another's. FNV-1a: a few dozen characters, no
 * node:crypto to load.
 */
function runtimeKey(): string {
  let h = 0x811c9dc5;
  for (const c of `${process.version} ${process.arch} ${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** $XDG_CACHE_HOME/chat-tui/app-<script>-<runtime>.cache (~/.cache without it), or null with no home to put it in. */
function userCachePath(source: string, join: (...parts: string[]) => string): string | null {
  const hash = HEADER.exec(source)?.[1];
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg?.startsWith('/') ? xdg : process.env.HOME ? join(process.env.HOME, '.cache') : null;
  return hash && base ? join(base, 'chat-tui', `app-${hash}-${runtimeKey()}.cache`) : null;
}

/**
 * Written whole or not at all (another chat-tui may be reading it). The
 * others beside it go: they were made for an earlier build, or for another
 * Node or other flags; one of those in use again is remade once.
 */
function save(data: Buffer, file: string, path: typeof import('node:path')): void {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    for (const f of readdirSync(dir)) if (/^app-[0-9a-f-]+\.cache$/.test(f) && f !== path.basename(file)) rmSync(path.join(dir, f), { force: true });
  } catch {
    // A read-only home or a full disk: the next start compiles from source again.
  }
}

export async function loadMain(): Promise<Main> {
  const { createRequire } = await import('node:module');
  // The script's require(): for Node's modules and ../../package.json, from the script's own place.
  const require = createRequire(APP_SCRIPT);
  const vm = require('node:vm') as typeof import('node:vm');
  const path = require('node:path') as typeof import('node:path');
  const { fileURLToPath } = require('node:url') as typeof import('node:url');
  const filename = fileURLToPath(APP_SCRIPT);
  const source = readFileSync(filename, 'utf8');
  // The build's own run (scripts/bundle/code-cache.ts) compiles from source and writes the built cache.
  const building = process.env.CHAT_TUI_BUILDING_CACHE === '1';
  const userCache = building ? null : userCachePath(source, path.join);
  const cachedData = building ? null : (readOrNull(userCache) ?? readOrNull(BUILT_CACHE));
  const script = compileApp(vm, source, filename, cachedData ?? undefined);
  const module: { exports: { main?: Main } } = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, filename, path.dirname(filename), APP_SCRIPT.href);
  const main = module.exports.main;
  if (typeof main !== 'function') throw new Error(`${filename} has no main()`);
  if (cachedData && !script.cachedDataRejected) return main;
  const target = building ? fileURLToPath(BUILT_CACHE) : userCache;
  if (!target) return main;
  return (hooks = {}) =>
    main({
      ...hooks,
      onFirstFrame: () => {
        hooks.onFirstFrame?.();
        save(script.createCachedData(), target, path);
        if (building) process.exit(0);
      },
    });
}
