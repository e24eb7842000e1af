import type { Paragraph, Table, TableCell } from '../model.js';
import { median, type Run } from './geometry.js';
import { groupLines, isCjk, lineText } from './text.js';

/** A line of running text (outside ruled tables). */
export interface Line {
  runs: Run[];
  text: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  base: number;
  size: number;
  page: number;
}

export function toLines(runs: readonly Run[], page: number): Line[] {
  return groupLines(runs).map((rs) => ({
    runs: rs,
    text: lineText(rs),
    x0: Math.min(...rs.map((r) => r.x0)),
    x1: Math.max(...rs.map((r) => r.x1)),
    top: Math.min(...rs.map((r) => r.top)),
    bottom: Math.max(...rs.map((r) => r.bottom)),
    base: median(rs.map((r) => r.base)),
    size: median(rs.map((r) => r.size)),
    page,
  }));
}

// Page numbers: "-3-", "— 3 —", "·3·", "3", "第 3 页", "第3页 共6页", "3/6", "- 3 / 6 -".
const PAGE_NUMBER =
  /^(?:[-－—–~·•\s]*\d{1,4}[-－—–~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|[-－—–\s]*\d{1,4}\s*[/／]\s*\d{1,4}[-－—–\s]*)$/;

/** Page headers and footers: page numbers within the top or bottom 12% of the page. */
export function isPageMarker(line: Line, pageHeight: number): boolean {
  const mid = (line.top + line.bottom) / 2;
  const band = pageHeight * 0.12;
  if (mid > band && mid < pageHeight - band) return false;
  return PAGE_NUMBER.test(line.text.trim());
}

/** Cells of a line split at wide gaps (column gutters of an unruled table), and at known column starts. */
export function splitCells(line: Line, columns: readonly number[] = []): Run[][] {
  const cells: Run[][] = [];
  let prev: Run | undefined;
  for (const run of line.runs) {
    const gap = prev ? run.x0 - prev.x1 : Infinity;
    const size = prev ? Math.min(prev.size, run.size) : run.size;
    // A run that starts where other rows start a cell is a cell of its own, however narrow the gutter
    // (narrow number columns, a label that fills its column up to the next one).
    const atColumn = gap >= 0.15 * size && columns.some((x) => Math.abs(run.x0 - x) <= COLUMN_TOL);
    if (!prev || gap >= 1.5 * size || atColumn) cells.push([run]);
    else cells[cells.length - 1].push(run);
    prev = run;
  }
  return cells;
}

/** Points within which cells of different lines start at the same column. */
const COLUMN_TOL = 1.5;
const NUMBERED = /^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d+\s*[、.．]|第)/;
const NUMBER = /^\s*[-+]?\d[\d,，]*(?:\.\d+)?\s*[%％]?\s*$/;

/**
 * Left edges where runs of at least three lines start: the columns of an unruled table. Runs rather
 * than cells, since a narrow number column may be split from its neighbours on no line by gutters alone.
 */
function columnStarts(lines: readonly Line[]): number[] {
  const xs = lines.flatMap((l) => l.runs.map((r) => r.x0)).sort((a, b) => a - b);
  const out: number[] = [];
  let group: number[] = [];
  const close = () => {
    if (group.length >= 3) out.push(median(group));
    group = [];
  };
  for (const x of xs) {
    if (group.length && x - group[group.length - 1] > COLUMN_TOL) close();
    group.push(x);
  }
  close();
  return out;
}

interface LooseCell {
  runs: Run[][];
  x0: number;
  x1: number;
  numeric: boolean;
}

interface LooseRow {
  line: Line;
  last: Line;
  cells: LooseCell[];
}

const overlaps = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0;

/**
 * Whether `line` continues `row` (one table row set on several lines, as a borderless table of a word
 * processor prints it: a label wrapped over two or three lines, values centred on one of them and a
 * total top-aligned on another). It does when the row has values, none of the line's values falls
 * under one of the row's, and each label piece either continues a label of the row that filled its
 * column (wrapped) or stands in a column the row leaves empty (a group label centred across rows).
 */
function continuesRow(row: LooseRow, line: Line, cells: LooseCell[], columns: readonly number[], right: number, widest: (from: number, to: number) => number): boolean {
  if (!row.cells.some((c) => c.numeric)) return false;
  if (line.page !== row.last.page || line.top - row.last.bottom > line.size) return false;
  for (const c of cells) {
    const under = row.cells.filter((r) => overlaps(r, c));
    if (c.numeric) {
      if (under.some((r) => r.numeric)) return false;
      continue;
    }
    if (under.length === 0) continue;
    if (NUMBERED.test(lineText(c.runs.flat())) || under.length > 1 || under[0].numeric) return false;
    const limit = columns.find((x) => x > under[0].x0 + line.size) ?? right;
    const lastLine = under[0].runs[under[0].runs.length - 1];
    const [x0, x1] = [Math.min(...lastLine.map((r) => r.x0)), Math.max(...lastLine.map((r) => r.x1))];
    if (x1 < limit - 2.5 * line.size) return false;
    // Ending at the column's edge is not filling it: a short label set flush right (予以公开) ends there too.
    // It fills when about as wide as the widest one-line label between the column's start and that edge.
    const start = [...columns].reverse().find((x) => x <= under[0].x0 + line.size) ?? -Infinity;
    if (x1 - x0 < widest(start - line.size, limit + line.size) - 2.5 * line.size) return false;
  }
  return true;
}

/**
 * Unruled tables: runs of lines that have two or more cells at wide gaps. Single-cell lines between
 * two such lines (wrapped labels) stay in the table. Lines that continue a row (see continuesRow) are
 * joined to it, cell by cell. Returns the tables with the index ranges of the lines they took.
 */
export function findLooseTables(lines: readonly Line[], bodyRight: number): { start: number; end: number; table: Table }[] {
  const tabular = lines.map((l) => splitCells(l).length >= 2);
  const out: { start: number; end: number; table: Table }[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!tabular[i]) {
      i++;
      continue;
    }
    let end = i + 1;
    let count = 1;
    for (;;) {
      let j = end;
      // Up to two short, non-tabular lines may sit between table rows (a label that wrapped).
      while (j < lines.length && j < end + 2 && !tabular[j] && lines[j].page === lines[i].page && lines[j].x1 < bodyRight - 4 * lines[j].size) j++;
      if (j < lines.length && tabular[j] && lines[j].page === lines[i].page && lines[j].top - lines[j - 1].bottom < 3 * lines[j].size) {
        end = j + 1;
        count++;
      } else break;
    }
    if (count >= 2) {
      const taken = lines.slice(i, end);
      out.push({ start: i, end, table: looseTable(taken) });
      i = end;
    } else i++;
  }
  return out;
}

function looseTable(lines: readonly Line[]): Table {
  const columns = columnStarts(lines);
  const right = Math.max(...lines.map((l) => l.x1));
  const rows: LooseRow[] = [];
  const split: LooseCell[][] = lines.map((line) =>
    splitCells(line, columns).map((runs) => ({
      runs: [runs],
      x0: Math.min(...runs.map((x) => x.x0)),
      x1: Math.max(...runs.map((x) => x.x1)),
      numeric: NUMBER.test(lineText(runs)),
    })),
  );
  /** The widest one-line label of the table set within [from, to]: how wide a label that fills that column is. */
  const labels = split.flat().filter((d) => !d.numeric);
  const widest = (from: number, to: number) => Math.max(0, ...labels.filter((d) => d.x0 >= from && d.x1 <= to).map((d) => d.x1 - d.x0));
  for (const [k, line] of lines.entries()) {
    const cells = split[k];
    const row = rows[rows.length - 1];
    if (row && continuesRow(row, line, cells, columns, right, widest)) {
      for (const c of cells) {
        const under = row.cells.find((r) => overlaps(r, c));
        if (under) {
          under.runs.push(...c.runs);
          under.x0 = Math.min(under.x0, c.x0);
          under.x1 = Math.max(under.x1, c.x1);
        } else row.cells.push(c);
      }
      row.cells.sort((a, b) => a.x0 - b.x0);
      row.last = line;
    } else rows.push({ line, last: line, cells });
  }
  const cells: TableCell[][] = rows.map((row, r) =>
    row.cells.map((c, col) => ({
      text: c.runs.map(lineText).join('\n'),
      row: r,
      col,
      rowSpan: 1,
      colSpan: 1,
      page: row.line.page,
      x0: round(c.x0),
      x1: round(c.x1),
      ...(c.runs.some((line) => line.some((r) => r.clipped)) ? { clipped: true } : {}),
    })),
  );
  return { kind: 'table', rows: cells, grid: 'loose', ruled: false, page: lines[0].page };
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

const HEADING = /^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|第[一二三四五六七八九十]+[章节部分])/;
const SENTENCE_END = /[。！？；：!?;:]$/;

/** Page geometry of running text, per page: where lines start and end when they are not indented or short. */
export interface Margins {
  left: number;
  right: number;
  /** Typical baseline distance between consecutive lines of a paragraph. */
  pitch: number;
}

export function measure(lines: readonly Line[]): Margins {
  const left = mode(lines.map((l) => Math.round(l.x0)));
  const rights = lines.map((l) => l.x1).sort((a, b) => a - b);
  const right = rights.length ? rights[Math.floor(rights.length * 0.9)] : 0;
  const pitches: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const d = lines[i].base - lines[i - 1].base;
    if (lines[i].page === lines[i - 1].page && d > 0 && Math.abs(lines[i].size - lines[i - 1].size) < 0.5) pitches.push(d / lines[i].size);
  }
  return { left, right, pitch: pitches.length ? median(pitches) : 1.5 };
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestN = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestN || (n === bestN && v < best)) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

/**
 * Whether `line` starts a new paragraph after `prev`: at indentation, a heading, a change of font size,
 * a wider gap than the usual line pitch, or after a short line that ends a sentence or is a heading.
 */
export function startsParagraph(prev: Line, line: Line, m: Margins): boolean {
  const size = line.size;
  if (line.x0 > m.left + 0.8 * size) return true;
  if (HEADING.test(line.text)) return true;
  if (Math.abs(line.size - prev.size) > 1) return true;
  if (line.page === prev.page && line.base - prev.base > (m.pitch * 1.45) * size) return true;
  const short = prev.x1 < m.right - 1.5 * prev.size;
  if (short && (SENTENCE_END.test(prev.text) || HEADING.test(prev.text))) return true;
  // Running text never continues from a line that stops this short, whatever it ends with.
  if (prev.x1 < m.right - 6 * prev.size) return true;
  return false;
}

/** Joins wrapped lines: nothing between CJK, a space between two Latin letters or digits. */
export function joinLines(a: string, b: string): string {
  if (!a) return b;
  const x = a.at(-1);
  const y = b[0];
  if (!isCjk(x) && !isCjk(y) && /[\p{L}\p{N}]/u.test(x ?? '') && /[\p{L}\p{N}]/u.test(y ?? '')) return `${a} ${b}`;
  return a + b;
}

export function paragraph(lines: readonly Line[]): Paragraph {
  const text = lines.reduce((acc, l) => joinLines(acc, l.text), '');
  const p: Paragraph = { kind: 'paragraph', text, page: lines[0].page };
  if (lines.length === 1 && text.length <= 40) {
    if (/^[一二三四五六七八九十]+\s*[、.．]/.test(text)) p.level = 1;
    else if (/^[（(]\s*[一二三四五六七八九十]+\s*[）)]/.test(text) && !/。./.test(text)) p.level = 2;
  }
  return p;
}
