// chat-tui: flags first, then only what the mode needs. --help and --version
// load commander and the config reader and nothing else; the full screen
// loads Ink and React, draws, and then loads gRPC (tui/run-full.tsx); line
// mode loads gRPC and no UI (tui/run-line.ts). The bin (tui/launch.ts) calls
// main(); in the bundle all of this is one script, compiled with V8's code
// cache (tui/app-script.ts), and a dynamic import() here costs no file.
import './tty-env.js';
import { CommanderError, parseArgs, type TuiArgs } from './args.js';
import { readCaFile } from './ca-file.js';
import type { FullScreenHooks } from './run-full.js';

/**
 * Runs `load` with globalThis.fetch hidden. yoga-layout (Ink's layout
 * engine) fetch()es its inline WebAssembly, a data: URL, when fetch exists:
 * that loads Node's undici first, ~30 ms; without fetch it decodes the data
 * itself. The property is swapped without reading it (reading it is what
 * loads undici) and put back as it was. (The bundle's yoga is patched to
 * load synchronously and never asks for fetch: this is for the plain tsc
 * build, which loads yoga-layout as published.)
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!saved?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', saved);
  }
}

export async function main(hooks: FullScreenHooks = {}): Promise<void> {
  let args: TuiArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    throw err;
  }
  let caPem: Buffer | undefined;
  try {
    if (args.tls && args.ca) caPem = readCaFile(args.ca);
  } catch (err) {
    process.stderr.write(`chat-tui: ${(err as Error).message}\n`);
    process.exit(2);
  }
  // --send is a one-shot for scripts and cron, terminal or not.
  if (args.send !== undefined || !process.stdin.isTTY || !process.stdout.isTTY) {
    const { runLineMode } = await import('./run-line.js');
    process.exit(await runLineMode(args, caPem));
  }
  const { runFullScreen } = await withoutFetch(() => import('./run-full.js'));
  runFullScreen(args, caPem, hooks);
}
