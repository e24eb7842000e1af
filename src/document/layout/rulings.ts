import type { Run, Segment } from './geometry.js';
import { groupLines, lineText, splitRun } from './text.js';

/** Points within which two rulings count as the same line (double strokes, fill + stroke of one border). */
const SNAP = 2;
/** Share of a cell edge a ruling must cover to count as a border there. */
const COVER = 0.6;

/** A cell of a ruled table on one page, with its geometry kept for stitching. */
export interface GridCell {
  r: number;
  c: number;
  rs: number;
  cs: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  runs: Run[];
  text: string;
  page: number;
  /** Whether a ruling closes the cell's top edge (continuations across a page break often lack it). */
  topRuled: boolean;
}

export interface PageTable {
  page: number;
  endPage: number;
  /** Column boundaries (x), ncols + 1 of them. */
  xs: number[];
  /** Row boundaries (y), nrows + 1 of them, on `page` (meaningless once stitched). */
  ys: number[];
  cells: GridCell[];
  nrows: number;
  ncols: number;
}

/** Joins collinear pieces of one ruling (Word draws a border per cell edge). */
export function mergeSegments(segs: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const h of [true, false]) {
    const list = segs.filter((s) => s.h === h).sort((p, q) => p.c - q.c || p.a - q.a);
    // Group by coordinate first, then merge overlapping spans within a group.
    let i = 0;
    while (i < list.length) {
      let j = i + 1;
      while (j < list.length && list[j].c - list[j - 1].c <= 0.8) j++;
      const group = list.slice(i, j).sort((p, q) => p.a - q.a);
      const c = group.reduce((s, g) => s + g.c, 0) / group.length;
      let cur: Segment = { h, c, a: group[0].a, b: group[0].b };
      for (const g of group.slice(1)) {
        if (g.a <= cur.b + SNAP) cur.b = Math.max(cur.b, g.b);
        else {
          out.push(cur);
          cur = { h, c, a: g.a, b: g.b };
        }
      }
      out.push(cur);
      i = j;
    }
  }
  return out;
}

/** Groups rulings that touch or cross into connected sets: one set per table (or box). */
export function clusterSegments(segs: readonly Segment[]): Segment[][] {
  const parent = segs.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const hs = segs.map((s, i) => [s, i] as const).filter(([s]) => s.h);
  const vs = segs.map((s, i) => [s, i] as const).filter(([s]) => !s.h);
  for (const [h, hi] of hs) {
    for (const [v, vi] of vs) {
      if (v.c >= h.a - SNAP && v.c <= h.b + SNAP && h.c >= v.a - SNAP && h.c <= v.b + SNAP) parent[find(hi)] = find(vi);
    }
  }
  const groups = new Map<number, Segment[]>();
  segs.forEach((s, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.push(s);
    else groups.set(root, [s]);
  });
  return [...groups.values()];
}

/** Sorted values snapped together when closer than SNAP (averaged). */
function snapValues(values: number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let group: number[] = [];
  for (const v of s) {
    if (group.length && v - group[group.length - 1] > SNAP) {
      out.push(group.reduce((a, b) => a + b, 0) / group.length);
      group = [];
    }
    group.push(v);
  }
  if (group.length) out.push(group.reduce((a, b) => a + b, 0) / group.length);
  return out;
}

function covered(segs: readonly Segment[], at: number, from: number, to: number): boolean {
  const len = to - from;
  if (len <= 0) return true;
  let sum = 0;
  for (const s of segs) {
    if (Math.abs(s.c - at) > SNAP) continue;
    sum += Math.max(0, Math.min(s.b, to) - Math.max(s.a, from));
  }
  return sum >= COVER * len;
}

/**
 * A ruled grid from one cluster of rulings: column and row boundaries from the rulings' positions
 * (and the ends of rulings, for tables without outer side borders); a cell boundary is missing where
 * no ruling covers it, and cells extend across missing boundaries (row/column spans).
 */
export function buildGrid(cluster: readonly Segment[], page: number): PageTable | undefined {
  const hs = cluster.filter((s) => s.h);
  const vs = cluster.filter((s) => !s.h);
  if (hs.length < 2 && vs.length < 2) return undefined;
  const xs = snapValues([...vs.map((s) => s.c), ...hs.map((s) => s.a), ...hs.map((s) => s.b)]);
  const ys = snapValues([...hs.map((s) => s.c), ...vs.map((s) => s.a), ...vs.map((s) => s.b)]);
  const ncols = xs.length - 1;
  const nrows = ys.length - 1;
  if (ncols < 1 || nrows < 1 || ncols * nrows < 2) return undefined;

  const vBorder = (r: number, j: number) => covered(vs, xs[j], ys[r], ys[r + 1]);
  const hBorder = (i: number, c: number) => covered(hs, ys[i], xs[c], xs[c + 1]);

  const owner: (GridCell | undefined)[][] = Array.from({ length: nrows }, () => new Array<GridCell | undefined>(ncols));
  const cells: GridCell[] = [];
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      if (owner[r][c]) continue;
      let cs = 1;
      while (c + cs < ncols && !owner[r][c + cs] && !vBorder(r, c + cs)) cs++;
      let rs = 1;
      grow: while (r + rs < nrows) {
        for (let k = c; k < c + cs; k++) if (owner[r + rs][k] || hBorder(r + rs, k)) break grow;
        rs++;
      }
      let topRuled = true;
      for (let k = c; k < c + cs; k++) if (!hBorder(r, k)) topRuled = false;
      const cell: GridCell = { r, c, rs, cs, x0: xs[c], x1: xs[c + cs], y0: ys[r], y1: ys[r + rs], runs: [], text: '', page, topRuled };
      cells.push(cell);
      for (let i = r; i < r + rs; i++) for (let k = c; k < c + cs; k++) owner[i][k] = cell;
    }
  }
  return { page, endPage: page, xs, ys, cells, nrows, ncols };
}

function locate(bounds: readonly number[], v: number): number {
  let lo = 0;
  let hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bounds[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Puts each run whose middle lies inside a table into the cell under it; returns the runs that are
 * in no table. A run that crosses a column boundary is split at its spaces first.
 */
export function assignRuns(tables: readonly PageTable[], runs: readonly Run[]): Run[] {
  const rest: Run[] = [];
  const cellAt = (t: PageTable, x: number, y: number) => {
    const r = locate(t.ys, y);
    const c = locate(t.xs, x);
    return t.cells.find((cell) => r >= cell.r && r < cell.r + cell.rs && c >= cell.c && c < cell.c + cell.cs);
  };
  for (const run of runs) {
    const cx = (run.x0 + run.x1) / 2;
    const cy = (run.top + run.bottom) / 2;
    const t = tables.find((tb) => cx >= tb.xs[0] - 1 && cx <= tb.xs[tb.ncols] + 1 && cy >= tb.ys[0] - 1 && cy <= tb.ys[tb.nrows] + 1);
    if (!t) {
      rest.push(run);
      continue;
    }
    const crosses = t.xs.slice(1, -1).some((x) => run.x0 < x - SNAP && run.x1 > x + SNAP);
    for (const piece of crosses ? splitRun(run) : [run]) {
      const cell = cellAt(t, (piece.x0 + piece.x1) / 2, cy);
      cell?.runs.push(piece);
    }
  }
  for (const t of tables) for (const cell of t.cells) cell.text = groupLines(cell.runs).map(lineText).join('\n');
  return rest;
}

/** Removes rows and columns in which no cell starts (artefacts of stray rulings), shrinking spans. */
export function compact(t: PageTable): void {
  const rowStarts = new Set(t.cells.map((c) => c.r));
  const colStarts = new Set(t.cells.map((c) => c.c));
  const rowMap: number[] = [];
  const colMap: number[] = [];
  let n = 0;
  for (let r = 0; r <= t.nrows; r++) {
    rowMap[r] = n;
    if (rowStarts.has(r)) n++;
  }
  const nrows = n;
  n = 0;
  for (let c = 0; c <= t.ncols; c++) {
    colMap[c] = n;
    if (colStarts.has(c)) n++;
  }
  const ncols = n;
  if (nrows === t.nrows && ncols === t.ncols) return;
  for (const cell of t.cells) {
    const r1 = rowMap[cell.r + cell.rs];
    const c1 = colMap[cell.c + cell.cs];
    cell.r = rowMap[cell.r];
    cell.c = colMap[cell.c];
    cell.rs = Math.max(1, r1 - cell.r);
    cell.cs = Math.max(1, c1 - cell.c);
  }
  t.xs = t.xs.filter((_, i) => i === t.ncols || colStarts.has(i));
  t.ys = t.ys.filter((_, i) => i === t.nrows || rowStarts.has(i));
  t.nrows = nrows;
  t.ncols = ncols;
}
