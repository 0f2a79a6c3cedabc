// Issue 13: the bus between servers sharing a Redis store. One pub/sub channel
// (BUS_CHANNEL) on the feed's subscriber connection, JSON payloads, published
// on the command connection. A server hears its own messages through Redis
// like everyone else's and never delivers them locally as well, so every
// server, the publisher included, gets each message once. What is published
// while a connection is down is lost: bus messages are never stored (typing,
// presence, and user events whose state is in UserState anyway).
import type { Redis } from 'ioredis';
import type { Logger } from '../../log.js';
import type { Bus, BusMessage } from '../../types.js';
import { BUS_CHANNEL } from './keys.js';

export class RedisBus implements Bus {
  private readonly listeners: Array<(message: BusMessage) => void> = [];
  private closed = false;
  private readonly onRedisMessage = (name: string, payload: string): void => {
    // The feed's room channels arrive on the same connection: only ours is for us.
    if (name === BUS_CHANNEL && !this.closed) this.deliver(payload);
  };

  private constructor(
    private readonly cmd: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {}

  /** Subscribed before it answers: what is published after open() resolves is heard. */
  static async open(cmd: Redis, sub: Redis, log: Logger): Promise<RedisBus> {
    const bus = new RedisBus(cmd, sub, log);
    sub.on('message', bus.onRedisMessage);
    try {
      await sub.subscribe(BUS_CHANNEL);
    } catch (err) {
      sub.off('message', bus.onRedisMessage);
      throw err;
    }
    return bus;
  }

  publish(message: BusMessage): void {
    if (this.closed) return;
    this.cmd.publish(BUS_CHANNEL, JSON.stringify(message)).catch((err: Error) => {
      this.log.warn(`bus: could not publish a ${message.to} message: ${err.message}`);
    });
  }

  onMessage(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Stops listening; the connections belong to the feed and store, which close them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.length = 0;
    this.sub.off('message', this.onRedisMessage);
    if (this.sub.status === 'ready') await this.sub.unsubscribe(BUS_CHANNEL).catch(() => undefined);
  }

  private deliver(payload: string): void {
    let message: BusMessage;
    try {
      message = JSON.parse(payload) as BusMessage;
    } catch {
      this.log.warn(`bus: ignoring an unreadable message on ${BUS_CHANNEL}`);
      return;
    }
    if (message?.to !== 'user' && message?.to !== 'room') {
      this.log.warn(`bus: ignoring a message for '${String((message as { to?: unknown })?.to)}'`);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (err) {
        // One listener's fault must not keep the message from the others.
        this.log.error(`bus: a listener failed: ${(err as Error).message}`);
      }
    }
  }
}
