// Bundles chat-tui: dist/tui/chat-tui.mjs (the bin) and the parts it loads
// on demand. Node 20 loads Ink's hundreds of small ES modules one by one,
// which alone took ~450 ms of an ~800 ms start. Two builds:
// - the bin: the flags and the config file, one file, nothing else: --help
//   and --version load only this;
// - the app (chat-tui-full.mjs, chat-tui-line.mjs and the chunks they
//   share, split by esbuild): main.tsx imports one of them once the flags
//   are read. The full screen draws its first frame before it imports the
//   gRPC client (a chunk of its own); line mode never loads the UI.
// The two builds share no module with state (the bin holds args, config,
// bindings, the clock format and protos/rules, all pure). Everything sits in
// dist/tui/, beside dist/tui/main.js, so relative paths (package.json, the
// .proto) resolve the same way from every file.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { patchStringWidth } from '../dist/scripts/bundle/string-width-patch.js';

/** string-width without ~30 ms of start-up work (scripts/bundle/string-width-patch.ts says why and how). */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => ({
      contents: patchStringWidth(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** main.tsx's dynamic imports, pointed at the app build's entry files. */
const APP_ENTRIES = { './run-full.js': './chat-tui-full.mjs', './run-line.js': './chat-tui-line.mjs' };
const appEntries = {
  name: 'app-entries',
  setup(b) {
    b.onResolve({ filter: /^\.\/run-(full|line)\.js$/ }, (args) => ({ path: APP_ENTRIES[args.path], external: true }));
  },
};

/** commander's node:child_process, loaded only if it is used (see the stand-in). */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, () => ({ path: new URL('./bundle/lazy-child-process.mjs', import.meta.url).pathname }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'dist/tui',
  outExtension: { '.js': '.mjs' },
  // React's production build: the development one checks and warns on every render.
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  alias: {
    // Ink imports the React devtools only when DEV=true; they are not shipped.
    'react-devtools-core': './scripts/bundle/devtools-stub.mjs',
    // One string-width for all: wrap-ansi 9 (through Ink) asks for 7.x, whose
    // module makes its own Segmenter and emoji regex; 8.x has the same API.
    'string-width': './node_modules/string-width/index.js',
    // Ink's fallback for a stdout that is not a terminal (see the stub).
    'terminal-size': './scripts/bundle/terminal-size-stub.mjs',
  },
  // Bundled CommonJS dependencies (grpc-js, protobufjs) still call require().
  banner: { js: "import { createRequire as __chatTuiRequire } from 'node:module'; const require = __chatTuiRequire(import.meta.url);" },
  logLevel: 'warning',
};

// Files of an earlier build would pile up (chunk names carry a hash).
for (const f of readdirSync('dist/tui')) if (/^chat-tui(-.*)?\.mjs$/.test(f)) rmSync(`dist/tui/${f}`);

/** launch.ts's one import: main.tsx's own bundle, loaded only when --help alone is not the question. */
const mainEntry = {
  name: 'main-entry',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: './chat-tui-main.mjs', external: true }));
  },
};
await build({ ...common, entryPoints: { 'chat-tui': 'dist/tui/launch.js' }, plugins: [mainEntry] });
await build({ ...common, entryPoints: { 'chat-tui-main': 'dist/tui/main.js' }, plugins: [appEntries, lazyChildProcess] });
await build({
  ...common,
  entryPoints: { 'chat-tui-full': 'dist/tui/run-full.js', 'chat-tui-line': 'dist/tui/run-line.js' },
  splitting: true,
  chunkNames: 'chat-tui-[name]-[hash]',
  plugins: [lazyStringWidth],
});

// chat-tui --help alone prints this saved copy of commander's text without
// loading commander (tui/main.tsx); made from the entry just built.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
writeFileSync(
  'dist/tui/help.txt',
  execFileSync(process.execPath, ['dist/tui/chat-tui.mjs', '--help'], { env: { ...process.env, CHAT_TUI_BUILDING_HELP: '1' } }),
);
