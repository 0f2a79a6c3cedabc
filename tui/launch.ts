#!/usr/bin/env node
// chat-tui's first file, kept tiny: `chat-tui --help` alone prints the text the
// build saved from commander's own (scripts/bundle-tui.mjs writes help.txt
// beside it), without loading anything else, so it starts about as fast as
// node itself. Everything else goes to main.tsx (flags, then the mode): in a
// plain tsc build imported as it is (tui/load-main.ts), in the bundle run
// from one script with V8's code cache (tui/app-script.ts stands in for
// load-main.ts there). In a plain tsc build there is no help.txt and
// main.tsx's commander prints it.
import { readFileSync } from 'node:fs';
import { loadMain } from './load-main.js';

function savedHelp(): Buffer | null {
  const argv = process.argv.slice(2);
  if (argv.length !== 1 || (argv[0] !== '--help' && argv[0] !== '-h') || process.env.CHAT_TUI_BUILDING_HELP) return null;
  try {
    return readFileSync(new URL('./help.txt', import.meta.url));
  } catch {
    return null;
  }
}

const help = savedHelp();
if (help) process.stdout.write(help);
// No top-level await: the bundled bin is CommonJS (Node starts no ES module loader for it).
else void loadMain().then((main) => main());
