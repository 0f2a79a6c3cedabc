// The single-server Feed (types.ts): a room's batch is stored, then handed
// straight back to that room. With Redis, redis/feed.ts does the same across servers.
import type { Draft, Store, StoredMessage } from './store/types.js';
import type { Feed, FeedHandler } from './types.js';

/** The single-server feed: the store's append, then straight to the room. */
export class LocalFeed implements Feed {
  private readonly handlers = new Map<string, FeedHandler>();

  constructor(readonly store: Store) {}

  async publish(room: string, drafts: readonly Draft[], token: string): Promise<StoredMessage[]> {
    const messages = await this.store.append(room, drafts);
    this.handlers.get(room)?.deliver({ messages, token });
    return messages;
  }

  subscribe(room: string, handler: FeedHandler): Promise<number> {
    this.handlers.set(room, handler);
    return this.store.latestSeq(room);
  }

  unsubscribe(room: string, handler: FeedHandler): void {
    if (this.handlers.get(room) === handler) this.handlers.delete(room);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
