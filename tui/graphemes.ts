// Grapheme clusters (what a person sees as one character) of a string. The
// Intl.Segmenter is made on first need: making the first one sets up ICU,
// ~10 ms that the first frame does not have to wait for. Text that is
// printable ASCII (or tabs) is split without it: there each character is a
// cluster.

export interface Cluster {
  /** UTF-16 index in the string. */
  index: number;
  segment: string;
}

let segmenter: Intl.Segmenter | undefined;
const SIMPLE = /^[\u0020-\u007e\t]*$/;

export function graphemes(text: string): Iterable<Cluster> {
  if (SIMPLE.test(text)) return Array.from(text, (segment, index) => ({ index, segment }));
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(text);
}
