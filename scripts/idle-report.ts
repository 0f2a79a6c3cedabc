// The idle bench's results: the bare loop's and the chat server's figures side
// by side (JoinChat, and Session with --session), and issue 14's goals checked
// against them.
import type { Received, Verdict } from './idle-client.js';
import type { LoopDelay } from './idle-probe.js';

/** bare: the bare loop (JoinChat); chat: the chat server through JoinChat; session: the chat server through Session. */
export type IdleMode = 'bare' | 'chat' | 'session';

export interface IdleOptions {
  n: number;
  connections: number;
  rooms: number;
  procs: number;
  quietSeconds: number;
  stormSpreadMs: number;
  modes: IdleMode[];
  profileDir: string | null;
  heapDir: string | null;
  /** --alloc DIR: a sampling heap profile of the joins; live: only what is still alive at the end. */
  alloc: { dir: string; live: boolean } | null;
  deadlineMs: number;
  /** Milliseconds to spread the opening of the streams over; 0: all at once. */
  paceMs: number;
}

export interface Broadcast {
  /** From the send to the last delivery counted. */
  ms: number;
  received: number;
  /** Every delivery arrived before the deadline. */
  complete: boolean;
  dups: number;
}

export interface IdleResult {
  mode: IdleMode;
  /** Seconds from the first stream opened to the server listing all N; null: not within the deadline. */
  listedS: number | null;
  /** Chat: to every client having its end of history (bare: the same as listedS). */
  allInS: number | null;
  rssPerStreamKb: number;
  /** Per stream, after the first broadcast: V8 heap in use and committed, external (Buffers), RSS outside the V8 heap. */
  heapPerStreamKb: number;
  heapTotalPerStreamKb: number;
  externalPerStreamKb: number;
  nativePerStreamKb: number;
  rssQuietPerStreamKb: number;
  bcast: Broadcast[];
  /** Seconds from the drop to every stream being in again; null: not within the deadline. */
  stormS: number | null;
  loopJoin: LoopDelay;
  loopStorm: LoopDelay;
  loopBcast: LoopDelay;
  /** Server and client CPU seconds from the first stream opened to the first broadcast. */
  joinCpu: { server: number; clients: number };
  /** Messages the clients received during the joins and during the storm. */
  joinReceived: Received;
  stormReceived: Received;
  verdict: Verdict | null;
  refusals: Record<string, number>;
}

const fixed = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? 'not all' : v.toFixed(digits));
const bcastText = (b: Broadcast | undefined) => (!b ? '-' : b.complete ? b.ms.toFixed(0) : `${b.received} arrived`);
const receivedText = (r: Received) => `${r.liveNotices} / ${r.replayed} / ${r.byType.reduce((a, b) => a + b, 0)}`;
const refusalText = (refusals: Record<string, number>) =>
  Object.entries(refusals).map(([k, v]) => `${k} ${v}`).join(', ') || '0';
const gcText = (l: LoopDelay) => `${l.gcMax.toFixed(0)} / ${l.gcTotal.toFixed(0)}`;
const lostOf = (o: IdleOptions, r: IdleResult) => r.bcast.reduce((s, b) => s + (o.n - b.received), 0);
const dupsOf = (r: IdleResult) => r.bcast.reduce((s, b) => s + b.dups, 0);

const framesText = (r: Received) => `${r.frames} (${(r.byType.reduce((a, b) => a + b, 0) / Math.max(1, r.frames)).toFixed(2)})`;

export function table(o: IdleOptions, results: readonly IdleResult[]): string[] {
  const names = (['bare', 'chat', 'session'] as const).filter((m) => results.some((r) => r.mode === m));
  const cols = names.map((m) => results.find((r) => r.mode === m));
  const rows: Array<[string, (r: IdleResult) => string]> = [
    ['admitted: server lists all (s)', (r) => fixed(r.listedS, 2)],
    ['  every client has its history (s)', (r) => (r.mode === 'bare' ? '-' : fixed(r.allInS, 2))],
    ['  loop delay max until the broadcast (ms)', (r) => r.loopJoin.max.toFixed(0)],
    ['    GC pauses: longest / all (ms)', (r) => gcText(r.loopJoin)],
    ['  CPU until the broadcast: server / clients (s)', (r) => `${r.joinCpu.server.toFixed(1)} / ${r.joinCpu.clients.toFixed(1)}`],
    ['  received: live JOIN+LEAVE / replayed / all', (r) => receivedText(r.joinReceived)],
    ['  frames read (ChatMessages a frame)', (r) => framesText(r.joinReceived)],
    ['RSS per stream (KB)', (r) => r.rssPerStreamKb.toFixed(1)],
    ['  V8 heap in use / committed (KB)', (r) => `${r.heapPerStreamKb.toFixed(1)} / ${r.heapTotalPerStreamKb.toFixed(1)}`],
    ['  external (Buffers) / RSS outside them (KB)', (r) => `${r.externalPerStreamKb.toFixed(1)} / ${r.nativePerStreamKb.toFixed(1)}`],
    [`RSS per stream after ${o.quietSeconds} s quiet (KB)`, (r) => r.rssQuietPerStreamKb.toFixed(1)],
    ['broadcast to all, 2 s after (ms)', (r) => bcastText(r.bcast[0])],
    ['  loop delay max during it (ms)', (r) => r.loopBcast.max.toFixed(0)],
    [`broadcast to all after ${o.quietSeconds} s quiet (ms)`, (r) => bcastText(r.bcast[1])],
    ['reconnect storm: all back (s)', (r) => fixed(r.stormS, 2)],
    ['  loop delay max during it (ms)', (r) => r.loopStorm.max.toFixed(0)],
    ['    GC pauses: longest / all (ms)', (r) => gcText(r.loopStorm)],
    ['  received: live JOIN+LEAVE / replayed / all', (r) => receivedText(r.stormReceived)],
    ['  frames read (ChatMessages a frame)', (r) => framesText(r.stormReceived)],
    ['broadcast to all after the storm (ms)', (r) => bcastText(r.bcast[2])],
    ['deliveries lost / dup (3 broadcasts)', (r) => `${lostOf(o, r)} / ${dupsOf(r)}`],
    ['stored seqs lost / dup / streams behind', (r) => (r.verdict ? `${r.verdict.lost} / ${r.verdict.dups} / ${r.verdict.behind}` : '-')],
    ['streams refused or ended by the server', (r) => refusalText(r.refusals)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [`${''.padEnd(width)}  ${names.map((m) => m.padStart(22)).join('  ')}`];
  for (const [name, get] of rows) lines.push(`${name.padEnd(width)}  ${cols.map((r) => (r ? get(r) : '-').padStart(22)).join('  ')}`);
  for (const r of cols) {
    const verdict = r?.verdict;
    if (!verdict) continue;
    lines.push(`(${r.mode}: the resume check found ${verdict.ownJoins} skipped seqs that are the stream's own JOIN, as expected)`);
    for (const e of verdict.examples) lines.push(`  e.g. ${e}`);
  }
  return lines;
}

/** Issue 14's goals, for the chat server through JoinChat and through Session (against the bare loop's figures when it ran too). */
export function checks(o: IdleOptions, results: readonly IdleResult[]): Array<[boolean, string]> {
  const bare = results.find((r) => r.mode === 'bare');
  return results
    .filter((r) => r.mode !== 'bare')
    .flatMap((r) => goals(o, r, bare).map(([ok, what]): [boolean, string] => [ok, r.mode === 'chat' ? what : `${r.mode}: ${what}`]));
}

function goals(o: IdleOptions, chat: IdleResult, bare: IdleResult | undefined): Array<[boolean, string]> {
  const lostStored = chat.verdict?.lost ?? 0;
  const dupStored = chat.verdict?.dups ?? 0;
  const list: Array<[boolean, string]> = [
    [chat.listedS !== null && chat.allInS !== null, `all ${o.n} admitted and served`],
    [chat.rssPerStreamKb < 15, `RSS per idle stream under 15 KB (${chat.rssPerStreamKb.toFixed(1)})`],
    [
      lostOf(o, chat) === 0 && dupsOf(chat) === 0 && lostStored === 0 && dupStored === 0 && (chat.verdict?.behind ?? 0) === 0,
      `nothing lost or duplicated (deliveries ${lostOf(o, chat)} lost / ${dupsOf(chat)} dup; stored seqs ${lostStored} lost / ${dupStored} dup / ${chat.verdict?.behind ?? 0} streams behind)`,
    ],
    [chat.stormS !== null && chat.stormS <= 10, `reconnect storm over within 10 s (${fixed(chat.stormS, 2)})`],
    [
      chat.loopStorm.max <= 50,
      `event loop never blocked over 50 ms in the storm (${chat.loopStorm.max.toFixed(0)} ms` +
        (bare ? `; the bare loop's own: ${bare.loopStorm.max.toFixed(0)} ms)` : ')'),
    ],
    [Object.keys(chat.refusals).length === 0, `no stream refused or ended (${refusalText(chat.refusals)})`],
  ];
  if (bare) {
    const rssRatio = chat.rssPerStreamKb / bare.rssPerStreamKb;
    const first = chat.bcast[0];
    const budget = 1.5 * (bare.bcast[0]?.ms ?? 0) + 250;
    list.splice(1, 0, [rssRatio <= 1.5, `RSS per idle stream within 1.5x bare (${rssRatio.toFixed(2)}x)`]);
    list.splice(3, 0, [
      !!first?.complete && first.ms <= budget,
      `broadcast to all 2 s after within 1.5x bare + 250 ms (${bcastText(first)} vs ${budget.toFixed(0)} ms)`,
    ]);
  }
  return list;
}
