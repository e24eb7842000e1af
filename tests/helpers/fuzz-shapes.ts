/**
 * Seeded renderings of one consistent 2021 report as the text shapes real pages arrive in
 * (issue 8): pipes with and without leading / trailing pipes, markdown with a separator row,
 * one cell per line between lone bars, tabs mixed with pipes, full-width spaces, single spaces
 * (flipbook text layers), HTML-to-text leftovers. Each may drop the blank and zero cells of
 * some table-3 rows (sparse rows, as text extractors do) and may be cut at a random line
 * (a crawled page cut short). Every case knows, for every value cell, what it must read back
 * as, and which rows are wholly in the text.
 */
import { rng } from './batch-reports.js';
import { TABLE3_ROWS, GROUP_LABELS, type Cells, type ParseResult } from '../../src/model/index.js';
import { COUNTS, DEFAULT_META, OUTCOMES, narrative, valueText, type FillValues } from './fill-template.js';
import { fuzzValues } from './fuzz-report.js';

export const SHAPES = ['pipe-trailing', 'pipe-bare', 'pipe-md', 'bar-lines', 'tab-pipe', 'fullwidth', 'single-space', 'html-leftovers', 'cell-lines', 'tab-copy'] as const;
export type Shape = (typeof SHAPES)[number];

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const chance = (r: Rand, p: number) => r() < p;

export interface ShapeCase {
  name: string;
  shape: Shape;
  text: string;
  bytes: Uint8Array;
  /** Arithmetic truth of every value cell (blank and placeholders count 0), by report path. */
  truth: Record<string, number>;
  /** Paths of the value cells whose row is wholly in the text (before any cut). */
  present: Set<string>;
  /** Rows rendered without their blank and zero cells. */
  sparse: string[];
  /** The value cells of each sparse row as printed (what is left after the drop), by row path below `applications.`. */
  printed: Record<string, string[]>;
  /** Line (0-based) the text was cut at, when it was. */
  cut?: number;
  /** The injected error, when asked for: the path and the value printed instead of the truth. */
  injected?: { path: string; printed: number };
  notes: string[];
}

interface Row {
  cells: string[];
  /** Value paths of the row's value cells, in order (for drops and expectations). */
  paths: string[];
  /** Index of the first value cell within `cells`. */
  first: number;
  header?: boolean;
}

const T3 = TABLE3_ROWS.filter((r) => r.formats.includes('2021'));

function table2Rows(v: FillValues): Row[][] {
  const t = (s: string): Row => ({ cells: [s], paths: [], first: 1, header: true });
  const row = (label: string, paths: string[]): Row => ({ cells: [label, ...paths.map((p) => valueText(v[p]))], paths, first: 1 });
  const p = (k: string, f: string[]) => f.map((x) => `proactive.${k}.${x}`);
  const issued = ['issued', 'repealed', 'inForce'];
  return [
    [t('第二十条第（一）项'), { cells: ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'], paths: [], first: 4, header: true }, row('规章', p('regulations', issued)), row('行政规范性文件', p('normativeDocuments', issued))],
    [t('第二十条第（五）项'), { cells: ['信息内容', '本年处理决定数量'], paths: [], first: 2, header: true }, row('行政许可', p('licensing', ['decisions']))],
    [t('第二十条第（六）项'), { cells: ['信息内容', '本年处理决定数量'], paths: [], first: 2, header: true }, row('行政处罚', p('punishment', ['decisions'])), row('行政强制', p('coercion', ['decisions']))],
    [t('第二十条第（八）项'), { cells: ['信息内容', '本年收费金额（单位：万元）'], paths: [], first: 2, header: true }, row('行政事业性收费', p('fees', ['amount']))],
  ];
}

function table3Rows(v: FillValues): Row[] {
  const header: Row[] = [
    { cells: ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况'], paths: [], first: 2, header: true },
    { cells: ['自然人', '法人或其他组织', '总计'], paths: [], first: 3, header: true },
    { cells: ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'], paths: [], first: 5, header: true },
  ];
  const seen = new Set<string>();
  const rows = T3.map((r): Row => {
    const paths = COUNTS.map((k) => `applications.${r.path}.${k}`);
    const labels: string[] = [];
    if (r.path === 'results.granted') labels.push('三、本年度办理结果');
    if (r.group && !seen.has(r.group)) {
      seen.add(r.group);
      labels.push(GROUP_LABELS[r.group]);
    }
    labels.push(r.label);
    return { cells: [...labels, ...paths.map((p) => valueText(v[p]))], paths, first: labels.length };
  });
  return [...header, ...rows];
}

function table4Rows(v: FillValues): Row[] {
  const paths = ['review', 'litigationDirect', 'litigationAfterReview'].flatMap((b) => OUTCOMES.map((k) => `reviewLitigation.${b}.${k}`));
  const heads = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
  return [
    { cells: ['行政复议', '行政诉讼'], paths: [], first: 2, header: true },
    { cells: ['未经复议直接起诉', '复议后起诉'], paths: [], first: 2, header: true },
    { cells: [...heads, ...heads, ...heads], paths: [], first: 15, header: true },
    { cells: paths.map((p) => valueText(v[p])), paths, first: 0 },
  ];
}

/**
 * Shapes whose separators cannot show an empty cell (runs of spaces, lines of cells) lose it:
 * a typist of such text prints a dash there, so only the sparse rows drop cells.
 */
export const DROPS_EMPTY: ReadonlySet<Shape> = new Set(['bar-lines', 'fullwidth', 'single-space']);

/** One row as the lines of a shape. `width` pads markdown rows to a table's width. */
export function renderRow(shape: Shape, cells: string[], width: number): string[] {
  switch (shape) {
    case 'pipe-trailing':
      return [`${cells.join(' | ')} |`];
    case 'pipe-bare':
      return [cells.length === 1 ? `${cells[0]} |` : cells.join(' | ')];
    case 'pipe-md':
      return [`| ${[...cells, ...new Array(Math.max(0, width - cells.length)).fill('')].join(' | ')} |`];
    case 'bar-lines':
      return cells.flatMap((c) => [c === '' ? ' ' : c, '|']).slice(0, -1);
    case 'tab-pipe':
      return [cells.join('\t|\t') + (cells.length === 1 ? '\t|' : '')];
    case 'fullwidth':
      return [cells.join('\u3000')];
    case 'single-space':
      return [cells.join(' ')];
    case 'cell-lines':
      // LibreOffice's and web tools' "save as text": a cell a line, nothing between, a blank cell an empty line.
      return cells;
    case 'tab-copy':
      // A browser's copied page: tabs between cells, a blank cell a no-break space.
      return [cells.map((c) => (c === '' ? '\u00a0' : c)).join('\t')];
    case 'html-leftovers':
      return [cells.map((c) => (c === '' ? '&nbsp;' : c)).join('&nbsp;&nbsp;&nbsp;') + '<br>'];
  }
}

export interface ShapeOptions {
  /** Inject one wrong table-3 value (a cell of a row printed whole, before any cut). */
  inject?: boolean;
}

const META = { ...DEFAULT_META, longProse: true };

export function shapeCase(seed: number, shape: Shape, opts: ShapeOptions = {}): ShapeCase {
  const r = rng(seed * 104729 + SHAPES.indexOf(shape) * 7 + 1);
  const notes: string[] = [];
  const values = fuzzValues(r, notes);
  const truth: Record<string, number> = {};
  for (const [p, v] of Object.entries(values)) truth[p] = typeof v === 'number' ? v : typeof v === 'string' && /^[\d,.]+$/.test(v) ? Number(v.replace(/,/g, '')) : 0;

  // Sparse rows: text tools drop a row's blank cells (some typists leave zeros out as well); the 总计 stays.
  const sparse = new Set<string>();
  if (chance(r, 0.4))
    for (const row of T3) if (chance(r, 0.3)) sparse.add(row.path);
  if (shape === 'pipe-md') sparse.clear();
  if (sparse.size) notes.push(`sparse ${[...sparse].join(',')}`);
  const dropZero = chance(r, 0.5);

  let injected: ShapeCase['injected'];
  const printed: Record<string, string[]> = {};
  const n = narrative(META);
  const lines: string[] = [n.title, ''];
  const rowLines = new Map<string, { range: [number, number]; paths: string[] }>();
  /** A row's cells as this shape prints them: padded (markdown), sparse (cells dropped), dashes for empties. */
  const shapeCells = (row: Row): string[] => {
    let cells = row.cells;
    // A markdown table has one width: the label columns are padded in front of the values.
    if (shape === 'pipe-md' && row.paths.length === COUNTS.length && row.first < 2) cells = [...new Array(2 - row.first).fill(''), ...cells];
    const rowPath = row.paths[0]?.slice(0, row.paths[0].lastIndexOf('.'));
    const first = cells.length - row.paths.length;
    const sparseRow = rowPath ? rowPath.replace(/^applications\./, '') : '';
    if (sparse.has(sparseRow)) cells = cells.filter((c, i) => i < first || i === cells.length - 1 || !(c === '' || (dropZero && c === '0')));
    if (DROPS_EMPTY.has(shape)) cells = cells.map((c, i) => (c === '' && i >= first ? '—' : c));
    if (sparse.has(sparseRow)) printed[sparseRow] ??= cells.slice(first).filter((c) => c !== '');
    return cells;
  };
  const emit = (rows: Row[]) => {
    const width = Math.max(...rows.map((x) => x.cells.length));
    rows.forEach((row, k) => {
      const rowPath = row.paths[0]?.slice(0, row.paths[0].lastIndexOf('.'));
      const start = lines.length;
      lines.push(...renderRow(shape, shapeCells(row), width));
      if (shape === 'pipe-md' && k === 0) lines.push(`|${new Array(width).fill('---').join('|')}|`);
      if (rowPath) rowLines.set(rowPath, { range: [start, lines.length - 1], paths: row.paths });
    });
  };
  n.sections.forEach((s, i) => {
    lines.push(s.heading, s.text, '');
    if (i === 1) for (const block of table2Rows(values)) emit(block), lines.push('');
    if (i === 2) emit(table3Rows(values)), lines.push('');
    if (i === 3) emit(table4Rows(values)), lines.push('');
  });
  lines.push(...n.signature);

  // The cut: anywhere from table 2 to the end of table 4.
  let cut: number | undefined;
  if (chance(r, 0.35)) {
    const from = lines.findIndex((l) => l.includes('第二十条'));
    const to = Math.max(...[...rowLines.values()].map((x) => x.range[1]));
    cut = from + int(r, to - from + 1);
    notes.push(`cut at line ${cut}`);
  }
  const present = new Set<string>();
  for (const { range, paths } of rowLines.values()) if (cut === undefined || range[1] < cut) for (const p of paths) present.add(p);

  // Injected into a row printed whole: a row that lost cells is placed by its own total, which the error breaks.
  const whole = (p: string) => {
    const row = p.slice(0, p.lastIndexOf('.'));
    return !sparse.has(row.slice(13)) && (shape !== 'html-leftovers' || COUNTS.every((k) => valueText(values[`${row}.${k}`]) !== ''));
  };
  const candidates = opts.inject ? [...present].filter((p) => p.startsWith('applications.') && whole(p) && typeof values[p] === 'number') : [];
  if (candidates.length) {
        const path = pick(r, candidates);
    const printed = (values[path] as number) + 1 + int(r, 5);
    injected = { path, printed };
    const [a, b] = rowLines.get(path.slice(0, path.lastIndexOf('.')))!.range;
    const col = COUNTS.indexOf(path.slice(path.lastIndexOf('.') + 1) as (typeof COUNTS)[number]);
    // Re-render the row with the one value changed.
    const rows = table3Rows({ ...values, [path]: printed });
    const row = rows.find((x) => x.paths.includes(path))!;
    const width = Math.max(...rows.map((x) => x.cells.length));
    const redone = renderRow(shape, shapeCells(row), width);
    if (redone.length === b - a + 1) lines.splice(a, redone.length, ...redone);
    notes.push(`injected ${path}: ${values[path]} → ${printed} (col ${col})`);
  }

  const text = (cut === undefined ? lines : lines.slice(0, cut)).join('\n') + '\n';
  return {
    name: `#${seed} ${shape}`,
    shape,
    text,
    bytes: new TextEncoder().encode(text),
    truth,
    present,
    sparse: [...sparse],
    printed,
    ...(cut !== undefined ? { cut } : {}),
    ...(injected ? { injected } : {}),
    notes,
  };
}

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** What the arithmetic sees in a cell: its number, its derived value, 0 for a placeholder, else nothing. */
function arithmetic(report: unknown, cells: Cells, path: string): number | null {
  const v = get(report, path);
  if (typeof v === 'number') return v;
  const c = cells[path];
  if (!c) return null;
  if (c.derived !== undefined) return c.derived;
  if (c.kind === 'blank' || c.kind === 'dash' || c.kind === 'slash') return 0;
  return null;
}

export interface ShapeScore {
  cells: number;
  placed: number;
  wrong: string[];
  errors: string[];
  /** For injected cases: whether an error finding names the injected cell. */
  caught?: boolean;
  located?: boolean;
}

/** The fuzz contract: every present value exact or not placed, never wrong; nothing read beyond a cut. */
export function scoreShape(c: ShapeCase, r: ParseResult): ShapeScore {
  const out: ShapeScore = { cells: 0, placed: 0, wrong: [], errors: [] };
  for (const [path, want] of Object.entries(c.truth)) {
    const got = arithmetic(r.report, r.cells, path);
    const expected = c.injected?.path === path ? c.injected.printed : want;
    if (c.present.has(path)) {
      out.cells++;
      if (got === expected) out.placed++;
      else if (got !== null) out.wrong.push(`${path}: ${expected} → ${got} (${r.cells[path]?.kind})`);
    } else if (got !== null && got !== expected) out.wrong.push(`${path} (beyond the cut): ${expected} → ${got}`);
  }
  const errors = r.findings.filter((f) => f.severity === 'error');
  out.errors = errors.map((f) => `${f.rule}: ${f.message}`);
  if (c.injected) {
    out.caught = errors.length > 0;
    out.located = errors.some((f) => f.paths.includes(c.injected!.path));
  }
  return out;
}
