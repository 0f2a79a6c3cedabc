import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { complete, mapKey, parseLine, type KeyPress } from '../../tui/keys.js';

const none: KeyPress = {
  upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false, return: false,
  escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const k = (over: Partial<KeyPress>): KeyPress => ({ ...none, ...over });

describe('key map', () => {
  it('maps room switching keys', () => {
    assert.deepEqual(mapKey('n', k({ ctrl: true }), '', false), { kind: 'switch', delta: 1 });
    assert.deepEqual(mapKey('p', k({ ctrl: true }), '', false), { kind: 'switch', delta: -1 });
    assert.deepEqual(mapKey('', k({ meta: true, downArrow: true }), '', false), { kind: 'switch', delta: 1 });
    assert.deepEqual(mapKey('3', k({ meta: true }), '', false), { kind: 'jump', index: 2 });
  });

  it('treats Escape (which Ink also marks meta) as back-to-bottom, not Alt', () => {
    assert.deepEqual(mapKey('', k({ escape: true, meta: true }), 'abc', false), { kind: 'bottom' });
    assert.deepEqual(mapKey('', k({ escape: true, meta: true }), '', true), { kind: 'closeHelp' });
  });

  it('scrolls, recalls, completes, sends, edits', () => {
    assert.deepEqual(mapKey('', k({ pageUp: true }), '', false), { kind: 'scroll', pages: 1 });
    assert.deepEqual(mapKey('', k({ end: true }), '', false), { kind: 'bottom' });
    assert.deepEqual(mapKey('', k({ end: true }), 'typing', false), { kind: 'none' });
    assert.deepEqual(mapKey('', k({ upArrow: true }), '', false), { kind: 'recall', direction: -1 });
    assert.deepEqual(mapKey('', k({ tab: true }), 'Bo', false), { kind: 'complete' });
    assert.deepEqual(mapKey('\r', k({ return: true }), 'hi', false), { kind: 'send' });
    assert.deepEqual(mapKey('', k({ backspace: true }), 'hé', false), { kind: 'edit', input: 'h' });
    assert.deepEqual(mapKey('x', none, 'ab', false), { kind: 'edit', input: 'abx' });
    assert.deepEqual(mapKey('hello\r', none, '', false), { kind: 'edit', input: '', submit: ['hello'] });
    // A chunk of typeahead or a paste: each line break is an Enter; the unfinished tail stays.
    assert.deepEqual(mapKey('lo 2\rhello 3\r\nhel', none, 'hel', false), { kind: 'edit', input: 'hel', submit: ['hello 2', 'hello 3'] });
    assert.deepEqual(mapKey('one\n\ntwo\n', none, '', false), { kind: 'edit', input: '', submit: ['one', '', 'two'] });
    assert.deepEqual(mapKey('c', k({ ctrl: true }), 'x', false), { kind: 'quit' });
  });

  it('completes names and commands', () => {
    assert.equal(complete('bo', ['Alice', 'Bob']), 'Bob: ');
    assert.equal(complete('hi @al', ['Alice', 'Bob']), 'hi @Alice ');
    assert.equal(complete('/jo', []), '/join ');
    assert.equal(complete('zz', ['Alice']), 'zz');
  });

  it('parses slash commands; unknown ones are hints, never text', () => {
    assert.deepEqual(parseLine('hello'), { kind: 'text', text: 'hello' });
    assert.deepEqual(parseLine('//etc/passwd'), { kind: 'text', text: '/etc/passwd' });
    assert.deepEqual(parseLine('/join #dev'), { kind: 'join', room: '#dev' });
    assert.deepEqual(parseLine('/q'), { kind: 'quit' });
    assert.deepEqual(parseLine('/me waves'), { kind: 'me', action: 'waves' });
    assert.equal(parseLine('/frobnicate').kind, 'error');
    assert.equal(parseLine('/join').kind, 'error');
  });
});
