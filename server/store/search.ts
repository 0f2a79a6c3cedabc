// What a search query means, one rule for every store: the query's words,
// each of which must start a word of the message, ignoring case and accents.
// Words are runs of letters and digits (marks included); everything else
// separates them and means nothing, so a query cannot carry operators. This is
// how SQLite's FTS5 unicode61 tokenizer (remove_diacritics 2) sees text, so
// the memory and Redis stores match what the SQLite index matches. Pure.

/** The longest query the server takes, in characters. */
export const SEARCH_QUERY_MAX = 256;
/** More words than this is not a search anyone types; it would only make the index work. */
export const SEARCH_TERMS_MAX = 16;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// The combining marks NFD splits off Latin letters (é -> e + U+0301): what remove_diacritics drops.
const LATIN_MARKS = /[\u0300-\u036f]/g;

/** Lower case, Latin accents dropped: how both the query and the text are compared. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(LATIN_MARKS, '').toLowerCase().normalize('NFC');
}

function words(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

export type ParsedQuery = { ok: true; terms: string[] } | { ok: false; error: string };

/** The query's words, folded and without repeats, or why there is nothing to search for. */
export function parseQuery(raw: string): ParsedQuery {
  const length = [...raw].length;
  if (length > SEARCH_QUERY_MAX) return { ok: false, error: `the query is ${length} characters long; the limit is ${SEARCH_QUERY_MAX}` };
  const terms = [...new Set(words(raw))];
  if (terms.length === 0) return { ok: false, error: 'the query has no words to search for (letters or digits)' };
  if (terms.length > SEARCH_TERMS_MAX) return { ok: false, error: `the query has ${terms.length} words; the limit is ${SEARCH_TERMS_MAX}` };
  return { ok: true, terms };
}

/** A test for stores without an index: every term starts some word of the text. */
export function matcher(terms: readonly string[]): (text: string) => boolean {
  return (text) => {
    const have = words(text);
    return terms.every((t) => have.some((w) => w.startsWith(t)));
  };
}

/**
 * The FTS5 MATCH expression: each term a quoted prefix query, ANDed. Terms
 * hold only letters, digits and marks, but are quoted (and any quote doubled)
 * anyway, so nothing in them can ever be read as FTS syntax.
 */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' AND ');
}
