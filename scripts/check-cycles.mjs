// Fails when modules import each other in a circle (type-only imports count
// too: a cycle of types is still two files that cannot be read apart). Reads
// each .ts/.tsx file's relative imports with TypeScript's own pre-parser and
// prints every cycle it finds, e.g. `server/room.ts -> server/presence.ts -> server/room.ts`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['server', 'tui', 'protos', 'scripts'];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `./room.js` from server/hub.ts -> server/room.ts (NodeNext imports name the emitted .js). */
function resolve(from, spec) {
  const stem = path.resolve(path.dirname(from), spec).replace(/\.[cm]?[jt]sx?$/, '');
  return ['.ts', '.tsx'].map((ext) => stem + ext).find((f) => existsSync(f)) ?? null;
}

const files = dirs.flatMap((d) => sources(path.join(root, d)));
const graph = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const deps = importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('./') || spec.startsWith('../'))
    .map((spec) => resolve(file, spec))
    .filter((dep) => dep !== null);
  graph.set(file, [...new Set(deps)]);
}

// Depth-first search; a grey node met again closes a cycle: the path from it back to itself.
const state = new Map(); // file -> 'grey' | 'black'
const stack = [];
const cycles = new Set();
function visit(file) {
  state.set(file, 'grey');
  stack.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (state.get(dep) === 'grey') {
      const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((f) => path.relative(root, f));
      cycles.add(cycle.join(' -> '));
    } else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(file, 'black');
}
for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);

if (cycles.size > 0) {
  console.error(`import cycles (${cycles.size}); move the shared part into a module both can import:`);
  for (const c of cycles) console.error(`  ${c}`);
  process.exit(1);
}
console.log(`no import cycles (${files.length} files in ${dirs.join(', ')})`);
