// History in Redis: a stream per room whose entry ids are the seqs ("SEQ-0"),
// capped at about maxLen entries, and a counter per room. One Lua script takes
// the seqs, appends the batch and publishes it, atomically: two servers never
// give out the same seq, nothing is published that was not stored, and every
// subscriber sees each room's batches in seq order.
import type { Redis } from 'ioredis';
import { matcher } from '../search.js';
import {
  checkImportSeqs,
  ImportConflictError,
  type Appended,
  type Draft,
  type RoomPolicies,
  type RoomSummary,
  type SearchPage,
  type Store,
  type UserState,
  type StoredMessage,
  type StoredType,
} from '../types.js';
import { channel, logKey, ROOMS_KEY, seqKey } from './keys.js';
import { RedisPolicies } from './policies.js';
import { RedisUsers } from './users.js';

const FIELDS_PER_DRAFT = 7;
/**
 * Search without an index: one call reads at most this many of the room's
 * newest entries (before its start), in pages of SEARCH_PAGE, and answers
 * `more` with where it stopped, so a client that asks again reads on. Bounds
 * the work one call makes of Redis and of the server.
 */
export const SEARCH_SCAN_MAX = 20_000;
const SEARCH_PAGE = 1000;
/** How long a client message id is remembered for spotting a resend. */
const CLIENT_ID_SECONDS = 7 * 24 * 3600;

// KEYS: seq counter, stream, rooms set. ARGV: room, maxlen, channel, token, then
// user_id, username, message, timestamp, type, client_msg_id, event per draft
// (issue 16: an EVENT's fields as JSON, field 'e', absent for other messages). A draft
// whose user already stored that client id (key chat:{room}:cid:USER:ID, kept a
// week) is not stored again. Returns one seq per draft, negative for such a
// resend (minus the seq stored before).
const APPEND = `
local n = (#ARGV - 4) / ${FIELDS_PER_DRAFT}
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local out = {}
local seqs = {}
for i = 0, n - 1 do
  local b = 5 + i * ${FIELDS_PER_DRAFT}
  local cid = ARGV[b + 5]
  local ckey = nil
  local before = nil
  if cid ~= '' then
    ckey = 'chat:{' .. ARGV[1] .. '}:cid:' .. ARGV[b] .. ':' .. cid
    before = redis.call('GET', ckey)
  end
  if before then
    seqs[i + 1] = -tonumber(before)
  else
    seq = seq + 1
    local s = string.format('%d', seq)
    local ev = ARGV[b + 6]
    if ev == '' then
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], s .. '-0',
        'u', ARGV[b], 'n', ARGV[b + 1], 'm', ARGV[b + 2], 't', ARGV[b + 3], 'y', ARGV[b + 4], 'c', cid)
    else
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], s .. '-0',
        'u', ARGV[b], 'n', ARGV[b + 1], 'm', ARGV[b + 2], 't', ARGV[b + 3], 'y', ARGV[b + 4], 'c', cid, 'e', ev)
    end
    if ckey then redis.call('SET', ckey, s, 'EX', ${CLIENT_ID_SECONDS}) end
    out[#out + 1] = { s, ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], cid, ev }
    seqs[i + 1] = seq
  end
end
redis.call('SET', KEYS[1], string.format('%d', seq))
redis.call('SADD', KEYS[3], ARGV[1])
if #out > 0 then redis.call('PUBLISH', ARGV[3], cjson.encode({ k = ARGV[4], m = out })) end
return seqs
`;

/** What the script publishes: the batch token and [seq, user_id, username, message, timestamp, type, client_msg_id, event] rows. */
export interface LivePayload {
  k: string;
  m: Array<[string, string, string, string, string, string, string?, string?]>;
}

/** Issue 16: an EVENT's fields, stored as one JSON field ('' for other messages). */
type EventFields = Pick<Draft, 'action' | 'target_seq' | 'subject' | 'detail' | 'minutes'>;

function eventField(d: Draft): string {
  if (d.type !== 'EVENT' || !d.action) return '';
  const e: EventFields = { action: d.action, target_seq: d.target_seq ?? 0, subject: d.subject ?? '', detail: d.detail ?? '', minutes: d.minutes ?? 0 };
  return JSON.stringify(e);
}

function withEvent(m: StoredMessage, raw: string | undefined): StoredMessage {
  if (!raw) return m;
  try {
    return Object.assign(m, JSON.parse(raw) as EventFields);
  } catch {
    return m;
  }
}

type Entry = [id: string, fields: string[]];

interface AppendCommand {
  chatAppend(seqKey: string, logKey: string, roomsKey: string, ...args: string[]): Promise<number[]>;
  chatImport(seqKey: string, logKey: string, roomsKey: string, ...args: string[]): Promise<number>; // issue 17: backups
}

// Backups (issue 17). KEYS as APPEND. ARGV: room, maxlen, expected latest seq,
// then seq, user_id, username, message, timestamp, type per message. Writes
// nothing and returns the latest seq when it is not the expected one; else -1.
const IMPORT = `
local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
if latest ~= tonumber(ARGV[3]) then return latest end
local last = latest
for b = 4, #ARGV, 6 do
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], ARGV[b] .. '-0',
    'u', ARGV[b + 1], 'n', ARGV[b + 2], 'm', ARGV[b + 3], 't', ARGV[b + 4], 'y', ARGV[b + 5])
  last = ARGV[b]
end
redis.call('SET', KEYS[1], last)
redis.call('SADD', KEYS[3], ARGV[1])
return -1
`;

export class RedisStore implements Store {
  /** Issue 13: users' rooms, read markers and away state, on the same connection (users.ts). */
  readonly users: UserState;
  /** Issue 16: rooms' policies, on the same connection (policies.ts). */
  readonly policies: RoomPolicies;
  private readonly redis: Redis & AppendCommand;

  constructor(
    redis: Redis,
    private readonly maxLen: number,
  ) {
    redis.defineCommand('chatAppend', { numberOfKeys: 3, lua: APPEND });
    redis.defineCommand('chatImport', { numberOfKeys: 3, lua: IMPORT }); // issue 17: backups
    this.redis = redis as Redis & AppendCommand;
    this.users = new RedisUsers(redis);
    this.policies = new RedisPolicies(redis);
  }

  append(room: string, drafts: readonly Draft[]): Promise<Appended[]> {
    return this.appendAndPublish(room, drafts, '');
  }

  async appendAndPublish(room: string, drafts: readonly Draft[], token: string): Promise<Appended[]> {
    if (drafts.length === 0) return [];
    const args = [room, String(this.maxLen), channel(room), token];
    for (const d of drafts) args.push(d.user_id, d.username, d.message, String(d.timestamp), d.type, d.client_msg_id ?? '', eventField(d));
    const seqs = await this.redis.chatAppend(seqKey(room), logKey(room), ROOMS_KEY, ...args);
    return drafts.map((d, i) => {
      const seq = Number(seqs[i] ?? 0);
      return seq < 0 ? { ...d, room_id: room, seq: -seq, duplicate: true } : { ...d, room_id: room, seq };
    });
  }

  async before(room: string, beforeSeq: number | null, limit: number): Promise<StoredMessage[]> {
    if (limit <= 0 || (beforeSeq !== null && beforeSeq <= 1)) return [];
    const end = beforeSeq === null ? '+' : `${beforeSeq - 1}-0`;
    const entries = (await this.redis.xrevrange(logKey(room), end, '-', 'COUNT', limit)) as Entry[];
    return entries.reverse().map((e) => fromEntry(room, e));
  }

  async after(room: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    if (limit <= 0) return [];
    const entries = (await this.redis.xrange(logKey(room), `${afterSeq + 1}-0`, '+', 'COUNT', limit)) as Entry[];
    return entries.map((e) => fromEntry(room, e));
  }

  // No full-text index in Redis: read the stream newest first and match here (search.ts).
  async search(room: string, terms: readonly string[], beforeSeq: number | null, limit: number): Promise<SearchPage> {
    if (limit <= 0 || terms.length === 0) return { messages: [], more: false, next: 0 };
    const matches = matcher(terms);
    const found: StoredMessage[] = [];
    // The newest seq still to read (null: the stream's end); entry ids are "SEQ-0".
    let upTo: number | null = beforeSeq === null ? null : beforeSeq - 1;
    let scanned = 0;
    while (upTo === null || upTo >= 1) {
      const count = Math.min(SEARCH_PAGE, SEARCH_SCAN_MAX - scanned);
      const entries = (await this.redis.xrevrange(logKey(room), upTo === null ? '+' : `${upTo}-0`, '-', 'COUNT', count)) as Entry[];
      for (const entry of entries) {
        const m = fromEntry(room, entry);
        if (m.type !== 'TEXT' || !matches(m.message)) continue;
        // A match past the page: there is more, and the next page starts after the last one given.
        if (found.length === limit) return { messages: found, more: true, next: found.at(-1)?.seq ?? 0 };
        found.push(m);
      }
      const oldest = entries.at(-1);
      if (entries.length < count || !oldest) break;
      scanned += entries.length;
      upTo = seqOf(oldest[0]) - 1;
      // Read as much as one call may: the rest is for the next call, from where this one stopped.
      if (scanned >= SEARCH_SCAN_MAX && upTo >= 1) return { messages: found, more: true, next: upTo + 1 };
    }
    return { messages: found, more: false, next: 0 };
  }

  async firstSeq(room: string): Promise<number> {
    const entries = (await this.redis.xrange(logKey(room), '-', '+', 'COUNT', 1)) as Entry[];
    return entries[0] ? seqOf(entries[0][0]) : 0;
  }

  async latestSeq(room: string): Promise<number> {
    return Number((await this.redis.get(seqKey(room))) ?? 0);
  }

  async rooms(): Promise<RoomSummary[]> {
    const ids = (await this.redis.smembers(ROOMS_KEY)).sort();
    if (ids.length === 0) return [];
    const seqs = await this.redis.mget(ids.map(seqKey));
    return ids.map((room_id, i) => ({ room_id, latest_seq: Number(seqs[i] ?? 0) }));
  }

  // Backups (issue 17): given seqs into a room whose latest is afterSeq, checked and written by one script.
  async import(room: string, messages: readonly StoredMessage[], afterSeq: number): Promise<void> {
    checkImportSeqs(messages, afterSeq);
    if (messages.length === 0) return;
    const args = [room, String(this.maxLen), String(afterSeq)];
    for (const m of messages) args.push(String(m.seq), m.user_id, m.username, m.message, String(m.timestamp), m.type);
    const latest = Number(await this.redis.chatImport(seqKey(room), logKey(room), ROOMS_KEY, ...args));
    if (latest !== -1) throw new ImportConflictError(room, latest);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function fromLive(room: string, row: LivePayload['m'][number]): StoredMessage {
  const [seq, user_id, username, message, timestamp, type, client_msg_id, event] = row;
  const m: StoredMessage = { room_id: room, seq: Number(seq), user_id, username, message, timestamp: Number(timestamp), type: type as StoredType };
  if (client_msg_id) m.client_msg_id = client_msg_id;
  return withEvent(m, event);
}

function seqOf(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

function fromEntry(room: string, [id, fields]: Entry): StoredMessage {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  const m: StoredMessage = {
    room_id: room,
    seq: seqOf(id),
    user_id: f.u ?? '',
    username: f.n ?? '',
    message: f.m ?? '',
    timestamp: Number(f.t ?? 0),
    type: (f.y ?? 'TEXT') as StoredType,
  };
  if (f.c) m.client_msg_id = f.c;
  return withEvent(m, f.e);
}
