// One batch of a room's posts on its way into the store (Room.flush): the feed
// stores it in one go (seqs assigned) and delivers it back; a resend of a
// message already stored (same user, same client id) is not posted again, and
// its sender gets the stored one back as its echo; if the store fails, every
// sender hears its message was not sent.
import type { InFlightBatches, PendingPost } from './in-flight.js';
import type { Logger } from './log.js';
import { metrics } from './metrics.js'; // issue 17: metrics
import type { Feed } from './types.js';
import { notSent, toWire, type Wire } from './wire.js';

export interface BatchContext {
  feed: Feed;
  wire: Wire;
  log: Logger;
  inflight: InFlightBatches;
  /** The room's feed subscription (made on first use): resolves with the seq delivery starts after. */
  open(): Promise<number>;
  /** The highest seq delivered to the room's members here. */
  delivered(): number;
}

export async function storeBatch(roomId: string, posts: PendingPost[], ctx: BatchContext): Promise<void> {
  const { feed, wire, log, inflight } = ctx;
  const token = inflight.add(posts);
  try {
    await ctx.open();
    const appended = await feed.publish(roomId, posts.map((p) => p.draft), token);
    const kept: PendingPost[] = [];
    appended.forEach((m, i) => {
      const post = posts[i];
      if (!post) return;
      if (m.duplicate) post.sender?.send(wire.encode(toWire(m)));
      else kept.push(post);
    });
    inflight.stored(token, kept, appended.find((m) => !m.duplicate)?.seq ?? 0);
    metrics.posted.inc(kept.reduce((n, p) => n + (p.sender ? 1 : 0), 0)); // issue 17: metrics (posts with a sender are clients' TEXTs)
    inflight.forget(ctx.delivered());
  } catch (err) {
    inflight.failed(token);
    log.error(`[${roomId}] could not store ${posts.length} message(s): ${String(err)}`);
    metrics.refused.inc({ reason: 'store_failed' }, posts.reduce((n, p) => n + (p.sender ? 1 : 0), 0)); // issue 17: metrics
    for (const p of posts) {
      p.sender?.send(wire.encode(notSent(roomId, 'the server could not store it', p.draft.message, { clientMsgId: p.draft.client_msg_id ?? '' })));
    }
  }
}
