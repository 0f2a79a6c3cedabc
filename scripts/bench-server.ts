// The server side of `npm run bench`, in its own process so its CPU can be
// measured alone. Mode "chat": the real chat-server (SQLite store). Mode "bare":
// the baseline, a plain grpc-js fan-out on the same contract with no
// validation, storage or per-message work beyond call.write().
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadChatPackage } from '../protos/load.js';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { createLogger } from '../server/log.js';
import { startChatServer } from '../server/server.js';
import { openBackend } from '../server/store/open.js';

export type BenchMode = 'chat' | 'bare';

export interface ServerReport {
  cpuMicros: number;
  rss: number;
  /** V8 heap in use, after a full GC when the process runs with --expose-gc (the fuzz test's leak check). */
  heapUsed: number;
  /** JoinChat streams the server holds open now: a stream that outlives its client is a leak. */
  streams: number;
}

type Call = grpc.ServerDuplexStream<ChatMessage__Output, ChatMessage>;

interface Started {
  port: number;
  streams(): number;
  stop(): Promise<void>;
}

async function startBare(): Promise<Started> {
  const { proto } = loadChatPackage();
  const rooms = new Map<string, Set<Call>>();
  const server = new grpc.Server();
  server.addService(proto.chat.ChatService.service, {
    JoinChat(call: Call) {
      let room: Set<Call> | undefined;
      let first: ChatMessage__Output | undefined;
      call.on('data', (msg: ChatMessage__Output) => {
        if (!room) {
          first = msg;
          room = rooms.get(msg.room_id) ?? new Set();
          rooms.set(msg.room_id, room);
          room.add(call);
          return;
        }
        const out: ChatMessage = { ...msg, username: first?.username, room_id: first?.room_id, timestamp: Date.now() };
        for (const member of room) member.write(out);
      });
      const leave = () => room?.delete(call);
      call.on('end', () => {
        leave();
        call.end();
      });
      call.on('cancelled', leave);
      call.on('error', leave);
    },
    GetHistory: () => undefined,
    ListRooms: () => undefined,
    ListMembers: () => undefined,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    port,
    streams: () => [...rooms.values()].reduce((n, room) => n + room.size, 0),
    stop: () => new Promise((r) => server.tryShutdown(() => r())),
  };
}

async function startChat(): Promise<Started> {
  const dir = mkdtempSync(path.join(tmpdir(), 'chat-bench-'));
  const config = {
    host: '127.0.0.1',
    port: 0,
    history: 50,
    store: process.env.CHAT_BENCH_STORE ?? `sqlite:${path.join(dir, 'bench.db')}`,
    maxMessageBytes: 4096,
    maxQueue: 10_000,
    rateLimit: null, // the bench's clients post faster than a person
    maxRoomsPerUser: 50,
    maxStreamsPerConnection: 1000,
    keepaliveSeconds: 20,
    logLevel: 'warn' as const,
  };
  const log = createLogger(config.logLevel);
  const running = await startChatServer(config, await openBackend(config.store, log), log);
  return {
    port: running.port,
    streams: () => running.hub.sessions.size,
    stop: async () => {
      await running.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Run as a child: start, report the port, answer "report" with CPU and RSS.
if (process.send) {
  const mode = process.argv[2] as BenchMode;
  const started = await (mode === 'bare' ? startBare() : startChat());
  process.on('message', (msg: string) => {
    if (msg === 'report') {
      const cpu = process.cpuUsage();
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      process.send?.({ cpuMicros: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, streams: started.streams() } satisfies ServerReport);
    } else if (msg === 'stop') {
      void started.stop().then(() => process.exit(0));
    }
  });
  process.send({ port: started.port });
}
