/**
 * Prose normalisation shared by the recognizer (which reads figures from the
 * sections) and the audit rules (which read claims from them). It lives below
 * both so that neither imports the other.
 */

/**
 * NFKC, all whitespace removed and thousands separators dropped: PDF text spaces
 * out digits and words ("全市共受理政府信息公开申请 3 119 件"). After NFKC the Chinese
 * comma, semicolon, colon and brackets are ASCII, so patterns use `,;:()`.
 */
export function normalizeNarrative(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/\s+/g, '')
      // thousands separators: 1,295 → 1295 (only a comma followed by exactly three digits)
      .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
  );
}

const SENTENCE_END = /[。!?]/;

/**
 * How far a sentence reaches on each side of a figure. Real sentences are far
 * shorter; the cap keeps a page without any 。 (hostile input) from making every
 * figure cost the whole text.
 */
const SENTENCE_REACH = 400;

/** The sentence of `s` that contains index `i` (at most SENTENCE_REACH characters each side). */
export function sentenceAt(s: string, i: number): string {
  const lo = Math.max(0, i - SENTENCE_REACH);
  const hi = Math.min(s.length, i + SENTENCE_REACH);
  let a = i;
  while (a > lo && !SENTENCE_END.test(s[a - 1])) a--;
  let b = i;
  while (b < hi && !SENTENCE_END.test(s[b])) b++;
  return s.slice(a, Math.min(b + 1, s.length));
}

/**
 * What ends a clause in normalised prose: the comma, enumeration comma, semicolon,
 * colon and full stop. A figure is bound to its clause: a pattern's gap between a
 * key word and its number may not cross one of these.
 */
export const CLAUSE_END = ',、;:。!?';

/**
 * Whether a figure read from prose is exact: a run of digits past double precision (a mangled page's
 * "9999…9") is no count anyone printed, and its sum would overflow to Infinity.
 */
export function isExactFigure(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;
}
