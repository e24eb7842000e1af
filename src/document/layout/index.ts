/**
 * The format-neutral layout: positioned pages (glyph runs and rulings, as a PDF, OFD or OCR engine
 * gives them) to the document model's paragraphs and tables. Adapters produce `PositionedPage`s and
 * call `layoutPages`; ruled grids, unruled (loose) tables, stitching across page breaks and paragraph
 * breaks are decided here, once for every fixed-layout format.
 */
import type { Block, OcrReading, Table, TableCell } from '../model.js';
import type { Run, Segment } from './geometry.js';
import { findLooseTables, isPageMarker, measure, paragraph, startsParagraph, toLines, type Line, type Margins } from './lines.js';
import { assignRuns, buildGrid, clusterSegments, compact, mergeSegments, type PageTable } from './rulings.js';
import { continues, stitch } from './stitch.js';

export type { Matrix, Run, Segment } from './geometry.js';
export { apply, IDENTITY, median, multiply } from './geometry.js';
export { foldCompat, isCjk } from './text.js';

/**
 * One page as a fixed-layout engine sees it. Coordinates are in the page's own unit (PDF points, OFD
 * millimetres scaled to points, OCR pixels scaled to points), x right and y down from the top-left.
 */
export interface PositionedPage {
  /** 1-based page number. */
  page: number;
  width: number;
  height: number;
  /** Text on one baseline each, in any order. */
  runs: Run[];
  /** Axis-aligned rulings (stroked lines and thin filled rectangles), in any order and unmerged. */
  segments: Segment[];
}

/** A page after its own layout: ruled tables found, the rest as text lines. */
export interface PageLayout {
  page: number;
  height: number;
  tables: PageTable[];
  lines: Line[];
  /** Whether anything but page numbers was on the page. */
  hasText: boolean;
}

/** Ruled tables of one page, its text outside them as lines, page numbers dropped. */
export function layoutPage(p: PositionedPage): PageLayout {
  const segments = mergeSegments(p.segments);
  let tables = clusterSegments(segments)
    .map((c) => buildGrid(c, p.page))
    .filter((g): g is PageTable => g !== undefined && g.ncols >= 2);
  const rest = assignRuns(tables, p.runs);
  // A box around a single piece of text (a framed note) or around nothing is not a table.
  const real = tables.filter((g) => g.cells.filter((c) => c.text.trim() !== '').length >= 2);
  if (real.length !== tables.length) {
    for (const g of tables) if (!real.includes(g)) for (const c of g.cells) rest.push(...c.runs);
    tables = real;
  }
  for (const g of tables) compact(g);
  const lines = toLines(rest, p.page).filter((l) => !isPageMarker(l, p.height));
  return { page: p.page, height: p.height, tables, lines, hasText: lines.length > 0 || tables.length > 0 };
}

/** Positioned pages → blocks in reading order. */
export function layoutPages(pages: readonly PositionedPage[]): Block[] {
  return assemblePages(pages.map(layoutPage));
}

type Element = { kind: 'line'; line: Line } | { kind: 'table'; table: PageTable };

/** Page layouts → blocks in reading order: tables stitched across page breaks, lines grouped into paragraphs and unruled tables. */
export function assemblePages(pages: readonly PageLayout[]): Block[] {
  const elements: Element[] = [];
  for (const p of pages) {
    const items: { top: number; el: Element }[] = [
      ...p.lines.map((line) => ({ top: line.top, el: { kind: 'line', line } as Element })),
      ...p.tables.map((table) => ({ top: table.ys[0], el: { kind: 'table', table } as Element })),
    ];
    items.sort((a, b) => a.top - b.top);
    for (const { el } of items) {
      const last = elements[elements.length - 1];
      if (el.kind === 'table' && last?.kind === 'table' && continues(last.table, el.table)) stitch(last.table, el.table);
      else elements.push(el);
    }
  }

  // Unruled tables first: their rows start and end off the text column, and would skew the margins
  // that paragraph breaks are measured against.
  const allLines = elements.flatMap((e) => (e.kind === 'line' ? [e.line] : []));
  const bodyRight = measure(allLines).right;
  type Piece = { kind: 'lines'; lines: Line[] } | { kind: 'table'; table: Table };
  const pieces: Piece[] = [];
  let stretch: Line[] = [];
  const flush = () => {
    if (!stretch.length) return;
    let i = 0;
    for (const lt of findLooseTables(stretch, bodyRight)) {
      if (lt.start > i) pieces.push({ kind: 'lines', lines: stretch.slice(i, lt.start) });
      pieces.push({ kind: 'table', table: lt.table });
      i = lt.end;
    }
    if (i < stretch.length) pieces.push({ kind: 'lines', lines: stretch.slice(i) });
    stretch = [];
  };
  for (const el of elements) {
    if (el.kind === 'line') stretch.push(el.line);
    else {
      flush();
      pieces.push({ kind: 'table', table: toTable(el.table) });
    }
  }
  flush();

  const textLines = pieces.flatMap((p) => (p.kind === 'lines' ? p.lines : []));
  const docMargins = measure(textLines);
  const margins = new Map<number, Margins>();
  for (const p of pages) {
    const own = textLines.filter((l) => l.page === p.page);
    margins.set(p.page, own.length >= 8 ? { ...measure(own), pitch: docMargins.pitch } : docMargins);
  }

  const blocks: Block[] = [];
  for (const p of pieces) {
    if (p.kind === 'table') blocks.push(p.table);
    else paragraphs(p.lines, margins, blocks);
  }
  return blocks;
}

function paragraphs(lines: readonly Line[], margins: Map<number, Margins>, out: Block[]): void {
  let cur: Line[] = [];
  for (const line of lines) {
    const prev = cur[cur.length - 1];
    if (prev && startsParagraph(prev, line, margins.get(line.page)!)) {
      out.push(paragraph(cur));
      cur = [];
    }
    cur.push(line);
  }
  if (cur.length) out.push(paragraph(cur));
}

/**
 * How sure a digit is when OCR read a cell's number on more than one line: the lines may be one number its
 * cell wrapped, or the values of two rows whose rule the grid finder missed ("116554" over "2").
 */
export const STACKED_DIGIT_P = 0.5;

/** The OCR reading of a cell's runs together (lines in reading order), when OCR produced them. */
function ocrOf(runs: readonly Run[]): OcrReading | undefined {
  const read = runs.filter((r) => r.ocr);
  if (!read.length) return undefined;
  const sorted = [...read].sort((a, b) => a.top - b.top || a.x0 - b.x0);
  let chars = sorted.flatMap((r) => r.ocr!.chars);
  const stacked = sorted.some((r, i) => i > 0 && r.top >= sorted[i - 1].bottom - 0.2 * r.size) && sorted.every((r) => /^[\d,.\s]+$/.test(r.str));
  if (stacked) chars = chars.map((c) => (c.p > STACKED_DIGIT_P ? { ...c, p: STACKED_DIGIT_P, alts: [] } : c));
  return { chars, confidence: Math.min(stacked ? STACKED_DIGIT_P : 1, sorted.reduce((m, r) => Math.min(m, r.ocr!.confidence), 1)) };
}

function toTable(t: PageTable): Table {
  const rows: TableCell[][] = [];
  for (const c of [...t.cells].sort((a, b) => a.r - b.r || a.c - b.c)) {
    const cell: TableCell = { text: c.text, row: c.r, col: c.c, rowSpan: c.rs, colSpan: c.cs, page: c.page };
    const ocr = ocrOf(c.runs);
    if (ocr) cell.ocr = ocr;
    if (c.runs.some((r) => r.clipped)) cell.clipped = true;
    (rows[c.r] ??= []).push(cell);
  }
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  const table: Table = { kind: 'table', rows, grid: 'exact', ruled: true, page: t.page };
  if (t.endPage > t.page) table.endPage = t.endPage;
  return table;
}
