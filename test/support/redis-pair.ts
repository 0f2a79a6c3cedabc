// Two chat-server binaries sharing one real redis-server: the set-up most
// tests in test/redis/ start with. Each test file still closes its own
// clients first; stop() then ends both servers and Redis.
import { startBinary, startRedis, stopBinary, type RedisProcess, type Spawned } from '../processes.js';

export interface RedisPair {
  redis: RedisProcess;
  a: Spawned;
  b: Spawned;
  stop(): Promise<void>;
}

/** `args`: the servers' flags besides --store (given the Redis URL, for flags that name it). */
export async function startRedisPair(args: (redisUrl: string) => string[] = () => ['--rate-limit', 'off']): Promise<RedisPair> {
  const redis = await startRedis();
  const flags = ['--store', redis.url, ...args(redis.url)];
  const [a, b] = await Promise.all([startBinary(flags), startBinary(flags)]);
  return {
    redis,
    a,
    b,
    async stop() {
      await Promise.all([stopBinary(a), stopBinary(b)]);
      await redis.stop();
    },
  };
}
