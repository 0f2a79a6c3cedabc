// Issue 13: the bus of a server of its own: what is published reaches this
// server's listeners on the next turn (never inside the publisher's call, as
// with Redis). store/redis/bus.ts carries the same between servers.
import type { Bus, BusMessage } from './types.js';

export class LocalBus implements Bus {
  private readonly listeners: Array<(message: BusMessage) => void> = [];

  publish(message: BusMessage): void {
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(message);
    });
  }

  onMessage(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.listeners.length = 0;
    return Promise.resolve();
  }
}
