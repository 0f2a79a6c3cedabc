// History in process memory: for tests and throwaway servers. Each room keeps
// its newest `cap` messages so a long-running server cannot grow without bound;
// seq keeps counting past what was dropped.
import { MemoryPolicies } from './memory-policies.js';
import { MemoryUsers } from './memory-users.js';
import { matcher } from './search.js';
import { foldEvents } from './amendments.js';
import { checkImportSeqs, ImportConflictError, type Amendment, type Appended, type Draft, type RoomSummary, type SearchPage, type Store, type StoredMessage } from './types.js';

interface RoomLog {
  messages: StoredMessage[];
  seq: number;
  /** user_id + client_msg_id -> seq, for the messages still kept. */
  clientIds: Map<string, number>;
  /** Issue 16: target seq -> the kept EVENTs aimed at it, oldest first. */
  targets: Map<number, StoredMessage[]>;
}

const clientKey = (m: Draft): string | null => (m.client_msg_id ? `${m.user_id}\u0000${m.client_msg_id}` : null);

export class MemoryStore implements Store {
  private readonly logs = new Map<string, RoomLog>();
  readonly users = new MemoryUsers();
  readonly policies = new MemoryPolicies();

  constructor(private readonly cap = 100_000) {}

  private log(room: string): RoomLog {
    let log = this.logs.get(room);
    if (!log) {
      log = { messages: [], seq: 0, clientIds: new Map(), targets: new Map() };
      this.logs.set(room, log);
    }
    return log;
  }

  async append(room: string, drafts: readonly Draft[]): Promise<Appended[]> {
    const log = this.log(room);
    const out = drafts.map((d): Appended => {
      const key = clientKey(d);
      const before = key === null ? undefined : log.clientIds.get(key);
      if (before !== undefined) return { ...d, room_id: room, seq: before, duplicate: true };
      const m = { ...d, room_id: room, seq: ++log.seq };
      log.messages.push(m);
      indexTarget(log, m);
      if (key !== null) log.clientIds.set(key, m.seq);
      return m;
    });
    trim(log, this.cap);
    return out;
  }

  async get(room: string, seq: number): Promise<StoredMessage | null> {
    const messages = this.logs.get(room)?.messages ?? [];
    const m = messages[lowerBound(messages, seq)];
    return m?.seq === seq ? m : null;
  }

  async amendments(room: string, seqs: readonly number[]): Promise<Map<number, Amendment>> {
    const log = this.logs.get(room);
    if (!log) return new Map();
    const events = seqs.flatMap((seq) => log.targets.get(seq) ?? []);
    return foldEvents(events.sort((a, b) => a.seq - b.seq));
  }

  async before(room: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]> {
    const messages = this.logs.get(room)?.messages ?? [];
    const end = beforeSeq === null ? messages.length : lowerBound(messages, beforeSeq);
    return messages.slice(Math.max(0, end - limit), end);
  }

  async after(room: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const messages = this.logs.get(room)?.messages ?? [];
    const start = lowerBound(messages, afterSeq + 1);
    return messages.slice(start, start + limit);
  }

  async firstSeq(room: string): Promise<number> {
    return this.logs.get(room)?.messages[0]?.seq ?? 0;
  }

  async latestSeq(room: string): Promise<number> {
    return this.logs.get(room)?.seq ?? 0;
  }

  async rooms(): Promise<RoomSummary[]> {
    return [...this.logs].map(([room_id, log]) => ({ room_id, latest_seq: log.seq }));
  }

  // A walk back from beforeSeq: the room holds at most `cap` messages, so no index is needed.
  async search(room: string, terms: readonly string[], beforeSeq: number | null, limit: number): Promise<SearchPage> {
    const messages = this.logs.get(room)?.messages ?? [];
    if (limit <= 0 || terms.length === 0) return { messages: [], more: false, next: 0 };
    const matches = matcher(terms);
    const found: StoredMessage[] = [];
    for (let i = (beforeSeq === null ? messages.length : lowerBound(messages, beforeSeq)) - 1; i >= 0; i--) {
      const m = messages[i] as StoredMessage;
      if (m.type !== 'TEXT' || !matches(m.message)) continue;
      if (found.length === limit) return { messages: found, more: true, next: found.at(-1)?.seq ?? 0 };
      found.push(m);
    }
    return { messages: found, more: false, next: 0 };
  }

  // Backups (issue 17): given seqs into a room whose latest is afterSeq.
  async import(room: string, messages: readonly StoredMessage[], afterSeq: number): Promise<void> {
    const log = this.log(room);
    if (log.seq !== afterSeq) throw new ImportConflictError(room, log.seq);
    checkImportSeqs(messages, afterSeq);
    for (const m of messages) {
      const kept = { ...m, room_id: room };
      log.messages.push(kept);
      indexTarget(log, kept);
    }
    trim(log, this.cap);
    log.seq = messages.at(-1)?.seq ?? log.seq;
  }

  async close(): Promise<void> {}
}

function indexTarget(log: RoomLog, m: StoredMessage): void {
  if (m.type !== 'EVENT' || !m.target_seq) return;
  const list = log.targets.get(m.target_seq);
  if (list) list.push(m);
  else log.targets.set(m.target_seq, [m]);
}

/** Drops the oldest messages past `cap`, with what indexes them. */
function trim(log: RoomLog, cap: number): void {
  if (log.messages.length <= cap) return;
  for (const gone of log.messages.splice(0, log.messages.length - cap)) {
    const key = clientKey(gone);
    if (key !== null) log.clientIds.delete(key);
    if (gone.type === 'EVENT' && gone.target_seq) {
      const left = log.targets.get(gone.target_seq)?.filter((e) => e !== gone) ?? [];
      if (left.length) log.targets.set(gone.target_seq, left);
      else log.targets.delete(gone.target_seq);
    }
  }
}

/** Index of the first message whose seq >= seq (messages are sorted by seq). */
function lowerBound(messages: readonly StoredMessage[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid]?.seq ?? Infinity) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
