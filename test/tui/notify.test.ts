// The title and desktop notifications: only sanitized text inside OSC
// strings, the title counting unread messages and mentions, alerts per the
// notifications setting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomEvent } from '../../tui/domain.js';
import { createNotifier } from '../../tui/notifier.js';
import { BEL, notifySequence, oscText, titleSequence, titleText } from '../../tui/osc.js';
import type { Alert } from '../../tui/rooms.js';
import { createChatStore } from '../../tui/store.js';

const mention = (seq: number, text: string, user = 'Bob', ts = Date.now()): RoomEvent => ({
  kind: 'message',
  line: { key: `s${seq}`, seq, type: 'TEXT', userId: `${user}-id`, username: user, text, timestamp: ts },
  own: false,
  clientMsgId: '',
});

describe('OSC text', () => {
  it('leaves no control character of any kind, no bidi control, no run of spaces', () => {
    const hostile = 'a\u001b]0;PWNED\u0007b\u009c\u001b\\c\nd\te\u202ef\u0000g\u007fh';
    const safe = oscText(hostile);
    assert.doesNotMatch(safe, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.equal(safe, 'a ]0;PWNED b \\c d ef g h');
  });

  it('keeps fields apart and cuts long text', () => {
    assert.equal(oscText('a;b', { field: true }), 'a,b');
    assert.equal(oscText('a;b'), 'a;b');
    assert.equal(oscText('x'.repeat(500), { max: 10 }), `${'x'.repeat(9)}…`);
    assert.equal([...oscText('😀'.repeat(300))].length, 120);
  });

  it('builds the title and notification sequences, each ending where it should', () => {
    assert.equal(titleSequence('chat-tui (3, 1!)'), '\u001b]2;chat-tui (3, 1!)\u0007');
    assert.equal(titleText(0, 0), 'chat-tui');
    assert.equal(titleText(3, 0), 'chat-tui (3)');
    assert.equal(titleText(3, 1), 'chat-tui (3, 1!)');
    assert.equal(notifySequence('osc777', 'Bob;x in #dev', 'hi\u0007 there'), '\u001b]777;notify;Bob,x in #dev;hi there\u001b\\');
    assert.equal(notifySequence('osc9', '4;Bob', 'hi'), '\u001b]9;chat-tui: 4;Bob: hi\u001b\\');
    // Only the terminator the sequence itself ends with: nothing inside can end it early.
    const seq = notifySequence('osc777', 'E\u001b\\vil', 'x\u0007y\u009cz');
    assert.equal(seq.indexOf('\u001b\\'), seq.length - 2);
    assert.ok(!seq.includes('\u0007') && !seq.includes('\u009c'));
  });
});

describe('notifier', () => {
  function setup(notifications: 'bell' | 'osc777' | 'osc9' | 'off') {
    const written: string[] = [];
    let t = 1_000_000;
    const alerts: Alert[] = [];
    let notifier: ReturnType<typeof createNotifier> | null = null;
    const store = createChatStore({ username: 'Alice', userId: 'alice-id', server: 'x', room: 'general', onAlert: (a) => (alerts.push(a), notifier?.alert(a)) });
    store.getState().addRoom('dev');
    notifier = createNotifier(store, { write: (s) => written.push(s), notifications, now: () => t });
    return { store, written, alerts, advance: (ms: number) => (t += ms), stop: () => notifier?.stop() };
  }

  it('keeps the title on the unread and mention counts, writing only when they change', () => {
    const { store, written, stop } = setup('bell');
    assert.deepEqual(written, [titleSequence('chat-tui')]);
    store.getState().receive('dev', [mention(1, 'just chatting')]);
    store.getState().receive('dev', [mention(2, 'hey alice!'), mention(3, 'more')]);
    store.getState().receive('general', [mention(1, 'seen here')]);
    assert.deepEqual(written.filter((w) => w.startsWith('\u001b]2;')), [titleSequence('chat-tui'), titleSequence('chat-tui (1)'), titleSequence('chat-tui (3, 1!)')]);
    store.getState().switchRoom({ roomId: 'dev' });
    assert.equal(written.at(-1), titleSequence('chat-tui'));
    stop();
  });

  it('alerts for a mention in a room not on screen, or while the terminal is not focused', () => {
    const { store, written, alerts, advance } = setup('osc777');
    store.getState().receive('general', [mention(1, 'alice, here?')]);
    assert.equal(alerts.length, 0, 'on screen and focused: no alert');
    store.getState().receive('dev', [mention(1, 'alice: in dev')]);
    assert.deepEqual(alerts, [{ roomId: 'dev', from: 'Bob', text: 'alice: in dev' }]);
    assert.equal(written.at(-1), `${notifySequence('osc777', 'Bob in #dev', 'alice: in dev')}${BEL}`);
    advance(5000);
    store.getState().setFocused(false);
    store.getState().receive('general', [mention(2, 'Alice?', 'Carol')]);
    assert.equal(alerts.length, 2);
    assert.equal(store.getState().rooms.general?.unread, 1, 'unread while the terminal is elsewhere');
    store.getState().setFocused(true);
    assert.equal(store.getState().rooms.general?.unread, 0, 'read again when it comes back');
    assert.equal(store.getState().rooms.dev?.unread, 1, 'other rooms stay unread');
  });

  it('rings at most once a second, and old history rings never', () => {
    const { store, written, advance } = setup('bell');
    const bells = () => written.filter((w) => w === BEL).length;
    store.getState().receive('dev', [mention(1, 'alice 1'), mention(2, 'alice 2')]);
    store.getState().receive('dev', [mention(3, 'alice 3')]);
    assert.equal(bells(), 1);
    advance(1500);
    store.getState().receive('dev', [mention(4, 'alice 4')]);
    assert.equal(bells(), 2);
    advance(1500);
    store.getState().receive('dev', [mention(5, 'alice, from last week', 'Bob', Date.now() - 7 * 86_400_000)]);
    assert.equal(bells(), 2);
    assert.equal(store.getState().rooms.dev?.mentions, 5, 'old mentions still count');
  });

  it('sends OSC 9 or nothing, as the setting says', () => {
    const nine = setup('osc9');
    nine.store.getState().receive('dev', [mention(1, 'alice')]);
    assert.equal(nine.written.at(-1), `${notifySequence('osc9', 'Bob in #dev', 'alice')}${BEL}`);
    const off = setup('off');
    off.store.getState().receive('dev', [mention(1, 'alice')]);
    assert.deepEqual(off.written, [titleSequence('chat-tui'), titleSequence('chat-tui (1, 1!)')]);
  });
});
