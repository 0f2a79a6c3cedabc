// Bundles chat-tui (dist/tui/chat-tui.mjs, the bin) and the parts it loads
// on demand. Node 20 loads Ink's hundreds of small ES modules one by one,
// which alone took ~450 ms of an ~800 ms start; bundled, it starts in a
// fraction of that. With `splitting`, main.tsx's dynamic imports become
// chunks beside the bin: --help loads only the flag parser, the full screen
// loads Ink and React and draws before gRPC is loaded, line mode never
// loads the UI. Everything sits in dist/tui/, beside dist/tui/main.js, so
// relative paths (package.json, the .proto) resolve the same way from every
// chunk.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

// Chunks of an earlier build would pile up (their names carry a hash).
for (const f of readdirSync('dist/tui')) if (/^chat-tui(-.*)?\.mjs$/.test(f)) rmSync(`dist/tui/${f}`);

await build({
  entryPoints: { 'chat-tui': 'dist/tui/main.js' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'dist/tui',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chat-tui-[name]-[hash]',
  // React's production build: the development one checks and warns on every render.
  define: { 'process.env.NODE_ENV': '"production"' },
  minify: true,
  // Ink imports the React devtools only when DEV=true; they are not shipped.
  alias: { 'react-devtools-core': './scripts/bundle/devtools-stub.mjs' },
  // Bundled CommonJS dependencies (grpc-js, protobufjs) still call require().
  banner: { js: "import { createRequire as __chatTuiRequire } from 'node:module'; const require = __chatTuiRequire(import.meta.url);" },
  logLevel: 'warning',
});
