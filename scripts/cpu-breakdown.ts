// Reads a V8 .cpuprofile (`npm run bench -- --idle N --only chat --profile DIR`
// writes the chat server's join storm, first broadcast and reconnect storm) and
// prints where the time went: by owner (our server code, grpc-js, node's http2
// and streams, SQLite, GC, idle), then the functions with the most self time,
// then our own functions by inclusive time (themselves and what they call).
// Samples are weighted by the time until the next one, so samples the profiler
// dropped on a busy machine do not skew the shares.
//   node dist/scripts/cpu-breakdown.js FILE.cpuprofile [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function ownerOf(node: ProfileNode): string {
  const { functionName: fn, url } = node.callFrame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/native (program)';
  if (url.includes('/dist/server/')) return 'chat server (ours)';
  if (url.includes('/dist/protos/')) return 'protos (ours)';
  if (url.includes('@grpc/grpc-js')) return 'grpc-js';
  if (url.includes('protobufjs') || url.includes('@grpc/proto-loader')) return 'protobufjs';
  if (url.includes('better-sqlite3')) return 'better-sqlite3 (JS)';
  if (url.includes('node:internal/http2')) return 'node http2';
  if (url.includes('node:internal/streams') || url === 'node:events' || url.includes('node:internal/events')) return 'node streams/events';
  if (url.includes('node:internal/timers') || url.includes('task_queues')) return 'node timers/ticks';
  if (url.startsWith('node:')) return 'node other';
  if (url === '') return `native: ${fn || '(anonymous)'}`;
  return 'other';
}

const short = (url: string) => url.replace(/^file:\/\/.*\/(dist|node_modules)\//, '').replace(/^node:internal\//, 'node:');
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const file = positionals[0];
if (!file) throw new Error('usage: cpu-breakdown FILE.cpuprofile [--top 25]');
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const owners = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(profile.samples[i] as number);
  if (!node) continue;
  total += us;
  const owner = ownerOf(node);
  owners.set(owner, (owners.get(owner) ?? 0) + us);
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id);
    if (!n) break;
    const key = label(n);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}

// Stretches of samples with no idle between them: the event loop was blocked for that long.
interface Stretch {
  start: number;
  us: number;
  /** Time by entry point (the stack's outermost JS frame: a timer, an immediate, a socket read...). */
  entries: Map<string, number>;
  /** Time by our own innermost function on the stack (what of ours the stretch was spent in). */
  ours: Map<string, number>;
}
const stretches: Stretch[] = [];
let open: Stretch | null = null;
let clock = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  clock += profile.timeDeltas[i] ?? 0;
  const us = profile.timeDeltas[i + 1] ?? 0;
  const node = byId.get(profile.samples[i] as number);
  if (!node || node.callFrame.functionName === '(idle)') {
    open = null;
    continue;
  }
  if (!open) stretches.push((open = { start: clock, us: 0, entries: new Map(), ours: new Map() }));
  open.us += us;
  let entry = node;
  for (let id = parent.get(node.id); id !== undefined && parent.get(id) !== undefined; id = parent.get(id)) entry = byId.get(id) ?? entry;
  const key = label(entry);
  open.entries.set(key, (open.entries.get(key) ?? 0) + us);
  let mine = '(none of ours on the stack)';
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id);
    if (n && n.callFrame.url.includes('/dist/server/')) {
      mine = label(n);
      break;
    }
  }
  open.ours.set(mine, (open.ours.get(mine) ?? 0) + us);
}

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const busy = total - (owners.get('idle') ?? 0);
console.log(`${file}: ${(total / 1e6).toFixed(2)} s profiled, ${(busy / 1e6).toFixed(2)} s busy`);
console.log('by owner (self time):');
for (const [o, us] of [...owners].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(us)} ${pct(us)}  ${o}`);
console.log(`top ${top} functions by self time:`);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(us)} ${pct(us)}  ${k}`);
console.log(`our functions (server/) by inclusive time:`);
for (const [k, us] of [...inclusive].filter(([k]) => k.includes(' server/')).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${ms(us)} ${pct(us)}  ${k}`);
}
const long = stretches.filter((st) => st.us > 50_000).sort((a, b) => b.us - a.us);
console.log(
  `event loop blocked over 50 ms: ${long.length} times, ${(long.reduce((t, st) => t + st.us, 0) / 1e6).toFixed(2)} s in all` +
    (long[0] ? `; the longest ${(long[0].us / 1000).toFixed(0)} ms` : ''),
);
for (const st of long.slice(0, 5)) {
  const entries = [...st.entries].sort((a, b) => b[1] - a[1]).slice(0, 4);
  console.log(`  ${ms(st.us)} at +${((st.start - profile.startTime) / 1e6).toFixed(2)} s: ${entries.map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`).join(', ')}`);
  const ours = [...st.ours].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(`      in: ${ours.map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`).join(', ')}`);
}
