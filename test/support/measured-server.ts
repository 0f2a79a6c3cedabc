// The child forkServer() starts (server-child.ts): a server in a process of
// its own, so its CPU can be measured alone. Mode "chat": the real chat-server
// (SQLite store unless CHAT_BENCH_STORE says otherwise). Mode "bare": the
// baseline, a plain grpc-js fan-out on the same contract with no validation,
// storage or per-message work beyond call.write().
import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import type { ChatMessage, ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import { serveChatService, startServer, tempDir } from '../helpers.js';
import type { ServerMode, ServerReport } from './server-child.js';

type Call = grpc.ServerDuplexStream<ChatMessage__Output, ChatMessage>;

interface Started {
  port: number;
  streams(): number;
  stop(): Promise<void>;
}

async function startBare(): Promise<Started> {
  const rooms = new Map<string, Set<Call>>();
  const server = await serveChatService({
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
  return {
    port: server.port,
    streams: () => [...rooms.values()].reduce((n, room) => n + room.size, 0),
    stop: server.stop,
  };
}

async function startChat(): Promise<Started> {
  const tmp = tempDir();
  const server = await startServer({
    store: process.env.CHAT_BENCH_STORE ?? `sqlite:${path.join(tmp.dir, 'bench.db')}`,
    maxQueue: 10_000,
    logLevel: 'warn',
  });
  return {
    port: server.port,
    streams: () => server.running.hub.sessions.size,
    stop: async () => {
      await server.stop();
      tmp.cleanup();
    },
  };
}

// Run as a child: start, report the port, answer "report" with CPU and RSS.
if (process.send) {
  const mode = process.argv[2] as ServerMode;
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
