// `chat-server import [FILE] [--store SPEC]`: reads JSON lines (jsonl.ts) into
// the store directly, keeping each message's seq, author and time, so a room
// exported from SQLite reads the same from Redis and back. No server is in the
// path, so no rate limit applies. A room that already holds messages is
// refused unless --append, which adds the lines after them with new seqs.
import { Command, Option } from 'commander';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { ImportConflictError, type Store, type StoredMessage } from '../store/types.js';
import { checkRoom } from '../validate.js';
import { fromLine, LineError } from './jsonl.js';
import { addStoreOptions, openToolStore } from './store-spec.js';

const BATCH = 500;

interface ImportArgs {
  room?: string;
  append?: boolean;
  store?: string;
  config?: string;
}

interface RoomImport {
  /** The room's latest seq in the store (what the next batch must follow). */
  latest: number;
  /** The last seq read from the file for this room. */
  lastRead: number;
  batch: StoredMessage[];
  count: number;
  first: number;
  /** --append (issue 16): the file's seq -> the seq it was stored under. */
  moved: Map<number, number>;
}

function parse(argv: readonly string[]): { args: ImportArgs; file: string } {
  const program = addStoreOptions(
    new Command('chat-server import')
      .description('read JSON lines (as written by chat-server export) into the store, keeping seqs, authors and times')
      .argument('[file]', 'the JSON lines file; - or none: stdin')
      .addOption(new Option('--room <room>', 'put every line into this room instead of the one it names'))
      .addOption(new Option('--append', 'add to rooms that already hold messages, after them, with new seqs (authors and times kept)')),
  )
    .showHelpAfterError('(run chat-server import --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });
  program.parse([...argv], { from: 'user' });
  return { args: program.opts<ImportArgs>(), file: (program.processedArgs[0] as string | undefined) ?? '-' };
}

class Importer {
  readonly rooms = new Map<string, RoomImport>();

  constructor(
    private readonly store: Store,
    private readonly append: boolean,
  ) {}

  async add(m: StoredMessage, lineNo: number): Promise<void> {
    let r = this.rooms.get(m.room_id);
    if (!r) {
      const latest = await this.store.latestSeq(m.room_id);
      if (latest > 0 && !this.append) {
        throw new Error(
          `room '${m.room_id}' already holds messages (up to seq ${latest}); import into an empty room or store, ` +
            `another room (--room NAME), or pass --append to add these after them with new seqs`,
        );
      }
      r = { latest, lastRead: 0, batch: [], count: 0, first: 0, moved: new Map() };
      this.rooms.set(m.room_id, r);
    }
    if (m.seq <= r.lastRead) throw new LineError(`line ${lineNo}: seq ${m.seq} in '${m.room_id}' does not come after seq ${r.lastRead}`);
    r.lastRead = m.seq;
    r.batch.push(m);
    if (r.batch.length >= BATCH) await this.flush(m.room_id, r);
  }

  async finish(): Promise<void> {
    for (const [room, r] of this.rooms) await this.flush(room, r);
  }

  /** --append: stores `part` after what the room holds, recording where each line went; answers an empty part. */
  private async appendPart(room: string, r: RoomImport, part: readonly StoredMessage[]): Promise<StoredMessage[]> {
    if (part.length === 0) return [];
    const drafts = part.map(({ seq: _seq, room_id: _room, client_msg_id: _cid, ...d }) => {
      if (d.reply_to) d.reply_to = r.moved.get(d.reply_to) ?? 0;
      if (d.target_seq) d.target_seq = r.moved.get(d.target_seq) ?? 0;
      return d;
    });
    const stored = await this.store.append(room, drafts);
    stored.forEach((m, i) => {
      const was = part[i]?.seq;
      if (was !== undefined) r.moved.set(was, m.seq);
    });
    r.first ||= stored[0]?.seq ?? 0;
    r.latest = stored.at(-1)?.seq ?? r.latest;
    return [];
  }

  private async flush(room: string, r: RoomImport): Promise<void> {
    const batch = r.batch;
    r.batch = [];
    if (batch.length === 0) return;
    if (this.append) {
      // New seqs: replies and events that point into what this import wrote
      // follow their targets (r.moved); others point nowhere. A message aimed
      // at one still waiting in this batch waits until that one is stored.
      let part: StoredMessage[] = [];
      const inPart = new Set<number>();
      for (const m of batch) {
        if ((m.reply_to && inPart.has(m.reply_to)) || (m.target_seq && inPart.has(m.target_seq))) {
          part = await this.appendPart(room, r, part);
          inPart.clear();
        }
        part.push(m);
        inPart.add(m.seq);
      }
      await this.appendPart(room, r, part);
    } else {
      await this.store.import(room, batch, r.latest);
      r.first ||= batch[0]?.seq ?? 0;
      r.latest = batch.at(-1)?.seq ?? r.latest;
    }
    r.count += batch.length;
  }
}

export async function importCommand(argv: readonly string[]): Promise<number> {
  const { args, file } = parse(argv);
  let target: string | undefined;
  if (args.room !== undefined) {
    const room = checkRoom(args.room);
    if (!room.ok) {
      process.stderr.write(`chat-server import: ${room.error}\n`);
      return 2;
    }
    target = room.value;
  }
  const store = await openToolStore('import', args);
  if (!store) return 1;
  const importer = new Importer(store, args.append === true);
  const report = (): void => {
    for (const [room, r] of importer.rooms) {
      if (r.count) process.stderr.write(`imported ${r.count} messages into '${room}' (seq ${r.first}-${r.latest})\n`);
    }
  };
  try {
    const input = file === '-' ? process.stdin : createReadStream(file);
    let lineNo = 0;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNo++;
      if (line.trim() === '') continue;
      const m = fromLine(line, lineNo);
      await importer.add(target === undefined ? m : { ...m, room_id: target }, lineNo);
    }
    await importer.finish();
    report();
    return 0;
  } catch (err) {
    // What was written stays written (each batch is atomic); say exactly what that was.
    report();
    const what = err instanceof ImportConflictError ? `${err.message}: another writer got there first` : (err as Error).message;
    process.stderr.write(`chat-server import: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? `cannot read ${file}` : what}\n`);
    return 1;
  } finally {
    await store.close();
  }
}
