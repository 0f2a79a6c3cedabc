// A start-up patch for the modules Ink measures and cuts text with
// (string-width, slice-ansi, @alcalzone/ansi-tokenize), applied when
// scripts/bundle-tui.mjs bundles chat-tui: each makes an Intl.Segmenter when
// it loads, and the first one costs ~10 ms of the start; patched, they share
// scripts/bundle/grapheme-segmenter.ts's stand-in, which needs no ICU for a
// first frame's text. A changed module fails the build here rather than going
// unpatched.
import { fileURLToPath } from 'node:url';

/** The stand-in, compiled: an absolute path, so the patched module can sit anywhere. */
const STAND_IN = fileURLToPath(new URL('./grapheme-segmenter.js', import.meta.url));

/** The modules' own `new Intl.Segmenter()`, grapheme granularity given or by default. */
const MADE = /new Intl\.Segmenter\((?:undefined, ?\{ ?granularity: ?["']grapheme["'] ?\})?\)/;

/** Which modules are patched (scripts/bundle-tui.mjs patches string-width along with its other patch). */
export const SEGMENTING_MODULES = /[\\/]node_modules[\\/](slice-ansi[\\/]tokenize-ansi|@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize)\.js$/;

export function useGraphemeSegmenter(source: string, file: string): string {
  if (source.split(MADE).length !== 2) throw new Error(`${file} changed: cannot find one Intl.Segmenter made; update scripts/bundle/lazy-segmenters.ts`);
  return `import { graphemeSegmenter as __graphemeSegmenter } from ${JSON.stringify(STAND_IN)};\n${source.replace(MADE, '__graphemeSegmenter()')}`;
}
