// Issue 16: what a reaction may be. One grapheme cluster that is an emoji
// (Extended_Pictographic, or a flag's pair of regional indicators), or a
// :shortcode: from the small table below; stored as the emoji itself, so
// `:+1:` and 👍 are one reaction. Pure.
import type { Checked } from './validate.js';

export const SHORTCODES: Readonly<Record<string, string>> = {
  '+1': '👍',
  thumbsup: '👍',
  '-1': '👎',
  thumbsdown: '👎',
  heart: '❤️',
  smile: '😄',
  grin: '😁',
  joy: '😂',
  laughing: '😆',
  wink: '😉',
  blush: '😊',
  thinking: '🤔',
  cry: '😢',
  sob: '😭',
  angry: '😠',
  scream: '😱',
  tada: '🎉',
  eyes: '👀',
  rocket: '🚀',
  fire: '🔥',
  check: '✅',
  white_check_mark: '✅',
  x: '❌',
  clap: '👏',
  pray: '🙏',
  wave: '👋',
  ok_hand: '👌',
  muscle: '💪',
  star: '⭐',
  sparkles: '✨',
  '100': '💯',
  coffee: '☕',
  bug: '🐛',
  warning: '⚠️',
  question: '❓',
};

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
/** Longest grapheme accepted (a family emoji with skin tones is about 35 bytes). */
const MAX_BYTES = 64;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The emoji a reaction stands for, or why it is not one. */
export function checkEmoji(raw: string): Checked<string> {
  const text = raw.trim();
  const code = /^:([a-z0-9_+-]+):$/i.exec(text)?.[1];
  if (code !== undefined) {
    const emoji = SHORTCODES[code.toLowerCase()];
    return emoji ? { ok: true, value: emoji } : { ok: false, error: `:${code}: is not a shortcode this server knows (try :+1:, :heart:, :tada:, or an emoji itself)` };
  }
  if (text.length === 0) return { ok: false, error: 'no emoji given' };
  const graphemes = [...segmenter.segment(text)];
  if (graphemes.length !== 1 || Buffer.byteLength(text, 'utf8') > MAX_BYTES) return { ok: false, error: 'a reaction is one emoji' };
  if (!PICTOGRAPHIC.test(text) && !FLAG.test(text)) return { ok: false, error: `'${text}' is not an emoji` };
  return { ok: true, value: text };
}
