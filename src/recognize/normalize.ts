/**
 * Label normalisation (format.md §8.1) and the fuzzy similarity the recognizer
 * matches labels with. Pure string functions.
 */

/** Kangxi radicals, CJK radicals supplement and compatibility ideographs: PDF fonts map 行 to ⾏. */
const COMPAT_RANGES = /[\u2E80-\u2EFF\u2F00-\u2FDF\uF900-\uFAFF]|[\uD87E][\uDC00-\uDE1F]/g;

/** NFKC on the compatibility ranges only: full NFKC elsewhere would also fold things we keep. */
export function foldCompat(s: string): string {
  return s.replace(COMPAT_RANGES, (ch) => ch.normalize('NFKC'));
}

const QUOTES = /["'“”‘’〝〞＂＇「」『』]/g;
const SPACES = /[\s\u00A0\u3000\u200B\uFEFF]+/g;

/**
 * Normalised label text: NFKC (full-width → ASCII, （）→(), ：→:), compat folding,
 * quotes dropped, all whitespace deleted, 、 and , unified to ','.
 */
export function normLabel(s: string): string {
  let hit = normCache.get(s);
  if (hit === undefined) {
    hit = normalise(s);
    // Bounded so that a huge document cannot grow it without limit.
    if (normCache.size > 20000) normCache.clear();
    normCache.set(s, hit);
  }
  return hit;
}

/** Labels come back many times (every row pattern against every line): memoised. */
const normCache = new Map<string, string>();

function normalise(s: string): string {
  return foldCompat(s)
    .normalize('NFKC')
    .replace(QUOTES, '')
    .replace(SPACES, '')
    .replace(/[、，,]/g, ',')
    .replace(/[。．]/g, '.')
    .replace(/[〔［【]/g, '[')
    .replace(/[〕］】]/g, ']');
}

const CN_NUM = '一二三四五六七八九十';

export interface Numbering {
  style: 'cn' | 'paren' | 'arabic';
  n: number;
}

/** Leading numbering of a normalised label: 一、 / (一) / 1. — and the rest. */
export function splitNumbering(norm: string): { numbering: Numbering | null; rest: string } {
  let m = /^([一二三四五六七八九十]{1,3})[,.:]/.exec(norm);
  if (m) return { numbering: { style: 'cn', n: cnToInt(m[1]) }, rest: norm.slice(m[0].length) };
  m = /^\(([一二三四五六七八九十]{1,3})\)/.exec(norm);
  if (m) return { numbering: { style: 'paren', n: cnToInt(m[1]) }, rest: norm.slice(m[0].length) };
  m = /^(\d{1,2})(?:[.,:)]|(?=[^\d.]))/.exec(norm);
  if (m && !/^\d{1,2}[.,]\d/.test(norm)) return { numbering: { style: 'arabic', n: Number(m[1]) }, rest: norm.slice(m[0].length).replace(/^[.,]/, '') };
  return { numbering: null, rest: norm };
}

export function cnToInt(s: string): number {
  if (s === '十') return 10;
  if (s.length === 1) return CN_NUM.indexOf(s) + 1;
  if (s.startsWith('十')) return 10 + CN_NUM.indexOf(s[1]) + 1;
  const tens = CN_NUM.indexOf(s[0]) + 1;
  const ones = s.length > 2 ? CN_NUM.indexOf(s[2]) + 1 : 0;
  return tens * 10 + ones;
}

/** Character bigrams of a string (single characters for one-character strings). */
export function bigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/**
 * Bigram multisets, memoised: the recognizer scores every row pattern against
 * every data line, so the same strings come back many times. Bounded so a huge
 * document cannot grow it without limit.
 */
const gramCache = new Map<string, { counts: Map<string, number>; size: number }>();

function gramCounts(s: string): { counts: Map<string, number>; size: number } {
  let hit = gramCache.get(s);
  if (hit) return hit;
  const counts = new Map<string, number>();
  const grams = bigrams(s);
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  hit = { counts, size: grams.length };
  if (gramCache.size > 20000) gramCache.clear();
  gramCache.set(s, hit);
  return hit;
}

function shared(a: Map<string, number>, b: Map<string, number>): number {
  let n = 0;
  for (const [g, k] of a) {
    const m = b.get(g);
    if (m) n += Math.min(k, m);
  }
  return n;
}

/**
 * How much of `target` is found in `text`: the share of target bigrams present
 * (as a multiset). Robust to noise around the label (wrapped fragments,
 * vertical group labels) and to one or two misspelt characters.
 */
export function recall(target: string, text: string): number {
  const t = gramCounts(target);
  if (t.size === 0) return 0;
  return shared(t.counts, gramCounts(text).counts) / t.size;
}

/** Dice coefficient on bigrams: symmetric similarity for titles. */
export function dice(a: string, b: string): number {
  const A = gramCounts(a);
  const B = gramCounts(b);
  if (A.size + B.size === 0) return 0;
  return (2 * shared(A.counts, B.counts)) / (A.size + B.size);
}
