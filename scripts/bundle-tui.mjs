// Bundles chat-tui into dist/tui/: the bin and the app it runs. Node 20 loads
// Ink's hundreds of small ES modules one by one, which alone took ~450 ms of
// an ~800 ms start. Bundled as ES modules (a launcher, the flags, the full
// screen, chunks), the start was ~180 ms to the first frame on the 2-core
// machine this was measured on (node -e 0: ~75 ms), and a CPU profile showed
// what was left was mostly V8 parsing and compiling ~470 KB of JavaScript
// cold, then running it in the interpreter. So, three files:
// - chat-tui.cjs, the bin (tui/launch.ts): --help alone prints help.txt and
//   loads nothing else (~76 ms; node -e 0 ~74); otherwise it runs the app
//   (tui/app-script.ts). CommonJS, so Node starts no ES module loader for it:
//   ~4 ms off every start against the .mjs it was;
// - chat-tui-app.js, the app: main.tsx (flags, config) and everything it
//   loads, the full screen and line mode alike, as one classic script
//   (CommonJS format, scripts/bundle/classic-script.ts), because vm.Script
//   can compile a classic script with V8's code cache and Node 20 cannot do
//   so for ES modules. What main.tsx and run-full.tsx import late (the UI
//   after the flags, gRPC after the first frame) is still run only when
//   reached, and without a cache V8 only pre-parses it;
// - chat-tui-app.cache, V8's code cache of all the first frame runs (~700
//   KB), made by running the bin once in a pseudo-terminal
//   (scripts/bundle/code-cache.ts). With it the first frame took a median of
//   ~128 ms against ~191 (interleaved runs; main thread CPU to the frame 118
//   ms against 168): reading and deserialising the cache costs ~6 ms where
//   compiling cost ~40. The shared grapheme segmenter below took ~10 ms more
//   off (main thread CPU 125 -> 115 ms). A stand-in for node:assert
//   (signal-exit's) measured nothing.
// Everything sits in dist/tui/, beside dist/tui/main.js, so relative paths
// (package.json, the .proto) resolve the same way from every file.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinsRequired, inkWithoutDevtools, syncYoga } from '../dist/scripts/bundle/classic-script.js';
import { makeCodeCache } from '../dist/scripts/bundle/code-cache.js';
import { SEGMENTING_MODULES, useGraphemeSegmenter } from '../dist/scripts/bundle/lazy-segmenters.js';
import { patchStringWidth } from '../dist/scripts/bundle/string-width-patch.js';

/**
 * string-width, slice-ansi and ansi-tokenize without ~40 ms of start-up work:
 * an emoji regex made on first need (scripts/bundle/string-width-patch.ts),
 * and no Intl.Segmenter for text that needs none (scripts/bundle/lazy-segmenters.ts).
 */
const lazyTextModules = {
  name: 'lazy-text-modules',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => ({
      contents: useGraphemeSegmenter(patchStringWidth(readFileSync(args.path, 'utf8')), args.path),
      loader: 'js',
    }));
    b.onLoad({ filter: SEGMENTING_MODULES }, (args) => ({ contents: useGraphemeSegmenter(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};

/** commander's node:child_process, loaded only if it is used (see the stand-in). */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, () => ({ path: new URL('./bundle/lazy-child-process.mjs', import.meta.url).pathname }));
  },
};

/** The bin's loader of main.tsx: the code-cached script instead of the module itself. */
const appScript = {
  name: 'app-script',
  setup(b) {
    b.onResolve({ filter: /^\.\/load-main\.js$/ }, () => ({ path: new URL('../dist/tui/app-script.js', import.meta.url).pathname }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  outdir: 'dist/tui',
  // React's production build: the development one checks and warns on every render.
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  logLevel: 'warning',
};

// Files of earlier builds (the ES module app of before had hashed chunk names).
for (const f of readdirSync('dist/tui')) if (/^chat-tui(-.*)?\.(mjs|cjs|js|cache)$/.test(f)) rmSync(`dist/tui/${f}`);

// The bin is CommonJS: Node then starts without its ES module loader, ~4 ms
// of every start (--help: ~80 ms against ~84 as an .mjs; node -e 0: ~78).
await build({
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  entryPoints: { 'chat-tui': 'dist/tui/launch.js' },
  inject: ['scripts/bundle/bin-url.mjs'],
  define: { ...common.define, 'import.meta.url': 'chatTuiBinUrl' },
  plugins: [appScript],
});

const app = await build({
  ...common,
  format: 'cjs',
  entryPoints: { 'chat-tui-app': 'dist/tui/main.js' },
  // tui/app-script.ts passes the script's URL in; a classic script has no import.meta.
  define: { ...common.define, 'import.meta.url': '__chatTuiUrl' },
  alias: {
    // One string-width for all: wrap-ansi 9 (through Ink) asks for 7.x, whose
    // module makes its own Segmenter and emoji regex; 8.x has the same API.
    'string-width': './node_modules/string-width/index.js',
    // Ink's fallback for a stdout that is not a terminal (see the stub).
    'terminal-size': './scripts/bundle/terminal-size-stub.mjs',
  },
  plugins: [lazyTextModules, lazyChildProcess, syncYoga, inkWithoutDevtools, builtinsRequired],
  metafile: true,
});
for (const [file, out] of Object.entries(app.metafile.outputs)) {
  const late = out.imports.filter((i) => i.kind === 'dynamic-import');
  if (late.length) throw new Error(`${file} would import() ${late.map((i) => i.path).join(', ')}: a code-cached script cannot (scripts/bundle/classic-script.ts)`);
}
// The first line names the user's own cache of this very script, should V8
// refuse the built one (tui/app-script.ts); esbuild's #! line goes.
const APP_FILE = 'dist/tui/chat-tui-app.js';
const appSource = readFileSync(APP_FILE, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(APP_FILE, `// chat-tui-app ${createHash('sha256').update(appSource).digest('hex').slice(0, 32)}\n${appSource}`);

// chat-tui --help alone prints this saved copy of commander's text without
// loading commander (tui/main.tsx); made from the bin just built.
writeFileSync(
  'dist/tui/help.txt',
  execFileSync(process.execPath, ['dist/tui/chat-tui.cjs', '--help'], { env: { ...process.env, CHAT_TUI_BUILDING_HELP: '1' } }),
);

const noCache = await makeCodeCache('dist/tui/chat-tui.cjs');
if (noCache) console.warn(`bundle-tui: no code cache (chat-tui works, its first frame comes ~45 ms later): ${noCache}`);
