// What the idle bench's joins allocated that outlived a scavenge, per stream,
// by the function that allocated it: reads the sampling heap profile that
// `--alloc DIR` writes (scripts/idle-probe.ts). Such a profile holds what is
// still alive and what died after being promoted to the old space (collected
// by a major GC); with --minus, the same load's `--alloc-live` profile is
// taken away, leaving that garbage alone: what grew the old space during the
// joins and stays in RSS as committed but unused heap after them.
// Functions are named without line numbers, so profiles of two builds compare.
//   node dist/scripts/alloc-breakdown.js PROFILE N [--minus LIVE_PROFILE] [--top 30] [--stack 0]
// --stack K: prefix each function with the K nearest calling functions of ours (dist/server).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  callFrame: { functionName: string; url: string };
  selfSize: number;
  children?: ProfileNode[];
}

const short = (url: string): string => url.replace(/^file:\/\/.*\/(dist|node_modules)\//, '').replace(/^node:internal\//, 'node:');

function bytesByFunction(file: string, stack: number): Map<string, number> {
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };
  const out = new Map<string, number>();
  const walk = (node: ProfileNode, callers: string[]): void => {
    const name = `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}`.trim();
    if (node.selfSize > 0) {
      const ours = stack > 0 ? callers.filter((c) => c.includes(' server/')).slice(-stack) : [];
      const key = [name, ...ours.reverse()].join(' < ');
      out.set(key, (out.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, [...callers, name]);
  };
  walk(head, []);
  return out;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { minus: { type: 'string' }, top: { type: 'string', default: '30' }, stack: { type: 'string', default: '0' } },
});
const [file, nArg] = positionals;
if (!file || !nArg) throw new Error('usage: alloc-breakdown PROFILE N [--minus LIVE_PROFILE] [--top 30] [--stack 0]');
const n = Number(nArg);
const stack = Number(values.stack);
const all = bytesByFunction(file, stack);
const live = values.minus ? bytesByFunction(values.minus, stack) : new Map<string, number>();
const rows = [...new Set([...all.keys(), ...live.keys()])].map((key) => ({
  key,
  all: (all.get(key) ?? 0) / n,
  live: (live.get(key) ?? 0) / n,
}));
const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
const net = (r: (typeof rows)[number]) => r.all - r.live;
console.log(
  values.minus
    ? `promoted and died, per stream: ${(sum(net) / 1024).toFixed(2)} KB (survived a scavenge ${(sum((r) => r.all) / 1024).toFixed(2)} KB, alive ${(sum((r) => r.live) / 1024).toFixed(2)} KB)`
    : `survived a scavenge, per stream: ${(sum(net) / 1024).toFixed(2)} KB`,
);
for (const r of rows.sort((a, b) => net(b) - net(a)).slice(0, Number(values.top))) {
  const detail = values.minus ? `  (${r.all.toFixed(0)} - ${r.live.toFixed(0)})` : '';
  console.log(`  ${net(r).toFixed(0).padStart(6)} B${detail}  ${r.key}`);
}
