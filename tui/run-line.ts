// Line mode (no terminal, or --send): the seed's plain lines, loaded only
// when asked for (main.tsx imports it dynamically).
import { randomUUID } from 'node:crypto';
import { roomName } from '../protos/rules.js';
import type { TuiArgs } from './args.js';
import { ChatClient } from './client.js';
import { channelCredentials } from './credentials.js';
import { runPlain } from './plain.js';
import { createChatStore } from './store.js';

export async function runLineMode(args: TuiArgs, caPem: Buffer | undefined): Promise<number> {
  // Line mode speaks in one room: the one given, else the default (as the seed's client).
  const room = roomName(args.room ?? '');
  const store = createChatStore({ username: args.user, userId: randomUUID(), server: args.servers[0] ?? '', room, joins: args.settings.joins });
  const credentials = channelCredentials({ tls: args.tls, ...(caPem ? { caPem } : {}) });
  const client = new ChatClient(store, args.servers, { credentials, ...(args.token ? { token: args.token } : {}) });
  const send = args.send === undefined ? undefined : args.send === '-' ? ('stdin' as const) : [args.send];
  return runPlain(store, client, { room, timeoutMs: args.timeoutMs, history: args.history, ...(send ? { send } : {}) });
}
