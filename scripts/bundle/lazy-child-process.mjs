// Stands in for node:child_process in chat-tui's bin (scripts/bundle-tui.mjs).
// commander loads it when it loads, for subcommands that run as executables
// of their own; chat-tui has none, and loading it (with net and dgram
// behind it) cost every start, --help included, a few ms. The real module is
// loaded if spawn is ever called.
import { createRequire } from 'node:module';

const load = () => createRequire(import.meta.url)('node:child_process');

export function spawn(...args) {
  return load().spawn(...args);
}
