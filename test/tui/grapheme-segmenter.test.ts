// The bundle's stand-in for Intl.Segmenter (scripts/bundle/grapheme-segmenter.ts)
// segments exactly as ICU does: every character it segments itself, alone,
// between letters, doubled and in long shuffled runs; containing() as Intl's;
// other text handed to ICU. And slice-ansi and ansi-tokenize, patched to use
// it (scripts/bundle/lazy-segmenters.ts) and bundled as chat-tui's bundle
// does, cut and tokenize as the originals.
import { tokenize as originalTokenize } from '@alcalzone/ansi-tokenize';
import { build } from 'esbuild';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import originalSlice from 'slice-ansi';
import { graphemeSegmenter, SINGLE_UNIT_TEXT } from '../../scripts/bundle/grapheme-segmenter.js';
import { SEGMENTING_MODULES, useGraphemeSegmenter } from '../../scripts/bundle/lazy-segmenters.js';
import { tempDir } from '../helpers.js';

const icu = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const mine = graphemeSegmenter();
const parts = (segments: Iterable<{ segment: string; index: number }>) => [...segments].map(({ segment, index }) => [segment, index]);
const same = (s: string) => assert.deepEqual(parts(mine.segment(s)), parts(icu.segment(s)), JSON.stringify(s));

/** Every BMP character the stand-in segments without ICU. */
const SINGLE = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).filter((c) => SINGLE_UNIT_TEXT.test(c));

describe('the grapheme segmenter stand-in', () => {
  it('segments every character it takes as ICU does: alone, between letters, doubled', () => {
    assert.ok(SINGLE.length > 3000, `${SINGLE.length} characters`);
    for (const c of SINGLE) for (const s of [c, `a${c}b`, `${c}${c}`, `\u001b${c}\n`]) same(s);
  });

  it('segments long runs of them, shuffled, as ICU does (every neighbour pair many times over)', () => {
    let seed = 15;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let run = 0; run < 30; run++) {
      const chars = [...SINGLE];
      for (let i = chars.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      }
      same(chars.join(''));
    }
  });

  it('answers containing() as Intl does', () => {
    const s = 'Rooms │ ─┼─ … é';
    for (const at of [-1, 0, 3, 6, s.length - 1, s.length, undefined, Number.NaN, 2.7, -0.5, Infinity]) {
      const a = mine.segment(s).containing(at);
      const b = icu.segment(s).containing(at);
      assert.deepEqual(a && [a.segment, a.index, a.input], b && [b.segment, b.index, b.input], String(at));
    }
  });

  it('hands other text to ICU', () => {
    for (const s of ['e\u0301', '👨‍👩‍👧 hi', '🇫🇷🇩🇪', 'a\r\nb', '한국어 ᄀᄀ', 'नमस्ते', '#️⃣', 'x\u200db', '\ud800']) {
      assert.ok(!SINGLE_UNIT_TEXT.test(s), JSON.stringify(s));
      same(s);
    }
  });
});

describe('slice-ansi and ansi-tokenize with the stand-in', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  async function patched(): Promise<{ sliceAnsi: typeof originalSlice; tokenize: typeof originalTokenize }> {
    const out = await build({
      stdin: { contents: "export { default as sliceAnsi } from 'slice-ansi'; export { tokenize } from '@alcalzone/ansi-tokenize';", resolveDir: fileURLToPath(new URL('../../..', import.meta.url)) },
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'lazy-segmenters',
          setup(b) {
            b.onLoad({ filter: SEGMENTING_MODULES }, (args) => ({ contents: useGraphemeSegmenter(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
          },
        },
      ],
    });
    const code = out.outputFiles[0]!.text;
    assert.equal(code.split('new Intl.Segmenter(').length, 2, "only the stand-in's Segmenter is left");
    const file = path.join(tmp.dir, 'patched.mjs');
    writeFileSync(file, code);
    return (await import(pathToFileURL(file).href)) as { sliceAnsi: typeof originalSlice; tokenize: typeof originalTokenize };
  }

  it('cut and tokenize as the originals', async () => {
    const { sliceAnsi, tokenize } = await patched();
    const samples = [
      '\u001b[1mRooms\u001b[22m            │',
      '─'.repeat(40),
      ' 127.0.0.1:9 | connecting | Bench | no room | 0 members | F1 help',
      '\u001b[31mred\u001b[39m ✓ … é ñ ß',
      '[14:30:25] Zoë: héllo 日本語 ｶﾞ 👨‍👩‍👧 🇫🇷 e\u0301',
      '\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007 ▶ ◀ ● ○',
    ];
    for (const s of samples) {
      assert.deepEqual(tokenize(s), originalTokenize(s), JSON.stringify(s));
      for (const [from, to] of [[0, 5], [3, 12], [1, undefined], [10, 40]] as const) {
        assert.equal(sliceAnsi(s, from, to), originalSlice(s, from, to), `${JSON.stringify(s)} ${from}..${to}`);
      }
    }
  });
});
