// A start-up patch for string-width 8.3 (Ink's and ours), applied when
// scripts/bundle-tui.mjs bundles chat-tui. The first frame has non-ASCII in
// it (the sidebar's border), and string-width tests every non-ASCII cluster
// against /^\p{RGI_Emoji}$/v, built when the module loads (esbuild writes it
// as new RegExp(), ~10 ms) and compiled on its first use (~20 ms): ~30 ms of
// a ~200 ms start. Patched, the regex is made on first need and asked only
// about clusters with an Emoji character in them (every RGI emoji sequence
// has one), so box drawing, accents or CJK never build it and the widths
// stay the same (test/tui/string-width-patch.test.ts compares them). A changed string-width
// fails the build here rather than going unpatched.

const PATCHES: Array<[from: string, to: string]> = [
  [
    'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
    [
      '// Patched (chat-tui bundle): made on first need, asked only about clusters with an Emoji character.',
      'let rgiEmojiRegex;',
      'const emojiCharacterRegex = /\\p{Emoji}/u;',
      "const isRgiEmoji = (segment) => emojiCharacterRegex.test(segment) && (rgiEmojiRegex ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment);",
    ].join('\n'),
  ],
  ['if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {', 'if (isRgiEmoji(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {'],
];

export function patchStringWidth(source: string): string {
  let out = source;
  for (const [from, to] of PATCHES) {
    if (out.split(from).length !== 2) throw new Error(`string-width changed: cannot find ${JSON.stringify(from)} once; update scripts/bundle/string-width-patch.ts`);
    out = out.replace(from, () => to);
  }
  return out;
}
