// chat-tui's config file: $XDG_CONFIG_HOME/chat-tui/config.toml (else
// ~/.config/chat-tui/config.toml), or --config PATH. Its keys mirror the long
// flags (user, room, server, token, token_file, tls, ca) plus client
// settings. Every mistake is one line naming the file and, where it can be
// found, the line: a config file is written by hand.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { parseKeySpec, ACTIONS, type KeyBinding } from './bindings.js';
import { badFormat } from './clock-format.js';
import { JOINS_MODES, type JoinsMode } from './quiet-joins.js';

export { formatTimestamp } from './clock-format.js';

export const NOTIFICATIONS = ['bell', 'osc777', 'osc9', 'off'] as const;
export type Notifications = (typeof NOTIFICATIONS)[number];

/** Settings for the full-screen client (the config file's; --no-mouse and NO_COLOR are applied on top by args.ts). */
export interface ClientSettings {
  /** Mouse reporting (wheel scrolling, clicks on rooms); Shift+drag still selects text. */
  mouse: boolean;
  /** How a mention or a private message is signalled: BEL, OSC 777 or OSC 9 desktop notifications, or not at all. */
  notifications: Notifications;
  /** strftime-style: %H %M %S %d %m %Y %y %%; empty hides timestamps. */
  timestampFormat: string;
  /** false: no colours, as NO_COLOR. */
  color: boolean;
  /** The [keys] table, validated; looked up before the built-in key map (tui/bindings.ts). */
  keys: KeyBinding[];
  /** Which JOIN/LEAVE lines the pane shows: "smart" (who spoke lately, or small rooms), "all", "none" (tui/quiet-joins.ts). */
  joins: JoinsMode;
}

export const DEFAULT_SETTINGS: ClientSettings = { mouse: true, notifications: 'bell', timestampFormat: '%H:%M:%S', color: true, keys: [], joins: 'smart' };

/** What a config file says; everything optional. Paths are absolute. */
export interface FileConfig {
  path: string;
  user?: string;
  room?: string;
  server?: string[];
  token?: string;
  tokenFile?: string;
  tls?: boolean;
  ca?: string;
  settings: Partial<ClientSettings>;
}

export class ConfigError extends Error {}

export function defaultConfigPath(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
  return path.join(base, 'chat-tui', 'config.toml');
}

/**
 * Reads and checks a config file. A missing file is null when it is the
 * default one (no config is fine) and an error when it was asked for.
 */
export function readConfig(file: string, opts: { required: boolean; home: string }): FileConfig | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !opts.required) return null;
    throw new ConfigError(`${file}: cannot read the config file (${code ?? (err as Error).message})`);
  }
  const config = parseConfig(text, file, opts.home);
  if (config.token !== undefined && readableByOthers(file)) {
    throw new ConfigError(`${file}: holds a token but anyone on this machine can read it; chmod 600 ${file}, or put the token in a token_file`);
  }
  return config;
}

type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'true or false');
const isServers: Check = (v) =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) ? undefined : 'a "host:port" string or a list of them';
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `one of ${values.map((x) => `"${x}"`).join(', ')}`;

const KEYS: Record<string, Check> = {
  user: isString,
  room: isString,
  server: isServers,
  token: isString,
  token_file: isString,
  tls: isBoolean,
  ca: isString,
  mouse: isBoolean,
  notifications: oneOf(NOTIFICATIONS),
  timestamp_format: isString,
  color: isBoolean,
  joins: oneOf(JOINS_MODES),
};

const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : v instanceof Date ? 'a date' : typeof v === 'object' ? (Array.isArray(v) ? 'a list' : 'a table') : String(v));

/** The config text as settings; pure but for nothing (paths resolve against the file's folder and `home`). */
export function parseConfig(text: string, file: string, home: string): FileConfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const what = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      throw new ConfigError(`${file}:${err.line}:${err.column}: ${what}`);
    }
    throw err;
  }
  const fail = (key: string, message: string, table?: string): never => {
    const line = lineOf(text, key, table);
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${message}`);
  };
  const config: FileConfig = { path: file, settings: {} };
  const dir = path.dirname(file);
  const resolvePath = (p: string) => path.resolve(dir, p.startsWith('~/') ? path.join(home, p.slice(2)) : p);
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'keys') {
      if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) fail(key, `'keys' must be a table: [keys]`);
      config.settings.keys = bindings(value as Record<string, unknown>, (k, m) => fail(k, m, 'keys'));
      continue;
    }
    const check = KEYS[key];
    if (!check) fail(key, `unknown key '${key}' (known: ${[...Object.keys(KEYS), 'keys'].join(', ')})`);
    const wanted = check!(value);
    if (wanted) fail(key, `'${key}' must be ${wanted}, not ${shown(value)}`);
    // Checked above: a string, a boolean or a list of strings, as the key wants.
    const str = value as string;
    const bool = value as boolean;
    switch (key) {
      case 'user':
      case 'room':
      case 'token':
        if (str.trim().length === 0) fail(key, `'${key}' is empty`);
        config[key] = str.trim();
        break;
      case 'server':
        config.server = typeof value === 'string' ? [value] : (value as string[]);
        break;
      case 'token_file':
        config.tokenFile = resolvePath(str);
        break;
      case 'ca':
        config.ca = resolvePath(str);
        break;
      case 'tls':
        config.tls = bool;
        break;
      case 'mouse':
      case 'color':
        config.settings[key] = bool;
        break;
      case 'notifications':
        config.settings.notifications = str as Notifications;
        break;
      case 'joins':
        config.settings.joins = str as JoinsMode;
        break;
      case 'timestamp_format': {
        const bad = badFormat(str);
        if (bad) fail(key, `'timestamp_format' has ${bad}; it knows %H %M %S %d %m %Y %y %%`);
        config.settings.timestampFormat = str;
        break;
      }
    }
  }
  if (config.token !== undefined && config.tokenFile !== undefined) fail('token_file', `give 'token' or 'token_file', not both`);
  return config;
}

function bindings(table: Record<string, unknown>, fail: (key: string, message: string) => never): KeyBinding[] {
  return Object.entries(table).map(([written, action]) => {
    const spec = parseKeySpec(written);
    if (typeof spec === 'string') return fail(written, `[keys] "${written}": ${spec}`);
    if (typeof action !== 'string' || !ACTIONS.includes(action)) {
      return fail(written, `[keys] "${written}": the action must be one of ${ACTIONS.join(', ')}; not ${shown(action)}`);
    }
    return { spec, written, action };
  });
}

/** The line a key is set on (in `table`, or before any table), for messages; 0 when not found. */
function lineOf(text: string, key: string, table?: string): number {
  const lines = text.split(/\r?\n/);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const keyRe = new RegExp(`^\\s*(?:${escaped}|"${escaped}"|'${escaped}')\\s*=`);
  let current: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(lines[i]!);
    if (header) {
      current = header[1];
      if (table === undefined && current === key) return i + 1;
      continue;
    }
    if (current === table && keyRe.test(lines[i]!)) return i + 1;
  }
  return 0;
}

/** True when others (not the owner or the group) may read the file. Windows has no such bits. */
export function readableByOthers(file: string): boolean {
  if (process.platform === 'win32') return false;
  return (statSync(file).mode & 0o004) !== 0;
}

/** The token in a token file: its first line, trimmed. Refused when others can read the file. */
export function readTokenFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the token file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (readableByOthers(file)) throw new ConfigError(`the token file ${file} can be read by anyone on this machine; chmod 600 ${file}`);
  const token = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!token) throw new ConfigError(`the token file ${file} is empty`);
  return token;
}
