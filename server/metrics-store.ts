// Times every operation of a server's message store for
// chat_store_operation_seconds, without the stores knowing: the instance's
// methods are wrapped in place, so the feed's own calls (append, or Redis's
// appendAndPublish) are timed as well as the rooms' and the service's reads.
import type { Store } from './store/types.js';
import { metrics } from './metrics.js';

/** Method -> op label. append is timed through appendAndPublish where a store has it (Redis's append calls it). */
const OPS: ReadonlyArray<[method: string, op: string]> = [
  ['before', 'before'],
  ['after', 'after'],
  ['firstSeq', 'first_seq'],
  ['latestSeq', 'latest_seq'],
  ['rooms', 'rooms'],
  ['search', 'search'],
];

const timed = new WeakSet<Store>();

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

export function timeStore(store: Store): void {
  if (timed.has(store)) return;
  timed.add(store);
  // Store's methods are fixed by its interface; a record view lets one loop wrap them all.
  const methods = store as unknown as Record<string, unknown>;
  const append = typeof methods.appendAndPublish === 'function' ? 'appendAndPublish' : 'append';
  for (const [method, op] of [[append, 'append'] as [string, string], ...OPS]) {
    const original = methods[method];
    if (typeof original !== 'function') continue;
    const call = original as AsyncMethod;
    methods[method] = (...args: unknown[]): Promise<unknown> => {
      const end = metrics.storeSeconds.startTimer({ op });
      return call.apply(store, args).then(
        (value) => {
          end();
          return value;
        },
        (err: unknown) => {
          end();
          metrics.storeErrors.inc({ op });
          throw err;
        },
      );
    };
  }
}
