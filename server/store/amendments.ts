// Issue 16: what a room's stored events make of the messages they target. Every
// store hands over the EVENTs aimed at some seqs, in seq order, and this folds
// them into each message's current state, the same way for memory, SQLite and
// Redis. The fold is idempotent per user (a second REACT with the same emoji
// by the same user, or an UNREACT without one before, changes nothing), so two
// servers racing to toggle a reaction still agree on the counts.
import type { Amendment, StoredMessage } from './types.js';

/** The parts of an EVENT the fold reads. */
export type TargetEvent = Pick<StoredMessage, 'seq' | 'username' | 'action' | 'target_seq' | 'detail'>;

/** The actions that change another message (the rest are about the room). */
export const MESSAGE_ACTIONS = new Set(['EDIT', 'DELETE', 'REACT', 'UNREACT']);

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function emptyAmendment(): Amendment {
  return { edited: false, deleted: false, reactions: [] };
}

/** Folds events (oldest first) into target seq -> amendment; events for other seqs than `only` (when given) are skipped. */
export function foldEvents(events: Iterable<TargetEvent>, only?: ReadonlySet<number>): Map<number, Amendment> {
  const out = new Map<number, Amendment>();
  for (const e of events) {
    const target = e.target_seq ?? 0;
    if (target <= 0 || !e.action || !MESSAGE_ACTIONS.has(e.action) || (only && !only.has(target))) continue;
    let a = out.get(target);
    if (!a) out.set(target, (a = emptyAmendment()));
    apply(a, e);
  }
  return out;
}

function apply(a: Amendment, e: TargetEvent): void {
  if (a.deleted) return; // nothing happens to a deleted message any more
  const detail = e.detail ?? '';
  switch (e.action) {
    case 'EDIT':
      a.text = detail;
      a.edited = true;
      return;
    case 'DELETE':
      a.deleted = true;
      a.text = '';
      a.reactions = [];
      return;
    case 'REACT': {
      let r = a.reactions.find((x) => x.emoji === detail);
      if (!r) a.reactions.push((r = { emoji: detail, users: [] }));
      if (!r.users.some((u) => same(u, e.username))) r.users.push(e.username);
      return;
    }
    case 'UNREACT': {
      const r = a.reactions.find((x) => x.emoji === detail);
      if (!r) return;
      r.users = r.users.filter((u) => !same(u, e.username));
      if (r.users.length === 0) a.reactions = a.reactions.filter((x) => x !== r);
      return;
    }
    default:
      return;
  }
}

/** Whether `user` (any case) has reacted with `emoji` in this state. */
export function hasReacted(a: Amendment | undefined, emoji: string, user: string): boolean {
  return a?.reactions.some((r) => r.emoji === emoji && r.users.some((u) => same(u, user))) ?? false;
}
