import type { Cell, Cells, Finding, ReviewLitigation } from '../model/index.js';
import { TABLE4_BLOCKS, TABLE4_COLUMNS } from '../model/structure.js';
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
  /** P-UNPLACED when the values' order could not be trusted (see orderCertain). */
  finding?: Finding;
}

/** A row of values: every non-empty cell numeric or a placeholder, and at least one number. */
function valueRow(line: Line): LineCell[] | null {
  const own = line.cells.filter((c) => !c.spanned);
  const split = own.flatMap((c) => {
    const parts = c.text.trim().split(/\s+/);
    return parts.length > 1 && parts.every((p) => readCell(p).kind === 'number') ? parts.map((p) => ({ ...c, text: p, norm: p, numeric: true })) : [c];
  });
  let kinds = split.map((c) => readCell(c.text).kind);
  // Some reports give the data row a label of its own (数量, 件数): a leading text cell before the values.
  const lead = kinds.findIndex((k) => k !== 'text');
  const labelled = lead > 0 && lead <= 2 && split.length - lead >= TABLE4_COLUMNS.length && kinds.slice(lead).every((k) => k !== 'text');
  if (labelled) {
    split.splice(0, lead);
    kinds = kinds.slice(lead);
  }
  if (kinds.some((k) => k === 'text')) return null;
  // A grid row of empty cells is the data row of an unfilled table; in loose text it is nothing,
  // and so is a header row padded with empty cells (markdown).
  if (!kinds.includes('number') && !(line.grid === 'exact' && own.length >= TABLE4_COLUMNS.length && !labelled)) return null;
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

/**
 * A space-aligned layout drops empty cells, so a table 4 with a blank block shows
 * 5 or 10 numbers. The blocks' own identity cannot say which block is blank (it
 * tests values, not positions), so the header decides: the x where 行政复议,
 * 未经复议直接起诉 and 复议后起诉 begin. Returns the blank blocks, or null when the
 * header or the numbers' positions do not settle it.
 */
function placeBlocks(region: Line[], cells: LineCell[]): number[] | null {
  if (cells.length % 5 !== 0 || cells.length === 0 || cells.some((c) => c.x0 === undefined)) return null;
  // Each block's first column is headed 结果维持 (or 维持): its x is where the block begins.
  // Failing that, the block headings, which are often centred and so only roughly placed.
  const upheld = region.flatMap((l) => l.cells.filter((c) => /维持/.test(c.norm) && c.x0 !== undefined).map((c) => c.x0!));
  const startOf = (re: RegExp) => {
    for (const l of region) for (const c of l.cells) if (re.test(c.norm) && c.x0 !== undefined) return c.x0;
    return undefined;
  };
  const starts = upheld.length === 3 ? [...upheld].sort((a, b) => a - b) : [startOf(/行政复议/), startOf(/未经复议|直接起诉/), startOf(/复议后起诉/)];
  if (starts.some((x) => x === undefined) || !(starts[0]! < starts[1]! && starts[1]! < starts[2]!)) return null;
  const bounds = starts as number[];
  const blockOf = (c: LineCell) => {
    const x = ((c.x0 ?? 0) + (c.x1 ?? c.x0 ?? 0)) / 2;
    let b = 0;
    for (let k = 1; k < 3; k++) if (x >= bounds[k] - 0.1 * (bounds[k] - bounds[k - 1])) b = k;
    return b;
  };
  const count = [0, 0, 0];
  let last = -1;
  for (const c of cells) {
    const b = blockOf(c);
    if (b < last) return null;
    last = b;
    count[b]++;
  }
  if (!count.every((k) => k === 0 || k === 5)) return null;
  return [0, 1, 2].filter((b) => count[b] === 0);
}

/**
 * Whether the values stand in the table's order: one row, exact grid rows, rows of whole blocks, or
 * consecutive lines (one cell per line). A generic extractor's text scatters them between the header's
 * words, column by column in whatever order it met them: their order then says nothing about columns.
 */
function orderCertain(region: Line[], rows: { line: Line; cells: LineCell[] }[]): boolean {
  if (rows.length <= 1) return true;
  if (rows.every((r) => r.line.grid === 'exact' || r.line.fieldPositions)) return true;
  if (rows.every((r) => r.cells.length % TABLE4_COLUMNS.length === 0)) return true;
  // A later row that carries header words of its own ("总计 0") had text between its values and the others'.
  if (rows.slice(1).some((r) => r.line.cells.some((c) => !c.spanned && readCell(c.text).kind === 'text'))) return false;
  const at = rows.map((r) => region.indexOf(r.line));
  const own = new Set(at);
  for (let i = at[0] + 1; i < at[at.length - 1]; i++) if (!own.has(i) && region[i].norm.replace(/[|｜]/g, '') !== '') return false;
  return true;
}

/** Every figure of the table's lines in reading order, header words' lines included, each as a cell of its own. */
function figuresIn(region: Line[]): { cell: LineCell; line: Line }[] {
  const out: { cell: LineCell; line: Line }[] = [];
  for (const line of region)
    for (const c of line.cells) {
      if (c.spanned) continue;
      for (const part of c.text.trim().split(/\s+/)) if (part && readCell(part).kind === 'number') out.push({ cell: { ...c, text: part, norm: part, numeric: true }, line });
    }
  return out;
}

/** Each block's 总计 equals the sum of its four outcomes (placeholders as 0); any unread value fails. */
function blocksBalance(values: { cell: LineCell }[]): boolean {
  if (values.length !== N) return false;
  const nums = values.map((v) => {
    const r = readCell(v.cell.text);
    return r.kind === 'number' ? r.value : r.kind === 'blank' || r.kind === 'dash' || r.kind === 'slash' ? 0 : null;
  });
  const W = TABLE4_COLUMNS.length;
  return TABLE4_BLOCKS.every((_, b) => {
    const block = nums.slice(b * W, b * W + W);
    if (block.some((x) => x === null)) return false;
    const parts = (block as number[]).slice(0, W - 1).reduce((a, x) => a + x, 0);
    return parts === block[W - 1];
  });
}

/** All fifteen cells `unplaced` (their raw text kept in reading order on the first cells), one warning. */
function unplacedTable4(rows: { line: Line; cells: LineCell[] }[], lang: 'zh' | 'en'): Table4Read {
  const cells: Cells = {};
  const out: Record<string, Record<string, number | null>> = {};
  const first = rows[0].line;
  const raws = rows.flatMap((r) => r.cells.map((c) => c.text.trim()));
  const note = lang === 'en' ? 'table 4 values scattered among its header words; their columns cannot be told' : '表四数值分散在表头文字之间，无法确定所属列';
  TABLE4_BLOCKS.forEach((b) => {
    out[b.key] = {};
    TABLE4_COLUMNS.forEach((c) => {
      out[b.key][c.key] = null;
      const cell: Cell = { raw: '', kind: 'unplaced', inferred: note };
      if (first.page) cell.page = first.page;
      if (first.line) cell.line = first.line;
      cells[`reviewLitigation.${b.key}.${c.key}`] = cell;
    });
  });
  const where = first.line ? (lang === 'en' ? ` (line ${first.line})` : `（第${first.line}行起）`) : '';
  return {
    reviewLitigation: out as unknown as ReviewLitigation,
    cells,
    lines: rows.map((r) => r.line.index),
    inferred: note,
    finding: {
      rule: 'P-UNPLACED',
      severity: 'warning',
      message:
        lang === 'en'
          ? `Table 4${where}: ${raws.length} values read (${raws.join(' ')}) but scattered among the header's words, so their columns cannot be told and they are not placed (our reading, not the report's error)`
          : `表四${where}读到${raws.length}个数值（${raws.join(' ')}），但分散在表头文字之间，无法确定所属列，未予放置（属读取问题，非报告错误）`,
      paths: ['reviewLitigation'],
    },
  };
}

export function readTable4(region: Line[], lang: 'zh' | 'en' = 'zh'): Table4Read | null {
  const rows: { line: Line; cells: LineCell[] }[] = [];
  for (const line of region) {
    const cells = valueRow(line);
    if (cells) rows.push({ line, cells });
    if (rows.reduce((a, r) => a + r.cells.length, 0) >= N) break;
  }
  if (rows.length === 0) return null;
  let values = rows.flatMap((r) => r.cells.map((c) => ({ cell: c, line: r.line })));
  // Out of order, only the arithmetic can vouch for a reading: all three blocks balancing in reading
  // order is no accident; anything less is not placed (promise 1), and so raises no error (promise 2).
  // Out of order, or short of fifteen while the table holds more figures than were taken (some beside
  // header words): every figure of the table in reading order is the reading, if it is fifteen and balances.
  const figures = figuresIn(region);
  const scattered = !orderCertain(region, rows) || (values.length < N && figures.length > values.length);
  if (scattered) {
    if (figures.length !== N || !blocksBalance(figures)) return unplacedTable4(rows, lang);
    values = figures;
  }
  // Exact grids and field-positioned rows short of 15 cells keep their leading blanks:
  // the missing ones are at the front only if the row was right-aligned, which we cannot know.
  let inferred: string | undefined = scattered ? '表四数值分散在多行中，按出现顺序放置：三块的总计均与分项之和相符' : undefined;
  let blankBlocks: number[] = [];
  if (values.length > N) values = values.slice(0, N);
  if (values.length < N) {
    const loose = rows.every((r) => r.line.grid !== 'exact' && !r.line.fieldPositions);
    const placed = loose ? placeBlocks(region, values.map((v) => v.cell)) : null;
    // Loose text dropped some cells and the header cannot say which: in order they could sit in the
    // wrong block, and the block left over is not missing from the source (its heading is there).
    if (loose && !placed) return unplacedTable4(rows, lang);
    if (placed) {
      blankBlocks = placed;
      const filled = [0, 1, 2].filter((b) => !placed.includes(b));
      const spread: typeof values = [];
      filled.forEach((b, i) => values.slice(i * 5, i * 5 + 5).forEach((v, k) => (spread[b * 5 + k] = v)));
      values = spread;
      inferred = `表四只读到${rows.reduce((a, r) => a + r.cells.length, 0)}个值；按表头位置判定第${placed.map((b) => b + 1).join('、')}块为空白`;
    } else inferred = `表四只读到${values.length}个值（应为${N}个），按顺序放置，其余记为缺失`;
  }

  const cells: Cells = {};
  const out: Record<string, Record<string, number | null>> = {};
  TABLE4_BLOCKS.forEach((b, bi) => {
    out[b.key] = {};
    TABLE4_COLUMNS.forEach((c, ci) => {
      const v = values[bi * TABLE4_COLUMNS.length + ci];
      const blank = blankBlocks.includes(bi);
      const read = v ? readCell(v.cell.text) : { value: null, kind: blank ? ('blank' as const) : ('missing' as const), raw: '' };
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
      if ((!v || scattered) && inferred) cell.inferred = inferred;
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
