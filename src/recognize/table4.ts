import type { Cell, Cells, ReviewLitigation } from '../model/index.js';
import { TABLE4_BLOCKS, TABLE4_COLUMNS } from '../model/index.js';
import type { Line, LineCell } from './lines.js';
import { readCell } from './values.js';

/**
 * Table 4 (行政复议、行政诉讼): one data row of fifteen values in a fixed order
 * (format.md §4.3), possibly printed as three rows of five or as three small
 * tables. Exact grids and tab-separated rows keep blank cells in place.
 */

const N = TABLE4_BLOCKS.length * TABLE4_COLUMNS.length;

export interface Table4Read {
  reviewLitigation: ReviewLitigation;
  cells: Cells;
  lines: number[];
  inferred?: string;
}

/** A row of values: every non-empty cell numeric or a placeholder, and at least one number. */
function valueRow(line: Line): LineCell[] | null {
  const own = line.cells.filter((c) => !c.spanned);
  const split = own.flatMap((c) => {
    const parts = c.text.trim().split(/\s+/);
    return parts.length > 1 && parts.every((p) => readCell(p).kind === 'number') ? parts.map((p) => ({ ...c, text: p, norm: p, numeric: true })) : [c];
  });
  const kinds = split.map((c) => readCell(c.text).kind);
  if (kinds.some((k) => k === 'text')) return null;
  // A grid row of empty cells is the data row of an unfilled table; in loose text it is nothing.
  if (!kinds.includes('number') && !(line.grid === 'exact' && own.length >= TABLE4_COLUMNS.length)) return null;
  if (line.grid === 'exact' || line.fieldPositions) {
    // Positions matter here: keep leading blanks; in tab-separated text, trailing empty
    // fields are padding (an exact grid's cells are all real).
    let end = split.length;
    if (line.grid !== 'exact') while (end > 0 && kinds[end - 1] === 'blank') end--;
    const kept = split.slice(0, end);
    return kept.length > N ? kept.slice(kept.length - N) : kept;
  }
  return split.filter((c) => readCell(c.text).kind !== 'blank');
}

export function readTable4(region: Line[]): Table4Read | null {
  const rows: { line: Line; cells: LineCell[] }[] = [];
  for (const line of region) {
    const cells = valueRow(line);
    if (cells) rows.push({ line, cells });
    if (rows.reduce((a, r) => a + r.cells.length, 0) >= N) break;
  }
  if (rows.length === 0) return null;
  let values = rows.flatMap((r) => r.cells.map((c) => ({ cell: c, line: r.line })));
  // Exact grids and field-positioned rows short of 15 cells keep their leading blanks:
  // the missing ones are at the front only if the row was right-aligned, which we cannot know.
  let inferred: string | undefined;
  if (values.length > N) values = values.slice(0, N);
  if (values.length < N) inferred = `表四只读到${values.length}个值（应为${N}个），按顺序放置，其余记为缺失`;

  const cells: Cells = {};
  const out: Record<string, Record<string, number | null>> = {};
  TABLE4_BLOCKS.forEach((b, bi) => {
    out[b.key] = {};
    TABLE4_COLUMNS.forEach((c, ci) => {
      const v = values[bi * TABLE4_COLUMNS.length + ci];
      const read = v ? readCell(v.cell.text) : { value: null, kind: 'missing' as const, raw: '' };
      out[b.key][c.key] = read.kind === 'number' ? read.value : null;
      const cell: Cell = { raw: read.raw, kind: read.kind };
      const page = v?.cell.page ?? v?.line.page;
      if (page) cell.page = page;
      if (v?.line.table !== undefined) cell.table = v.line.table;
      if (v) {
        cell.row = v.cell.row ?? v.line.row ?? 0;
        cell.col = v.cell.col;
      }
      const lineNo = v?.cell.line ?? v?.line.line;
      if (lineNo) cell.line = lineNo;
      if (!v && inferred) cell.inferred = inferred;
      cells[`reviewLitigation.${b.key}.${c.key}`] = cell;
    });
  });
  return {
    reviewLitigation: out as unknown as ReviewLitigation,
    cells,
    lines: rows.map((r) => r.line.index),
    ...(inferred ? { inferred } : {}),
  };
}
