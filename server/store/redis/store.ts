// History in Redis: a stream per room whose entry ids are the seqs ("SEQ-0"),
// capped at about maxLen entries, and a counter per room. One Lua script takes
// the seqs, appends the batch and publishes it, atomically: two servers never
// give out the same seq, nothing is published that was not stored, and every
// subscriber sees each room's batches in seq order.
import type { Redis } from 'ioredis';
import { matcher } from '../search.js';
import { foldEvents, type TargetEvent } from '../amendments.js';
import {
  checkImportSeqs,
  type Amendment,
  type EventAction,
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
import { channel, logKey, ROOMS_KEY, seqKey, targetsKey } from './keys.js';
import { RedisPolicies } from './policies.js';
import { RedisUsers } from './users.js';

const FIELDS_PER_DRAFT = 13;
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

// Issue 16: a message's optional parts, in the order drafts carry them (after
// client_msg_id), with their stream field names; each is written only when set.
const EXTRA_FIELDS = ['r', 'q', 'a', 'g', 's', 'd', 'x'] as const;
const EXTRA_LUA = `{ ${EXTRA_FIELDS.map((f) => `'${f}'`).join(', ')} }`;
/**
 * Lua: appends the fields of one message (XADD arguments after the id) from
 * ARGV[first..first+6] (the extras), and records an EVENT with a target in the
 * room's targets hash (KEYS[4]): field = target seq, value = one JSON line
 * [seq, username, action, detail] per event, in seq order (amendments()).
 */
const LUA_EXTRAS = `
local function add_extras(fields, first)
  local names = ${EXTRA_LUA}
  for j = 1, #names do
    local v = ARGV[first + j - 1]
    if v ~= '' and v ~= '0' then
      fields[#fields + 1] = names[j]
      fields[#fields + 1] = v
    end
  end
end
local function index_target(s, username, type, first)
  local target = ARGV[first + 3]
  if type == 'EVENT' and target ~= '' and target ~= '0' then
    local prev = redis.call('HGET', KEYS[4], target) or ''
    redis.call('HSET', KEYS[4], target, prev .. cjson.encode({ s, username, ARGV[first + 2], ARGV[first + 5] }) .. '\\n')
  end
end
`;

// KEYS: seq counter, stream, rooms set, targets hash (issue 16). ARGV: room, maxlen, channel, token, then
// user_id, username, message, timestamp, type, client_msg_id and the extras
// (reply_to, reply_quote, action, target_seq, subject, detail, minutes) per draft. A draft
// whose user already stored that client id (key chat:{room}:cid:USER:ID, kept a
// week) is not stored again. Returns one seq per draft, negative for such a
// resend (minus the seq stored before).
const APPEND = `${LUA_EXTRAS}
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
    local fields = { 'u', ARGV[b], 'n', ARGV[b + 1], 'm', ARGV[b + 2], 't', ARGV[b + 3], 'y', ARGV[b + 4], 'c', cid }
    add_extras(fields, b + 6)
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], s .. '-0', unpack(fields))
    index_target(s, ARGV[b + 1], ARGV[b + 4], b + 6)
    if ckey then redis.call('SET', ckey, s, 'EX', ${CLIENT_ID_SECONDS}) end
    out[#out + 1] = { s, ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4], cid,
      ARGV[b + 6], ARGV[b + 7], ARGV[b + 8], ARGV[b + 9], ARGV[b + 10], ARGV[b + 11], ARGV[b + 12] }
    seqs[i + 1] = seq
  end
end
redis.call('SET', KEYS[1], string.format('%d', seq))
redis.call('SADD', KEYS[3], ARGV[1])
if #out > 0 then redis.call('PUBLISH', ARGV[3], cjson.encode({ k = ARGV[4], m = out })) end
return seqs
`;

/**
 * What the script publishes: the batch token and [seq, user_id, username,
 * message, timestamp, type, client_msg_id, then (issue 16) reply_to,
 * reply_quote, action, target_seq, subject, detail, minutes] rows.
 */
export interface LivePayload {
  k: string;
  m: Array<[string, string, string, string, string, string, string?, ...string[]]>;
}

type Entry = [id: string, fields: string[]];

interface AppendCommand {
  chatAppend(seqKey: string, logKey: string, roomsKey: string, targetsKey: string, ...args: string[]): Promise<number[]>;
  chatImport(seqKey: string, logKey: string, roomsKey: string, targetsKey: string, ...args: string[]): Promise<number>; // issue 17: backups
}

// Backups (issue 17). KEYS as APPEND. ARGV: room, maxlen, expected latest seq,
// then seq, user_id, username, message, timestamp, type and the extras (as
// APPEND's) per message. Writes nothing and returns the latest seq when it is
// not the expected one; else -1.
const IMPORT_FIELDS = 6 + EXTRA_FIELDS.length;
const IMPORT = `${LUA_EXTRAS}
local latest = tonumber(redis.call('GET', KEYS[1]) or '0')
if latest ~= tonumber(ARGV[3]) then return latest end
local last = latest
for b = 4, #ARGV, ${IMPORT_FIELDS} do
  local fields = { 'u', ARGV[b + 1], 'n', ARGV[b + 2], 'm', ARGV[b + 3], 't', ARGV[b + 4], 'y', ARGV[b + 5] }
  add_extras(fields, b + 6)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], ARGV[b] .. '-0', unpack(fields))
  index_target(ARGV[b], ARGV[b + 2], ARGV[b + 5], b + 6)
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
    redis.defineCommand('chatAppend', { numberOfKeys: 4, lua: APPEND });
    redis.defineCommand('chatImport', { numberOfKeys: 4, lua: IMPORT }); // issue 17: backups
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
    for (const d of drafts) args.push(d.user_id, d.username, d.message, String(d.timestamp), d.type, d.client_msg_id ?? '', ...extraArgs(d));
    const seqs = await this.redis.chatAppend(seqKey(room), logKey(room), ROOMS_KEY, targetsKey(room), ...args);
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

  async get(room: string, seq: number): Promise<StoredMessage | null> {
    const entries = (await this.redis.xrange(logKey(room), `${seq}-0`, `${seq}-0`)) as Entry[];
    return entries[0] ? fromEntry(room, entries[0]) : null;
  }

  // The append script keeps, per target seq, the events aimed at it (one JSON line each): one HMGET.
  async amendments(room: string, seqs: readonly number[]): Promise<Map<number, Amendment>> {
    if (seqs.length === 0) return new Map();
    const values = await this.redis.hmget(targetsKey(room), ...seqs.map(String));
    const events: TargetEvent[] = [];
    values.forEach((lines, i) => {
      for (const line of lines?.split('\n') ?? []) {
        if (!line) continue;
        const [seq, username, action, detail] = JSON.parse(line) as [string, string, EventAction, string];
        events.push({ seq: Number(seq), username, action, target_seq: seqs[i] ?? 0, detail });
      }
    });
    return foldEvents(events.sort((a, b) => a.seq - b.seq));
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
    for (const m of messages) args.push(String(m.seq), m.user_id, m.username, m.message, String(m.timestamp), m.type, ...extraArgs(m));
    const latest = Number(await this.redis.chatImport(seqKey(room), logKey(room), ROOMS_KEY, targetsKey(room), ...args));
    if (latest !== -1) throw new ImportConflictError(room, latest);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function fromLive(room: string, row: LivePayload['m'][number]): StoredMessage {
  const [seq, user_id, username, message, timestamp, type, client_msg_id, r, q, a, g, sub, d, x] = row;
  const m: StoredMessage = { room_id: room, seq: Number(seq), user_id, username, message, timestamp: Number(timestamp), type: type as StoredType };
  if (client_msg_id) m.client_msg_id = client_msg_id;
  setExtras(m, { r, q, a, g, s: sub, d, x });
  return m;
}

/** A draft's extras as script arguments, in EXTRA_FIELDS order ('' or '0' when unset). */
function extraArgs(m: Draft): string[] {
  return [String(m.reply_to ?? 0), m.reply_quote ?? '', m.action ?? '', String(m.target_seq ?? 0), m.subject ?? '', m.detail ?? '', String(m.minutes ?? 0)];
}

/** Sets the extras present (by stream field name) on a message. */
function setExtras(m: StoredMessage, f: Partial<Record<(typeof EXTRA_FIELDS)[number], string | undefined>>): void {
  if (f.r && f.r !== '0') m.reply_to = Number(f.r);
  if (f.q) m.reply_quote = f.q;
  if (f.a) m.action = f.a as EventAction;
  if (f.g && f.g !== '0') m.target_seq = Number(f.g);
  if (f.s) m.subject = f.s;
  if (f.d) m.detail = f.d;
  if (f.x && f.x !== '0') m.minutes = Number(f.x);
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
  setExtras(m, f);
  return m;
}
