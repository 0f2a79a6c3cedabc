// The Redis feed: batches are stored and published by one script (store.ts),
// and each server subscribes to the rooms it has members in. Pub/sub loses
// what is published while a connection is down, so on every reconnect each
// room fetches what it missed from the stream, and a room that sees a seq
// jump fetches the hole (room.ts).
import type { Redis } from 'ioredis';
import type { Feed, FeedHandler, FeedHealth } from '../../types.js';
import type { Logger } from '../../log.js';
import type { Appended, Draft } from '../types.js';
import { channel, roomOfChannel } from './keys.js';
import { fromLive, type LivePayload, type RedisStore } from './store.js';
import { observeBusLag } from '../../metrics.js'; // issue 17: metrics

/** A second look after a reconnect: the resubscription and the catch-up read race on two connections. */
const SECOND_CATCH_UP_MS = 1000;

export class RedisFeed implements Feed {
  private readonly handlers = new Map<string, FeedHandler>();
  private readonly listeners: Array<(health: FeedHealth) => void> = [];
  private health: FeedHealth = 'up';
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly store: RedisStore,
    cmd: Redis,
    private readonly sub: Redis,
    private readonly log: Logger,
  ) {
    sub.on('message', (name: string, payload: string) => this.onMessage(name, payload));
    for (const conn of [cmd, sub]) {
      conn.on('close', () => this.setHealth('down'));
      conn.on('ready', () => {
        if (cmd.status === 'ready' && sub.status === 'ready') this.setHealth('up');
      });
    }
  }

  publish(room: string, drafts: readonly Draft[], token: string): Promise<Appended[]> {
    return this.store.appendAndPublish(room, drafts, token);
  }

  async subscribe(room: string, handler: FeedHandler): Promise<number> {
    this.handlers.set(room, handler);
    try {
      // Subscribed first, then read: every seq after the one read arrives live.
      await this.sub.subscribe(channel(room));
      return await this.store.latestSeq(room);
    } catch (err) {
      if (this.handlers.get(room) === handler) this.handlers.delete(room);
      throw err;
    }
  }

  unsubscribe(room: string, handler: FeedHandler): void {
    if (this.handlers.get(room) !== handler) return;
    this.handlers.delete(room);
    this.sub.unsubscribe(channel(room)).catch(() => undefined);
  }

  onHealth(listener: (health: FeedHealth) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.listeners.length = 0;
    await this.sub.quit().catch(() => this.sub.disconnect());
    await this.store.close();
  }

  private onMessage(name: string, payload: string): void {
    const room = roomOfChannel(name);
    const handler = room === null ? undefined : this.handlers.get(room);
    if (!room || !handler) return;
    let live: LivePayload;
    try {
      live = JSON.parse(payload) as LivePayload;
    } catch {
      this.log.warn(`ignoring an unreadable message on ${name}`);
      return;
    }
    observeBusLag(Number(live.m[0]?.[4])); // issue 17: metrics (the batch's first post time)
    handler.deliver({ token: live.k, messages: live.m.map((row) => fromLive(room, row)) });
  }

  private catchUpAll(): void {
    for (const h of this.handlers.values()) h.catchUp();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      for (const h of this.handlers.values()) h.catchUp();
    }, SECOND_CATCH_UP_MS);
    this.timers.add(timer);
  }

  private setHealth(health: FeedHealth): void {
    if (health === this.health) return;
    this.health = health;
    for (const listener of this.listeners) listener(health);
    // Both connections are back (ioredis has resubscribed): fetch what pub/sub dropped.
    if (health === 'up') this.catchUpAll();
  }
}
