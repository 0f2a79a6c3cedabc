// The plugins that let chat-tui's app bundle as one classic script
// (scripts/bundle/classic-script.ts), each bundled alone with esbuild the way
// scripts/bundle-tui.mjs does: yoga loaded synchronously lays out as the
// original does and never touches fetch; Ink's reconciler bundles without a
// top-level await; import('node:...') becomes a require made when reached.
import { build, type Plugin } from 'esbuild';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type YogaType from 'yoga-layout';
import { builtinsRequired, inkWithoutDevtools, syncYoga } from '../../scripts/bundle/classic-script.js';
import { tempDir } from '../helpers.js';

type Yoga = typeof YogaType;
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const tmp = tempDir();
after(() => tmp.cleanup());
let n = 0;

/** `contents` bundled as the app is (CommonJS, for Node 20), then required. */
async function bundle(contents: string, plugins: Plugin[]): Promise<{ exports: Record<string, unknown>; code: string }> {
  const out = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  const code = out.outputFiles[0]!.text;
  const file = path.join(tmp.dir, `bundle${n++}.cjs`);
  writeFileSync(file, code);
  return { exports: createRequire(import.meta.url)(file) as Record<string, unknown>, code };
}

/** A row of three boxes, one growing, one wrapped in padding: every number yoga gives back. */
function layout(Yoga: Yoga): number[] {
  const root = Yoga.Node.create();
  root.setWidth(100);
  root.setHeight(20);
  root.setFlexDirection(Yoga.FLEX_DIRECTION_ROW);
  const sizes: Array<[grow: number, width: number | undefined]> = [[1, undefined], [0, 30], [2, undefined]];
  const kids = sizes.map(([grow, width], i) => {
    const kid = Yoga.Node.create();
    kid.setFlexGrow(grow);
    if (width !== undefined) kid.setWidth(width);
    kid.setPadding(Yoga.EDGE_ALL, i);
    root.insertChild(kid, i);
    return kid;
  });
  root.calculateLayout(undefined, undefined, Yoga.DIRECTION_LTR);
  const numbers = [root, ...kids].flatMap((node) => Object.values(node.getComputedLayout()));
  root.freeRecursive();
  return numbers;
}

describe('bundling the app as a classic script', () => {
  it('loads yoga synchronously, without fetch, and it lays out as the original', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'fetch')!;
    let fetched = false;
    Object.defineProperty(globalThis, 'fetch', {
      configurable: true,
      get() {
        fetched = true;
        return saved.value as unknown;
      },
    });
    let patched: Yoga;
    try {
      patched = (await bundle("export { default } from 'yoga-layout';", [syncYoga])).exports.default as Yoga;
    } finally {
      Object.defineProperty(globalThis, 'fetch', saved);
    }
    assert.equal(fetched, false);
    const original = (await import('yoga-layout')).default;
    assert.deepEqual(layout(patched), layout(original));
  });

  it("bundles Ink's reconciler, which awaits at its top level, and it loads", async () => {
    // Not one of Ink's exports: by its path.
    const reconciler = JSON.stringify(path.join(ROOT, 'node_modules', 'ink', 'build', 'reconciler.js'));
    const { exports } = await bundle(`export { default } from ${reconciler};`, [syncYoga, inkWithoutDevtools]);
    assert.equal(typeof (exports.default as { createContainer?: unknown }).createContainer, 'function');
  });

  it("makes import('node:...') a require, made when it is reached", async () => {
    const { exports, code } = await bundle("export const load = () => import('node:os');", [builtinsRequired]);
    assert.doesNotMatch(code, /\bimport\(/);
    const os = await (exports.load as () => Promise<typeof import('node:os')>)();
    assert.equal(os.cpus, (await import('node:os')).cpus);
  });
});
