// What it takes to bundle chat-tui's app as one classic script (CommonJS
// format), which vm.Script can compile with V8's code cache (tui/app-script.ts
// says why). A classic script can have no top-level await, and a dynamic
// import() in it cannot be answered once its code comes from a cache (Node 20
// loses the script's import callback then: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING),
// so the three plugins here leave neither. Each patch fails the build when
// the text it patches changed, rather than going unapplied.
import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';

function patch(source: string, file: string, patches: Array<[from: string | RegExp, to: string]>): string {
  let out = source;
  for (const [from, to] of patches) {
    if (out.split(from).length !== 2) throw new Error(`${file} changed: cannot find ${String(from)} once; update scripts/bundle/classic-script.ts`);
    out = out.replace(from, () => to);
  }
  return out;
}

/**
 * yoga-layout 3's index.js is `wrapAssembly(await loadYoga())`. Its
 * Emscripten loader takes a module object whose instantiateWasm(imports,
 * done) may instantiate at once, and then the whole runtime is set up before
 * loadYoga() returns. The loader is patched to hand that callback the wasm's
 * data: URL too; the index decodes it and instantiates synchronously (Node
 * compiles on the main thread either way) and exports what the original does.
 * It never asks for fetch either (tui/main.tsx withoutFetch says why that matters).
 */
const SYNC_YOGA_INDEX = `
import loadYoga from '../binaries/yoga-wasm-base64-esm.js';
import wrapAssembly from './wrapAssembly.js';
const lib = {
  instantiateWasm(imports, done, dataUrl) {
    const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    done(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
    return {};
  },
};
loadYoga(lib);
if (!lib.calledRun) throw new Error('yoga-layout did not load synchronously (scripts/bundle/classic-script.ts)');
const Yoga = wrapAssembly(lib);
export default Yoga;
export * from './generated/YGEnums.js';
`;
/** The original index, comments and blank lines aside: anything else and the replacement above may be wrong. */
const YOGA_INDEX = [
  "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
  'import wrapAssembly from "./wrapAssembly.js";',
  'const Yoga = wrapAssembly(await loadYoga());',
  'export default Yoga;',
  'export * from "./generated/YGEnums.js";',
].join('\n');

export const syncYoga: Plugin = {
  name: 'sync-yoga',
  setup(b) {
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]src[\\/]index\.js$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//'))
        .join('\n');
      if (code !== YOGA_INDEX) throw new Error(`${args.path} changed; update scripts/bundle/classic-script.ts`);
      return { contents: SYNC_YOGA_INDEX, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => ({
      contents: patch(readFileSync(args.path, 'utf8'), args.path, [[/h\.instantiateWasm\(d,\s*a\)/, 'h.instantiateWasm(d,a,H)']]),
      loader: 'js',
    }));
  },
};

/**
 * Ink's reconciler awaits the React devtools, and its own package.json for
 * them, at the top level when DEV=true. The devtools are not shipped: both
 * go, and DEV=true renders as without it.
 */
export const inkWithoutDevtools: Plugin = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => ({
      contents: patch(readFileSync(args.path, 'utf8'), args.path, [
        ["await import('./devtools.js');", ''],
        ['? await loadPackageJson()', '? { name: undefined, version: undefined }'],
      ]),
      loader: 'js',
    }));
  },
};

/**
 * import('node:crypto') and the like (run-full.tsx loads some of Node's
 * modules late on purpose) become require()s, still made only when reached.
 */
export const builtinsRequired: Plugin = {
  name: 'builtins-required',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-required' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};
