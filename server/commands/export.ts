// `chat-server export --room ROOM [--store SPEC]`: a room's stored history as
// JSON lines (jsonl.ts) on stdout or --out FILE, oldest first, for backups and
// for moving history between SQLite and Redis (`chat-server import`).
import { Command, Option } from 'commander';
import { createWriteStream, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Store } from '../store/types.js';
import { checkRoom } from '../validate.js';
import { toLine } from './jsonl.js';
import { addStoreOptions, openToolStore } from './store-spec.js';

const PAGE = 1000;

interface ExportArgs {
  room?: string[];
  allRooms?: boolean;
  out?: string;
  store?: string;
  config?: string;
}

function parse(argv: readonly string[]): ExportArgs {
  const program = addStoreOptions(
    new Command('chat-server export')
      .description("write rooms' stored history as JSON lines (one message a line: seq, user_id, username, message, timestamp, type, room)")
      .addOption(new Option('--room <room>', 'a room to export (repeat for more)').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
      .addOption(new Option('--all-rooms', 'export every room the store holds'))
      .addOption(new Option('--out <file>', 'write here instead of stdout')),
  )
    .showHelpAfterError('(run chat-server export --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  const args = program.opts<ExportArgs>();
  if (!args.room?.length && !args.allRooms) program.error('error: name a room with --room ROOM (or --all-rooms)');
  return args;
}

function write(out: Writable, text: string): Promise<void> {
  return out.write(text) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
}

/** Writes one room, page by page; returns how many messages and the seq range. */
export async function exportRoom(store: Store, room: string, out: Writable): Promise<{ count: number; first: number; last: number }> {
  let cursor = 0;
  let count = 0;
  let first = 0;
  for (;;) {
    const page = await store.after(room, cursor, PAGE);
    if (page.length === 0) break;
    first ||= page[0]?.seq ?? 0;
    await write(out, page.map((m) => `${toLine(m)}\n`).join(''));
    count += page.length;
    cursor = page[page.length - 1]?.seq ?? cursor;
  }
  return { count, first, last: cursor };
}

export async function exportCommand(argv: readonly string[]): Promise<number> {
  const args = parse(argv);
  const rooms: string[] = [];
  for (const raw of args.room ?? []) {
    const room = checkRoom(raw);
    if (!room.ok) {
      process.stderr.write(`chat-server export: ${room.error}\n`);
      return 2;
    }
    rooms.push(room.value);
  }
  const store = await openToolStore('export', args);
  if (!store) return 1;
  let out: Writable = process.stdout;
  try {
    // Opened here, synchronously, so a bad path is one clear line rather than a stream error later.
    if (args.out) out = createWriteStream('', { fd: openSync(args.out, 'w') });
    if (args.allRooms) for (const r of await store.rooms()) if (!rooms.includes(r.room_id)) rooms.push(r.room_id);
    for (const room of rooms) {
      const { count, first, last } = await exportRoom(store, room, out);
      process.stderr.write(count ? `exported ${count} messages of '${room}' (seq ${first}-${last})\n` : `'${room}' holds no messages\n`);
    }
    if (args.out) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return 0;
  } catch (err) {
    process.stderr.write(`chat-server export: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
