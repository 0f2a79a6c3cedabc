// Bad input: a clear status or notice, and nothing else breaks.
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chatter, eventually, join, suiteServer } from '../helpers.js';

describe('input rules', () => {
  const fx = suiteServer({ maxMessageBytes: 100 });

  const rejects = async (first: Parameters<typeof join>[3] & object, pattern: RegExp) => {
    const c = new Chatter(fx.client, { type: 'JOIN', ...first });
    const status = await c.waitForStatus();
    assert.equal(status.code, grpc.status.INVALID_ARGUMENT, status.details);
    assert.match(status.details, pattern);
  };

  it('rejects bad usernames with INVALID_ARGUMENT and a reason', async () => {
    await rejects({ username: '   ', room_id: 'r' }, /username is empty/);
    await rejects({ username: 'x'.repeat(33), room_id: 'r' }, /33 characters long; the limit is 32/);
    await rejects({ username: 'bad\u001b[31mname', room_id: 'r' }, /control characters/);
    await rejects({ username: 'evil\u202ename', room_id: 'r' }, /control characters/);
  });

  it('rejects bad room ids, strips a leading # and defaults to general', async () => {
    await rejects({ username: 'A', room_id: 'no spaces' }, /may only contain letters, digits/);
    await rejects({ username: 'A', room_id: 'r'.repeat(65) }, /limit is 64/);
    await rejects({ username: 'A', room_id: '#' }, /empty/);
    const hash = new Chatter(fx.client, { username: 'Hash', room_id: '#dev.ops_1-x', type: 'TEXT', message: 'in' });
    await hash.waitForText('in');
    assert.equal(hash.received[0]?.room_id, 'dev.ops_1-x');
    const def = new Chatter(fx.client, { username: 'Def', room_id: '', type: 'TEXT', message: 'here' });
    await def.waitForText('here');
    assert.equal(def.received.at(-1)?.room_id, 'general');
    hash.leave();
    def.leave();
  });

  it('ignores blank text, refuses oversize text with a notice and keeps the stream open', async () => {
    const a = join(fx.client, 'Sender', 'limits');
    const b = join(fx.client, 'Reader', 'limits');
    await a.waitForText('Reader joined the room');
    a.say('   \n\t ');
    a.say('é'.repeat(51)); // 102 bytes in UTF-8, 51 characters
    await a.waitFor((r) => r.some((m) => m.notice === 'NOTICE_NOT_SENT'), 'the size notice');
    const notice = a.received.find((m) => m.notice === 'NOTICE_NOT_SENT');
    assert.equal(notice?.type, 'SYSTEM');
    assert.equal(notice?.seq, 0);
    assert.match(notice?.message ?? '', /102 bytes long and the limit is 100 bytes/);
    assert.equal(notice?.refused, 'é'.repeat(51), 'the notice says which message it was');
    a.say('still here');
    await b.waitForText('still here');
    assert.deepEqual(b.texts(), ['Sender: still here'], 'neither the blank nor the oversize message was posted');
    assert.equal(a.status, null, 'the stream is still open');
    a.leave();
    b.leave();
  });

  it('strips control characters, escape sequences and bidi overrides before storing', async () => {
    const a = join(fx.client, 'Esc', 'clean');
    a.say('red\u001b[31mtext\u001b[0m \u001b]0;title\u0007bell\u0007 tab\tnew\nline \u202eevil\u202c end\r\u0000\u009b2J\u007f');
    await a.waitFor((r) => r.some((m) => m.type === 'TEXT'), 'the cleaned text');
    assert.equal(a.received.find((m) => m.type === 'TEXT')?.message, 'redtext bell tab\tnew\nline evil end');
    a.say('\u001b[2J\u0007');
    a.say('ok');
    await a.waitForText('ok');
    assert.equal(a.received.filter((m) => m.type === 'TEXT').length, 2, 'a message that is only escapes is dropped');
    a.leave();
  });

  it('cleans up a stream that ends before its first message', async () => {
    const before = fx.server.running.hub.sessions.size;
    const call = fx.client.JoinChat();
    const status = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    call.on('error', () => undefined);
    call.end();
    assert.equal((await status).code, grpc.status.OK);
    await eventually(() => fx.server.running.hub.sessions.size <= before, 'the session to be forgotten');
  });
});
