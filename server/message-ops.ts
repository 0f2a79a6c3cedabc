// Issue 16: what a Session does to a message: edit, delete, react, and the
// check and quote behind a reply. Each is checked here (the room is one of the
// user's, the message is a TEXT there and not deleted, the author edits, the
// author or an operator deletes, the text and emoji rules) and becomes a
// stored room EVENT through the membership's one post path (rate limit, seq
// order, every server); a refusal is a SessionError for the frame. After an
// event is posted the frame waits until it is stored, so the user's next frame
// (a second reaction: the toggle) sees it.
import { status } from '@grpc/grpc-js';
import { checkEmoji } from './emoji.js';
import { eventSentence } from './event-text.js';
import { isOperator } from './operators.js';
import { hasReacted } from './store/amendments.js';
import type { Amendment, Draft, StoredMessage } from './store/types.js';
import type { Membership } from './membership.js';
import type { LiveSession } from './session-types.js';
import { checkRoom, isBlank, sanitizeText, utf8Bytes } from './validate.js';

/** How much of the original a reply quotes. */
export const QUOTE_CHARS = 100;

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** "Author: the first 100 characters" on one line, "…" when cut. */
export function replyQuote(author: string, text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return `${author}: ${chars.slice(0, QUOTE_CHARS).join('')}${chars.length > QUOTE_CHARS ? '…' : ''}`;
}

interface Target {
  room: string;
  membership: Membership;
  message: StoredMessage;
  state: Amendment | undefined;
}

export class MessageOps {
  constructor(private readonly s: LiveSession) {}

  /** A reply's fields (the quote made from the original as it is now), or null when refused (the error is sent). */
  /**
   * A reply's quote, or null when the reply cannot be posted: `refused` is told
   * why (the post path answers NOTICE_NOT_SENT for that one message, so the
   * client stops showing it as pending and nothing else it queued is touched).
   */
  async reply(raw: string, replyTo: number, rid: number, refused: (details: string) => void): Promise<Pick<Draft, 'reply_to' | 'reply_quote'> | null> {
    const t = await this.target(raw, replyTo, rid, 'reply to', status.INVALID_ARGUMENT, refused);
    if (!t) return null;
    return { reply_to: t.message.seq, reply_quote: replyQuote(t.message.username, t.state?.text ?? t.message.message) };
  }

  async edit(raw: string, seq: number, text: string, rid: number): Promise<void> {
    const s = this.s;
    const t = await this.target(raw, seq, rid, 'edit');
    if (!t) return;
    if (!same(t.message.username, s.username)) return s.error(status.PERMISSION_DENIED, `only ${t.message.username} can edit their message`, rid, t.room);
    const max = s.ctx.limits.maxMessageBytes;
    const bytes = utf8Bytes(text);
    if (bytes > max) return s.error(status.INVALID_ARGUMENT, `the new text is ${bytes} bytes long and the limit is ${max} bytes`, rid, t.room);
    const clean = sanitizeText(text);
    if (isBlank(clean)) return s.error(status.INVALID_ARGUMENT, 'the new text is empty; to remove the message, delete it', rid, t.room);
    await this.post(t, rid, { action: 'EDIT', target_seq: seq, detail: clean, message: eventSentence({ actor: s.username, action: 'EDIT', author: t.message.username, detail: clean }) });
  }

  async remove(raw: string, seq: number, rid: number): Promise<void> {
    const s = this.s;
    const t = await this.target(raw, seq, rid, 'delete');
    if (!t) return;
    if (!same(t.message.username, s.username) && !(await isOperator(s.ctx, t.room, s.username))) {
      return s.error(status.PERMISSION_DENIED, `only ${t.message.username} or an operator of ${t.room} can delete that message`, rid, t.room);
    }
    await this.post(t, rid, { action: 'DELETE', target_seq: seq, message: eventSentence({ actor: s.username, action: 'DELETE', author: t.message.username }) });
  }

  /** Reacting again with the same emoji takes the reaction back (UNREACT). */
  async react(raw: string, seq: number, emoji: string, rid: number): Promise<void> {
    const s = this.s;
    const checked = checkEmoji(emoji);
    if (!checked.ok) return s.error(status.INVALID_ARGUMENT, checked.error, rid, raw.slice(0, 100));
    const t = await this.target(raw, seq, rid, 'react to');
    if (!t) return;
    const action = hasReacted(t.state, checked.value, s.username) ? 'UNREACT' : 'REACT';
    await this.post(t, rid, { action, target_seq: seq, detail: checked.value, message: eventSentence({ actor: s.username, action, author: t.message.username, detail: checked.value }) });
  }

  /** The room (one the user is in) and the TEXT at seq there, with its state now; null when refused (the error is sent). */
  private async target(
    raw: string,
    seq: number,
    rid: number,
    verb: string,
    missing: number = status.NOT_FOUND,
    refused: (details: string) => void = (details) => this.s.error(missing, details, rid, raw.slice(0, 100)),
  ): Promise<Target | null> {
    const s = this.s;
    const checked = checkRoom(raw);
    const room = checked.ok ? checked.value : raw.slice(0, 100);
    const membership = checked.ok ? s.rooms.get(room) : undefined;
    if (!membership) {
      s.error(status.NOT_FOUND, `you are not in room ${room}; /join it`, rid, room);
      return null;
    }
    const message = seq > 0 ? await s.ctx.store.get(room, seq) : null;
    if (!message || message.type !== 'TEXT') {
      refused(`there is no message ${seq} in ${room} to ${verb}`);
      return null;
    }
    const state = (await s.ctx.store.amendments(room, [seq])).get(seq);
    if (state?.deleted) {
      if (verb === 'reply to') refused(`message ${seq} in ${room} was deleted`);
      else s.error(status.FAILED_PRECONDITION, `message ${seq} in ${room} was deleted`, rid, room);
      return null;
    }
    return { room, membership, message, state };
  }

  private async post(t: Target, rid: number, event: Omit<Draft, 'user_id' | 'username' | 'timestamp' | 'type'>): Promise<void> {
    const s = this.s;
    const posted = await t.membership.postEvent(event);
    if (posted === 'gone') return s.error(status.NOT_FOUND, `you are not in room ${t.room}; /join it`, rid, t.room);
    if (posted !== 'posted') {
      const wait = Math.ceil(posted.waitMs / 100) / 10;
      return s.error(status.RESOURCE_EXHAUSTED, `you are sending faster than ${s.ctx.buckets.describe()} allows; try again in ${wait} s`, rid, t.room);
    }
    await t.membership.settled();
  }
}
