// Issue 13 in the client, without a server: unread and read markers from the
// welcome, the "new messages" line, typing (an injected clock), direct rooms,
// quiet joins, the new commands, and what goes on the wire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrame__Output } from '../../protos/generated/chat/ServerFrame.js';
import { directRoomId, TYPING_EXPIRY_MS, TYPING_INTERVAL_MS } from '../../protos/rules.js';
import type { LineType, RoomEvent, RoomInfo } from '../../tui/domain.js';
import { complete, parseLine } from '../../tui/slash.js';
import { noticeNames, showMemberChange } from '../../tui/quiet-joins.js';
import { READ_DEBOUNCE_MS, trackReads } from '../../tui/read-sync.js';
import { newMessagesAt, roomLabel } from '../../tui/rooms.js';
import { createChatStore } from '../../tui/store.js';
import { nextExpiry, typingText, typists, TypingSender } from '../../tui/typing.js';
import { decodeFrame, helloFrame } from '../../tui/wire.js';

const T0 = 1_700_000_000_000;
const msg = (seq: number, text: string, user = 'Bob', type: LineType = 'TEXT', ts = T0 + seq): RoomEvent => {
  const line = { key: `s${seq}`, seq, type, userId: `${user}-id`, username: user, text, timestamp: ts };
  if (type === 'JOIN' || type === 'LEAVE') return { kind: 'memberChange', line };
  return { kind: 'message', line, own: user === 'Alice', clientMsgId: '' };
};
const info = (roomId: string, over: Partial<RoomInfo> = {}): RoomInfo => ({ roomId, direct: false, peer: '', latestSeq: 0, readSeq: 0, unread: 0, mentions: 0, topic: '', private: false, operator: false, ...over });
const fresh = (room?: string) => createChatStore({ username: 'Alice', userId: 'Alice-id', server: 'x', ...(room ? { room } : {}) });

describe('rooms that follow the user', () => {
  it('starts with no room and takes the welcome\'s rooms in the user\'s order, the first on screen', () => {
    const store = fresh();
    assert.deepEqual([store.getState().order, store.getState().current], [[], '']);
    store.getState().welcome([info('dev'), info('general'), info(directRoomId('Alice', 'Bob'), { direct: true, peer: 'Bob' })]);
    const s = store.getState();
    assert.deepEqual(s.order, ['dev', 'general', '@alice/bob']);
    assert.equal(s.current, 'dev');
    assert.equal(roomLabel(s.rooms['@alice/bob']), '@Bob');
    assert.equal(roomLabel(s.rooms.dev), '#dev');
  });

  it('keeps the --room room on screen, drops rooms the welcome no longer has, adds and removes on room/left', () => {
    const store = fresh('ops');
    store.getState().addRoom('old');
    store.getState().welcome([info('general'), info('ops')]);
    assert.deepEqual([store.getState().order, store.getState().current], [['general', 'ops'], 'ops']);
    store.getState().roomInfo(info('random'));
    assert.deepEqual(store.getState().order, ['general', 'ops', 'random']);
    store.getState().removeRoom('ops');
    assert.equal(store.getState().current, 'general', 'the room before it comes on screen');
    store.getState().removeRoom('general');
    store.getState().removeRoom('random');
    assert.deepEqual([store.getState().order, store.getState().current], [[], ''], 'the last room may go too');
  });
});

describe('unread and read markers', () => {
  it('takes unread and mentions from the welcome, and does not count the replay of them again', () => {
    const store = fresh('general');
    store.getState().welcome([info('general'), info('dev', { latestSeq: 5, readSeq: 2, unread: 3, mentions: 1 })]);
    const dev = () => store.getState().rooms.dev!;
    assert.deepEqual([dev().unread, dev().mentions, dev().mentioned], [3, 1, true]);
    // The replay: seq 1-5 (3-5 unread), already counted by the server.
    store.getState().receive('dev', [msg(1, 'a'), msg(2, 'b'), msg(3, 'c'), msg(4, 'hi alice'), msg(5, 'e')]);
    assert.deepEqual([dev().unread, dev().mentions], [3, 1]);
    // Live: counted here.
    store.getState().receive('dev', [msg(6, 'new'), msg(7, 'alice?')]);
    assert.deepEqual([dev().unread, dev().mentions], [5, 2]);
  });

  it('a read in another session lowers unread to what is loaded after the marker', () => {
    const store = fresh('general');
    store.getState().welcome([info('general'), info('dev', { latestSeq: 0 })]);
    store.getState().receive('dev', [msg(1, 'a'), msg(2, 'hey alice'), msg(3, 'c'), msg(4, 'own', 'Alice'), msg(5, 'e')]);
    const dev = () => store.getState().rooms.dev!;
    assert.deepEqual([dev().unread, dev().mentions], [4, 1]);
    store.getState().markRead('dev', 2);
    assert.deepEqual([dev().unread, dev().mentions, dev().mentioned, dev().readSeq], [2, 0, false, 2], 'seq 3 and 5 (4 is mine)');
    store.getState().markRead('dev', 1);
    assert.equal(dev().readSeq, 2, 'a marker never moves back');
    store.getState().markRead('dev', 5);
    assert.equal(dev().unread, 0);
  });

  it('puts the new-messages line above the first unread message from others as the room opens, and drops it when the room is left', () => {
    const store = fresh('general');
    store.getState().welcome([info('general'), info('dev', { latestSeq: 4, readSeq: 2, unread: 2 })]);
    store.getState().receive('dev', [msg(1, 'a'), msg(2, 'b'), msg(3, 'mine', 'Alice'), msg(4, 'new one')]);
    assert.equal(store.getState().rooms.dev!.markerSeq, null, 'not placed while the room is not on screen');
    store.getState().switchRoom({ roomId: 'dev' });
    const dev = () => store.getState().rooms.dev!;
    assert.equal(dev().markerSeq, 2);
    assert.equal(newMessagesAt(dev(), 'Alice'), 3, 'above seq 4: seq 3 is my own');
    assert.equal(dev().unread, 0, 'on screen: read');
    store.getState().switchRoom({ roomId: 'general' });
    assert.equal(dev().markerSeq, null);
    assert.equal(newMessagesAt(dev(), 'Alice'), -1);
  });

  it('places the line for the room on screen when its state arrives', () => {
    const store = fresh('dev');
    store.getState().welcome([info('dev', { latestSeq: 9, readSeq: 7, unread: 2 })]);
    assert.equal(store.getState().rooms.dev!.markerSeq, 7);
    const none = fresh('dev');
    none.getState().welcome([info('dev', { latestSeq: 9, readSeq: 9, unread: 0 })]);
    assert.equal(none.getState().rooms.dev!.markerSeq, null, 'nothing unread: no line');
  });

  it('sends a read marker once the room on screen settles at the bottom with the focus, debounced, only when it moved', () => {
    const store = fresh('dev');
    store.getState().welcome([info('dev')]);
    const sent: Array<[string, number]> = [];
    const timers: Array<() => void> = [];
    const fire = () => timers.splice(0).forEach((f) => f());
    const stop = trackReads(store, (room, seq) => {
      sent.push([room, seq]);
      store.getState().markRead(room, seq);
    }, { set: (fn, ms) => (assert.equal(ms, READ_DEBOUNCE_MS), timers.push(fn)), clear: () => timers.splice(0) });
    store.getState().receive('dev', [msg(1, 'a')]);
    store.getState().receive('dev', [msg(2, 'b')]);
    assert.equal(timers.length, 1, 'one timer for a burst');
    fire();
    assert.deepEqual(sent, [['dev', 2]]);
    fire();
    assert.equal(sent.length, 1, 'not again while nothing moved');
    store.getState().scroll(3);
    store.getState().receive('dev', [msg(3, 'c')]);
    assert.equal(timers.length, 0, 'scrolled up: not read');
    store.getState().toBottom();
    store.getState().setFocused(false);
    assert.equal(timers.length, 0, 'no focus: not read');
    store.getState().setFocused(true);
    fire();
    assert.deepEqual(sent, [['dev', 2], ['dev', 3]]);
    stop();
  });
});

describe('direct rooms', () => {
  it('names a direct room after the peer, and counts every unread message in it as a mention', () => {
    const alerts: string[] = [];
    const store = createChatStore({ username: 'Alice', userId: 'a', server: 'x', room: 'general', onAlert: (a) => alerts.push(a.from) });
    const id = directRoomId('Alice', 'Bob');
    store.getState().addRoom(id);
    assert.equal(roomLabel(store.getState().rooms[id]), '@bob', 'from the id until the server spells it');
    store.getState().roomInfo(info(id, { direct: true, peer: 'Bob' }));
    assert.equal(roomLabel(store.getState().rooms[id]), '@Bob');
    store.getState().receive(id, [msg(1, 'lunch?', 'Bob', 'TEXT', Date.now())]);
    const room = store.getState().rooms[id]!;
    assert.deepEqual([room.unread, room.mentions, room.mentioned], [1, 1, true]);
    assert.deepEqual(alerts, ['Bob'], 'a notification, as a mention');
  });
});

describe('typing', () => {
  it('says typing at most every interval while the input changes, and stopped once on clear or send', () => {
    let now = 0;
    const sent: string[] = [];
    const t = new TypingSender((room, on) => sent.push(`${room}:${on}`), () => now);
    t.changed('dev', 'h');
    now = 1000;
    t.changed('dev', 'he');
    now = TYPING_INTERVAL_MS;
    t.changed('dev', 'hel');
    assert.deepEqual(sent, ['dev:true', 'dev:true']);
    t.changed('dev', '');
    t.changed('dev', '');
    assert.deepEqual(sent.slice(2), ['dev:false'], 'once');
    t.changed('dev', 'x');
    assert.equal(sent.length, 3, 'a new notice waits out the interval from the last one');
    now = 2 * TYPING_INTERVAL_MS;
    t.changed('dev', 'xy');
    t.stop();
    t.stop();
    assert.deepEqual(sent.slice(3), ['dev:true', 'dev:false']);
    // Lines sent in a burst: no pair per line.
    for (let i = 0; i < 50; i++) {
      t.changed('dev', `line ${i}`);
      t.stop();
    }
    assert.equal(sent.length, 5);
    now = 3 * TYPING_INTERVAL_MS;
    t.changed('dev', 'y');
    t.changed('general', 'y');
    assert.deepEqual(sent.slice(5), ['dev:true', 'dev:false'], 'a room change stops the old room');
    now = 4 * TYPING_INTERVAL_MS;
    t.changed('general', 'yz');
    assert.deepEqual(sent.slice(7), ['general:true']);
  });

  it('shows who is typing, expires entries, and a message ends its sender\'s', () => {
    const store = fresh('dev');
    store.getState().typingIn('dev', 'Bob', true, 1000);
    store.getState().typingIn('dev', 'Carol', true, 2000);
    const entries = () => store.getState().rooms.dev!.typing;
    assert.equal(typingText(typists(entries(), 2500)), 'Bob and Carol are typing…');
    assert.equal(typingText(typists(entries(), 1000 + TYPING_EXPIRY_MS)), 'Carol is typing…', 'Bob expired');
    assert.equal(nextExpiry(entries(), 2500), 1000 + TYPING_EXPIRY_MS);
    store.getState().typingIn('dev', 'Dan', true, 2000);
    assert.equal(typingText(typists(entries(), 2500)), 'Several people are typing…');
    store.getState().typingIn('dev', 'Dan', false, 2100);
    store.getState().receive('dev', [msg(1, 'done', 'Carol')]);
    assert.deepEqual(typists(entries(), 2500), ['Bob']);
    assert.equal(typingText([]), '');
  });
});

describe('quiet joins', () => {
  it('reads the names out of coalesced notices', () => {
    assert.deepEqual(noticeNames('Alice joined the room'), ['Alice']);
    assert.deepEqual(noticeNames('Alice and Bob left the room (connection lost)'), ['Alice', 'Bob']);
    assert.deepEqual(noticeNames('Alice, Bob and 48 others joined the room'), ['Alice', 'Bob']);
  });

  it('smart: shows joins in small rooms and for people who spoke in the last 10 minutes; all and none', () => {
    const line = (text: string, ts: number) => ({ key: 'k', seq: 1, type: 'JOIN' as const, userId: '', username: 'System', text, timestamp: ts });
    const big = { members: 50, membersKnown: true, spoke: { bob: T0 } };
    assert.equal(showMemberChange(line('Bob left the room', T0 + 9 * 60_000), big, 'smart'), true);
    assert.equal(showMemberChange(line('Bob left the room', T0 + 11 * 60_000), big, 'smart'), false);
    assert.equal(showMemberChange(line('Carol joined the room', T0), big, 'smart'), false);
    assert.equal(showMemberChange(line('Carol joined the room', T0), { ...big, members: 9 }, 'smart'), true);
    assert.equal(showMemberChange(line('Carol joined the room', T0), big, 'all'), true);
    assert.equal(showMemberChange(line('Bob left the room', T0), { ...big, members: 2 }, 'none'), false);
  });

  it('leaves the line out of the pane but keeps the event for the member list', () => {
    const store = fresh('big');
    store.getState().setMembers('big', Array.from({ length: 12 }, (_, i) => `m${i}`));
    const fresh1 = store.getState().receive('big', [msg(1, 'Zed joined the room', 'System', 'JOIN'), msg(2, 'hi', 'Bob'), msg(3, 'Bob left the room', 'System', 'LEAVE')]);
    assert.deepEqual(store.getState().rooms.big!.lines.map((l) => l.text), ['hi', 'Bob left the room']);
    assert.equal(fresh1.filter((e) => e.kind === 'memberChange').length, 2, 'both still reach the member-list refresh');
    assert.equal(store.getState().rooms.big!.lastSeq, 3);
  });
});

describe('commands', () => {
  it('parses /msg, /query, /away and /back', () => {
    assert.deepEqual(parseLine('/msg Bob hello  there'), { kind: 'msg', to: 'Bob', text: 'hello  there' });
    assert.deepEqual(parseLine('/msg @Bob hi'), { kind: 'msg', to: 'Bob', text: 'hi' });
    assert.equal(parseLine('/msg Bob').kind, 'error');
    assert.equal(parseLine('/msg').kind, 'error');
    assert.deepEqual(parseLine('/query Bob'), { kind: 'msg', to: 'Bob', text: '' });
    assert.equal(parseLine('/query').kind, 'error');
    assert.deepEqual(parseLine('/away at lunch'), { kind: 'away', reason: 'at lunch' });
    assert.deepEqual(parseLine('/away'), { kind: 'away', reason: '' });
    assert.deepEqual(parseLine('/back'), { kind: 'back' });
  });

  it('completes /msg and /query names from everyone seen', () => {
    const pools = { names: ['Here'], rooms: ['general'], people: ['Bob', 'Carol'] };
    assert.equal(complete('/msg ca', pools), '/msg Carol ');
    assert.equal(complete('/query @b', pools), '/query Bob ');
    assert.equal(complete('/m', pools), '/me ');
    assert.equal(complete('/ms', pools), '/msg ');
  });
});

describe('the Session wire', () => {
  it('says hello with the rooms to add and the last seq per room seen, and no user id', () => {
    const hello = helloFrame({ userId: 'x', username: 'Alice' }, ['ops'], new Map([['dev', 7], ['new', 0]]));
    assert.deepEqual(hello, { hello: { username: 'Alice', user_id: '', join: ['ops'], resume: [{ room_id: 'dev', after_seq: 7 }] } });
  });

  it('turns a frame into room events and news, in order; messages of my other sessions are mine', () => {
    const message = (room_id: string, seq: number, username: string, user_id: string) => ({
      message: { user_id, username, message: 'hi', timestamp: T0, type: 'TEXT' as const, room_id, seq, notice: 'NOTICE_NONE' as const, refused: '', client_msg_id: '', retry_after_ms: 0 },
      event: 'message' as const,
    });
    const frame = {
      events: [
        { welcome: { username: 'Alice', user_id: 'u-a', server: { version: '1', rate_per_second: 5, rate_burst: 10, max_message_bytes: 100, history: 50 }, rooms: [{ room_id: 'dev', direct: false, peer: '', latest_seq: 3, read_seq: 1, unread: 2, mentions: 0 }], away: true, away_reason: 'lunch' }, event: 'welcome' as const },
        message('dev', 2, 'Bob', 'u-b'),
        message('dev', 3, 'alice', 'other-id'),
        { typing: { room_id: 'dev', username: 'Bob', typing: true }, event: 'typing' as const },
        { presence: { username: 'Bob', presence: 'AWAY' as const, away_reason: 'x' }, event: 'presence' as const },
      ],
    } as unknown as ServerFrame__Output;
    const items = decodeFrame(frame, { userId: 'u-a', username: 'Alice' });
    assert.deepEqual(items.map((i) => i.kind), ['welcome', 'roomEvent', 'roomEvent', 'typing', 'presence']);
    const w = items[0]!;
    assert.ok(w.kind === 'welcome');
    assert.deepEqual([w.limit, w.away, w.awayReason, w.rooms[0]?.unread], [{ rate: 5, burst: 10 }, true, 'lunch', 2]);
    const own = items.map((i) => (i.kind === 'roomEvent' && i.event.kind === 'message' ? i.event.own : null)).filter((x) => x !== null);
    assert.deepEqual(own, [false, true]);
    assert.deepEqual(items[4], { kind: 'presence', member: { username: 'Bob', presence: 'away', awayReason: 'x' } });
  });
});
