import type { CellKind } from '../model/index.js';

/** A table cell's text read as a value (format.md §7). */
export interface CellValue {
  value: number | null;
  kind: CellKind;
  raw: string;
  note?: string;
  unit?: string;
  unitConverted?: boolean;
}

const BLANK = /^[\s\u00A0\u3000\u200B\uFEFF]*$/;
/** Placeholders that say "nothing here": dashes and the words publishers type instead of 0 (无, 不适用). */
const DASH = /^(?:[-－—–─━_\u2212]+|无|空|暂无|不适用|无此项|N\/?A|n\/?a|×|x|X)$/;
const SLASH = /^[/／\\＼]+$/;
const NUMBER = /^([+-]?)(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(.*)$/;
/** Significant digits a double holds exactly (Number.MAX_SAFE_INTEGER has 16, not all of them safe). */
const MAX_DIGITS = 15;
const PLAIN = /^\d{1,15}$/;
/**
 * What a cell cut off at the page's edge reads as (src/recognize/lines.ts appends CUT_MARK to its text):
 * digits that may have lost their tail, 1122 printed as 112. Not a number, and not the source's text.
 */
export const CUT_MARK = '…';
const CUT = /^[\d,.\s]+…$/;
const UNITS: Record<string, { unit: string; factor?: number }> = {
  件: { unit: '件' }, 条: { unit: '条' }, 个: { unit: '个' }, 项: { unit: '项' }, 次: { unit: '次' }, 宗: { unit: '宗' },
  万元: { unit: '万元' }, 元: { unit: '元', factor: 1 / 10000 },
};

/**
 * Reads one cell. `money` says the column is in 万元, so a printed 元 amount is converted.
 * Signed values (2019 本年增/减: +1036, 减少3) are read when `signed`.
 */
export function readCell(rawText: string, opts: { money?: boolean; signed?: boolean } = {}): CellValue {
  // Most cells are plain digit runs: they skip the normalisation below (same result, a tenth of the time).
  if (PLAIN.test(rawText)) return { value: Number(rawText), kind: 'number', raw: rawText };
  const raw = rawText.replace(/\n/g, ' ').trim();
  if (BLANK.test(raw)) return { value: null, kind: 'blank', raw };
  // Two lines of digits are one number its cell wrapped, or a page break cut; more are several rows' values
  // in one cell (a grid that lost its inner rules), never one count.
  if (stackedNumbers(rawText)) return { value: null, kind: 'text', raw };
  if (CUT.test(raw)) return { value: null, kind: 'unplaced', raw, note: 'cut off at the page edge: digits may be lost' };
  // U+2212 MINUS SIGN (Word's autocorrect, "−3" in a 本年增/减 cell) survives NFKC; it is a minus.
  let s = raw.normalize('NFKC').replace(/\s+/g, '').replace(/[，]/g, ',').replace(/\u2212/g, '-');
  if (DASH.test(s)) return { value: null, kind: 'dash', raw };
  if (SLASH.test(s)) return { value: null, kind: 'slash', raw };
  let sign = 1;
  const word = /^(增加|减少|增|减)/.exec(s);
  if (word) {
    if (word[1].startsWith('减')) sign = -1;
    s = s.slice(word[0].length);
  }
  const m = NUMBER.exec(s);
  if (!m) return { value: null, kind: 'text', raw };
  if (m[1] === '-') sign = -sign;
  const digits = m[2].replace(/,/g, '');
  // A value is exact or it is not a number: a run of digits past double precision (a 400-digit
  // cell became Infinity) is text, never a rounded count.
  if (digits.replace('.', '').replace(/^0+(?=\d)/, '').length > MAX_DIGITS) return { value: null, kind: 'text', raw };
  let value = Number(digits) * sign;
  const out: CellValue = { value, kind: 'number', raw };
  let rest = m[3];
  // "25.1万" in a money column is 万元 with the 元 left off; beside a count it is ten thousands, never 25.
  if (opts.money && /^万(?!元)/.test(rest)) rest = `万元${rest.slice(1)}`;
  const unit = Object.keys(UNITS).find((u) => rest.startsWith(u));
  if (unit) {
    out.unit = UNITS[unit].unit;
    rest = rest.slice(unit.length);
    const factor = UNITS[unit].factor;
    if (factor && opts.money) {
      value = round(value * factor, 6);
      out.value = value;
      out.unitConverted = true;
    }
  }
  if (rest) {
    // "22（其中修订 16 件）": the leading number is the value, the rest a note.
    if (/^[(（]/.test(rest) || /^[其含]/.test(rest)) out.note = rest;
    else return { value: null, kind: 'text', raw };
  }
  if (!opts.signed && sign < 0 && !opts.money) out.note = out.note ?? 'negative';
  return out;
}

/**
 * A money amount printed bare under a header that names its unit (采购总金额（元）): read as if the cell
 * printed it, so 元 is converted to 万元 the same way. A cell's own unit wins; other kinds pass through.
 */
export function withColumnUnit(v: CellValue, unit: '元' | '万元'): CellValue {
  if (v.kind !== 'number' || v.value === null || v.unit) return v;
  const factor = UNITS[unit].factor;
  return factor ? { ...v, value: round(v.value * factor, 6), unit, unitConverted: true } : { ...v, unit };
}

/** Three or more lines that are each a number of their own. */
function stackedNumbers(text: string): boolean {
  let n = 0;
  for (const line of text.split('\n')) if (/^\s*\d[\d,.]*\s*$/.test(line) && ++n >= 3) return true;
  return false;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Whether a cell's text reads as a number (the recognizer's test for value cells). */
export function isNumeric(text: string): boolean {
  return readCell(text).kind === 'number';
}
