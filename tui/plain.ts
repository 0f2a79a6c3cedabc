// Line mode for when stdin or stdout is not a terminal: the seed client's
// output ("[14:30:30] Bob: Hi Alice!", ">>> Bob joined the room"), one message
// per stdin line, for scripts and screen readers.
import { createInterface } from 'node:readline';
import { QUIT_COMMANDS } from '../protos/rules.js';
import type { ChatClient } from './client.js';
import { clock, visible } from './format.js';
import type { Line } from './domain.js';
import type { ChatStore } from './store.js';

export function formatPlain(l: Line): string {
  const t = `[${clock(l.timestamp)}]`;
  const text = visible(l.text);
  if (l.type === 'JOIN' || l.type === 'LEAVE') return `${t} >>> ${text}`;
  if (l.type === 'TEXT') return text.startsWith('/me ') ? `${t} * ${visible(l.username)} ${text.slice(4)}` : `${t} ${visible(l.username)}: ${text}`;
  return `${t} ${text}`;
}

export function runPlain(store: ChatStore, client: ChatClient, room: string): Promise<number> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`[CLIENT] Connecting to ${client.target} as ${store.getState().username}`);
  out(`[CLIENT] Joining room: ${room}`);
  let printed = new Set<string>();
  let seen: unknown = null;
  store.subscribe((s) => {
    const lines = s.rooms[room]?.lines ?? [];
    // Most store changes (pending, connection, counts) leave the lines alone.
    if (lines === seen) return;
    seen = lines;
    const next = new Set<string>();
    for (const l of lines) {
      next.add(l.key);
      // Our own echoes were typed by us; like the seed, don't print them back.
      if (!printed.has(l.key) && !(l.type === 'TEXT' && l.userId === s.userId)) out(formatPlain(l));
    }
    printed = next;
  });
  client.join(room);
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (QUIT_COMMANDS.includes(line.trim())) return rl.close();
      if (line.trim()) client.send(room, line);
    });
    rl.on('close', () => {
      // Give queued messages a moment to be confirmed before leaving.
      const started = Date.now();
      const wait = setInterval(() => {
        const pending = store.getState().rooms[room]?.pending.length ?? 0;
        if (pending === 0 || Date.now() - started > 5000) {
          clearInterval(wait);
          client.leave(room);
          client.close();
          resolve(pending === 0 ? 0 : 1);
        }
      }, 20);
    });
  });
}
