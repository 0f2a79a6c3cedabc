// Optional accounts: a JSON file of username -> "scrypt:ID:SALT:HASH" (hex). A
// token, "ID.SECRET", is shown once, when `chat-server add-user` makes it; only
// the salted scrypt hash of its secret is kept. The ID finds the one entry to
// check, so a bad token costs one scrypt, not one per user, and an unknown ID
// none; the scrypt checks one address may ask for are rate-limited, so bad
// secrets cannot keep the CPU busy. A stream presents it as
// `authorization: Bearer TOKEN`.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TokenBuckets, type RateLimit } from './limits.js';
import type { Refusal } from './types.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const KEY_LEN = 32;

export type Verdict = { ok: true; username: string } | { ok: false; reason: 'missing' | 'invalid' | 'throttled' };

/**
 * Scrypt checks (tokens not yet seen) per client address: a known token is
 * checked once and then cached, so people never come near this; someone
 * guessing secrets gets five tries a second.
 */
const TOKEN_CHECKS: RateLimit = { rate: 5, burst: 50 };

type UsersFile = Record<string, string>;

/** The `authorization` header of a call, if any. */
export function authHeader(metadata: { get(key: string): Array<string | Buffer> }): string | undefined {
  const value = metadata.get('authorization')[0];
  return value === undefined ? undefined : String(value);
}

/** The client address of a grpc-js peer ("ipv4:1.2.3.4:5678", "[::1]:5678"), without the port. */
export function peerAddress(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** The status a failed check ends a call with. */
export function refusal(reason: 'missing' | 'invalid' | 'throttled'): Refusal {
  switch (reason) {
    case 'missing':
      return {
        code: 'UNAUTHENTICATED',
        details: 'this server needs an account: pass --token TOKEN to chat-tui (or set CHAT_TOKEN); an admin makes one with chat-server add-user NAME',
      };
    case 'invalid':
      return { code: 'UNAUTHENTICATED', details: 'the token is not valid (mistyped, or replaced by a newer add-user)' };
    case 'throttled':
      return { code: 'RESOURCE_EXHAUSTED', details: 'too many token checks from your address; wait a few seconds and try again' };
  }
}

function readUsers(file: string): UsersFile {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the users file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`the users file ${file} is not JSON; make it with chat-server add-user`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`the users file ${file} should map usernames to hashes`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || !/^scrypt:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$/.test(value)) {
      throw new Error(`the users file ${file} has an unreadable entry for '${name}'`);
    }
  }
  return parsed as UsersFile;
}

/** Creates (or replaces) NAME's token in FILE and returns the token, which is stored nowhere. */
export async function addUser(file: string, username: string): Promise<string> {
  const users = existsSync(file) ? readUsers(file) : {};
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LEN);
  for (const name of Object.keys(users)) if (name.toLowerCase() === username.toLowerCase()) delete users[name];
  users[username] = `scrypt:${id}:${salt.toString('hex')}:${hash.toString('hex')}`;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Write beside, then rename: a running server never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return `${id}.${secret}`;
}

export class Accounts {
  private users: UsersFile;
  private mtimeMs: number;
  /** sha256(token) -> username for tokens already checked, so scrypt runs once per token, not per stream. */
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly file: string,
    private readonly checks = new TokenBuckets(TOKEN_CHECKS),
  ) {
    this.users = readUsers(file);
    this.mtimeMs = statSync(file).mtimeMs;
  }

  /** Checks an `authorization` header value sent from `source` (a client address). */
  async verify(header: string | undefined, source: string): Promise<Verdict> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) return { ok: false, reason: 'missing' };
    this.reloadIfChanged();
    const digest = createHash('sha256').update(token).digest('hex');
    const known = this.verified.get(digest);
    if (known !== undefined && this.users[known] !== undefined) return { ok: true, username: known };
    const [id, secret] = token.split('.');
    if (!id || !secret) return { ok: false, reason: 'invalid' };
    const entry = Object.entries(this.users).find(([, stored]) => stored.split(':')[1] === id);
    if (!entry) return { ok: false, reason: 'invalid' };
    const [username, stored] = entry;
    if (!this.checks.take(source)) return { ok: false, reason: 'throttled' };
    const [, , saltHex = '', hashHex = ''] = stored.split(':');
    const expected = Buffer.from(hashHex, 'hex');
    const actual = await scrypt(secret, Buffer.from(saltHex, 'hex'), expected.length);
    if (!timingSafeEqual(actual, expected)) return { ok: false, reason: 'invalid' };
    this.verified.set(digest, username);
    return { ok: true, username };
  }

  /** Whether the name has an account (case ignored): issue 13, a direct conversation needs a peer who can sign in. */
  has(username: string): boolean {
    this.reloadIfChanged();
    const key = username.toLowerCase();
    return Object.keys(this.users).some((name) => name.toLowerCase() === key);
  }

  /** How many accounts the file holds. */
  get size(): number {
    return Object.keys(this.users).length;
  }

  /**
   * Reads the file again whatever its mtime says (SIGHUP: an edit that kept the
   * old mtime, or a file replaced within the same millisecond). A broken file
   * throws and the accounts in use stay. Returns how many accounts it holds.
   */
  reload(): number {
    const users = readUsers(this.file);
    this.mtimeMs = statSync(this.file).mtimeMs;
    this.users = users;
    // Tokens checked before may have been replaced or removed: check them again.
    this.verified.clear();
    return this.size;
  }

  /** add-user may run while the server does: a new or replaced token counts from the next stream. */
  private reloadIfChanged(): void {
    try {
      const mtime = statSync(this.file).mtimeMs;
      if (mtime === this.mtimeMs) return;
      this.users = readUsers(this.file);
      this.mtimeMs = mtime;
      this.verified.clear();
    } catch {
      // Keep the accounts we have; a broken file is reported at the next start.
    }
  }
}
