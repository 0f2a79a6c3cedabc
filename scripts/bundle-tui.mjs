// Bundles chat-tui into one ES module (dist/tui/chat-tui.mjs, the bin).
// Node 20 loads Ink's hundreds of small ES modules one by one, which alone
// took ~450 ms of an ~800 ms start; one file starts in ~400 ms. It sits
// beside dist/tui/main.js so its relative paths (package.json, the .proto)
// resolve the same way.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/tui/main.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/tui/chat-tui.mjs',
  // Ink imports the React devtools only when DEV=true; they are not shipped.
  alias: { 'react-devtools-core': './scripts/bundle/devtools-stub.mjs' },
  // Bundled CommonJS dependencies (grpc-js, protobufjs) still call require().
  banner: { js: "import { createRequire as __chatTuiRequire } from 'node:module'; const require = __chatTuiRequire(import.meta.url);" },
  logLevel: 'warning',
});
