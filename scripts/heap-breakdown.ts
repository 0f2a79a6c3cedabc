// Where a server's per-stream heap goes: reads two V8 heap snapshots of the
// same server (one with no streams, one with N; `npm run bench -- --idle N
// --only chat --heap DIR` writes both) and prints the difference per stream,
// by owner. Every object is charged to an owner: itself when it is an instance
// of a named class or a closure, else the nearest such object that dominates
// it (holds the only path to it from the GC roots), so an Outbox's queue array
// is the Outbox's and a session's identity object the session's. Objects
// reached from several owners are charged to what dominates them all. Each
// owner's file (from its constructor's or function's script) gives its group:
// ours (dist/server), grpc-js, node's http2 and streams, or V8/other.
//   node dist/scripts/heap-breakdown.js BASE.heapsnapshot FULL.heapsnapshot N [--top 40] [--detail OWNER]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Owner {
  key: string;
  /** What it is charged with, by node type and name (for --detail). */
  charged: Map<string, { count: number; bytes: number }>;
  group: string;
  count: number;
  /** Objects the owner is an instance of (not charged to it). */
  instances: number;
  bytes: number;
}

const GENERIC = new Set(['Object', 'Array', 'Map', 'Set', 'Promise', 'WeakMap', 'Symbol', '']);

function groupOf(script: string, type: string): string {
  if (script.includes('/dist/server/')) return 'chat server (ours)';
  if (script.includes('/dist/protos/') || script.includes('/dist/scripts/')) return 'bench / protos (ours)';
  if (script.includes('@grpc/grpc-js')) return 'grpc-js';
  if (script.includes('node:internal/http2')) return 'node http2 (JS)';
  if (script.includes('node:internal/streams') || script.includes('node:events')) return 'node streams/events';
  if (type === 'native') return 'node native (C++)';
  if (script.startsWith('node:')) return 'node other';
  if (script.includes('node_modules')) return script.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
  return 'V8 / unattributed';
}

function analyse(file: string): Map<string, Owner> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const meta = snap.snapshot.meta;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snap;
  const n = nodes.length / NF;
  const typeAt = (i: number) => nodeTypes[nodes[i * NF] as number] ?? '?';
  const nameAt = (i: number) => strings[nodes[i * NF + 1] as number] ?? '';
  const sizeAt = (i: number) => nodes[i * NF + 3] as number;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, e = 0; i < n; i++) {
    firstEdge[i] = e;
    e += (nodes[i * NF + 4] as number) * EF;
  }
  firstEdge[n] = edges.length;
  const WEAK = edgeTypes.indexOf('weak');
  const edgeName = (e: number) => {
    const t = edgeTypes[edges[e] as number];
    return t === 'element' || t === 'hidden' ? '' : (strings[edges[e + 1] as number] ?? '');
  };
  const child = (i: number, name: string): number => {
    for (let e = firstEdge[i] as number; e < (firstEdge[i + 1] as number); e += EF) {
      if (edgeName(e) === name) return (edges[e + 2] as number) / NF;
    }
    return -1;
  };

  // Script of a closure (closure -> shared -> script_or_debug_info), and of an
  // object's class (map -> prototype -> constructor, a closure).
  const scriptOfClosure = (c: number): string => {
    const shared = child(c, 'shared');
    const script = shared < 0 ? -1 : child(shared, 'script_or_debug_info');
    return script < 0 ? '' : nameAt(script);
  };
  const scriptOfObject = (o: number): string => {
    const map = child(o, 'map');
    const proto = map < 0 ? -1 : child(map, 'prototype');
    const ctor = proto < 0 ? -1 : child(proto, 'constructor');
    return ctor >= 0 && typeAt(ctor) === 'closure' ? scriptOfClosure(ctor) : '';
  };

  // Depth-first postorder from the root (node 0), ignoring weak edges.
  const order = new Int32Array(n).fill(-1);
  const post: number[] = [];
  const stack = new Int32Array(n);
  const cursor = new Uint32Array(n);
  let sp = 0;
  stack[sp++] = 0;
  order[0] = -2;
  cursor[0] = firstEdge[0] as number;
  while (sp > 0) {
    const v = stack[sp - 1] as number;
    let pushed = false;
    while ((cursor[v] as number) < (firstEdge[v + 1] as number)) {
      const e = cursor[v] as number;
      cursor[v] = e + EF;
      if (edges[e] === WEAK) continue;
      const w = (edges[e + 2] as number) / NF;
      if (order[w] !== -1) continue;
      order[w] = -2;
      cursor[w] = firstEdge[w] as number;
      stack[sp++] = w;
      pushed = true;
      break;
    }
    if (!pushed) {
      sp--;
      order[v] = post.length;
      post.push(v);
    }
  }
  const m = post.length;
  // Predecessors (in postorder numbers) of every reachable node.
  const predCount = new Uint32Array(m + 1);
  for (let v = 0; v < n; v++) {
    if ((order[v] as number) < 0) continue;
    for (let e = firstEdge[v] as number; e < (firstEdge[v + 1] as number); e += EF) {
      if (edges[e] === WEAK) continue;
      const w = order[(edges[e + 2] as number) / NF] as number;
      if (w >= 0) predCount[w + 1] = (predCount[w + 1] as number) + 1;
    }
  }
  for (let i = 0; i < m; i++) predCount[i + 1] = (predCount[i + 1] as number) + (predCount[i] as number);
  const preds = new Uint32Array(predCount[m] as number);
  const fill = predCount.slice(0, m);
  for (let v = 0; v < n; v++) {
    const pv = order[v] as number;
    if (pv < 0) continue;
    for (let e = firstEdge[v] as number; e < (firstEdge[v + 1] as number); e += EF) {
      if (edges[e] === WEAK) continue;
      const w = order[(edges[e + 2] as number) / NF] as number;
      if (w >= 0) preds[fill[w]!++] = pv;
    }
  }
  // Cooper, Harvey & Kennedy's iterative dominators, on postorder numbers (root = m - 1).
  const UNDEF = -1;
  const idom = new Int32Array(m).fill(UNDEF);
  const root = m - 1;
  idom[root] = root;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (a < b) a = idom[a] as number;
      while (b < a) b = idom[b] as number;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let v = root - 1; v >= 0; v--) {
      let d = UNDEF;
      for (let k = predCount[v] as number; k < (predCount[v + 1] as number); k++) {
        const p = preds[k] as number;
        if (idom[p] === UNDEF) continue;
        d = d === UNDEF ? p : intersect(p, d);
      }
      if (d !== UNDEF && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }

  // Owner of every reachable node: itself if it is a named instance or closure, else its dominator's owner.
  const ownerKey = new Array<string | undefined>(m);
  const keys = new Map<string, Owner>();
  const keyOf = (v: number): string | undefined => {
    const type = typeAt(v);
    const name = nameAt(v);
    let script = '';
    if (type === 'closure') script = scriptOfClosure(v);
    else if (type === 'object' && !GENERIC.has(name) && !name.startsWith('system /')) script = scriptOfObject(v);
    else if (type === 'native' && !name.startsWith('system /')) script = '';
    else return undefined;
    const group = groupOf(script, type);
    const key = type === 'closure' ? `closure ${name || '(anonymous)'} ${short(script)}` : `${name} ${short(script)}`.trim();
    let owner = keys.get(key);
    if (!owner) keys.set(key, (owner = { key, group, charged: new Map(), count: 0, instances: 0, bytes: 0 }));
    owner.instances++;
    return key;
  };
  for (let pv = root; pv >= 0; pv--) {
    const v = post[pv] as number;
    const own = pv === root ? undefined : keyOf(v);
    ownerKey[pv] = own ?? (pv === root ? '(GC roots)' : ownerKey[idom[pv] as number]);
    const key = ownerKey[pv] ?? '(GC roots)';
    let owner = keys.get(key);
    if (!owner) keys.set(key, (owner = { key, group: 'V8 / unattributed', charged: new Map(), count: 0, instances: 0, bytes: 0 }));
    owner.count++;
    owner.bytes += sizeAt(v);
    if (detail !== undefined && key.startsWith(detail)) {
      const what = `${typeAt(v)} ${nameAt(v).slice(0, 40).replace(/\d+/g, '#')}`;
      const c = owner.charged.get(what) ?? { count: 0, bytes: 0 };
      c.count++;
      c.bytes += sizeAt(v);
      owner.charged.set(what, c);
    }
  }
  return keys;
}

function short(script: string): string {
  return script.replace(/^file:\/\/.*\/(dist|node_modules)\//, '').replace(/^node:internal\//, 'node:');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, detail: { type: 'string' } },
});
/** --detail PREFIX: list what the owners whose name starts with PREFIX are charged with. */
const detail = values.detail;
const [baseFile, fullFile, nArg] = positionals;
if (!baseFile || !fullFile || !nArg) throw new Error('usage: heap-breakdown BASE.heapsnapshot FULL.heapsnapshot N');
const N = Number(nArg);
const base = analyse(baseFile);
const full = analyse(fullFile);
const rows = [...full.values()].map((o) => {
  const b = base.get(o.key);
  return { ...o, bytes: (o.bytes - (b?.bytes ?? 0)) / N, count: (o.count - (b?.count ?? 0)) / N, instances: (o.instances - (b?.instances ?? 0)) / N };
});
for (const b of base.values()) if (!full.has(b.key)) rows.push({ ...b, bytes: -b.bytes / N, count: -b.count / N, instances: -b.instances / N });
const total = rows.reduce((s, r) => s + r.bytes, 0);
const objects = rows.reduce((s, r) => s + r.count, 0);
const groups = new Map<string, number>();
for (const r of rows) groups.set(r.group, (groups.get(r.group) ?? 0) + r.bytes);
console.log(`heap per stream, ${N} streams: ${(total / 1024).toFixed(2)} KB in ${objects.toFixed(1)} objects (self sizes, reachable objects only)`);
console.log('by group:');
for (const [g, bytes] of [...groups].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${(bytes / 1024).toFixed(2).padStart(7)} KB  ${g}`);
}
console.log(`by owner (top ${values.top}): bytes/stream, instances/stream, objects charged/stream`);
for (const r of rows.sort((a, b) => b.bytes - a.bytes).slice(0, Number(values.top))) {
  console.log(`  ${r.bytes.toFixed(0).padStart(6)} B  ${r.instances.toFixed(2).padStart(6)}  ${r.count.toFixed(1).padStart(6)}  ${r.key}  [${r.group}]`);
}
if (detail !== undefined) {
  for (const o of full.values()) {
    if (!o.key.startsWith(detail)) continue;
    const b = base.get(o.key);
    console.log(`${o.key} is charged with, per stream (bytes, objects):`);
    const what = [...o.charged].map(([k, c]) => {
      const bc = b?.charged.get(k);
      return [k, (c.bytes - (bc?.bytes ?? 0)) / N, (c.count - (bc?.count ?? 0)) / N] as const;
    });
    for (const [k, bytes, count] of what.sort((x, y) => y[1] - x[1]).slice(0, 15)) {
      console.log(`  ${bytes.toFixed(0).padStart(6)} B  ${count.toFixed(2).padStart(6)}  ${k}`);
    }
  }
}
