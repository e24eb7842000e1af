import type { Run } from './geometry.js';

/**
 * Kangxi radicals and CJK compatibility ideographs look like ordinary ideographs
 * but compare unequal (⾏ ≠ 行); WPS and some Word fonts map glyphs to them. NFKC on these
 * ranges only: NFKC on the whole text would also rewrite full-width punctuation,
 * which the recognizer normalises itself and which provenance should keep.
 */
const COMPAT = /[\u2F00-\u2FDF\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;

export function foldCompat(s: string): string {
  return COMPAT.test(s) ? s.replace(COMPAT, (c) => c.normalize('NFKC')) : s;
}

/** Ideographs, kana, CJK punctuation and full-width forms: no space is ever inserted between two of these. */
const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]/u;

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK.test(ch);
}

function vOverlap(a: { top: number; bottom: number }, b: { top: number; bottom: number }): number {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
}

/**
 * Runs → lines: a run belongs to a line when their glyph boxes overlap vertically by at least
 * half the smaller height (numbers set in a bigger font sit a point lower than labels beside them).
 */
export function groupLines(runs: readonly Run[]): Run[][] {
  const sorted = [...runs].sort((a, b) => (a.top + a.bottom) / 2 - (b.top + b.bottom) / 2 || a.x0 - b.x0);
  const lines: { box: { top: number; bottom: number }; runs: Run[] }[] = [];
  for (const run of sorted) {
    const h = run.bottom - run.top;
    let target: (typeof lines)[number] | undefined;
    // Only the last few lines can still overlap, as runs come sorted by their middle.
    for (let i = lines.length - 1; i >= Math.max(0, lines.length - 3); i--) {
      const line = lines[i];
      const lh = line.box.bottom - line.box.top;
      if (vOverlap(line.box, run) >= 0.5 * Math.min(h, lh)) {
        target = line;
        break;
      }
    }
    if (target) {
      target.runs.push(run);
      target.box = { top: Math.min(target.box.top, run.top), bottom: Math.max(target.box.bottom, run.bottom) };
    } else {
      lines.push({ box: { top: run.top, bottom: run.bottom }, runs: [run] });
    }
  }
  for (const line of lines) line.runs.sort((a, b) => a.x0 - b.x0);
  return lines.map((l) => l.runs);
}

/**
 * Whether a gap between two runs of a line reads as a space. Never between two CJK characters. Between
 * CJK and Latin letters or digits, Word, WPS and LibreOffice leave about a fifth of an em on their own
 * ("2023 年" drawn from "2023年"), so a gap there is a space only when a space glyph was drawn or the
 * gap is wider than any such autospace.
 */
export function gapIsSpace(prev: Run, next: Run): boolean {
  const gap = next.x0 - prev.x1;
  const size = Math.min(prev.size, next.size);
  if (gap <= 0.2 * size) return false;
  const a = isCjk(prev.str.at(-1));
  const b = isCjk(next.str[0]);
  if (a && b) return false;
  if (a || b) return gap >= 0.6 * size || !!prev.spaceAfter || !!next.spaceBefore;
  return true;
}

/** Text of one line's runs (sorted by x), with a space only where the gap is wide. */
export function lineText(runs: readonly Run[]): string {
  let out = '';
  for (let i = 0; i < runs.length; i++) {
    if (i > 0 && gapIsSpace(runs[i - 1], runs[i]) && !out.endsWith(' ')) out += ' ';
    out += runs[i].str;
  }
  return out.trim();
}

/**
 * Splits a run at its internal spaces into pieces with estimated x-extents, for runs that cross a
 * column border ("1  0  0" written as one string). Widths are estimated by character class since
 * engines give only the run's total width.
 */
export function splitRun(run: Run): Run[] {
  const parts = run.str.split(/(\s+)/);
  if (parts.length < 3) return [run];
  const weight = (s: string) => [...s].reduce((w, ch) => w + (isCjk(ch) ? 1 : 0.55), 0);
  const total = weight(run.str) || 1;
  const unit = (run.x1 - run.x0) / total;
  const out: Run[] = [];
  let x = run.x0;
  for (const part of parts) {
    const w = weight(part) * unit;
    if (part.trim() !== '') out.push({ ...run, str: part, x0: x, x1: x + w });
    x += w;
  }
  return out;
}
