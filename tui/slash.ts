// What a typed line means: the slash commands (parseLine, a pure function
// from the submitted text to what to do) and Tab completion of command, room
// and people names (complete). actions.ts carries the answers out.
import type { ModAction, ModerationAct } from './domain.js';
import { QUIT_COMMANDS } from '../protos/rules.js';

export const COMMANDS: readonly string[] = [
  '/join', '/leave', '/rooms', '/who', '/me', '/msg', '/query', '/away', '/back', '/search',
  // Issue 16.
  '/edit', '/delete', '/react', '/reactions', '/topic', '/op', '/deop', '/kick', '/ban', '/unban', '/mute', '/unmute', '/invite', '/private',
  '/help', ...QUIT_COMMANDS,
];

/** What Tab completes from. */
export interface CompletionPools {
  /** People: who is in the room first, then who spoke in what is loaded. */
  names: readonly string[];
  /** Rooms: the sidebar's, then the server's (ListRooms). */
  rooms: readonly string[];
  /** People for /msg and /query: anyone seen in any room (members, speakers, direct peers). */
  people?: readonly string[];
}

/**
 * Tab completion of the word that ends at the cursor: `before` is the input
 * up to the cursor, and the answer is what replaces it. Command names at the
 * start of the line; room names after /join or after a '#'; names elsewhere
 * ("Bob: " at the start of a line, "@Bob " or "Bob " later).
 */
export function complete(before: string, pools: CompletionPools): string {
  const word = /(\S*)$/.exec(before)?.[1] ?? '';
  if (!word) return before;
  const head = before.slice(0, before.length - word.length);
  const atStart = head.trim().length === 0;
  // A longer match first; a whole word still gets its case and its suffix ("bob" -> "Bob: ").
  const pick = (pool: readonly string[], typed: string) => {
    const t = typed.toLowerCase();
    return pool.find((n) => n.length > typed.length && n.toLowerCase().startsWith(t)) ?? pool.find((n) => n.toLowerCase() === t);
  };
  if (atStart && word.startsWith('/')) {
    const hit = pick(COMMANDS, word);
    return hit ? `${head}${hit} ` : before;
  }
  if (/^\s*\/(msg|query|invite)\s+$/i.test(head)) {
    const hit = pick(pools.people ?? pools.names, word.replace(/^@/, ''));
    return hit ? `${head}${hit} ` : before;
  }
  if (/^\s*\/join\s+$/i.test(head) || word.startsWith('#')) {
    const hash = word.startsWith('#') ? '#' : '';
    const hit = pick(pools.rooms, word.slice(hash.length));
    return hit ? `${head}${hash}${hit} ` : before;
  }
  const at = word.startsWith('@') ? '@' : '';
  const hit = pick(pools.names, word.slice(at.length));
  return hit ? `${head}${at}${hit}${atStart && !at ? ': ' : ' '}` : before;
}

export type Slash =
  | { kind: 'text'; text: string }
  | { kind: 'join'; room: string }
  | { kind: 'leave' }
  | { kind: 'rooms' }
  | { kind: 'who' }
  | { kind: 'me'; action: string }
  | { kind: 'search'; query: string }
  /** Issue 13: a direct message (`text` empty: /query, open the conversation only). */
  | { kind: 'msg'; to: string; text: string }
  | { kind: 'away'; reason: string }
  | { kind: 'back' }
  /** Issue 16: your last message in the room gets this text / is deleted; the last message gets this reaction. */
  | { kind: 'edit'; text: string }
  | { kind: 'delete' }
  | { kind: 'react'; emoji: string }
  /** Who reacted to the newest message that has reactions. */
  | { kind: 'reactions' }
  /** `/topic text` sets it; `/topic` alone (text null) shows it. */
  | { kind: 'topic'; text: string | null }
  | { kind: 'moderate'; act: ModerationAct }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

/** What a submitted line means. "//x" sends "/x" as text. */
export function parseLine(line: string): Slash {
  if (!line.startsWith('/') || line.startsWith('//')) return { kind: 'text', text: line.startsWith('//') ? line.slice(1) : line };
  const [cmd = '', ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (cmd.toLowerCase()) {
    case '/join':
      return arg ? { kind: 'join', room: arg } : { kind: 'error', message: 'usage: /join <room>' };
    case '/leave':
      return { kind: 'leave' };
    case '/rooms':
      return { kind: 'rooms' };
    case '/who':
      return { kind: 'who' };
    case '/me':
      return arg ? { kind: 'me', action: arg } : { kind: 'error', message: 'usage: /me <action>' };
    case '/search':
      return arg ? { kind: 'search', query: arg } : { kind: 'error', message: 'usage: /search <words> (Ctrl+R)' };
    case '/msg': {
      // The text keeps its own spacing: only the command and the name are split off.
      const m = /^\/msg\s+@?(\S+)(?:\s([\s\S]*))?$/i.exec(line.trim());
      const text = m?.[2]?.trim() ? m[2].replace(/^\s+/, '') : '';
      if (!m?.[1] || !text) return { kind: 'error', message: 'usage: /msg <name> <text> (/query <name> opens the conversation)' };
      return { kind: 'msg', to: m[1], text };
    }
    case '/query': {
      const to = rest[0]?.replace(/^@/, '');
      return to && rest.length === 1 ? { kind: 'msg', to, text: '' } : { kind: 'error', message: 'usage: /query <name>' };
    }
    case '/away':
      return { kind: 'away', reason: arg };
    case '/back':
      return { kind: 'back' };
    case '/edit': {
      const text = restOf(line);
      return text ? { kind: 'edit', text } : { kind: 'error', message: 'usage: /edit <new text> (your last message here; Ctrl+S then e for another)' };
    }
    case '/delete':
      return rest.length === 0 ? { kind: 'delete' } : { kind: 'error', message: 'usage: /delete (your last message here; Ctrl+S then d for another)' };
    case '/react':
      return rest.length === 1 ? { kind: 'react', emoji: rest[0]! } : { kind: 'error', message: 'usage: /react <emoji or :shortcode:> (the last message here; Ctrl+S then + for another)' };
    case '/reactions':
      return { kind: 'reactions' };
    case '/topic':
      return { kind: 'topic', text: restOf(line) || null };
    case '/help':
      return { kind: 'help' };
    default: {
      const mod = moderation(cmd.toLowerCase().slice(1), rest);
      if (mod) return mod;
      if (QUIT_COMMANDS.includes(cmd.toLowerCase())) return { kind: 'quit' };
      return { kind: 'error', message: `unknown command ${cmd}; type /help for the list (start with // to send a slash)` };
    }
  }
}

/** What follows the command word, its own spacing kept (only the leading space goes). */
function restOf(line: string): string {
  const m = /^\/\S+\s([\s\S]*)$/.exec(line.trim());
  return m?.[1]?.trim() ? m[1].replace(/^\s+/, '') : '';
}

const ONE_NAME: Partial<Record<string, ModAction>> = { op: 'op', deop: 'deop', unban: 'unban', unmute: 'unmute', invite: 'invite' };
const WITH_REASON: Partial<Record<string, ModAction>> = { kick: 'kick', ban: 'ban' };

/** Issue 16's room commands (/op, /kick, /mute, /private, ...), or null for another word. */
function moderation(word: string, args: readonly string[]): Slash | null {
  const act = (action: ModAction, subject: string, detail = '', minutes = 0): Slash => ({ kind: 'moderate', act: { action, subject: subject.replace(/^@/, ''), detail, minutes } });
  const one = ONE_NAME[word];
  if (one) return args.length === 1 ? act(one, args[0]!) : { kind: 'error', message: `usage: /${word} <name>` };
  const reasoned = WITH_REASON[word];
  if (reasoned) return args[0] ? act(reasoned, args[0], args.slice(1).join(' ')) : { kind: 'error', message: `usage: /${word} <name> [reason]` };
  if (word === 'mute') {
    const [name, maybe, ...more] = args;
    if (!name) return { kind: 'error', message: 'usage: /mute <name> [minutes] [reason]' };
    if (maybe !== undefined && /^\d+$/.test(maybe)) return act('mute', name, more.join(' '), Number(maybe));
    return act('mute', name, [maybe, ...more].filter((x) => x !== undefined).join(' '));
  }
  if (word === 'private') {
    const v = args[0]?.toLowerCase();
    return args.length === 1 && (v === 'on' || v === 'off') ? act('private', '', v) : { kind: 'error', message: 'usage: /private on|off (invite-only, /invite <name> lets someone in)' };
  }
  return null;
}
