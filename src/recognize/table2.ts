import type { Cell, Cells, Finding, Proactive2019, Proactive2021 } from '../model/index.js';
import { TABLE2_2019, TABLE2_2021, type Table2Cell } from '../model/structure.js';
import { TABLE2_ROWS } from './labels.js';
import type { Line, LineCell } from './lines.js';
import { normLabel, splitNumbering } from './normalize.js';
import { isNumeric, readCell, withColumnUnit, type CellValue } from './values.js';

/**
 * Table 2 (主动公开政府信息情况): rows found by their label wherever they are,
 * values taken in order after the label. Data-row spans differ from the
 * header's in real reports (1+2+1 vs 2+1+1), so values are aligned by their
 * order within the row, never by x.
 */

export interface Table2Read {
  format: '2021' | '2019';
  proactive: Proactive2021 | Proactive2019;
  cells: Cells;
  lines: number[];
  /** Rows whose label is in the source but whose values were not read (P-UNPLACED warnings). */
  findings: Finding[];
}

const HEADER_2019 = ['本年新制作数量', '本年新公开数量', '对外公开总数量', '上一年项目数量', '采购项目数量'].map(normLabel);
const HEADER_2021 = ['本年制发件数', '本年废止件数', '现行有效件数', '本年处理决定数量'].map(normLabel);

/**
 * Money columns whose header may name the unit of the bare amounts below it: 采购总金额（元）,
 * 采购总金额（万元）, 收费金额（单位：元）. Matched on the table's joined text, as a header may wrap.
 */
const MONEY_HEADERS: Record<string, RegExp> = {
  'procurement.amount': /采购总?金额\(?(?:单位:?)?(万元|元)/,
  'fees.amount': /收费总?金额\(?(?:单位:?)?(万元|元)/,
};

function headerUnits(region: Line[]): Map<string, '元' | '万元'> {
  const text = region.map((l) => l.norm).join('');
  const out = new Map<string, '元' | '万元'>();
  for (const [path, re] of Object.entries(MONEY_HEADERS)) {
    const m = re.exec(text);
    if (m) out.set(path, m[1] as '元' | '万元');
  }
  return out;
}

/** A label no row has whole may be the head of one wrapped over two lines (其他对外管理 / 服务事项): a unique prefix of four or more characters names it. */
const MIN_PREFIX = 4;

function rowKeyByPrefix(bare: string): string | null {
  if (bare.length < MIN_PREFIX) return null;
  const keys = new Set(TABLE2_ROWS.filter((r) => r.labels.some((l) => l.length > bare.length && l.startsWith(bare))).map((r) => r.key));
  return keys.size === 1 ? [...keys][0] : null;
}

/** A line holding nothing but label text (a wrapped label's other half). */
function labelOnly(line: Line | undefined): string | null {
  if (!line) return null;
  const filled = line.cells.filter((c) => !c.spanned && c.norm !== '');
  return filled.length === 1 && !filled[0].numeric ? filled[0].norm : null;
}

function rowKeyOf(norm: string): string | null {
  // Printed with numbering ("1.规章"), a unit ("行政许可(件)") or a caption run into it
  // ("第二十条第(五)项行政许可"): the label is the row's label if it is one of these at either end.
  const bare = splitNumbering(norm.replace(/\([^)]*\)$/, '')).rest;
  // Longest label first: 行政规范性文件 must not be read as 规范性文件's row in 2019, and vice versa.
  let best: { key: string; len: number } | null = null;
  for (const r of TABLE2_ROWS)
    for (const l of r.labels) {
      const hit = bare === l || ((bare.endsWith(l) || bare.startsWith(l)) && bare.length <= l.length + 4) || (norm.endsWith(l) && norm.length <= l.length + 12);
      if (hit && (!best || l.length > best.len)) best = { key: r.key, len: l.length };
    }
  return best?.key ?? rowKeyByPrefix(bare);
}

/** A token that is a table-2 value as printed: a count, a signed change (+3, 减少2), an amount with its unit, a placeholder. */
function isValueToken(t: string): boolean {
  const kind = readCell(t, { signed: true, money: true }).kind;
  return kind === 'number' || kind === 'dash' || kind === 'slash';
}

/** A label and its values flattened into one cell, "行政许可 27 ＋3 0" (single-space text layers): the trailing run of values. */
function splitFlattened(text: string): { label: string; values: string[] } | null {
  const tokens = text.trim().split(/\s+/);
  let k = tokens.length;
  while (k > 1 && isValueToken(tokens[k - 1])) k--;
  if (k === tokens.length || /\d/.test(tokens.slice(0, k).join(''))) return null;
  return { label: tokens.slice(0, k).join(' '), values: tokens.slice(k) };
}

/** The value cells of a row: after the label, in order (exact grids keep their blank cells). */
function valueCells(line: Line, labelIdx: number): LineCell[] {
  const after = line.cells.slice(labelIdx + 1).filter((c) => !c.spanned);
  if (line.grid === 'exact' || line.fieldPositions) return after;
  // Loose geometry: blank cells vanished; numbers (possibly run together) are what is left.
  return after.flatMap((c) => {
    const parts = c.text.trim().split(/\s+/);
    return parts.length > 1 && parts.every((p) => readCell(p).kind === 'number') ? parts.map((p) => ({ ...c, text: p, norm: p, numeric: true })) : [c];
  });
}

const CAPTION = /^第二十条/;
const centreOf = (c: LineCell) => (c.x0! + (c.x1 ?? c.x0!)) / 2;

/**
 * A sparse row of a laid-out table (pdftotext: blank cells leave only spaces) placed under its block's
 * column heads: the nearest line above it, below the block's caption, with a head per column. Each value
 * must sit clearly under one head, in order; else null (the row stays unplaced). Without an equation to
 * confirm it, the placement is marked inferred.
 */
function placeUnderHeads(region: Line[], line: Line, values: LineCell[], columns: number): (LineCell | null)[] | null {
  if (values.some((c) => c.x0 === undefined)) return null;
  for (let i = region.indexOf(line) - 1; i >= 0; i--) {
    const l = region[i];
    if (CAPTION.test(l.norm)) return null;
    const filled = l.cells.filter((c) => !c.spanned && c.norm !== '');
    if (filled.some((c) => c.numeric) || filled.length < columns) continue;
    const heads = filled.slice(-columns);
    if (heads.some((c) => c.x0 === undefined)) return null;
    const centres = heads.map(centreOf);
    const gaps = centres.slice(1).map((c, k) => c - centres[k]);
    if (gaps.some((g) => g <= 0)) return null;
    const reach = 0.4 * Math.min(...gaps, Infinity);
    const slots: (LineCell | null)[] = new Array<LineCell | null>(columns).fill(null);
    let last = -1;
    for (const v of values) {
      const x = centreOf(v);
      let best = 0;
      for (let k = 1; k < columns; k++) if (Math.abs(centres[k] - x) < Math.abs(centres[best] - x)) best = k;
      if (best <= last || (columns > 1 && Math.abs(centres[best] - x) > reach)) return null;
      slots[best] = v;
      last = best;
    }
    return slots;
  }
  return null;
}

export function detectTable2Format(region: Line[]): '2021' | '2019' | null {
  let y19 = 0;
  let y21 = 0;
  for (const l of region) {
    if (HEADER_2019.some((h) => l.norm.includes(h))) y19++;
    if (HEADER_2021.some((h) => l.norm.includes(h))) y21++;
  }
  if (y19 === 0 && y21 === 0) return null;
  return y19 > y21 ? '2019' : '2021';
}

export function readTable2(region: Line[], fallbackFormat: '2021' | '2019', lang: 'zh' | 'en' = 'zh'): Table2Read | null {
  const format = detectTable2Format(region) ?? fallbackFormat;
  const spec: Table2Cell[] = format === '2021' ? TABLE2_2021 : TABLE2_2019;
  const rows = new Map<string, { line: Line; values: LineCell[]; label: string }>();
  for (const [li, line] of region.entries()) {
    const idx = line.cells.findIndex((c) => !c.spanned && c.norm !== '' && !c.numeric);
    if (idx < 0) continue;
    // Label and value may also share one cell in flattened text ("行政许可 447228").
    let label = line.cells[idx].text;
    let key = rowKeyOf(line.cells[idx].norm);
    // A label wrapped over two lines with the numbers beside its tail (… / 服务事项 143 -5 74): join the halves.
    const head = li > 0 && line.cells.length > idx + 1 ? labelOnly(region[li - 1]) : null;
    if (!key && head && rowKeyOf(head + line.cells[idx].norm)) {
      key = rowKeyOf(head + line.cells[idx].norm);
      label = region[li - 1].text.trim() + label.trim();
    }
    let values = key ? valueCells(line, idx) : [];
    // Values the text's tokenizer left in the label's cell ("行政许可 87个" | -4 | 19: a unit or a 增加 it
    // does not take for a number) come first; in an exact grid the label cell is the label.
    const flat = !key || values.length === 0 || line.grid !== 'exact' ? splitFlattened(line.cells[idx].text) : null;
    const split = flat ? rowKeyOf(normLabel(flat.label)) : null;
    if (flat && split && (!key || key === split)) {
      const lead = flat.values.map((t) => ({ ...line.cells[idx], text: t, norm: t, numeric: isNumeric(t), x0: undefined, x1: undefined }));
      values = [...lead, ...(key ? values : line.grid === 'exact' ? [] : valueCells(line, idx))];
      key = split;
      label = flat.label;
    }
    // A label without values (the head of a wrapped one) gives way to a later line of the row that has them.
    if (!key || (rows.has(key) && (rows.get(key)!.values.length > 0 || values.length === 0))) continue;
    rows.set(key, { line, values, label: label.replace(/\s+/g, '') });
  }
  if (rows.size === 0) return null;

  const cells: Cells = {};
  const out: Record<string, Record<string, number | null>> = {};
  const byRow = new Map<string, Table2Cell[]>();
  for (const c of spec) {
    const k = c.path.split('.')[0];
    (byRow.get(k) ?? byRow.set(k, []).get(k)!).push(c);
  }
  const findings: Finding[] = [];
  const units = headerUnits(region);
  const regionText = region.map((l) => l.norm).join('');
  // A column whose head is printed is in the source: a row's cells past its last value are blank cells
  // whose trace the text lost (trailing separators trimmed), never a missing column (S-05).
  const headed = (column: string) => regionText.includes(normLabel(column).slice(0, MIN_PREFIX));
  for (const [key, specCells] of byRow) {
    const row = rows.get(key);
    out[key] = {};
    // The label is in the source and no value after it was read: our failure, not a missing row.
    const unread = row !== undefined && row.values.length === 0;
    // Fewer values than columns where blank cells leave no trace (loose text): table 2 has no
    // equation to tell which column each belongs to, so none is placed (never left-packed).
    const loose = row !== undefined && !unread && row.values.length < specCells.length && row.line.grid !== 'exact' && !row.line.fieldPositions;
    const underHeads = loose ? placeUnderHeads(region, row.line, row.values, specCells.length) : null;
    const sparse = loose && !underHeads;
    if (unread || sparse)
      findings.push({
        rule: 'P-UNPLACED',
        severity: 'warning',
        message: unread
          ? lang === 'en'
            ? `Table 2 row “${row.label}” is in the source (line ${row.line.line ?? '?'}) but its values were not read (our reading, not the report's error)`
            : `表二“${row.label}”行在来源中（第${row.line.line ?? '?'}行），但未读到其数值（属读取问题，非报告错误）`
          : lang === 'en'
            ? `Table 2 row “${row.label}” (line ${row.line.line ?? '?'}) has ${row.values.length} values for ${specCells.length} columns and no layout to place them: left unplaced (our reading, not the report's error)`
            : `表二“${row.label}”行（第${row.line.line ?? '?'}行）有 ${row.values.length} 个数值、${specCells.length} 列，版式无法确定其所在列，未予放置（属读取问题，非报告错误）`,
        paths: specCells.map((c) => `proactive.${c.path}`),
      });
    const trailing = (i: number) => row !== undefined && !unread && !sparse && !underHeads && i >= row.values.length && headed(specCells[i].column);
    specCells.forEach((sc, i) => {
      const field = sc.path.split('.')[1];
      const src = sparse ? undefined : underHeads ? (underHeads[i] ?? undefined) : row?.values[i];
      const read: CellValue = src
        ? readCell(src.text, { money: sc.decimal, signed: sc.signed })
        : underHeads || trailing(i)
          ? { value: null, kind: 'blank', raw: '' }
          : { value: null, kind: unread || sparse ? 'unplaced' : 'missing', raw: sparse ? row!.values.map((c) => c.text.trim()).join(' ') : '' };
      const unit = units.get(sc.path);
      // A 万元 header is the 2021 fee column's own unit: worth recording only where the format fixes none (2019 采购总金额).
      const v = unit && (unit === '元' || format === '2019') ? withColumnUnit(read, unit) : read;
      out[key][field] = v.kind === 'number' ? v.value : null;
      const cell: Cell = { raw: v.raw, kind: v.kind };
      const page = src?.page ?? row?.line.page;
      if (page) cell.page = page;
      if (row?.line.table !== undefined) cell.table = row.line.table;
      if (row?.line.row !== undefined) cell.row = src?.row ?? row.line.row;
      if (src) cell.col = src.col;
      const lineNo = src?.line ?? row?.line.line;
      if (lineNo) cell.line = lineNo;
      if (v.kind === 'unplaced') cell.inferred = sparse ? '行内数值少于列数，版式无法确定所在列' : '行标签在来源中，未读到数值';
      if (underHeads) cell.inferred = '行内数值少于列数，按表头各列位置放置，其余为空';
      else if (trailing(i)) cell.inferred = '行末单元格在文本中无内容（分隔符被截去），按空白计';
      if (v.note) cell.note = v.note;
      if (v.unit) cell.unit = v.unit;
      if (v.unitConverted) cell.unitConverted = true;
      // The 2019 label 规范性文件 in a 2021 table (and the reverse) is S-10's business.
      if (row && splitNumbering(normLabel(row.label)).rest !== normLabel(sc.row)) cell.label = row.label;
      cells[`proactive.${sc.path}`] = cell;
    });
  }
  return {
    format,
    proactive: out as unknown as Proactive2021 | Proactive2019,
    cells,
    lines: [...rows.values()].map((r) => r.line.index),
    findings,
  };
}
