import type { GridCell, PageTable } from './rulings.js';

/** Points within which column boundaries on two pages are taken as the same. */
const COL_TOL = 3;

const squash = (s: string) => s.replace(/\s+/g, '');
const NUMBERED = /^\s*(?:[一二三四五六七八九十]+\s*[、.．,，]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[、.．,，)）]|第)/;
const NUMERIC = /^[\s\d.,，．%％+\-－—–/／]*$/;

/** The word of a signed change whose number may wrap to the cell's next line (table 2's 本年增/减). */
const CHANGE_WORD = /^\s*(?:增加|减少|增|减)\s*$/;

/** A count's unit, alone on the line its number wrapped to. */
const UNIT_TAIL = /^(?:项|件|个|条|家|人次|万元|元)$/;

/** A label cell holding only its item number ("2.", "3、"): the rest of its label wrapped past a page break. */
const NUMBERING_ONLY = /^\s*\d{1,2}\s*[、.．]\s*$/;

function isLabel(text: string): boolean {
  return squash(text) !== '' && (!NUMERIC.test(text) || NUMBERING_ONLY.test(text));
}

const isNumber = (text: string) => /\d/.test(text) && NUMERIC.test(text);

/**
 * Whether the cell's last line is a number at least a third as wide as the cell: one a narrow column
 * wrapped, whose tail may open the next page. A short number in a wide cell never wrapped. A third, not
 * a half: the cell's box includes its padding, and in a column 30 pt wide LibreOffice wraps 54993 as
 * 54 / 99 / 3, its lines two digits wide.
 */
function wideNumber(c: GridCell): boolean {
  if (!isNumber(c.text) || !c.runs.length) return false;
  const base = Math.max(...c.runs.map((r) => r.base));
  const line = c.runs.filter((r) => Math.abs(r.base - base) < r.size / 2);
  const x0 = Math.min(...line.map((r) => r.x0));
  const x1 = Math.max(...line.map((r) => r.x1));
  return x1 - x0 >= (c.x1 - c.x0) / 3;
}

function joinText(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return `${a}\n${b}`;
}

function matches(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  for (const x of a) if (b.some((y) => Math.abs(x - y) <= COL_TOL)) n++;
  return n;
}

/** Whether `next` (top of a page) continues `prev` (bottom of the previous page): same outer edges and mostly the same columns. */
export function continues(prev: PageTable, next: PageTable): boolean {
  if (next.page !== prev.endPage + 1) return false;
  if (Math.abs(prev.xs[0] - next.xs[0]) > COL_TOL || Math.abs(prev.xs[prev.ncols] - next.xs[next.ncols]) > COL_TOL) return false;
  const shared = Math.max(matches(next.xs, prev.xs) / next.xs.length, matches(prev.xs, next.xs) / prev.xs.length);
  return shared >= 0.6;
}

function rowSignature(t: PageTable, r: number): string {
  return t.cells
    .filter((c) => c.r === r)
    .sort((a, b) => a.c - b.c)
    .map((c) => squash(c.text))
    .join('|');
}

/** Column index of x in the merged boundary list. */
function colOf(xs: readonly number[], x: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(xs[i] - x) < Math.abs(xs[best] - x)) best = i;
  return best;
}

function unionBounds(a: readonly number[], b: readonly number[]): number[] {
  const all = [...a, ...b].sort((p, q) => p - q);
  const out: number[] = [];
  for (const x of all) if (!out.length || x - out[out.length - 1] > COL_TOL) out.push(x);
  return out;
}

/**
 * Appends `next` to `prev` in place. Drops header rows that repeat `prev`'s first rows; joins the
 * first row to `prev`'s last when the page break cut that row (no ruling on top of it, an empty label
 * cell, label and values on different sides of the break, or only the tails of wrapped numbers below
 * it); extends cells whose row span the page break cut (an empty or unnumbered continuation of the
 * same column).
 */
export function stitch(prev: PageTable, next: PageTable): void {
  // Repeated header rows.
  let skip = 0;
  while (skip < next.nrows && skip < prev.nrows) {
    const sig = rowSignature(next, skip);
    if (sig.replace(/\|/g, '') === '' || sig !== rowSignature(prev, skip)) break;
    skip++;
  }
  const nextCells = next.cells.filter((c) => c.r >= skip);
  for (const c of nextCells) c.r -= skip;
  const nrowsNext = next.nrows - skip;

  const xs = unionBounds(prev.xs, next.xs);
  for (const c of [...prev.cells, ...nextCells]) {
    const c0 = colOf(xs, c.x0);
    const c1 = colOf(xs, c.x1);
    c.c = c0;
    c.cs = Math.max(1, c1 - c0);
  }

  const last = prev.nrows - 1;
  const bottom = prev.cells.filter((c) => c.r <= last && c.r + c.rs > last);
  const first = nextCells.filter((c) => c.r === 0);
  const pairs: [GridCell, GridCell][] = [];
  for (const u of first) {
    const t = bottom.find((b) => b.c === u.c && b.cs === u.cs);
    if (t) pairs.push([t, u]);
  }

  // Cells of the cut row itself, as opposed to spanning group cells that merely continue.
  const single = pairs.filter(([t, u]) => u.rs === 1 && t.r === last && t.rs === 1);
  const singleU = new Set(single.map(([, u]) => u));
  const rowCells = first.filter((u) => u.rs === 1 && (singleU.has(u) || !pairs.some(([, v]) => v === u)));
  const unruled = rowCells.filter((u) => !u.topRuled).length;
  // Label on one side of the break and the values on the other (an empty label cell below the break,
  // or a label wrapped over it): no column is filled on both sides, but for an unnumbered label tail.
  // Or the label's last lines alone below the break, the values all above it (LibreOffice splits a row
  // that way, and rules the top of the continuation, so topRuled does not tell).
  // Or the label whole above the break and nothing below it, the tails of numbers too wide for their
  // column (LibreOffice wraps 78576 as 7857 / 6 and may put the break between the lines).
  // Or a 增/减 cell wrapped between its word and its number ("增加" / "5"), or a number and its unit ("+3" / "项").
  const wrapped = ([t, u]: [GridCell, GridCell]) =>
    (isNumber(u.text) && (wideNumber(t) || CHANGE_WORD.test(squash(t.text)))) || (isNumber(t.text) && UNIT_TAIL.test(squash(u.text)));
  const [labelPair] = [...single].sort((p, q) => p[0].c - q[0].c);
  const complementary = single.length >= 2 &&
    single.every((p) => squash(p[0].text) === '' || squash(p[1].text) === '' || (isLabel(p[0].text) && isLabel(p[1].text) && !NUMBERED.test(p[1].text)) || wrapped(p)) &&
    (single.some(([t, u]) => squash(t.text) === '' && squash(u.text) !== '') ||
      (single.some(([t, u]) => isLabel(t.text) && isLabel(u.text)) && single.some(([t, u]) => squash(t.text) !== '' && squash(u.text) === '')) ||
      (isLabel(labelPair[0].text) && squash(labelPair[1].text) === '' && single.some(wrapped)));
  const allEmpty = first.length > 0 && first.every((u) => squash(u.text) === '');
  const rowJoined = rowCells.length > 0 && (unruled * 2 > rowCells.length || complementary || allEmpty);

  const removed = new Set<GridCell>();
  for (const [t, u] of pairs) {
    // A cell of the cut row itself continues only with its row (rowJoined): one cell whose top border is
    // missing (a table cut at the paper's edge loses the borders of its last column) is no cut row.
    const cont =
      rowJoined ||
      (!u.topRuled && !singleU.has(u)) ||
      (squash(u.text) === '' && squash(t.text) !== '' && (u.rs > 1 || t.rs > 1)) ||
      (isLabel(u.text) && isLabel(t.text) && !NUMBERED.test(u.text) && (u.rs > 1 || t.rs > 1));
    if (!cont) continue;
    // A cell that was empty above the break takes its provenance from where its text is.
    if (squash(t.text) === '' && squash(u.text) !== '') t.page = u.page;
    t.text = joinText(t.text, u.text);
    t.runs.push(...u.runs);
    t.rs += rowJoined ? u.rs - 1 : u.rs;
    t.y1 = u.y1;
    removed.add(u);
  }
  const offset = rowJoined ? prev.nrows - 1 : prev.nrows;
  for (const c of nextCells) if (!removed.has(c)) {
    c.r += offset;
    prev.cells.push(c);
  }
  prev.xs = xs;
  prev.ncols = xs.length - 1;
  prev.nrows = offset + nrowsNext;
  prev.endPage = next.page;
}
