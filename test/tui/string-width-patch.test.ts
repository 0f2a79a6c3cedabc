// The chat-tui bundle's patches of string-width (scripts/bundle/string-width-patch.ts,
// and scripts/bundle/lazy-segmenters.ts's grapheme segmenter) must not change
// a single width: the patched module against the original, over whole
// Unicode blocks and emoji sequences of every kind.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import original from 'string-width';
import { useGraphemeSegmenter } from '../../scripts/bundle/lazy-segmenters.js';
import { patchStringWidth } from '../../scripts/bundle/string-width-patch.js';

type Width = (s: string, o?: { ambiguousIsNarrow?: boolean }) => number;

// Beside this file, so the patched module's own imports resolve from the project's node_modules.
const here = path.dirname(fileURLToPath(import.meta.url));
const patchedFile = path.join(here, `string-width-patched-${process.pid}.mjs`);
after(() => rmSync(patchedFile, { force: true }));

async function loadPatched(): Promise<Width> {
  const source = readFileSync(createRequire(import.meta.url).resolve('string-width'), 'utf8');
  writeFileSync(patchedFile, useGraphemeSegmenter(patchStringWidth(source), 'string-width'));
  return ((await import(pathToFileURL(patchedFile).href)) as { default: Width }).default;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

describe('string-width patched for start-up', () => {
  it('gives the same width for every code point of the blocks a chat shows, alone and after a letter', async () => {
    const patched = await loadPatched();
    const chars = [
      ...range(0x20, 0x7e), ...range(0xa0, 0x36f), ...range(0x2000, 0x2bff), ...range(0x3000, 0x30ff), ...range(0x4e00, 0x4e80),
      ...range(0xac00, 0xac40), ...range(0xfe00, 0xfe0f), ...range(0xff00, 0xffef), ...range(0x1f000, 0x1faff), ...range(0xe0020, 0xe007f),
    ];
    for (const c of chars) {
      for (const s of [c, `a${c}`, `${c}\ufe0f`, `${c}\u20e3`]) {
        assert.equal(patched(s), original(s), `${JSON.stringify(s)} (U+${c.codePointAt(0)!.toString(16)})`);
        assert.equal(patched(s, { ambiguousIsNarrow: false }), original(s, { ambiguousIsNarrow: false }), JSON.stringify(s));
      }
    }
  });

  it('gives the same width for emoji sequences: ZWJ, flags, keycaps, skin tones, tags, and text around them', async () => {
    const patched = await loadPatched();
    const samples = [
      '👨‍👩‍👧', '👩🏽‍💻', '🇫🇷🇩🇪', '#️⃣', '1⃣', '👍🏿', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '❤️', '❤', '☺️', '©️', '®', '🏻', '🇦', '🫠',
      '│ sidebar │', '[14:30:25] Zoë: héllo 日本語 ｶﾞ', 'e\u0301', '\u200b\u200d', '한국어 ᄀᄀ', '\u001b[31mred\u001b[39m ✓ …',
    ];
    for (const s of samples) assert.equal(patched(s), original(s), JSON.stringify(s));
  });
});
