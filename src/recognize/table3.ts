import type { Applications, Cell, Cells, Counts, Finding } from '../model/index.js';
import { COUNT_KEYS, GROUP_LABELS, TABLE3_ROWS } from '../model/structure.js';
import { align, type AlignRow, type Slots, type Unsettled } from './align.js';
import { TABLE3_COLUMN_LABELS, TABLE3_PATTERNS, type RowPattern } from './labels.js';
import type { Line, LineCell } from './lines.js';
import { dice, normLabel, recall, splitNumbering } from './normalize.js';
import { readCell, type CellValue } from './values.js';

/**
 * Table 3 (收到和处理政府信息公开申请情况). Rows are anchored by their labels,
 * never by position: data lines (lines with values) are aligned to the
 * canonical row sequence by label similarity under the constraint of order, so
 * wrapped, split, misspelt or missing labels still land; values are placed by
 * the grid where the source has one, by x where it has geometry, and by the
 * table's arithmetic where neither settles it.
 */

const NCOL = COUNT_KEYS.length;

interface DataLine {
  line: Line;
  own: string;
  labelCells: LineCell[];
  /** Label-only lines near it (wrapped parts of its label), above and below. */
  pre: Line[];
  post: Line[];
  /** Exact grids: one value per column (undefined = no cell). Loose: the run of numbers. */
  slots?: (LineCell | undefined)[];
  numbers?: LineCell[];
  /** A lone number without a label: kept only if it joins a neighbouring row. */
  orphan?: boolean;
  /** The region's last line: where a text cut short ends, possibly inside this row. */
  atEnd?: boolean;
  /** Anchored to a row that official rows follow, yet short of values on the region's last line: cut inside. */
  cut?: boolean;
}

export interface Table3Read {
  applications: Applications;
  cells: Cells;
  findings: Finding[];
  /** Rows seen as the 2019 single （六） row. */
  singleOtherDisposal: boolean;
  lines: number[];
  /** Official rows read (paths below `applications.`), in printed order. */
  rows: string[];
  /** Index of the last line that holds a row read. */
  lastLine: number;
}

// ---------- data lines ----------

/**
 * Split cells like "0 0 5" (numbers separated by single spaces) into one cell per number; a dash or slash
 * among the numbers ("1 —": a value and the placeholder of the next column, printed close) is a cell too.
 */
function splitNumberRuns(cells: LineCell[]): LineCell[] {
  const out: LineCell[] = [];
  for (const c of cells) {
    // A placeholder touching a number ("——1": 科研机构's dash and 社会公益组织's 1, printed edge to edge) is two cells.
    const parts = c.text.trim().split(/\s+/).flatMap((p) => p.split(/(?<=[—－/／]|[-–]{2})(?=\d)|(?<=\d)(?=[—－/／]|[-–]{2})/));
    const kinds = parts.map((p) => readCell(p).kind);
    if (parts.length > 1 && kinds.includes('number') && kinds.every((k) => k === 'number' || k === 'dash' || k === 'slash')) {
      const w = c.x0 !== undefined && c.x1 !== undefined ? (c.x1 - c.x0) / parts.length : 0;
      parts.forEach((p, i) =>
        out.push({ ...c, text: p, norm: normLabel(p), numeric: kinds[i] === 'number', x0: c.x0 !== undefined ? c.x0 + i * w : undefined, x1: c.x0 !== undefined ? c.x0 + (i + 1) * w : undefined }),
      );
    } else out.push(c);
  }
  return out;
}

/**
 * The grid column of each Counts column the header names, by its head cells (single-column cells above
 * the first number). `close` also takes a head within a small misspelling (dice ≥ 0.8).
 */
function headColumns(lines: Line[], close: boolean): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of lines) {
    // The header ends where the numbers begin: a row labelled 总计 or 其他 (numbering lost) is no column head.
    if (line.cells.some((c) => c.numeric)) break;
    for (const c of line.cells) {
      if (c.colSpan !== 1 || c.numeric) continue;
      for (const col of TABLE3_COLUMN_LABELS)
        if (col.labels.some((l) => l === c.norm || (close && c.norm.length >= 2 && dice(l, c.norm) >= 0.8))) {
          // The lowest header cell of a column wins (法人或其他组织 spans; 其他 is under it).
          found.set(col.key, c.col);
        }
    }
  }
  return found;
}

/** Exact grid tables: which grid column holds which Counts column. */
function columnMap(lines: Line[]): number[] | null {
  const found = headColumns(lines, true);
  if (found.size < NCOL) return null;
  const cols = COUNT_KEYS.map((k) => found.get(k)!);
  return new Set(cols).size === NCOL ? cols : null;
}

/** Counts columns with no grid column: their cells are missing from the table (cut off, never printed). */
const NO_COLUMN = -1;

/**
 * A header that names only some of the seven columns: a table cut at the page's edge (a web page printed
 * with its table wider than the paper keeps 自然人 … 其他 and loses 总计), or a header cell the reader
 * lost. The named columns are placed by their header; one left between two named neighbours a grid
 * column apart is that column; any other is NO_COLUMN, so its cells are missing rather than taken from a
 * neighbour (reading the last seven grid columns would shift every value one column over). Needs four
 * named columns in the order of the Counts, each in its own grid column.
 */
function partialColumnMap(lines: Line[]): number[] | null {
  const found = headColumns(lines, false);
  if (found.size < 4) return null;
  const cols = COUNT_KEYS.map((k) => found.get(k) ?? NO_COLUMN);
  const named = cols.filter((c) => c !== NO_COLUMN);
  if (named.some((c, i) => i > 0 && c <= named[i - 1])) return null;
  for (let i = 1; i < NCOL - 1; i++) if (cols[i] === NO_COLUMN && cols[i - 1] !== NO_COLUMN && cols[i + 1] - cols[i - 1] === 2) cols[i] = cols[i - 1] + 1;
  return cols;
}

/**
 * Without a readable header: the seven columns that hold numbers in most rows (a stray border can add an
 * empty grid column), or null when not seven do.
 */
function valueColumnsByContent(lines: Line[]): number[] | null {
  const numeric = new Map<number, number>();
  for (const l of lines) for (const c of l.cells) if (!c.spanned && c.numeric) numeric.set(c.col, (numeric.get(c.col) ?? 0) + 1);
  const most = Math.max(0, ...numeric.values());
  const cols = [...numeric.entries()].filter(([, k]) => k >= most / 2).map(([c]) => c).sort((a, b) => a - b);
  return most >= 3 && cols.length === NCOL ? cols : null;
}

/** The last seven grid columns: the guess when neither header nor content tells. */
function lastSevenColumns(lines: Line[]): number[] {
  let n = 0;
  for (const l of lines) for (const c of l.cells) n = Math.max(n, c.col + c.colSpan);
  return COUNT_KEYS.map((_, i) => n - NCOL + i);
}

function isHeaderWord(c: LineCell): boolean {
  return TABLE3_COLUMN_LABELS.some((col) => col.labels.includes(c.norm)) || /申请人情况|法人或其他组织|勾稽关系/.test(c.norm);
}

function dataLineOf(line: Line, valueCols: number[] | null, grid: boolean): DataLine | null {
  if (grid && valueCols) {
    const firstValueCol = Math.min(...valueCols.filter((c) => c !== NO_COLUMN));
    const slots = valueCols.map((col) => (col === NO_COLUMN ? undefined : line.cells.find((c) => !c.spanned && c.col <= col && col < c.col + c.colSpan && c.col >= firstValueCol)));
    const filled = slots.filter((c) => c && c.text.trim() !== '');
    if (filled.some((c) => c && !c.numeric && isHeaderWord(c))) return null;
    const labelCells = line.cells.filter((c) => c.col < firstValueCol && c.norm !== '');
    const ownCells = labelCells.filter((c) => !c.spanned);
    if (ownCells.length === 0 && filled.length === 0) return null;
    if (filled.length === 0 && !labelCells.some((c) => !c.spanned)) return null;
    // A row whose value cells hold only text and whose label is a header is a header row.
    if (filled.length > 0 && filled.every((c) => c && readCell(c.text).kind === 'text')) return null;
    const own = (ownCells.length ? ownCells : labelCells).at(-1)?.norm ?? '';
    return { line, own, labelCells, pre: [], post: [], slots };
  }
  const cells = splitNumberRuns(line.cells);
  const firstNum = cells.findIndex((c) => c.numeric);
  if (firstNum < 0) return null;
  const fields = delimitedSlots(line, cells);
  if (fields) {
    const labelCells = fields.labels.filter((c) => c.norm !== '');
    return { line, own: labelCells.at(-1)?.norm ?? '', labelCells, pre: [], post: [], slots: fields.slots };
  }
  // A dash or slash stands in a value column as a cell of its own: it keeps its kind and its x, and
  // is never label text. Before the first number it counts only inside the run of values.
  const isValue = (c: LineCell, i: number) => c.numeric || (isPlaceholder(c) && (i > firstNum || cells.slice(i, firstNum).every(isPlaceholder)));
  // Numbers that come after further label text belong to that text (e.g. "2.重复申请" is not a number).
  const labelCells = splitGroupLabels(cells.filter((c, i) => !isValue(c, i) && c.norm !== '' && (i < firstNum || !cells.slice(i).some((d) => d.numeric))));
  const numbers = cells.filter(isValue);
  // A row whose applicant cells were all left blank prints its 总计 alone; beside a label, in a
  // laid-out table, its x says which column it is. Elsewhere one number is too little to be a row.
  // Between explicit delimiters ("3.其他 | 0") the one number is a cell of the row all the same:
  // it goes to the arithmetic, and the row is not reported missing.
  const lone =
    numbers.length === 1 && line.kind === 'row' && (line.fieldPositions ? !!line.delimited && labelCells.length > 0 : numbers[0].x0 !== undefined);
  if (numbers.length < 2 && !lone) return null;
  const own = labelCells.at(-1)?.norm ?? '';
  // A number alone on its line, without a label, is only ever the cut-off part of a row.
  return { line, own, labelCells, pre: [], post: [], numbers, ...(numbers.length === 1 && labelCells.length === 0 ? { orphan: true } : {}) };
}

/**
 * A `|`-delimited row whose label is followed by exactly seven fields: the fields are the
 * columns, an empty one a blank cell. Fewer fields (cells dropped) go to the arithmetic.
 */
function delimitedSlots(line: Line, cells: LineCell[]): { labels: LineCell[]; slots: LineCell[] } | null {
  if (!line.delimited) return null;
  let last = -1;
  cells.forEach((c, i) => {
    if (c.text.trim() !== '' && !c.numeric && !isPlaceholder(c)) last = i;
  });
  const after = cells.slice(last + 1);
  if (after.length !== NCOL || last < 0) return null;
  return { labels: cells.slice(0, last + 1), slots: after };
}

/** A numbered group label (（三）不予公开 …) at the head of a cell, with the row's own label after it. */
const GROUP_HEAD = new RegExp(
  `^([（(][三四五六][)）][ \\u00a0\\u3000]*(?:${Object.values(GROUP_LABELS).map((l) => l.replace(/^（.）/, '')).join('|')}))[ \\u00a0\\u3000]+(\\S.*)$`,
  'u',
);

/**
 * A group label and the row's own label in one cell ("（三）不予公开 1.属于国家秘密"): two cells. The row's
 * label may have lost its numbering ("（三）不予公开 属于国家秘密"): the group label says where it ends.
 */
function splitGroupLabels(cells: LineCell[]): LineCell[] {
  return cells.flatMap((c) => {
    const m =
      /^(.*\S)[ \u00a0\u3000]+((?:[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]+、)\S.*)$/u.exec(c.text.trim()) ?? GROUP_HEAD.exec(c.text.trim());
    if (!m) return [c];
    return [
      { ...c, text: m[1], norm: normLabel(m[1]) },
      { ...c, text: m[2], norm: normLabel(m[2]) },
    ];
  });
}

function isPlaceholder(c: LineCell): boolean {
  const k = readCell(c.text).kind;
  return k === 'dash' || k === 'slash';
}

function lineNo(l: Line): number {
  return l.line ?? l.index;
}

/** Hand each label-only line to the nearer data line (both when equally near). */
function attachFragments(region: Line[], data: DataLine[]): void {
  const byIndex = new Map(data.map((d) => [d.line.index, d]));
  let prev: DataLine | null = null;
  const pending: Line[] = [];
  const flush = (next: DataLine | null) => {
    for (const f of pending) {
      const dPrev = prev ? lineNo(f) - lineNo(prev.line) : Infinity;
      const dNext = next ? lineNo(next.line) - lineNo(f) : Infinity;
      if (Math.min(dPrev, dNext) > 3) continue;
      // A fragment that opens with a row's numbering (（二）…) begins a label: it cannot be the tail
      // of a row whose own label is already numbered, whatever the distance.
      const opens = next && dNext <= 3 && prev && splitNumbering(f.norm).numbering !== null && splitNumbering(prev.own).numbering !== null;
      if (prev && dPrev <= dNext && !opens) prev.post.push(f);
      if (next && (dNext <= dPrev || opens)) next.pre.push(f);
    }
    pending.length = 0;
  };
  for (const line of region) {
    const d = byIndex.get(line.index);
    if (d) {
      flush(d);
      prev = d;
    } else if (line.norm.length >= 3 && !line.cells.some((c) => c.numeric)) pending.push(line);
  }
  flush(null);
}

// ---------- label scoring and alignment ----------

/** Recall-weighted F-score: a label found whole inside noisy text scores high. */
function f2(label: string, text: string): number {
  if (!text) return 0;
  const r = recall(label, text);
  if (r === 0) return 0;
  const p = recall(text, label);
  return (5 * p * r) / (4 * p + r);
}

function scoreRow(pat: RowPattern, d: DataLine): number {
  const { numbering, rest } = splitNumbering(d.own);
  const pre = d.pre.map((l) => l.norm).join('');
  const post = d.post.map((l) => l.norm).join('');
  const strip = (s: string) => splitNumbering(s).rest;
  let best = 0;
  for (const label of pat.labels) {
    best = Math.max(best, f2(label, rest));
    if (d.pre.length || d.post.length) {
      best = Math.max(best, 0.97 * f2(label, strip(pre + d.own)), 0.97 * f2(label, rest + post), 0.95 * f2(label, strip(pre + d.own + post)));
    }
  }
  const num = numbering ?? (d.own === '' && d.pre.length ? splitNumbering(d.pre[0].norm).numbering : null);
  if (num && pat.numbering) best += num.style === pat.numbering.style && num.n === pat.numbering.n ? 0.15 : -0.15;
  else if (num && !pat.numbering) best -= 0.1;
  return best;
}

/** The note of a value split off the end of its row label (lines.ts LABEL_GLUED_VALUE). */
const GLUED_NOTE = '数值紧贴行标签印出，已从标签末尾拆出作为本行第一个值';

const SKIP_ROW = 0.1;
const SKIP_LINE = 0.5;
const MATCH_COST = 0.2;

/** Order-preserving alignment of data lines to row patterns maximising label similarity. */
function alignRows(data: DataLine[], patterns: RowPattern[]): (number | null)[] {
  const m = patterns.length;
  const n = data.length;
  const W = n + 1;
  const dp = new Float64Array((m + 1) * W).fill(-Infinity);
  const from = new Int8Array((m + 1) * W);
  dp[0] = 0;
  const score = patterns.map((p) => data.map((d) => scoreRow(p, d)));
  for (let i = 0; i <= m; i++)
    for (let j = 0; j <= n; j++) {
      const cur = dp[i * W + j];
      if (cur === -Infinity) continue;
      const relax = (k: number, v: number, how: number) => {
        if (v > dp[k]) {
          dp[k] = v;
          from[k] = how;
        }
      };
      if (i < m) relax((i + 1) * W + j, cur - (patterns[i].optional ? 0 : SKIP_ROW), 1);
      if (j < n) relax(i * W + j + 1, cur - SKIP_LINE, 2);
      if (i < m && j < n && !(patterns[i].optional && score[i][j] < 0.5)) relax((i + 1) * W + j + 1, cur + score[i][j] - MATCH_COST, 3);
    }
  const lineOf: (number | null)[] = new Array(m).fill(null);
  let i = m;
  let j = n;
  while (i > 0 || j > 0) {
    const how = from[i * W + j];
    if (how === 1) i--;
    else if (how === 2) j--;
    else {
      lineOf[i - 1] = j - 1;
      i--;
      j--;
    }
  }
  return lineOf;
}

// ---------- values ----------

interface Placed {
  value: CellValue;
  cell?: LineCell;
  inferred?: string;
  derived?: number;
  /** The row's values could not be placed: the cell holds the row's raw numbers. */
  unplaced?: boolean;
}

/**
 * PDF text may split a number at its thousands ("1 259"). With too many numbers,
 * try joining neighbours where the right one is a three-digit group; keep the one
 * reading whose 总计 equals its parts, when exactly one does.
 */
function joinSplitThousands(nums: LineCell[]): LineCell[] | null {
  const extra = nums.length - NCOL;
  if (extra < 1 || extra > 2) return null;
  const readings: LineCell[][] = [];
  const rec = (i: number, acc: LineCell[], left: number) => {
    if (i === nums.length) {
      if (left === 0) readings.push(acc);
      return;
    }
    rec(i + 1, [...acc, nums[i]], left);
    const prev = acc.at(-1);
    if (left > 0 && prev && /^\d{1,3}$/.test(prev.text.trim()) && /^\d{3}$/.test(nums[i].text.trim())) {
      const merged = { ...prev, text: prev.text.trim() + nums[i].text.trim(), x1: nums[i].x1 };
      rec(i + 1, [...acc.slice(0, -1), merged], left - 1);
    }
  };
  rec(0, [], extra);
  const ok = readings.filter((r) => {
    const v = r.map((c) => readCell(c.text).value ?? 0);
    return v.slice(0, NCOL - 1).reduce((a, b) => a + b, 0) === v[NCOL - 1];
  });
  return ok.length === 1 ? ok[0] : null;
}

/** Column centres from lines that carry all seven numbers. */
function columnCentres(data: DataLine[]): number[] | null {
  const full = data.filter((d) => d.numbers?.length === NCOL && d.numbers.every((c) => c.x0 !== undefined));
  if (full.length < 2 || data.some((d) => d.line.fieldPositions)) return null;
  const columns = COUNT_KEYS.map((_, i) => full.map((d) => (d.numbers![i].x0! + (d.numbers![i].x1 ?? d.numbers![i].x0!)) / 2).sort((a, b) => a - b));
  const centres = columns.map((xs) => xs[Math.floor(xs.length / 2)]);
  // Columns line up only in a laid-out table: text joined by runs of spaces or full-width spaces
  // (web pages, flipbook text layers) puts the k-th number wherever the cells before it end.
  // Where the full rows' columns scatter, x says nothing about a short row's columns.
  const gap = Math.min(...centres.slice(1).map((c, i) => c - centres[i]));
  const spread = Math.max(...columns.map((xs) => xs[Math.floor(xs.length * 0.9)] - xs[Math.floor(xs.length * 0.1)]));
  if (!(gap > 0) || spread > 0.35 * gap) return null;
  return centres;
}

/**
 * Column centres from the header, when no two rows carry all seven numbers (a
 * legal-person column left blank throughout): the topmost header word of each
 * column above the first data line. Only geometric layouts; the arithmetic
 * cannot tell one wholly blank column from another.
 */
function headerCentres(region: Line[], data: DataLine[]): number[] | null {
  if (data.some((d) => d.line.fieldPositions || d.numbers?.some((c) => c.x0 === undefined))) return null;
  const first = Math.min(...data.map((d) => d.line.index));
  const found = new Map<string, number>();
  for (const line of region) {
    if (line.index >= first) break;
    for (const c of line.cells) {
      if (c.x0 === undefined || c.numeric) continue;
      const col = TABLE3_COLUMN_LABELS.find((k) => k.labels.includes(c.norm));
      if (col && !found.has(col.key)) found.set(col.key, (c.x0 + (c.x1 ?? c.x0)) / 2);
    }
  }
  if (found.size < NCOL) return null;
  const xs = COUNT_KEYS.map((k) => found.get(k)!);
  return xs.every((x, i) => i === 0 || x > xs[i - 1]) ? xs : null;
}

/** Nearest-centre placement when every number sits clearly in one column. */
function placeByX(numbers: LineCell[], centres: number[], reach = 0.35): number[] | null {
  const gaps = centres.slice(1).map((c, i) => c - centres[i]);
  const tolerance = reach * Math.min(...gaps);
  const positions: number[] = [];
  for (const n of numbers) {
    const x = (n.x0! + (n.x1 ?? n.x0!)) / 2;
    let best = 0;
    for (let i = 1; i < centres.length; i++) if (Math.abs(centres[i] - x) < Math.abs(centres[best] - x)) best = i;
    if (Math.abs(centres[best] - x) > tolerance) return null;
    if (positions.length && best <= positions[positions.length - 1]) return null;
    positions.push(best);
  }
  return positions;
}

const COLUMN_ZH = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];

/** Whether a row placed at `positions` adds up to its own 总计 (true when it has none to check). */
function rowTotalHolds(values: CellValue[], positions: number[]): boolean {
  const at = positions.indexOf(NCOL - 1);
  if (at < 0 || values[at].kind !== 'number') return true;
  let sum = 0;
  for (let i = 0; i < values.length; i++) if (i !== at) sum += values[i].kind === 'number' ? values[i].value ?? 0 : 0;
  return sum === values[at].value;
}

/** One cut of one number of the row into two, each way it can be cut: parts share the width by digits. */
function oneCut(nums: LineCell[], notes: string[]): { nums: LineCell[]; notes: string[] }[] {
  const out: { nums: LineCell[]; notes: string[] }[] = [];
  nums.forEach((c, i) => {
    const t = c.text.trim();
    if (!/^\d{2,}$/.test(t) || c.x0 === undefined || c.x1 === undefined) return;
    for (let k = 1; k < t.length; k++) {
      const [a, b] = [t.slice(0, k), t.slice(k)];
      if (b.length > 1 && b.startsWith('0')) continue;
      const at = c.x0 + ((c.x1 - c.x0) * k) / t.length;
      const parts = [
        { ...c, text: a, norm: a, x1: at },
        { ...c, text: b, norm: b, x0: at },
      ];
      out.push({ nums: [...nums.slice(0, i), ...parts, ...nums.slice(i + 1)], notes: [...notes, `“${t}”拆为${a}与${b}`] });
    }
  });
  return out;
}

/**
 * Two numbers printed edge to edge in narrow columns read as one (科研机构 1072 and 社会公益组织 721 as
 * "1072721": a browser's PDF of a borderless table, where even pdftotext joins them). When a row placed by x
 * misses its own 总计 (or has none in its column), the one reading with one such number cut in two (else
 * two) whose parts land in columns of their own and make the total hold is taken, and said (inferred).
 * None, or more than one: no split.
 */
function splitTouching(nums: LineCell[], centres: number[]): { nums: LineCell[]; positions: number[]; why: string } | null {
  if (nums.length >= NCOL) return null;
  const fits = (v: { nums: LineCell[]; notes: string[] }) => {
    // The nearest column is enough (the cut's x is the digits' share of the width, not where the
    // glyphs meet): the row's total decides.
    const positions = placeByX(v.nums, centres, 0.75);
    return positions?.includes(NCOL - 1) && rowTotalHolds(v.nums.map((n) => readCell(n.text)), positions) ? { ...v, positions } : null;
  };
  let level = oneCut(nums, []);
  for (let cuts = 1; cuts <= 2 && level.length; cuts++) {
    const found = new Map<string, { nums: LineCell[]; positions: number[]; notes: string[] }>();
    for (const v of level) {
      const f = v.nums.length <= NCOL ? fits(v) : null;
      if (f) found.set(f.nums.map((n) => n.text).join(' '), f);
    }
    if (found.size === 1) {
      const [f] = found.values();
      return { nums: f.nums, positions: f.positions, why: `相邻两列的数紧挨着印出，读成了一个数：${f.notes.join('，')}，使本行总计成立` };
    }
    if (found.size > 1) return null;
    level = cuts < 2 ? level.filter((v) => v.nums.length < NCOL).flatMap((v) => oneCut(v.nums, v.notes)) : [];
  }
  return null;
}

/**
 * Tab-separated text whose numbers all sit in the fields its header names: the
 * fields are the grid, so an empty field is a blank cell, not a lost one.
 * Copies that lost fields ([GX24]: six numbers shifted by a spacer) put numbers
 * outside the header's columns and keep the number-run reading.
 */
function fieldGrid(lines: Line[]): number[] | null {
  const cols = columnMap(lines);
  if (!cols) return null;
  let rows = 0;
  for (const l of lines) {
    // "1 259" in one field is PDF text pasted into a table: the number-run reading weighs its readings.
    if (l.cells.some((c) => /\d\s+\d/.test(c.text))) return null;
    const nums = l.cells.filter((c) => c.numeric && c.col >= Math.min(...cols));
    if (nums.some((c) => !cols.includes(c.col))) return null;
    if (nums.length) rows++;
  }
  return rows >= 3 ? cols : null;
}

// ---------- the steps: tokenise → anchor rows → place columns → solve sparse rows → emit cells ----------

/**
 * Step 1, tokenise: the region's lines as data lines (a label and its values) and the
 * label-only fragments around them (wrapped parts of a label). Exact grids keep their
 * grid; tab-separated text whose header names the fields is a grid too.
 */
function tokenise(region: Line[]): DataLine[] {
  const tables = new Map<number, Line[]>();
  const fielded = new Map<number, Line[]>();
  for (const l of region) {
    if (l.table === undefined) continue;
    const by = l.grid === 'exact' ? tables : l.fieldPositions ? fielded : null;
    if (by) (by.get(l.table) ?? by.set(l.table, []).get(l.table)!).push(l);
  }
  const valueCols = new Map<number, number[]>();
  // A header naming all seven, else seven columns of numbers, else the columns a partial header names
  // (a table cut at the margin), else the last seven.
  for (const [t, ls] of tables) valueCols.set(t, columnMap(ls) ?? valueColumnsByContent(ls) ?? partialColumnMap(ls) ?? lastSevenColumns(ls));
  const gridded = new Set<number>();
  for (const [t, ls] of fielded) {
    const cols = fieldGrid(ls);
    if (!cols) continue;
    valueCols.set(t, cols);
    gridded.add(t);
  }
  // A line of fewer fields than the grid (a wrapped label's first part) stays a fragment.
  const isGrid = (l: Line) =>
    l.grid === 'exact' || (l.table !== undefined && gridded.has(l.table) && l.cells.length > Math.max(...valueCols.get(l.table)!));

  const data: DataLine[] = [];
  for (const line of region) {
    const d = dataLineOf(line, line.table !== undefined ? valueCols.get(line.table) ?? null : null, isGrid(line));
    if (d) data.push(d);
  }
  const joined = joinSplitRows(data);
  const last = joined.at(-1);
  if (last && last.line.index === region.at(-1)?.index) last.atEnd = true;
  attachFragments(region.filter((l) => !isGrid(l)), joined.filter((d) => !isGrid(d.line)));
  return joined;
}

const centre = (c: LineCell) => ((c.x0 ?? 0) + (c.x1 ?? c.x0 ?? 0)) / 2;

/** Best label score of a data line against any row: below this it is a wrapped fragment, not a row. */
const FRAGMENT = 0.6;

/**
 * A laid-out row whose label wraps can print its numbers on two lines: the 总计 beside the
 * label's first line, the applicant cells beside its second ("（二）部分公开（区分处理的，只计这一情
 * … 33" / "0 11 4 1 6 11"). Two neighbouring lines are one row when their numbers together fill
 * the seven columns without sharing one, the second carries no label of its own (none, or a
 * fragment), and the row's own total holds.
 */
function joinSplitRows(data: DataLine[]): DataLine[] {
  const out: DataLine[] = [];
  for (let i = 0; i < data.length; i++) {
    const d = data[i];
    const e = data[i + 1];
    if (e && canJoin(d, e)) {
      out.push({ ...d, numbers: [...d.numbers!, ...e.numbers!].sort((a, b) => centre(a) - centre(b)), post: [...d.post, e.line] });
      i++;
    } else if (e && d.own === '' && d.labelCells.length === 0 && canJoin(e, d, true)) {
      // A number alone above its row: a page break cut the row after its first cell.
      out.push({ ...e, numbers: [...d.numbers!, ...e.numbers!].sort((a, b) => centre(a) - centre(b)) });
      i++;
    } else if (!d.orphan) out.push(d);
  }
  return out;
}

function canJoin(d: DataLine, e: DataLine, above = false): boolean {
  if (!d.numbers || !e.numbers || d.line.fieldPositions || e.line.fieldPositions) return false;
  if (d.numbers.length + e.numbers.length !== NCOL || Math.abs(lineNo(e.line) - lineNo(d.line)) > 2) return false;
  const all = [...d.numbers, ...e.numbers];
  if (all.some((c) => c.x0 === undefined)) return false;
  if (!above && e.own && TABLE3_PATTERNS.some((p) => scoreRow(p, e) >= FRAGMENT)) return false;
  const sorted = [...all].sort((a, b) => centre(a) - centre(b));
  // Interleaved, not overlapping: every number has a column of its own.
  for (let k = 1; k < sorted.length; k++) if ((sorted[k].x0 ?? 0) < (sorted[k - 1].x1 ?? 0)) return false;
  const v = sorted.map((c) => readCell(c.text).value);
  if (v.some((x) => x === null)) return false;
  return (v as number[]).slice(0, NCOL - 1).reduce((a, b) => a + b, 0) === v[NCOL - 1];
}

interface Anchored {
  data: DataLine[];
  /** Data line of each row pattern (index into data), or null. */
  lineOf: (number | null)[];
  matched: Map<string, DataLine>;
  used: Set<number>;
}

/** A whole table has most of its rows; a partial one (a page from the middle, a text cut short) keeps only rows whose labels leave no doubt. */
const MIN_ROWS = 5;
const MIN_DATA_LINES = 3;
const SURE_LABEL = 0.85;

/** Step 2, anchor rows: data lines to the official rows by label, in order. */
function anchorRows(data: DataLine[], endsText = false): Anchored | null {
  if (data.length === 0) return null;
  const lineOf = alignRows(data, TABLE3_PATTERNS);
  const whole = data.length >= MIN_DATA_LINES && lineOf.filter((j) => j !== null).length >= MIN_ROWS;
  const matched = new Map<string, DataLine>();
  const used = new Set<number>();
  TABLE3_PATTERNS.forEach((p, i) => {
    const j = lineOf[i];
    if (j === null || matched.has(p.path)) return;
    // A row short of values on the region's last line, with official rows still to come or nothing
    // after it in the text: the text was cut inside it (cells set one per line), and its missing cells
    // are not blank ones.
    if (data[j].atEnd && (p.path !== 'carriedForward' || endsText) && data[j].numbers && data[j].numbers!.length < NCOL) data[j].cut = true;
    if (!whole && (scoreRow(p, data[j]) < SURE_LABEL || !data[j].numbers?.length && !data[j].slots)) {
      lineOf[i] = null;
      return;
    }
    matched.set(p.path, data[j]);
    used.add(j);
  });
  if (matched.size === 0 || (!whole && [...matched.values()].every((d) => (d.numbers?.length ?? 0) < 2 && !d.slots))) return null;
  return { data, lineOf, matched, used };
}

interface Placing {
  placed: Map<string, Placed[]>;
  /** Rows with fewer values than columns that neither grid nor geometry placed. */
  open: Map<string, CellValue[]>;
  /** Whether the text's columns line up by x (a laid-out table), so a gap is a blank cell. */
  aligned: boolean;
}

/**
 * Step 3, place columns: by the grid where the source has one, all seven values in
 * order, or by x where the text has geometry. What is left open goes to step 4.
 */
function placeColumns(region: Line[], a: Anchored): Placing {
  const placed = new Map<string, Placed[]>();
  const open = new Map<string, CellValue[]>();
  const centres = columnCentres([...a.matched.values()]) ?? headerCentres(region, [...a.matched.values()]);
  for (const [path, d] of a.matched) {
    if (d.slots) {
      placed.set(path, d.slots.map((c) => ({ value: c ? readCell(c.text) : { value: null, kind: 'missing', raw: '' }, cell: c })));
      continue;
    }
    // Placed after the sparse rows are solved: its cells are unknown, not 0, to the equations.
    if (d.cut) continue;
    let nums = d.numbers!;
    let note: string | undefined;
    if (nums.length > NCOL) {
      const joined = joinSplitThousands(nums);
      if (joined) {
        nums = joined;
        note = `本行读到${d.numbers!.length}个数，按千位分隔合并（如“1 259”）后满足本行总计`;
      } else {
        note = `本行读到${nums.length}个数，取最后${NCOL}个`;
        nums = nums.slice(-NCOL);
      }
    }
    const values = nums.map((c) => readCell(c.text));
    if (nums.length === NCOL) {
      placed.set(path, nums.map((c, i) => ({ value: values[i], cell: c, inferred: note })));
      continue;
    }
    const byX = centres ? placeByX(nums, centres) : null;
    const split = centres && !(byX?.includes(NCOL - 1) && rowTotalHolds(values, byX)) ? splitTouching(nums, centres) : null;
    if (split) {
      const row: Placed[] = COUNT_KEYS.map(() => ({ value: { value: null, kind: 'blank', raw: '' }, inferred: split.why }));
      split.positions.forEach((pos, i) => (row[pos] = { value: readCell(split.nums[i].text), cell: split.nums[i], inferred: split.why }));
      placed.set(path, row);
      continue;
    }
    if (byX) {
      const row: Placed[] = COUNT_KEYS.map(() => ({ value: { value: null, kind: 'blank', raw: '' } }));
      byX.forEach((pos, i) => (row[pos] = { value: values[i], cell: nums[i] }));
      placed.set(path, row);
      continue;
    }
    open.set(path, values);
    placed.set(path, nums.map((c, i) => ({ value: values[i], cell: c })));
  }
  return { placed, open, aligned: centres !== null };
}

/** A row the text ends inside: its values are kept raw and placed nowhere (the cells after them are not in the source). */
function cutRow(nums: LineCell[]): Placed[] {
  const raw = nums.map((c) => c.text.trim()).join(' ');
  const why = `文本在本行中断，只读到${nums.length}个数值（${raw}），其余单元格不在来源中，未放置`;
  return COUNT_KEYS.map(() => ({ value: { value: null, kind: 'unplaced', raw }, cell: nums[0], inferred: why, unplaced: true }));
}


function isSingleOtherDisposal(matched: Map<string, DataLine>): boolean {
  return matched.has('results.otherDisposal.subtotal') && !['overdueCorrection', 'unpaidFee', 'other'].some((k) => matched.has(`results.otherDisposal.${k}`));
}

/**
 * Step 4, solve sparse rows: the open rows' placements are chosen together, against the
 * row totals and the column equations of the whole table. One reading → placed, with
 * `inferred`; several, or none → kind `unplaced` (raw kept) and a warning for the row.
 */
function solveSparseRows(a: Anchored, p: Placing, lang: 'zh' | 'en'): Finding[] {
  if (p.open.size === 0) return [];
  const input: AlignRow[] = [];
  for (const [path, row] of p.placed) {
    if (p.open.has(path)) input.push({ path, values: p.open.get(path)!.map((v) => v.value ?? 0) });
    else input.push({ path, fixed: row.map((c) => (c.value.kind === 'number' ? c.value.value : c.value.kind === 'missing' || c.value.kind === 'text' ? null : 0)) as Slots });
  }
  const single = isSingleOtherDisposal(a.matched);
  const outParts = TABLE3_ROWS.filter((r) => r.path.startsWith('results.') && r.path !== 'results.total')
    .map((r) => r.path)
    .filter((x) => (single ? !/otherDisposal\.(overdueCorrection|unpaidFee|other)$/.test(x) : x !== 'results.otherDisposal.subtotal'));
  // A row of the format that was not read leaves its equations open (it is not 0).
  const groups = ['denied', 'unableToProvide', 'notProcessed', 'otherDisposal']
    .filter((g) => a.matched.has(`results.${g}.subtotal`) && !(g === 'otherDisposal' && single))
    .map((g) => ({ total: `results.${g}.subtotal`, parts: outParts.filter((x) => x.startsWith(`results.${g}.`)) }));
  const result = align(input, {
    outParts,
    total: 'results.total',
    balance: { left: ['newReceived', 'carriedOver'], right: ['results.total', 'carriedForward'] },
    groups,
  });
  const findings: Finding[] = [];
  const settled: string[] = [];
  for (const [path, values] of p.open) {
    const cellsRead = p.placed.get(path)!;
    const unsettled = result.unsettled.get(path);
    // Text laid out by position cannot lose a cell: a column with nothing in it was printed
    // empty (blank). Tab-separated fields, and text with no positions, can lose one (missing).
    const line = a.matched.get(path)!.line;
    const geometric = p.aligned && !line.fieldPositions && cellsRead.every((c) => c.cell?.x0 !== undefined);
    const kind = geometric ? ('blank' as const) : ('missing' as const);
    if (unsettled) {
      const row = unplacedRow(values, cellsRead, unsettled, kind);
      p.placed.set(path, row);
      findings.push(unplacedFinding(path, a.matched.get(path)!, values, unsettled.fits, row, lang));
      continue;
    }
    settled.push(path);
    const pl = result.placements.get(path)!;
    const lost = pl.missing.map((c) => COLUMN_ZH[c]).join('、');
    const why = `本行只有${values.length}个数值（应为${NCOL}个），按满足本行总计与各列等式的唯一对齐放置；${geometric ? '空白列' : '缺失列'}：${lost}`;
    const row: Placed[] = COUNT_KEYS.map(() => ({ value: { value: null, kind, raw: '' }, inferred: why }));
    pl.positions.forEach((pos, i) => (row[pos] = { ...cellsRead[i], inferred: why }));
    if (!geometric) for (const c of pl.missing) if (pl.slots[c] !== null && (pl.slots[c] as number) >= 0) row[c].derived = pl.slots[c] as number;
    p.placed.set(path, row);
  }
  if (settled.length)
    findings.push({
      rule: 'P-ALIGN',
      severity: 'info',
      message:
        lang === 'en'
          ? `Table 3: ${settled.length} rows have fewer than ${NCOL} values; placed by the row totals and column equations (${result.violations === 0 ? 'all equations hold' : `${result.violations} equations still fail`}), see cells[…].inferred`
          : `表三有${settled.length}行数值少于${NCOL}个，已按总计列与各列勾稽关系推断对齐（${result.violations === 0 ? '全部等式成立' : `仍有${result.violations}个等式不成立`}），见 cells[…].inferred`,
      paths: settled.map((x) => `applications.${x}`),
    });
  return findings;
}

/**
 * A row the arithmetic does not settle. A cell that every reading still possible gives the
 * same value is that value (the value read there, or a dropped cell); the others are
 * `unplaced`, keeping the row's numbers as read.
 */
function unplacedRow(values: CellValue[], cellsRead: Placed[], u: Unsettled, dropped: 'blank' | 'missing'): Placed[] {
  const raw = values.map((v) => v.raw).join(' ');
  const ways = u.fits === 0 ? '没有' : `有${u.fits}种`;
  const why = `本行只有${values.length}个数值（${raw}），${ways}满足本行总计与各列等式的对齐，未放置`;
  const same = `本行只有${values.length}个数值（${raw}），${u.fits === 0 ? '按本行总计' : `满足本行总计与各列等式的${u.fits}种对齐`}在此列的值都相同`;
  const first = cellsRead[0]?.cell;
  return COUNT_KEYS.map((_, c): Placed => {
    // With no joint reading, a dropped cell that the row's own total alone fills is circular: dropping the
    // total always satisfies it, with the sum of whatever was read, joined numbers and all. Such a value
    // would feed the table's equations as evidence it is not, so the cell stays unplaced.
    const agreed = u.fits === 0 && u.agreed[c]?.token === undefined ? null : u.agreed[c];
    if (!agreed) return { value: { value: null, kind: 'unplaced', raw }, cell: first, inferred: why, unplaced: true };
    if (agreed.token !== undefined) return { ...cellsRead[agreed.token], inferred: same };
    const cell: Placed = { value: { value: null, kind: agreed.value === 0 ? dropped : 'missing', raw: '' }, inferred: same };
    if (cell.value.kind === 'missing') cell.derived = agreed.value;
    return cell;
  });
}

/** One warning per row not wholly placed, naming the cells left unplaced. */
function unplacedFinding(path: string, d: DataLine, values: CellValue[], fits: number, row: Placed[], lang: 'zh' | 'en'): Finding {
  const label = d.labelCells.map((c) => c.text.replace(/\s+/g, '')).join('') || path;
  const raw = values.map((v) => v.raw).join(' ');
  const open = COUNT_KEYS.filter((_, c) => row[c].unplaced);
  return {
    rule: 'P-UNPLACED',
    severity: 'warning',
    message:
      lang === 'en'
        ? `Table 3 row “${label}”: ${values.length} values (${raw}) for ${NCOL} columns, and ${fits === 0 ? 'no placement' : `${fits} placements`} fit the row total and the column equations; ${open.length < NCOL ? `${NCOL - open.length} columns that every placement gives the same value are placed, ${open.length}` : 'values'} not placed (our reading, not the report's error)`
        : `表三“${label}”行读到${values.length}个数（${raw}），应为${NCOL}列，${fits === 0 ? '没有' : `有${fits}种`}对齐满足本行总计与各列等式，${open.length < NCOL ? `各种对齐取值相同的${NCOL - open.length}列已放置，其余${open.length}列` : '数值'}未放置（属读取问题，非报告错误）`,
    paths: open.map((k) => `applications.${path}.${k}`),
  };
}

/** Step 5, emit cells: the report part and the provenance of each of its values. */
function emitCells(a: Anchored, placed: Map<string, Placed[]>): { applications: Applications; cells: Cells } {
  const { matched, data, lineOf, used } = a;
  const cells: Cells = {};
  const countsOf = (path: string): Counts => {
    const row = placed.get(path);
    const counts = {} as Record<string, number | null>;
    COUNT_KEYS.forEach((k, c) => {
      const full = `applications.${path}.${k}`;
      const p = row?.[c];
      counts[k] = p?.value.kind === 'number' ? p.value.value : null;
      const cell: Cell = p ? { raw: p.value.raw, kind: p.value.kind } : { raw: '', kind: 'missing' };
      const src = p?.cell;
      const line = row ? matched.get(path)?.line : undefined;
      if (src?.page ?? line?.page) cell.page = src?.page ?? line?.page;
      if (line?.table !== undefined) cell.table = line.table;
      if (src?.row ?? line?.row) cell.row = src?.row ?? line?.row;
      // Where it stands in the source: its grid column, or its field / cell ordinal on the line.
      if (src && !p?.unplaced) cell.col = src.col;
      if (src?.line ?? line?.line) cell.line = src?.line ?? line?.line;
      if (p?.inferred) cell.inferred = p.inferred;
      else if (src?.glued && !p?.unplaced) cell.inferred = GLUED_NOTE;
      if (p?.derived !== undefined) cell.derived = p.derived;
      if (p?.value.note) cell.note = p.value.note;
      if (p?.value.unit) cell.unit = p.value.unit;
      cells[full] = cell;
    });
    return counts as Counts;
  };

  const single = isSingleOtherDisposal(matched);
  const groupSubtotal = (g: string) => (matched.has(`results.${g}.subtotal`) ? { subtotal: countsOf(`results.${g}.subtotal`) } : {});
  const applications: Applications = {
    newReceived: countsOf('newReceived'),
    carriedOver: countsOf('carriedOver'),
    results: {
      granted: countsOf('results.granted'),
      partiallyGranted: countsOf('results.partiallyGranted'),
      denied: {
        stateSecret: countsOf('results.denied.stateSecret'),
        prohibitedByLaw: countsOf('results.denied.prohibitedByLaw'),
        safetyStability: countsOf('results.denied.safetyStability'),
        thirdPartyRights: countsOf('results.denied.thirdPartyRights'),
        internalAffairs: countsOf('results.denied.internalAffairs'),
        processInformation: countsOf('results.denied.processInformation'),
        enforcementFiles: countsOf('results.denied.enforcementFiles'),
        administrativeQuery: countsOf('results.denied.administrativeQuery'),
        ...groupSubtotal('denied'),
      },
      unableToProvide: {
        notHeld: countsOf('results.unableToProvide.notHeld'),
        needsCreation: countsOf('results.unableToProvide.needsCreation'),
        unclearAfterCorrection: countsOf('results.unableToProvide.unclearAfterCorrection'),
        ...groupSubtotal('unableToProvide'),
      },
      notProcessed: {
        complaint: countsOf('results.notProcessed.complaint'),
        duplicate: countsOf('results.notProcessed.duplicate'),
        publication: countsOf('results.notProcessed.publication'),
        excessive: countsOf('results.notProcessed.excessive'),
        confirmation: countsOf('results.notProcessed.confirmation'),
        ...groupSubtotal('notProcessed'),
      },
      otherDisposal: single
        ? { subtotal: countsOf('results.otherDisposal.subtotal') }
        : {
            overdueCorrection: countsOf('results.otherDisposal.overdueCorrection'),
            unpaidFee: countsOf('results.otherDisposal.unpaidFee'),
            other: countsOf('results.otherDisposal.other'),
            ...groupSubtotal('otherDisposal'),
          },
      total: countsOf('results.total'),
    },
    carriedForward: countsOf('carriedForward'),
  };

  // Data lines no pattern took, inside the table, are non-standard rows (§11).
  const first = Math.min(...[...used]);
  const last = Math.max(...[...used]);
  const extra = data.filter((d, j) => !used.has(j) && j > first && j < last && d.own.length >= 2);
  if (extra.length) {
    applications.extraRows = extra.map((d, i) => {
      const j = data.indexOf(d);
      const before = TABLE3_PATTERNS.filter((_, k) => lineOf[k] !== null && (lineOf[k] as number) < j).at(-1);
      const group = before?.path.split('.')[1];
      const values = {} as Record<string, number | null>;
      const nums = (d.numbers ?? d.slots?.filter((c): c is LineCell => !!c) ?? []).slice(-NCOL);
      COUNT_KEYS.forEach((k, c) => {
        const v = nums.length === NCOL ? readCell(nums[c].text) : { value: null, kind: 'missing' as const, raw: '' };
        values[k] = v.value;
        cells[`applications.extraRows.${i}.${k}`] = { raw: v.raw, kind: v.kind, ...(d.line.page ? { page: d.line.page } : {}), ...(d.line.line ? { line: d.line.line } : {}) };
      });
      const label = d.labelCells.map((c) => c.text.replace(/\s+/g, '')).join('');
      return {
        label,
        values: values as Counts,
        ...(group && ['denied', 'unableToProvide', 'notProcessed', 'otherDisposal'].includes(group) ? { group: group as 'denied' } : {}),
      };
    });
  }
  return { applications, cells };
}

/**
 * Official rows no data line took whose label stands alone in the source, between the rows
 * read before and after it: the row is there and its values were not read (all blank in a
 * laid-out text, or lost). Our failure, not the report's: kind `unplaced`, a warning, no S-05.
 */
function labelOnlyRows(region: Line[], a: Anchored, p: Placing, lang: 'zh' | 'en'): Finding[] {
  const findings: Finding[] = [];
  const dataIdx = new Set(a.data.map((d) => d.line.index));
  const official = new Set(TABLE3_ROWS.map((r) => r.path));
  const lineAt = (i: number) => (a.lineOf[i] === null ? undefined : a.data[a.lineOf[i] as number].line.index);
  // With the 2021 sub-rows read, a （六） line is their group's heading, not the 2019 row.
  TABLE3_PATTERNS.forEach((pat, i) => {
    if (!official.has(pat.path) || a.matched.has(pat.path) || p.placed.has(pat.path)) return;
    // A group's own label above its sub-rows read (（六）其他处理 over 1.… 2.… 3.…) is a heading, not a lost row.
    const group = pat.path.endsWith('.subtotal') ? pat.path.slice(0, -'subtotal'.length) : null;
    if (group && [...a.matched.keys()].some((k) => k.startsWith(group) && k !== pat.path)) return;
    const prev = Math.max(-1, ...TABLE3_PATTERNS.slice(0, i).map((_, k) => lineAt(k) ?? -1));
    const nextOf = TABLE3_PATTERNS.slice(i + 1).map((_, k) => lineAt(i + 1 + k)).find((x) => x !== undefined);
    const next = nextOf ?? Infinity;
    const hit = region.find((l) => l.index > prev && l.index < next && !dataIdx.has(l.index) && !l.cells.some((c) => c.numeric) && scoreRow(pat, { line: l, own: l.norm, labelCells: l.cells, pre: [], post: [] }) >= SURE_LABEL);
    if (!hit) return;
    const why = `行标签在来源中（第${hit.line ?? hit.index + 1}行），未读到数值`;
    p.placed.set(pat.path, COUNT_KEYS.map(() => ({ value: { value: null, kind: 'unplaced', raw: '' }, inferred: why, unplaced: true, cell: hit.cells[0] })));
    a.matched.set(pat.path, { line: hit, own: hit.norm, labelCells: hit.cells, pre: [], post: [] });
    findings.push({
      rule: 'P-UNPLACED',
      severity: 'warning',
      message:
        lang === 'en'
          ? `Table 3 row “${hit.text.trim()}” is in the source (line ${hit.line ?? '?'}) but its values were not read (our reading, not the report's error)`
          : `表三“${hit.text.trim()}”行在来源中（第${hit.line ?? '?'}行），但未读到其数值（属读取问题，非报告错误）`,
      paths: COUNT_KEYS.map((k) => `applications.${pat.path}.${k}`),
    });
  });
  return findings;
}

/** `endsText`: nothing follows the region, so even its last official row may be cut inside. */
export function readTable3(region: Line[], lang: 'zh' | 'en' = 'zh', opts: { endsText?: boolean } = {}): Table3Read | null {
  const data = tokenise(region);
  const anchored = anchorRows(data, opts.endsText === true);
  if (!anchored) return null;
  const placing = placeColumns(region, anchored);
  const findings = solveSparseRows(anchored, placing, lang);
  for (const [path, d] of anchored.matched) if (d.cut) placing.placed.set(path, cutRow(d.numbers!));
  findings.push(...labelOnlyRows(region, anchored, placing, lang));
  const { applications, cells } = emitCells(anchored, placing.placed);
  const rows = TABLE3_PATTERNS.flatMap((p, i) => (anchored.lineOf[i] !== null ? [p.path] : []));
  return {
    applications,
    cells,
    findings,
    singleOtherDisposal: isSingleOtherDisposal(anchored.matched),
    lines: data.map((d) => d.line.index),
    rows: [...new Set(rows)],
    lastLine: Math.max(...[...anchored.matched.values()].map((d) => d.line.index)),
  };
}
