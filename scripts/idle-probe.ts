// Loaded into the bench's server child with --import, beside bench-server.ts
// (which it does not touch): answers the idle bench's extra questions over the
// same IPC channel. Requests are objects with a `probe` field, so
// bench-server.ts, which only acts on the strings 'report' and 'stop', ignores
// them; every answer carries the same `probe` field.
//   loop-reset / loop  the event loop's delay since the last reset (perf_hooks.monitorEventLoopDelay),
//                      and the garbage collector's pauses meanwhile (a 'gc' PerformanceObserver)
//   gc                 a full garbage collection, so the next report's RSS is not last minute's garbage
//   mem                process.memoryUsage() and the kernel's anonymous/file split of RSS
//   cpu-start / cpu-stop {file}   a V8 CPU profile of what ran in between
//   heap {file}        a heap snapshot
//   alloc-start {live} / alloc-stop {file}   a sampling heap profile of what was allocated in between
//                      and survived a scavenge: live now, or (live false) also collected since by a
//                      major GC, i.e. promoted to the old space and died there, the garbage that grows
//                      the old space (read with scripts/alloc-breakdown.ts)
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

export type ProbeRequest =
  | { probe: 'loop-reset' | 'loop' | 'gc' | 'mem' | 'cpu-start' }
  | { probe: 'cpu-stop' | 'heap' | 'alloc-stop'; file: string }
  | { probe: 'alloc-start'; live: boolean };

export interface LoopDelay {
  /** Milliseconds. */
  max: number;
  p99: number;
  mean: number;
  /** The longest garbage-collector pause, and all of them added up (ms). */
  gcMax: number;
  gcTotal: number;
}

/** Bytes. */
export interface Memory {
  rss: number;
  /** V8 heap: committed, and in use by live (and not yet collected) objects. */
  heapTotal: number;
  heapUsed: number;
  /** Memory outside the V8 heap that JS objects hold (Buffers' bytes and the like). */
  external: number;
  /** RSS that is not a mapped file: heap, malloc arenas, stacks. */
  rssAnon: number;
}

export type ProbeAnswer = { probe: string; loop?: LoopDelay; mem?: Memory; error?: string };

// A 10 ms resolution is fine for "never blocked more than 50 ms" and costs next to nothing.
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();

// GC pauses block the loop too: reported beside the delay, so a block can be told apart from our work.
const gcPauses = { max: 0, total: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
    // The probe's own forced collections (for the memory figures) are not the server's.
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR && forcing) continue;
    gcPauses.max = Math.max(gcPauses.max, entry.duration);
    gcPauses.total += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });
let forcing = false;

// A gc() that only this module sees: the main context stays without one, so
// bench-server.ts's report keeps its no-GC behaviour.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let profiler: Session | null = null;
let sampler: Session | null = null;

async function answer(req: ProbeRequest): Promise<ProbeAnswer> {
  switch (req.probe) {
    case 'loop-reset':
      histogram.reset();
      gcPauses.max = 0;
      gcPauses.total = 0;
      return { probe: req.probe };
    case 'loop':
      return {
        probe: req.probe,
        loop: {
          max: histogram.max / 1e6,
          p99: histogram.percentile(99) / 1e6,
          mean: histogram.mean / 1e6,
          gcMax: gcPauses.max,
          gcTotal: gcPauses.total,
        },
      };
    case 'gc':
      forcing = true;
      gc();
      // The observer hears of it asynchronously: stop ignoring majors a moment later.
      setTimeout(() => (forcing = false), 50);
      return { probe: req.probe };
    case 'mem': {
      const m = process.memoryUsage();
      const status = readFileSync('/proc/self/status', 'utf8');
      const rssAnon = Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
      return { probe: req.probe, mem: { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, rssAnon } };
    }
    case 'cpu-start':
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.post('Profiler.start');
      return { probe: req.probe };
    case 'cpu-stop': {
      if (!profiler) return { probe: req.probe, error: 'no profile running' };
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = null;
      writeFileSync(req.file, JSON.stringify(profile));
      return { probe: req.probe };
    }
    case 'heap':
      v8.writeHeapSnapshot(req.file);
      return { probe: req.probe };
    case 'alloc-start': {
      sampler = new Session();
      sampler.connect();
      await sampler.post('HeapProfiler.enable');
      // Node 20's V8 takes these two flags; its inspector types do not list them yet.
      const params = { samplingInterval: 16384, includeObjectsCollectedByMajorGC: !req.live, includeObjectsCollectedByMinorGC: false };
      await sampler.post('HeapProfiler.startSampling', params as HeapProfiler.StartSamplingParameterType);
      return { probe: req.probe };
    }
    case 'alloc-stop': {
      if (!sampler) return { probe: req.probe, error: 'no allocation profile running' };
      const { profile } = await sampler.post('HeapProfiler.getSamplingProfile');
      await sampler.post('HeapProfiler.stopSampling');
      sampler.disconnect();
      sampler = null;
      writeFileSync(req.file, JSON.stringify(profile));
      return { probe: req.probe };
    }
  }
}

process.on('message', (msg: unknown) => {
  if (typeof msg !== 'object' || msg === null || !('probe' in msg)) return;
  answer(msg as ProbeRequest).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ probe: (msg as ProbeRequest).probe, error: String(err) }),
  );
});
