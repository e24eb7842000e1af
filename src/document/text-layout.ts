/**
 * Geometry of plain-text lines: column widths, splitting a space-aligned line
 * into cells, page markers. Nothing here knows about disclosure reports.
 */

/**
 * How a column is counted.
 * 'display': East-Asian wide/fullwidth characters take two columns (a
 *   monospaced editor or terminal).
 * 'char': every character takes one column. `pdftotext -layout` places each
 *   glyph on a character grid regardless of its width, so its tables only line
 *   up when counted this way.
 */
export type ColumnUnit = 'display' | 'char';

const TAB = 8;

/** East-Asian Wide (W) and Fullwidth (F) ranges; ambiguous-width characters count as narrow. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function charWidth(ch: string, unit: ColumnUnit): number {
  if (unit === 'char') return 1;
  return isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
}

export function textWidth(s: string, unit: ColumnUnit): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch, unit);
  return w;
}

/** Expand tabs to the next multiple of 8 display columns. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let col = 0;
  for (const ch of line) {
    if (ch === '\t') {
      const n = TAB - (col % TAB);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += ch;
      col += charWidth(ch, 'display');
    }
  }
  return out;
}

const isSpace = (ch: string) => ch === ' ' || ch === '\u00a0' || ch === '\u3000' || ch === '\t';

/**
 * Trim whitespace at both ends. String.prototype.trim covers ASCII, no-break and
 * ideographic spaces and runs in linear time; a regex `[\s\u3000]+$` retries from
 * every start inside a long inner run of spaces, which is quadratic in the run
 * (a label followed by 150k tabs took 34 s).
 */
export function trimSpace(s: string): string {
  return s.trim();
}

export function trimSpaceEnd(s: string): string {
  return s.trimEnd();
}

/** Width of the leading whitespace. */
export function indentOf(line: string, unit: ColumnUnit): number {
  let w = 0;
  for (const ch of expandTabs(line)) {
    if (!isSpace(ch)) break;
    w += charWidth(ch, unit);
  }
  return w;
}

/** Column just past the last non-space character. */
export function endOf(line: string, unit: ColumnUnit): number {
  const s = trimSpaceEnd(expandTabs(line));
  return textWidth(s, unit);
}

/** A full-width or ASCII number as printed in a table cell: 0, 1,295, 96171.6, -3, 12%. */
const NUMBER = /^[-+－−]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[%％]?$/u;
/** Placeholders that stand in a numeric column: dashes and slashes. */
const PLACEHOLDER = /^(?:[-－—–]{1,2}|[/／\\])$/u;
/** A 2019 本年增/减 in words (增加5, 减少2) or a count with its unit (87个): cells beside numbers, not numbers to the column tests. */
const VALUE_WORD = /^(?:(?:增加|减少|增|减)[0-9０-９][0-9０-９,，]*|[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?(?:万元|元|件|条|个|项))$/u;

export function isNumericToken(s: string): boolean {
  return NUMBER.test(s);
}

export interface Segment {
  text: string;
  /** Start column (0-based) and column just past the end, in the unit asked for. */
  x0: number;
  x1: number;
}

interface Glyph {
  ch: string;
  col: number;
  w: number;
}

/**
 * Split a line at runs of two or more spaces or at any ideographic space; a
 * segment made of numbers separated by single spaces ("21 0 0") is split into
 * its numbers too, because a single space is all `pdftotext -layout` leaves
 * between narrow columns. Leading indentation is not a segment.
 */
export function segmentLine(line: string, unit: ColumnUnit): Segment[] {
  const glyphs: Glyph[] = [];
  let col = 0;
  for (const ch of expandTabs(line)) {
    const w = charWidth(ch, unit);
    glyphs.push({ ch, col, w });
    col += w;
  }
  const raw: Glyph[][] = [];
  let cur: Glyph[] = [];
  let i = 0;
  while (i < glyphs.length) {
    if (!isSpace(glyphs[i].ch)) {
      cur.push(glyphs[i]);
      i++;
      continue;
    }
    let j = i;
    let ideographic = false;
    while (j < glyphs.length && isSpace(glyphs[j].ch)) {
      if (glyphs[j].ch === '\u3000') ideographic = true;
      j++;
    }
    const gap = j - i >= 2 || ideographic || cur.length === 0 || j === glyphs.length;
    if (gap) {
      if (cur.length) raw.push(cur);
      cur = [];
    } else {
      cur.push(glyphs[i]);
    }
    i = j;
  }
  if (cur.length) raw.push(cur);

  const out: Segment[] = [];
  for (const seg of raw) for (const part of splitNumbers(seg)) out.push(toSegment(part));
  return out;
}

function toSegment(g: Glyph[]): Segment {
  const last = g[g.length - 1];
  return { text: g.map((x) => x.ch).join(''), x0: g[0].col, x1: last.col + last.w };
}

/** Break a segment at single spaces that stand between two numbers (or in an all-numeric run, placeholders). */
function splitNumbers(seg: Glyph[]): Glyph[][] {
  const tokens: Glyph[][] = [];
  const spaces: Glyph[] = [];
  let cur: Glyph[] = [];
  for (const g of seg) {
    if (g.ch === ' ' || g.ch === '\u00a0') {
      tokens.push(cur);
      spaces.push(g);
      cur = [];
    } else cur.push(g);
  }
  tokens.push(cur);
  if (tokens.length === 1 || tokens.some((t) => t.length === 0)) return [seg];
  const texts = tokens.map((t) => t.map((g) => g.ch).join(''));
  const numeric = texts.map(isNumericToken);
  const valueLike = texts.map((t, k) => numeric[k] || PLACEHOLDER.test(t) || VALUE_WORD.test(t));
  const allCells = valueLike.every(Boolean) && numeric.some(Boolean);
  const parts: Glyph[][] = [];
  let acc: Glyph[] = tokens[0];
  for (let k = 1; k < tokens.length; k++) {
    // Between two values (numbers or placeholders) a single space is a cell boundary.
    if (allCells || (valueLike[k - 1] && valueLike[k])) {
      parts.push(acc);
      acc = tokens[k];
    } else {
      // push, not spread-copy: a long prose line would make this quadratic.
      acc.push(spaces[k - 1]);
      for (const g of tokens[k]) acc.push(g);
    }
  }
  parts.push(acc);
  return parts;
}

/**
 * Page number lines that printers put in headers and footers: "-3-", "— 3 —",
 * "－3－", "- 3 -", "第 3 页", "第3页 共5页", "共5页 第3页", "3/5", "Page 3 of 5".
 */
const PAGE_MARKERS: RegExp[] = [
  // Tight around the number: "—      3      —" is a table row of a dash, a number and a dash.
  /^[-－—–―~～]{1,3}[ \u3000]{0,2}[0-9０-９]{1,4}[ \u3000]{0,2}[-－—–―~～]{1,3}$/u,
  /^第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，/／]?\s*共\s*[0-9０-９]{1,4}\s*页)?$/u,
  /^共\s*[0-9０-９]{1,4}\s*页\s*[,，/／]?\s*第\s*[0-9０-９]{1,4}\s*页$/u,
  /^page\s*\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/iu,
];

/**
 * "3/5" as a footer: compact, and a page of the count. A table row of two numbers around a slash
 * placeholder ("0      /      0") looks the same once trimmed, and must stay a row.
 */
const PAGE_OF = /^([0-9０-９]{1,4}) ?[/／] ?([0-9０-９]{1,4})$/u;

export function isPageMarker(line: string): boolean {
  const t = trimSpace(line);
  if (!t) return false;
  const of = PAGE_OF.exec(t);
  if (of) {
    const [page, count] = [of[1], of[2]].map((d) => Number(d.normalize('NFKC')));
    return page >= 1 && page <= count;
  }
  return PAGE_MARKERS.some((re) => re.test(t));
}
