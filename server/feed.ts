// How a room's stored messages reach the members on this server. A room hands
// every batch to publish(), which stores it (assigning seqs) and announces it;
// each server's subscribed room gets the stored batch back through deliver().
// In one process that is a direct call (LocalFeed); with Redis the same batch
// reaches every server sharing the store, in seq order (redis/feed.ts).
import type { Draft, Store, StoredMessage } from './store/types.js';

export interface Published {
  messages: StoredMessage[];
  /** The publishing room's tag for the batch, so it can find its own posts (and their exclusions). */
  token: string;
}

export interface FeedHandler {
  /** A stored batch, in seq order; batches may skip seqs after a lost connection. */
  deliver(batch: Published): void;
  /** The feed may have missed messages (its connection came back): fetch from the store. */
  catchUp(): void;
}

/** Store health as the server sees it; rooms tell their members when it changes. */
export type FeedHealth = 'up' | 'down';

export interface Feed {
  readonly store: Store;
  publish(room: string, drafts: readonly Draft[], token: string): Promise<StoredMessage[]>;
  /**
   * Starts delivering the room's new messages to `handler`. Resolves with the
   * seq that delivery starts after: everything up to it is already stored.
   */
  subscribe(room: string, handler: FeedHandler): Promise<number>;
  unsubscribe(room: string, handler: FeedHandler): void;
  onHealth(listener: (health: FeedHealth) => void): void;
  close(): Promise<void>;
}

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

  onHealth(): void {
    // One process, one store: nothing between them to lose.
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
