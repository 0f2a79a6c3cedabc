// Stands in for `new Intl.Segmenter(undefined, { granularity: 'grapheme' })`
// in the modules Ink measures and cuts text with (string-width, slice-ansi
// and @alcalzone/ansi-tokenize; scripts/bundle/lazy-segmenters.ts patches
// them in chat-tui's bundle). The first Intl.Segmenter of a process costs
// ~10 ms (V8 lists and canonicalises every locale ICU has), and those
// modules make theirs when they load, before the first frame. Text in which
// every UTF-16 unit is a grapheme of its own (ASCII, Latin-1, box drawing,
// arrows, common symbols: a first frame's) is segmented here into exactly
// what ICU gives (test/tui/grapheme-segmenter.test.ts checks every such
// character); other text goes to a real Intl.Segmenter, made on first need.

/**
 * Characters that are never joined to a neighbour into one grapheme: no
 * combining marks, joiners, prepended or spacing marks, Hangul jamo,
 * regional indicators or surrogates, and no CR (which joins a following LF).
 */
export const SINGLE_UNIT_TEXT = /^[\0-\x0c\x0e-\u02ff\u2010-\u2027\u2030-\u205e\u2100-\u2bff]*$/;

interface GraphemeSegment {
  segment: string;
  index: number;
  input: string;
}

/** What Intl.Segmenter#segment() returns, for text of single-unit graphemes. */
class UnitSegments implements Iterable<GraphemeSegment> {
  constructor(private readonly input: string) {}

  containing(at?: number): GraphemeSegment | undefined {
    // As Intl's: ToIntegerOrInfinity, so undefined and NaN are 0.
    const n = Math.trunc(Number(at)) || 0;
    if (n < 0 || n >= this.input.length) return undefined;
    return { segment: this.input[n]!, index: n, input: this.input };
  }

  *[Symbol.iterator](): Iterator<GraphemeSegment> {
    for (let i = 0; i < this.input.length; i++) yield { segment: this.input[i]!, index: i, input: this.input };
  }
}

export function graphemeSegmenter(): { segment(input: string): Iterable<GraphemeSegment> & { containing(at?: number): GraphemeSegment | undefined } } {
  let icu: Intl.Segmenter | undefined;
  return {
    segment(input) {
      const text = String(input);
      if (SINGLE_UNIT_TEXT.test(text)) return new UnitSegments(text);
      icu ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      return icu.segment(text);
    },
  };
}
