// Issue 16: history pages show messages as they are now. The log keeps the
// originals and the events that changed them; a page (GetHistory,
// SearchHistory, a Session's fetch_history) asks the store for the amendments
// of its TEXT messages and applies them: the current text and `edited`,
// `deleted` (text empty) and the reactions.
import type { ChatMessage } from '../protos/generated/chat/ChatMessage.js';
import type { Amendment, Store, StoredMessage } from './store/types.js';
import { toWire } from './wire.js';

/** A stored message on the wire, as its amendment (if any) leaves it. */
export function amendedWire(m: StoredMessage, a: Amendment | undefined): ChatMessage {
  const msg = toWire(m);
  if (!a) return msg;
  msg.message = a.deleted ? '' : (a.text ?? m.message);
  msg.edited = a.edited;
  msg.deleted = a.deleted;
  msg.reactions = a.reactions.map((r) => ({ emoji: r.emoji, count: r.users.length, users: r.users }));
  return msg;
}

/** The page as it is now, in the same order; with `dropDeleted`, deleted messages left out (search matches on text they no longer have). */
export async function currentPage(store: Store, room: string, page: readonly StoredMessage[], { dropDeleted = false } = {}): Promise<ChatMessage[]> {
  const seqs = page.filter((m) => m.type === 'TEXT').map((m) => m.seq);
  const amended = seqs.length === 0 ? new Map<number, Amendment>() : await store.amendments(room, seqs);
  const out: ChatMessage[] = [];
  for (const m of page) {
    const a = amended.get(m.seq);
    if (dropDeleted && a?.deleted) continue;
    out.push(amendedWire(m, a));
  }
  return out;
}
