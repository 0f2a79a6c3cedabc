// Two chat-server binaries sharing one real redis-server, and a gRPC client
// on each: the set-up most tests in test/redis/ start with. Each test file
// still ends its own streams first; stop() then closes both clients and ends
// both servers and Redis.
import type { ChatServiceClient } from '../../protos/generated/chat/ChatService.js';
import { connect } from '../helpers.js';
import { startBinary, startRedis, stopBinary, type RedisProcess, type Spawned } from '../processes.js';

export interface RedisPair {
  redis: RedisProcess;
  a: Spawned;
  b: Spawned;
  /** Clients of a and b. */
  ca: ChatServiceClient;
  cb: ChatServiceClient;
  stop(): Promise<void>;
}

/** `args`: the servers' flags besides --store (given the Redis URL, for flags that name it). */
export async function startRedisPair(args: (redisUrl: string) => string[] = () => ['--rate-limit', 'off']): Promise<RedisPair> {
  const redis = await startRedis();
  const flags = ['--store', redis.url, ...args(redis.url)];
  const [a, b] = await Promise.all([startBinary(flags), startBinary(flags)]);
  const [ca, cb] = [connect(a.target), connect(b.target)];
  return {
    redis,
    a,
    b,
    ca,
    cb,
    async stop() {
      ca.close();
      cb.close();
      await Promise.all([stopBinary(a), stopBinary(b)]);
      await redis.stop();
    },
  };
}
