import ExcelJS from 'exceljs';
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { checkAllEntries, openZip, type GuardedZip } from './zip.js';

/**
 * XLSX → document model via exceljs (never npm's `xlsx`: CVE-2023-30533,
 * CVE-2024-22363). exceljs inflates through JSZip without limits, so every entry
 * is first inflated once under the zip guard.
 *
 * A sheet is cut into segments at empty rows. Within a segment, a row whose only
 * non-empty cell is unbordered (or, on a sheet without borders, a lone-cell row at
 * the top or bottom) is text — a title, a section heading, a note — and becomes a
 * paragraph; the rows between are a table over the segment's bounding columns,
 * with an empty cell at every position no merge covers. `line` is the sheet row.
 */

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** exceljs keeps merges in a private map keyed by master address; the public `model` getter would serialise the whole sheet to get them. */
interface WithMerges {
  _merges?: Record<string, Box>;
}

export interface SheetCell {
  text: string;
  border: boolean;
  /** Set on a merge master. */
  box?: Box;
}

export async function read(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  void opts;
  const zip = openZip(bytes, 'xlsx');
  if (!zip.has('xl/workbook.xml')) throw new NianbaoError('corrupt', 'xlsx: no workbook part (xl/workbook.xml)');
  checkAllEntries(zip, (name) => /\.(xml|rels|vml)$/i.test(name), 'xlsx');
  checkMergedAreas(zip);

  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's typings want its own Buffer type; a Node Buffer view over the same bytes is what it reads.
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new NianbaoError('corrupt', `xlsx: cannot be read (${String((e as Error).message ?? e).split('\n')[0]})`);
  }

  const blocks: Block[] = [];
  const warnings: string[] = [];
  for (const ws of wb.worksheets) {
    if (ws.state && ws.state !== 'visible') {
      warnings.push(`hidden worksheet "${ws.name}" skipped`);
      continue;
    }
    readSheet(ws, blocks, warnings);
  }
  return { format: 'xlsx', blocks, warnings };
}

/**
 * Cells the merges of all sheets may cover together. exceljs makes an object of every covered cell while
 * it loads, so a damaged file's one merge over thousands of rows and columns (GEC1:FI9266: 45 million
 * cells) would exhaust memory before anything could clip it: such a file is refused first. Real reports
 * merge a few thousand cells at most.
 */
const MAX_MERGED_AREA = 1_000_000;
const MERGE_REF = /<mergeCell\b[^>]*\bref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"/g;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function checkMergedAreas(zip: GuardedZip): void {
  let area = 0;
  for (const e of zip.entries) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) continue;
    const xml = zip.readXml(e.name) ?? '';
    for (const m of xml.matchAll(MERGE_REF)) {
      const rows = Math.abs(Number(m[4]) - Number(m[2])) + 1;
      const cols = Math.abs(columnNumber(m[3]) - columnNumber(m[1])) + 1;
      area += rows * cols;
      if (area > MAX_MERGED_AREA) throw new NianbaoError('corrupt', `xlsx: implausible merged range ${m[1]}${m[2]}:${m[3]}${m[4]} in ${e.name} (damaged file?)`);
    }
  }
}

function readSheet(ws: ExcelJS.Worksheet, blocks: Block[], warnings: string[]): void {
  const cells = new Map<number, Map<number, SheetCell>>();
  const covered = new Set<string>(); // "r:c" of non-master positions inside merges
  const merges = Object.values((ws as unknown as WithMerges)._merges ?? {});
  for (const m of merges) {
    for (let r = m.top; r <= m.bottom; r++) for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) covered.add(`${r}:${c}`);
  }
  let missingResult = false;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    if (row.hidden) return;
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      if (covered.has(`${r}:${c}`)) return;
      // The value getter of a formula cell drops falsy results (a cached 0 reads as "no result"); `result` keeps them.
      const v = cell.type === ExcelJS.ValueType.Formula ? resultText(cell.result as ExcelJS.CellValue) : valueText(cell.value);
      if (v === undefined) missingResult = true;
      const border = hasBorder(cell.border);
      const text = v ?? '';
      if (!text && !border) return;
      let line = cells.get(r);
      if (!line) cells.set(r, (line = new Map()));
      line.set(c, { text, border });
    });
  });
  if (missingResult) warnings.push(`worksheet "${ws.name}": formulas without a cached result read as empty`);
  sheetBlocks(cells, merges, blocks);
}

/**
 * A sheet's non-empty or bordered cells (by 1-based row, then column) and merges → paragraphs and tables.
 * Shared with the BIFF8 (.xls) adapter, which collects the same cells from its records.
 */
export function sheetBlocks(cells: Map<number, Map<number, SheetCell>>, merges: Box[], blocks: Block[]): void {
  for (const m of merges) {
    const master = cells.get(m.top)?.get(m.left);
    if (master) master.box = m;
    else if (merges.length) {
      // A merge whose master is empty still shapes the grid (an empty header block).
      let line = cells.get(m.top);
      if (!line) cells.set(m.top, (line = new Map()));
      line.set(m.left, { text: '', border: false, box: m });
    }
  }

  // Rows a merge reaches count as occupied, so a header's lower rows are not mistaken for a gap.
  const occupied = new Set<number>();
  for (const [r, line] of cells) {
    for (const cell of line.values()) {
      if (cell.text || cell.border) occupied.add(r);
      if (cell.box && (cell.text || cell.border)) for (let i = cell.box.top; i <= cell.box.bottom; i++) occupied.add(i);
    }
  }
  const order = [...occupied].sort((a, b) => a - b);
  let start = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || order[i] !== order[i - 1] + 1) {
      segment(order.slice(start, i), cells, blocks);
      start = i;
    }
  }
}

function segment(rows: number[], cells: Map<number, Map<number, SheetCell>>, blocks: Block[]): void {
  const line = (r: number) => cells.get(r) ?? new Map<number, SheetCell>();
  const bordered = rows.some((r) => [...line(r).values()].some((c) => c.border));
  const lone = (r: number): SheetCell | undefined => {
    const filled = [...line(r).values()].filter((c) => c.text.trim() !== '');
    return filled.length === 1 ? filled[0] : undefined;
  };
  const isText = rows.map((r) => {
    const only = lone(r);
    if (!only) return false;
    if (bordered) return ![...line(r).values()].some((c) => c.border);
    return false;
  });
  if (!bordered) {
    // Without borders only the edges can be told apart: leading titles, trailing notes.
    for (let i = 0; i < rows.length && lone(rows[i]); i++) isText[i] = true;
    for (let i = rows.length - 1; i >= 0 && lone(rows[i]) && !isText[i]; i--) isText[i] = true;
    // A segment of lone cells only is prose, not a one-column table.
    if (isText.every((t) => t)) isText.fill(true);
  }
  // Rows under a text row's merge (a title merged over two rows) belong to that text.
  const skip = new Set<number>();
  rows.forEach((r, i) => {
    const box = isText[i] ? lone(r)?.box : undefined;
    if (box) for (let j = i + 1; j < rows.length && rows[j] <= box.bottom; j++) skip.add(j);
  });
  let run: number[] = [];
  const flushTable = () => {
    if (run.length) blocks.push(table(run, cells));
    run = [];
  };
  rows.forEach((r, i) => {
    if (skip.has(i)) return;
    if (!isText[i]) {
      run.push(r);
      return;
    }
    flushTable();
    const cell = lone(r)!;
    for (const text of cell.text.split(/\r?\n/)) {
      if (text.trim()) blocks.push({ kind: 'paragraph', text: text.trim(), line: r } satisfies Paragraph);
    }
  });
  flushTable();
}

function table(rows: number[], cells: Map<number, Map<number, SheetCell>>): Table {
  const top = rows[0];
  const bottom = rows[rows.length - 1];
  let left = Infinity;
  let right = -Infinity;
  for (const r of rows) {
    for (const [c, cell] of cells.get(r) ?? []) {
      left = Math.min(left, c);
      right = Math.max(right, cell.box ? Math.max(c, cell.box.right) : c);
    }
  }
  const taken = new Set<string>();
  const out: TableCell[][] = [];
  for (const r of rows) {
    const line = cells.get(r);
    const row: TableCell[] = [];
    for (let c = left; c <= right; c++) {
      if (taken.has(`${r}:${c}`)) continue;
      const cell = line?.get(c);
      const box = cell?.box;
      const rowSpan = box ? Math.min(box.bottom, bottom) - r + 1 : 1;
      const colSpan = box ? Math.min(box.right, right) - c + 1 : 1;
      for (let i = r; i < r + rowSpan; i++) for (let j = c; j < c + colSpan; j++) taken.add(`${i}:${j}`);
      row.push({ text: cell?.text ?? '', row: r - top, col: c - left, rowSpan, colSpan, line: r });
    }
    out.push(row);
  }
  return { kind: 'table', rows: out, grid: 'exact', line: top };
}

function hasBorder(b: Partial<ExcelJS.Borders> | undefined): boolean {
  if (!b) return false;
  return Boolean(b.top?.style || b.bottom?.style || b.left?.style || b.right?.style);
}

export function formatNumber(n: number): string {
  // Formula results carry binary noise (0.1 + 0.2); 15 significant digits is what Excel shows.
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

export function isoDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/** Displayable text of a cell value; undefined for a formula without a cached result. */
function valueText(v: ExcelJS.CellValue): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : isoDate(v);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return resultText((v as { result?: ExcelJS.CellValue }).result);
  if ('error' in v) return String(v.error);
  if ('text' in v) {
    const t = (v as { text: unknown }).text;
    if (typeof t === 'string') return t;
    return valueText(t as ExcelJS.CellValue);
  }
  return '';
}

function resultText(result: ExcelJS.CellValue | undefined): string | undefined {
  if (result === undefined) return undefined;
  if (typeof result === 'object' && result !== null && 'error' in result) return String(result.error);
  return valueText(result);
}
