// wire.ts: what each message from the server means in chat-tui's terms, and what we put on the wire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';
import { decode, joinMessage, postMessage } from '../../tui/wire.js';
import { decodedMessage } from '../support/chat-message.js';

const wire = (over: Partial<ChatMessage__Output>): ChatMessage__Output =>
  decodedMessage({ user_id: 'bob-id', username: 'Bob', message: 'hi', timestamp: 1_700_000_000_000, type: 'TEXT', room_id: 'general', seq: 7, ...over });

describe('wire', () => {
  it('turns a stored text into a message line, ours when the user id is ours', () => {
    const theirs = decode(wire({}), 'me-id');
    assert.deepEqual(theirs, {
      kind: 'message',
      own: false,
      clientMsgId: '',
      line: { key: 's7', seq: 7, type: 'TEXT', userId: 'bob-id', username: 'Bob', text: 'hi', timestamp: 1_700_000_000_000 },
    });
    const ours = decode(wire({ user_id: 'me-id', username: 'Me' }), 'me-id');
    assert.equal(ours.kind === 'message' && ours.own, true);
  });

  it('tells joins and leaves, notices, refusals and the caught-up mark apart', () => {
    assert.equal(decode(wire({ type: 'JOIN', message: 'Bob joined the room' }), 'me').kind, 'memberChange');
    assert.equal(decode(wire({ type: 'LEAVE', message: 'Bob left the room' }), 'me').kind, 'memberChange');
    const notice = decode(wire({ type: 'SYSTEM', seq: 0, notice: 'NOTICE_HISTORY_END', message: '--- End of history ---' }), 'me');
    assert.equal(notice.kind, 'notice');
    assert.match(notice.kind === 'notice' ? notice.line.key : '', /^l\d+$/, 'unstored lines get local keys');
    const refused = decode(wire({ type: 'SYSTEM', seq: 0, notice: 'NOTICE_NOT_SENT', refused: 'too long…', message: 'Message not sent' }), 'me');
    assert.equal(refused.kind === 'notSent' && refused.refused, 'too long…');
    const paced = decode(wire({ type: 'SYSTEM', seq: 0, notice: 'NOTICE_NOT_SENT', refused: 'x', client_msg_id: 'abc.7', retry_after_ms: 180 }), 'me');
    assert.deepEqual(paced.kind === 'notSent' && [paced.clientMsgId, paced.retryAfterMs], ['abc.7', 180]);
    assert.deepEqual(decode(wire({ type: 'SYSTEM', seq: 0, notice: 'NOTICE_CAUGHT_UP', message: 'Caught up' }), 'me'), { kind: 'caughtUp' });
  });

  it('asks to resume only when something was seen', () => {
    const me = { userId: 'me-id', username: 'Me' };
    assert.deepEqual(joinMessage(me, 'dev', 0), { user_id: 'me-id', username: 'Me', room_id: 'dev', type: 'JOIN' });
    assert.equal(joinMessage(me, 'dev', 42).resume_after_seq, 42);
    assert.deepEqual(postMessage('hello', 'abc.1'), { type: 'TEXT', message: 'hello', client_msg_id: 'abc.1' });
  });
});
