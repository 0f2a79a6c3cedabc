// Search in chat-tui (issue 15): the /search command and keys, the search
// state in the store, the two panes, and the controller against a real server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import React from 'react';
import { render } from 'ink-testing-library';
import { ContextPane } from '../../tui/components/ContextPane.js';
import { SearchPane } from '../../tui/components/SearchPane.js';
import type { Line } from '../../tui/domain.js';
import type { KeyPress } from '../../tui/keys.js';
import { complete, parseLine } from '../../tui/slash.js';
import { mergeContext, resultText, searchMode } from '../../tui/search.js';
import { CONTEXT_AROUND, createSearchController } from '../../tui/search-actions.js';
import { mapSearchKey } from '../../tui/search-keys.js';
import { createChatStore } from '../../tui/store.js';
import { eventually, join, sleep, suiteServer, tuiClient } from '../helpers.js';

const none: KeyPress = {
  upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false,
  escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const k = (over: Partial<KeyPress>): KeyPress => ({ ...none, ...over });
const at = new Date(2026, 0, 2, 14, 30, 25).getTime();
const line = (seq: number, text = `m${seq}`, user = 'Bob'): Line => ({ key: `s${seq}`, seq, type: 'TEXT', userId: `${user}-id`, username: user, text, timestamp: at });
const newStore = () => createChatStore({ username: 'Alice', userId: 'alice-id', server: 'x', room: 'general' });
const page = (seqs: number[], more = false, nextBefore = 0) => ({ lines: seqs.map((s) => line(s)), more, nextBefore });

describe('search: command and keys', () => {
  it('parses /search and completes it', () => {
    assert.deepEqual(parseLine('/search  deploy   failed '), { kind: 'search', query: 'deploy failed' });
    assert.deepEqual(parseLine('/search'), { kind: 'error', message: 'usage: /search <words> (Ctrl+R)' });
    assert.equal(complete('/se', { names: [], rooms: [] }), '/search ');
  });

  it('takes Ctrl+R anywhere, and its own keys only while its panes are on screen', () => {
    assert.deepEqual(mapSearchKey('r', k({ ctrl: true }), null, true), { type: 'prompt' });
    for (const key of [k({ upArrow: true }), k({ return: true }), k({ escape: true, meta: true }), k({ pageUp: true })]) {
      assert.equal(mapSearchKey('', key, null, true), null, 'live view: the key map decides');
    }
    assert.deepEqual(mapSearchKey('', k({ upArrow: true }), 'results', true), { type: 'select', delta: -1 });
    assert.deepEqual(mapSearchKey('', k({ downArrow: true }), 'results', false), { type: 'select', delta: 1 });
    assert.deepEqual(mapSearchKey('', k({ pageDown: true }), 'results', true), { type: 'selectPage', pages: 1 });
    assert.deepEqual(mapSearchKey('\r', k({ return: true }), 'results', true), { type: 'open' });
    assert.equal(mapSearchKey('\r', k({ return: true }), 'results', false), null, 'Enter with something typed sends it');
    assert.deepEqual(mapSearchKey('', k({ escape: true, meta: true }), 'results', true), { type: 'close' });
    assert.equal(mapSearchKey('', k({ downArrow: true, meta: true }), 'results', true), null, 'Alt+Down still switches rooms');
    assert.equal(mapSearchKey('a', k({}), 'results', true), null, 'typing goes to the input');
    assert.deepEqual(mapSearchKey('', k({ pageUp: true }), 'context', true), { type: 'page', pages: 1 });
    assert.deepEqual(mapSearchKey('', k({ pageDown: true }), 'context', true), { type: 'page', pages: -1 });
    assert.equal(mapSearchKey('', k({ escape: true, meta: true }), 'context', true), null, "Esc is the key map's back-to-live");
    assert.equal(mapSearchKey('', k({ upArrow: true }), 'context', true), null);
  });
});

describe('search: state', () => {
  it('formats a result as one row: date, time, name, text', () => {
    const l = { ...line(7, 'two\nlines and a bell\u0007'), timestamp: new Date(2026, 0, 2, 9, 5, 59).getTime() };
    assert.equal(resultText(l), '[2026-01-02 09:05] Bob: two lines and a bell\u2407');
  });

  it('keeps the newest answer, pages on without repeats, and clamps the selection', () => {
    const store = newStore();
    const st = () => store.getState();
    const first = st().searchStarted('general', 'old');
    const second = st().searchStarted('general', 'new');
    st().searchAnswered(first, page([9]), false);
    assert.deepEqual(st().search?.results, [], "an earlier search's answer is dropped");
    st().searchAnswered(second, page([30, 20], true, 20), false);
    assert.deepEqual([st().search?.loading, st().search?.more, st().search?.nextBefore], [false, true, 20]);
    st().selectResult(5);
    assert.equal(st().search?.selected, 1);
    st().searchAnswered(second, page([20, 10]), true);
    assert.deepEqual(st().search?.results.map((l) => l.seq), [30, 20, 10]);
    assert.equal(st().search?.selected, 1, 'paging on keeps the selection');
    st().selectResult(-9);
    assert.equal(st().search?.selected, 0);
    st().searchFailed(second, 'boom');
    assert.equal(st().search?.error, 'boom');
  });

  it('shows results or context only in their room, and End/sending closes them', () => {
    const store = newStore();
    const st = () => store.getState();
    st().addRoom('dev');
    st().contextOpened('general', 5);
    assert.equal(searchMode(st()), 'context');
    st().searchStarted('general', 'x');
    assert.equal(searchMode(st()), 'results', 'results over a context');
    st().closeSearch();
    assert.equal(searchMode(st()), 'context');
    st().switchRoom({ roomId: 'dev' });
    assert.equal(searchMode(st()), null, 'another room is live');
    st().toBottom();
    assert.notEqual(st().context, null, "another room's End leaves it");
    st().switchRoom({ roomId: 'general' });
    st().toBottom();
    assert.equal(st().context, null);
  });

  it('merges pages into a context on either side without repeats, and pages from the centre', () => {
    const lines = [line(5), line(6)];
    assert.deepEqual(mergeContext(lines, 'older', [line(3), line(4), line(5)]).map((l) => l.seq), [3, 4, 5, 6]);
    assert.deepEqual(mergeContext(lines, 'newer', [line(6), line(7)]).map((l) => l.seq), [5, 6, 7]);
    const store = newStore();
    store.getState().contextOpened('general', 6);
    store.getState().contextLoaded(5, [line(1)], true, true);
    assert.equal(store.getState().context?.loading, true, "another hit's context is dropped");
    store.getState().scrollContext(3, 10);
    assert.equal(store.getState().context?.offset, -8, 'a view not yet placed pages from the centred hit');
  });
});

describe('search: panes', () => {
  it('lists results newest first, one truncated row each, the selected one inverse', () => {
    const store = newStore();
    const id = store.getState().searchStarted('general', 'deploy');
    store.getState().searchAnswered(id, { lines: [line(9, 'deploy now'), line(4, `deploy ${'x'.repeat(200)}`)], more: true, nextBefore: 4 }, false);
    store.getState().selectResult(1);
    const { lastFrame, unmount } = render(<SearchPane store={store} width={80} height={6} />);
    const frame = lastFrame() ?? '';
    assert.match(frame, /Search #general for "deploy": 2 results so far/);
    assert.match(frame, /\[2026-01-02 14:30\] Bob: deploy now\n\[2026-01-02 14:30\] Bob: deploy x+…/);
    assert.ok(frame.split('\n').every((r) => r.length <= 80), 'one row each');
    assert.match(frame, /Down at the end: older/);
    unmount();
    const empty = newStore();
    const e = empty.getState().searchStarted('general', 'zzz');
    empty.getState().searchAnswered(e, page([]), false);
    const r2 = render(<SearchPane store={empty} width={60} height={6} />);
    assert.match(r2.lastFrame() ?? '', /No message in #general matches/);
    r2.unmount();
  });

  it('centres the hit, pages in at the ends of what it holds, and stops at ends that are final', async () => {
    const store = newStore();
    const st = () => store.getState();
    st().contextOpened('general', 21);
    st().contextLoaded(21, Array.from({ length: 41 }, (_, i) => line(i + 1)), false, false);
    const edges: string[] = [];
    const { lastFrame, rerender, unmount } = render(<ContextPane store={store} width={50} height={9} onEdge={(_r, side) => edges.push(side)} />);
    const rows = () => (lastFrame() ?? '').split('\n').slice(1, 8).map((r) => r.replace(/^\[\d\d:\d\d:\d\d\] Bob: /, ''));
    assert.deepEqual(rows(), ['m18', 'm19', 'm20', 'm21', 'm22', 'm23', 'm24'], 'the hit in the middle');
    await eventually(() => st().context?.offset === -3, 'the view placed');
    assert.equal(edges.length, 0, 'no end in view');
    st().scrollContext(100, 9);
    rerender(<ContextPane store={store} width={50} height={9} onEdge={(_r, side) => edges.push(side)} />);
    await eventually(() => edges.includes('older'), 'older asked for at the top');
    assert.equal(rows()[0], 'm1');
    assert.equal(st().context?.offset, -103, 'not stopped: more history may come');
    st().contextPaged(21, 'older', [], true);
    await eventually(() => st().context?.offset === -20, 'stopped at the beginning');
    await sleep(20);
    assert.match(lastFrame() ?? '', /beginning of #general/);
    unmount();
  });
});

describe('search: controller against a server', () => {
  const fx = suiteServer();

  it('searches, pages results on, opens a result in its context and pages that both ways', async (t) => {
    const w = join(fx.client, 'Writer', 'hunt');
    for (let i = 1; i <= 300; i++) w.say(i % 2 === 0 ? `item ${i}` : `other ${i}`);
    await w.waitForText('item 300');
    const { store, client } = tuiClient('Reader', fx.server.target, 'hunt');
    t.after(() => {
      client.close();
      w.leave();
    });
    client.join('hunt');
    await eventually(() => (store.getState().rooms.hunt?.lastSeq ?? 0) >= 301, 'joined');
    // Join notices are posted after a short window (presence-notices.ts): wait until the Reader's is stored.
    await w.waitForText('Reader joined the room');
    const search = createSearchController(store, client);
    const st = () => store.getState();
    search.run({ type: 'prompt' }, 23);
    assert.equal(st().editor.text, '/search ', 'Ctrl+R starts a search');
    search.run({ type: 'prompt' }, 23);
    assert.equal(st().editor.text, '/search ', 'once');
    st().setInput('item');
    search.run({ type: 'prompt' }, 23);
    assert.equal(st().editor.text, '/search item', 'what was typed becomes the words');
    st().setInput('');
    search.start('item');
    await eventually(() => st().search?.loading === false, 'results');
    assert.deepEqual(st().search?.results.slice(0, 2).map((l) => l.text), ['item 300', 'item 298']);
    assert.equal(st().search?.results.length, 50);
    assert.equal(st().search?.more, true);
    search.run({ type: 'selectPage', pages: 1 }, 23);
    assert.equal(st().search?.selected, 20);
    for (let i = 0; i < 30; i++) search.run({ type: 'select', delta: 1 }, 23);
    await eventually(() => st().search?.results.length === 100, 'Down at the end pages older results in');
    assert.equal(st().search?.selected, 49);
    search.run({ type: 'select', delta: 1 }, 23);
    assert.equal(st().search?.selected, 50);
    const hit = st().search?.results[50];
    assert.equal(hit?.text, 'item 200');
    search.run({ type: 'open' }, 23);
    assert.equal(st().search, null);
    await eventually(() => st().context?.loading === false, 'the context');
    const seqs = () => st().context?.lines.map((l) => l.seq) ?? [];
    const hitSeq = hit?.seq ?? 0;
    assert.deepEqual(seqs(), Array.from({ length: 2 * CONTEXT_AROUND + 1 }, (_, i) => hitSeq - CONTEXT_AROUND + i), 'the hit and its neighbours');
    assert.deepEqual([st().context?.reachedStart, st().context?.reachedEnd], [false, false]);
    search.edge('hunt', 'newer');
    await eventually(() => !st().context?.loadingNewer, 'a newer page');
    assert.equal(st().context?.reachedEnd, true, 'newer: up to the newest in one page');
    assert.equal(st().context?.lines.at(-1)?.text, 'Reader joined the room', 'the newest stored message');
    for (let pages = 0; !st().context?.reachedStart; pages++) {
      assert.ok(pages < 3, 'older pages of 100 reach the start');
      search.edge('hunt', 'older');
      await eventually(() => !st().context?.loadingOlder, 'an older page');
    }
    assert.equal(seqs()[0], 1, 'older: back to the first stored message');
    assert.deepEqual(seqs(), Array.from({ length: 302 }, (_, i) => i + 1), 'each message once, in order');
    assert.deepEqual(st().rooms.hunt?.lines.filter((l) => l.seq > 0).map((l) => l.text).slice(-2), ['other 299', 'item 300'], 'the live view untouched');
  });
});
