// Issue 16: what an edit, a delete or a reaction does to a line the room holds,
// and the few questions the pane and the commands ask of a message (whose is
// it, what do its reactions say). Pure.
import type { Amendment, Line, Reaction } from './domain.js';

/** The line as the amendment leaves it (a new object: the pane's row cache is keyed by line). */
export function amendLine(line: Line, amend: Amendment): Line {
  switch (amend.kind) {
    case 'edit':
      return line.deleted ? line : { ...line, text: amend.text, edited: true };
    case 'delete': {
      const { reactions: _gone, ...rest } = line;
      return { ...rest, text: '', deleted: true };
    }
    case 'react':
    case 'unreact':
      return withReactions(line, react(line.reactions ?? [], amend.emoji, amend.by, amend.kind === 'react'));
  }
}

function withReactions(line: Line, reactions: Reaction[]): Line {
  if (reactions.length > 0) return { ...line, reactions };
  const { reactions: _none, ...rest } = line;
  return rest;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `by` adds (on) or takes back (off) `emoji`; an emoji nobody gives any more goes. */
export function react(reactions: readonly Reaction[], emoji: string, by: string, on: boolean): Reaction[] {
  const out: Reaction[] = [];
  let found = false;
  for (const r of reactions) {
    if (r.emoji !== emoji) {
      out.push(r);
      continue;
    }
    found = true;
    const others = r.users.filter((u) => !same(u, by));
    const users = on ? [...others, by] : others;
    if (users.length > 0) out.push({ emoji, users });
  }
  if (!found && on) out.push({ emoji, users: [by] });
  return out;
}

/**
 * The lines with the amendment applied to its target (searched from the
 * newest: events follow their targets closely). Unchanged (the same array)
 * when the target is not loaded: a history page brings it already amended.
 */
export function applyAmendment(lines: Line[], amend: Amendment): boolean {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.seq !== amend.targetSeq) continue;
    if (line.type !== 'TEXT') return false;
    lines[i] = amendLine(line, amend);
    return true;
  }
  return false;
}

/** "👍 2  🎉 1": the row under a message. */
export function reactionSummary(reactions: readonly Reaction[]): string {
  return reactions.map((r) => `${r.emoji} ${r.users.length}`).join('  ');
}

/** "👍 Alice, Bob; 🎉 Carol": who reacted, on request. */
export function reactionNames(reactions: readonly Reaction[]): string {
  return reactions.map((r) => `${r.emoji} ${r.users.join(', ')}`).join('; ');
}

/** A stored message one can reply to, edit, delete or react to. */
export function isMessage(line: Line): boolean {
  return line.type === 'TEXT' && line.seq > 0 && !line.pending;
}

export function isOwn(line: Line, username: string): boolean {
  return same(line.username, username);
}

/** The newest stored message (of `username`, when given) that is not deleted. */
export function lastMessage(lines: readonly Line[], username?: string): Line | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (isMessage(l) && !l.deleted && (username === undefined || isOwn(l, username))) return l;
  }
  return undefined;
}

/** "Alice: the first words…", for the input's "replying to" line. */
export function quoteOf(line: Line, chars = 60): string {
  const text = [...line.text.replace(/\s+/g, ' ').trim()];
  return `${line.username}: ${text.slice(0, chars).join('')}${text.length > chars ? '…' : ''}`;
}
