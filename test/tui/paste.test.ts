// Bracketed paste assembly from the raw sequences Ink emits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_PASTE, PASTE_END, PASTE_START, pasteStep, type PasteState } from '../../tui/paste.js';

function feed(seqs: string[]): Array<{ swallow: boolean; paste?: string; rest?: string }> {
  let state: PasteState = null;
  return seqs.map((seq) => {
    const { state: next, ...out } = pasteStep(state, seq);
    state = next;
    return out;
  });
}

describe('bracketed paste', () => {
  it('swallows everything from the start marker to the end marker and yields it whole', () => {
    assert.deepEqual(feed(['a', PASTE_START, 'x\r', '\t', '\u001b[3~', PASTE_END, 'b']), [
      { swallow: false },
      { swallow: true },
      { swallow: true },
      { swallow: true },
      { swallow: true },
      { swallow: true, paste: 'x\r\t\u001b[3~' },
      { swallow: false },
    ]);
  });

  it('passes a lone Escape, and a cut prefix that turns out not to be a marker lets the next key through', () => {
    assert.deepEqual(feed(['\u001b', '\u001b[2', 'q']), [{ swallow: false }, { swallow: true }, { swallow: false }]);
  });

  it('hands over an endless paste at MAX_PASTE so the keyboard comes back', () => {
    const big = 'x'.repeat(MAX_PASTE);
    const out = feed([PASTE_START, big, 'k']);
    assert.equal(out[1]?.paste?.length, MAX_PASTE);
    assert.deepEqual(out[2], { swallow: false });
  });

  it('an empty paste is an empty paste', () => {
    assert.deepEqual(feed([PASTE_START, PASTE_END]), [{ swallow: true }, { swallow: true, paste: '' }]);
  });
});
