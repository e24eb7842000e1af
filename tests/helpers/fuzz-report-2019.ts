/**
 * Seeded variants of one consistent 2019-format report (国办公开办函〔2019〕60号, format.md §5): table 2
 * with its 22 cells (本年新制作数量 …, 上一年项目数量 / 本年增/减 / 处理决定数量, 采购项目数量 / 采购总金额),
 * table 3 with the single （六）其他处理 row, table 4 as 2021. The same approach as fuzz-report.ts (whose
 * values, label variants, noise and text/HTML renderings it reuses): every value cell knows what it
 * must read back as, and the numbers are consistent, so the audit must raise no error.
 */
import type { ParseResult } from '../../src/model/index.js';
import {
  COUNTS,
  DEFAULT_META,
  NOT_PROCESSED,
  DENIED,
  TABLE4,
  UNABLE,
  counts,
  group,
  minimalDocx,
  narrative,
  placed,
  renderXlsx,
  t,
  vals,
  valueCellsOf,
  valueText,
  type FillValues,
  type ReportMeta,
  type Spec,
  type ValueCell,
} from './fill-template.js';
import {
  esc,
  fuzzValues,
  get,
  htmlCase,
  labelVariants,
  noiseOf,
  prng,
  replaceAll,
  textCase,
  type Expected,
  type FuzzCase,
  type FuzzFormat,
  type Noise,
  type Subst,
} from './fuzz-report.js';
import { DROPS_EMPTY, SHAPES, renderRow, type Shape } from './fuzz-shapes.js';

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const chance = (r: Rand, p: number) => r() < p;

// ------------------------------------------------------------------ tables

const PUBLISHED = ['newlyMade', 'newlyPublished', 'totalPublished'];
const ITEMS = ['previousItems', 'change', 'decisions'];

/**
 * Table 2 of 2019 on a four-column grid. The (八) and (九) blocks have two value columns; real tables
 * either widen the last cell over the fourth column or leave an empty one, so both shapes occur.
 */
function table2(wideLast: boolean): Spec[][] {
  const two = (a: string, b: string): Spec[] => (wideLast ? [t(a), t(b, 1, 2)] : [t(a), t(b), t('')]);
  const twoValues = (prefix: string, keys: [string, string]): Spec[] =>
    wideLast ? [{ v: `${prefix}.${keys[0]}` }, { v: `${prefix}.${keys[1]}`, cs: 2 }] : [...vals(prefix, keys), t('')];
  const itemsHead = [t('信息内容'), t('上一年项目数量'), t('本年增/减'), t('处理决定数量')];
  return [
    [t('第二十条第（一）项', 1, 4)],
    [t('信息内容'), t('本年新\n制作数量'), t('本年新\n公开数量'), t('对外公开\n总数量')],
    [t('规章'), ...vals('proactive.regulations', PUBLISHED)],
    [t('规范性文件'), ...vals('proactive.normativeDocuments', PUBLISHED)],
    [t('第二十条第（五）项', 1, 4)],
    itemsHead,
    [t('行政许可'), ...vals('proactive.licensing', ITEMS)],
    [t('其他对外管理服务事项'), ...vals('proactive.otherServices', ITEMS)],
    [t('第二十条第（六）项', 1, 4)],
    itemsHead,
    [t('行政处罚'), ...vals('proactive.punishment', ITEMS)],
    [t('行政强制'), ...vals('proactive.coercion', ITEMS)],
    [t('第二十条第（八）项', 1, 4)],
    [t('信息内容'), ...two('上一年项目数量', '本年增/减')],
    [t('行政事业性收费'), ...twoValues('proactive.fees', ['previousItems', 'change'])],
    [t('第二十条第（九）项', 1, 4)],
    [t('信息内容'), ...two('采购项目数量', '采购总金额')],
    [t('政府集中采购'), ...twoValues('proactive.procurement', ['projects', 'amount'])],
  ];
}

/** Table 3 of 2019: 23 rows, （六）其他处理 one row like （七）总计; 三、本年度办理结果 spans 20 rows. */
const TABLE3_2019: Spec[][] = [
  [t('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3), t('申请人情况', 1, 7)],
  [t('自然人', 2), t('法人或其他组织', 1, 5), t('总计', 2)],
  [t('商业\n企业'), t('科研\n机构'), t('社会公益组织'), t('法律服务机构'), t('其他')],
  [t('一、本年新收政府信息公开申请数量', 1, 3), ...counts('newReceived')],
  [t('二、上年结转政府信息公开申请数量', 1, 3), ...counts('carriedOver')],
  [t('三、本年度办理结果', 20), t('（一）予以公开', 1, 2), ...counts('results.granted')],
  [t('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1, 2), ...counts('results.partiallyGranted')],
  ...group('denied', '（三）不予公开', DENIED),
  ...group('unableToProvide', '（四）无法提供', UNABLE),
  ...group('notProcessed', '（五）不予处理', NOT_PROCESSED),
  [t('（六）其他处理', 1, 2), ...counts('results.otherDisposal.subtotal')],
  [t('（七）总计', 1, 2), ...counts('results.total')],
  [t('四、结转下年度继续办理', 1, 3), ...counts('carriedForward')],
];

export function tables2019(wideLast = true, firstBlockLast = false): Spec[][][] {
  const t2 = table2(wideLast);
  // Blocks out of order, (一) after (八) [R] (format.md §8.3).
  return [firstBlockLast ? [...t2.slice(4, 15), ...t2.slice(0, 4), ...t2.slice(15)] : t2, TABLE3_2019, TABLE4];
}

/** The 198 value cells of the 2019 tables (22 + 161 + 15). */
export const VALUE_CELLS_2019: ValueCell[] = valueCellsOf(tables2019());

// ------------------------------------------------------------------ values

const OTHER_2021 = ['overdueCorrection', 'unpaidFee', 'other'].map((k) => `applications.results.otherDisposal.${k}`);
const isPlaceholder = (v: FillValues[string]) => typeof v === 'string' && /^[—/－-]+$/.test(v);

/** A signed 本年增/减 as real tables print it: "+3", "-2", "－2", "−2" (Word's minus sign), "减少2", "增加3", or a bare "3". */
function signed(n: number, style: string): string {
  if (n === 0) return '0';
  if (style === 'words') return n > 0 ? `增加${n}` : `减少${-n}`;
  if (style === 'fullwidth') return n > 0 ? `＋${n}` : `－${-n}`;
  if (style === 'minus') return n > 0 ? `+${n}` : `\u2212${-n}`;
  if (style === 'bare' && n > 0) return String(n);
  return n > 0 ? `+${n}` : `-${-n}`;
}

/** 采购总金额 as printed: in 元 with the unit, in 万元 with the unit, or a bare number. */
export interface Amount {
  printed: string;
  /** The amount in 元 as digits, for a header that names the unit instead of the cell. */
  yuan: string;
  /** The value in 万元 (format.md §5.1), or the bare number when no unit is printed. */
  value: number;
  unit: '元' | '万元' | null;
}

/** Moves the decimal point of a decimal string four places left: 元 → 万元, exactly. */
export function yuanToWan(digits: string): number {
  const [i, f = ''] = digits.split('.');
  const padded = i.padStart(5, '0');
  return Number(`${padded.slice(0, -4)}.${padded.slice(-4)}${f}`);
}

function amount(r: Rand, notes: string[]): Amount {
  const yuan = pick(r, ['251000', '0', '1234567', '86400.5', '3000000', '9850.25', '160596']);
  const style = pick(r, ['yuan', 'yuan', 'wan', 'bare', 'separators']);
  notes.push(`procurement amount ${style}`);
  if (style === 'yuan') return { printed: `${yuan}元`, yuan, value: yuanToWan(yuan), unit: '元' };
  if (style === 'separators') {
    const [i, f] = yuan.split('.');
    return { printed: `${i.replace(/\B(?=(\d{3})+$)/g, ',')}${f ? `.${f}` : ''}元`, yuan, value: yuanToWan(yuan), unit: '元' };
  }
  const wan = pick(r, ['160.5964', '25.1', '0', '12.5', '300', '0.98']);
  return style === 'wan' ? { printed: `${wan}万元`, yuan, value: Number(wan), unit: '万元' } : { printed: wan, yuan, value: Number(wan), unit: null };
}

export interface Values2019 {
  values: FillValues;
  amount: Amount;
  /** Expected readings where the printed text is not the value itself (signed changes, amounts). */
  special: Record<string, Expected>;
}

/**
 * Table 3 and 4 numbers from the 2021 generator, the three （六） rows summed into the one 2019 row;
 * table 2 drawn here. Placeholders stand only for zeros, so every identity holds with them read as 0.
 */
export function fuzzValues2019(r: Rand, notes: string[]): Values2019 {
  const v = fuzzValues(r, notes);
  for (const k of Object.keys(v)) if (k.startsWith('proactive.')) delete v[k];
  const special: Record<string, Expected> = {};

  for (const k of COUNTS) {
    const parts = OTHER_2021.map((p) => v[`${p}.${k}`]);
    const path = `applications.results.otherDisposal.subtotal.${k}`;
    if (parts.every((x) => x === null || x === undefined)) v[path] = null;
    else {
      const sum = parts.reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0);
      const ph = parts.find(isPlaceholder);
      v[path] = sum === 0 && ph !== undefined && k !== 'total' ? ph : sum;
    }
    for (const p of OTHER_2021) delete v[`${p}.${k}`];
  }
  // As in the 2021 generator: a row printing its 总计 alone is not told from a page number in laid-out text.
  const sub = 'applications.results.otherDisposal.subtotal';
  if (COUNTS.slice(0, 6).every((k) => v[`${sub}.${k}`] === null)) v[`${sub}.naturalPerson`] = v[`${sub}.total`];

  const placeholder = chance(r, 0.3) ? pick(r, ['—', '/', '-', '——']) : null;
  const zeroHeavy = chance(r, 0.3);
  const large = chance(r, 0.3);
  const signStyle = pick(r, ['plus', 'plus', 'bare', 'fullwidth', 'words', 'minus']);
  // Counts typed with their unit ("30件", "8个", "+3项"), and zeros not typed at all.
  const unit = chance(r, 0.15) ? pick(r, ['件', '个', '项', '条']) : null;
  const blankZeros = chance(r, 0.15);
  if (placeholder) notes.push(`table 2 placeholder ${placeholder}`);
  if (unit) notes.push(`table 2 counts with unit ${unit}`);
  if (blankZeros) notes.push('table 2 zeros left blank');
  notes.push(`change ${signStyle}`);
  const count = () => (zeroHeavy && chance(r, 0.6) ? 0 : large && chance(r, 0.2) ? 10000 + int(r, 990000) : int(r, 200));
  const put = (path: string, n: number, printed: string = String(n)) => {
    if (n === 0 && placeholder && chance(r, 0.5)) v[path] = placeholder;
    else if (n === 0 && blankZeros && chance(r, 0.5)) v[path] = null;
    else if (unit && chance(r, 0.5)) {
      v[path] = `${printed}${unit}`;
      special[path] = { value: n, kind: 'number' };
    } else {
      v[path] = printed === String(n) ? n : printed;
      if (printed !== String(n)) special[path] = { value: n, kind: 'number' };
    }
  };

  for (const row of ['regulations', 'normativeDocuments']) {
    // 本年新制作 ≥ 本年新公开 is not a rule; 本年新公开 ≤ 对外公开总数量 is (T2-19-PUB, a warning): kept.
    const published = count();
    put(`proactive.${row}.newlyMade`, published + (chance(r, 0.5) ? int(r, 5) : 0));
    put(`proactive.${row}.newlyPublished`, published);
    put(`proactive.${row}.totalPublished`, published + (chance(r, 0.7) ? int(r, 400) : 0));
  }
  for (const row of ['licensing', 'otherServices', 'punishment', 'coercion', 'fees']) {
    const previous = count();
    // previousItems + change ≥ 0 (T2-19-ITEMS).
    const change = zeroHeavy && chance(r, 0.5) ? 0 : int(r, 12) - Math.min(previous, 5);
    put(`proactive.${row}.previousItems`, previous);
    put(`proactive.${row}.change`, change, signed(change, signStyle));
    if (row !== 'fees') put(`proactive.${row}.decisions`, count());
  }
  if (large && chance(r, 0.4)) {
    v['proactive.punishment.decisions'] = '3,985,758';
    special['proactive.punishment.decisions'] = { value: 3985758, kind: 'number' };
    notes.push('thousands separators');
  }
  put('proactive.procurement.projects', count());
  const a = amount(r, notes);
  v['proactive.procurement.amount'] = a.printed;
  special['proactive.procurement.amount'] = { value: a.value, kind: 'number' };
  return { values: v, amount: a, special };
}

// ------------------------------------------------------------------ label variants

/** Table 2 label variants of real 2019 tables (format.md §8.2), applied to the table's cell texts. */
export function table2Variants(r: Rand): Subst[] {
  const all: (() => Subst[])[] = [
    () => [{ from: '规范性文件', to: '行政规范性文件', what: '行政规范性文件 in a 2019 table' }],
    () => [{ from: '本年增/减', to: pick(r, ['本年增／减', '本年增(减)', '本年增减', '增/减', '本年增/减(+/-)']), what: '本年增/减 header' }],
    () => [{ from: '处理决定数量', to: pick(r, ['本年处理决定数量', '处理决定\n数量']), what: '处理决定数量 header' }],
    () => [{ from: '本年新\n制作数量', to: '本年新制作数量', what: 'header on one line' }],
    () => [{ from: '第二十条第（', to: pick(r, ['第二十条第(', '第二十条 第（']), what: 'caption variant' }],
    () => [{ from: '采购总金额', to: pick(r, ['采购总金额（万元）', '采购总金额(万元)', '采购总金额（元）', '采购总金额(单位:元)']), what: 'amount header with a unit' }],
    () => [{ from: '其他对外管理服务事项', to: '其他对外管理\n服务事项', what: 'wrapped 其他对外管理服务事项' }],
  ];
  const out: Subst[] = [];
  for (const make of all) if (chance(r, 0.3)) out.push(...make());
  return out;
}

export const substTable = (table: Spec[][], subs: Subst[]): Spec[][] =>
  table.map((row) => row.map((c) => (c.t === undefined ? c : { ...c, t: replaceAll(c.t, subs) })));

/**
 * A header that names the unit (采购总金额（万元）, 采购总金额（元）) is followed by bare amounts in that
 * unit. The spec is silent on it; a user expects the header's unit applied, 元 converted to 万元 as a
 * unit in the cell would be (format.md §5.1).
 */
function amountUnderHeader(subs: Subst[], a: Amount, values: FillValues, special: Record<string, Expected>, notes: string[]): void {
  const header = subs.find((x) => x.from === '采购总金额')?.to;
  if (!header) return;
  const wan = header.includes('万元');
  const m = /^([\d.]+)万元$/.exec(a.printed);
  if (wan && m) values['proactive.procurement.amount'] = m[1];
  else if (!wan) values['proactive.procurement.amount'] = a.yuan;
  else return;
  special['proactive.procurement.amount'] = { value: wan ? Number(m![1]) : yuanToWan(a.yuan), kind: 'number' };
  notes.push(`amount bare under the header ${header}`);
}

// ------------------------------------------------------------------ DOCX

/** Word XML for a table given as a grid of specs: gridSpan across, vMerge down, as Word writes them. */
function docxTable(table: Spec[][], values: FillValues): string {
  const grid = placed(table);
  const width = Math.max(...grid.flatMap((row) => row.map((c) => c.col + c.cs)));
  const para = (s: string) => `<w:p><w:r><w:t xml:space="preserve">${esc(s)}</w:t></w:r></w:p>`;
  const rows = grid.map((row, r) => {
    const tcs: string[] = [];
    for (let col = 0; col < width; ) {
      const here = row.find((c) => c.col === col);
      const above = grid.slice(0, r).flat().find((c) => c.col === col && c.row < r && c.row + c.rs > r);
      const cell = here ?? above;
      if (!cell) {
        tcs.push(`<w:tc>${para('')}</w:tc>`);
        col++;
        continue;
      }
      const span = cell.cs > 1 ? `<w:gridSpan w:val="${cell.cs}"/>` : '';
      const merge = cell.rs > 1 ? (here ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>') : '';
      const text = !here ? '' : cell.v !== undefined ? valueText(values[cell.v]) : cell.t!;
      const body = text.split('\n').map(para).join('');
      tcs.push(`<w:tc><w:tcPr>${span}${merge}</w:tcPr>${body}</w:tc>`);
      col += cell.cs;
    }
    return `<w:tr>${tcs.join('')}</w:tr>`;
  });
  const cols = Array.from({ length: width }, () => '<w:gridCol w:w="600"/>').join('');
  return `<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single"/><w:left w:val="single"/><w:bottom w:val="single"/><w:right w:val="single"/><w:insideH w:val="single"/><w:insideV w:val="single"/></w:tblBorders></w:tblPr><w:tblGrid>${cols}</w:tblGrid>${rows.join('')}</w:tbl>`;
}

function docxCase2019(values: FillValues, tables: Spec[][][], noise: Noise, meta: ReportMeta): Uint8Array {
  const n = narrative(meta);
  const p = (s: string) => `<w:p><w:r><w:t xml:space="preserve">${esc(s)}</w:t></w:r></w:p>`;
  const body = [p(n.title)];
  n.sections.forEach((s, i) => {
    body.push(p(s.heading), p(s.text));
    if (i >= 1 && i <= 3) {
      if (noise.intro) body.push(p(noise.intro));
      body.push(docxTable(tables[i - 1], values));
    }
  });
  body.push(...n.signature.map(p));
  return minimalDocx(body.join(''));
}

// ------------------------------------------------------------------ text shapes

/** The renderings of the generator, and the text shapes of crawled pages (fuzz-shapes.ts) as `shape-…`. */
export type Format2019 = FuzzFormat | `shape-${Shape}`;
export const SHAPE_FORMATS: Format2019[] = SHAPES.map((s) => `shape-${s}` as const);

/**
 * The tables as a text export prints them: a line (or lines) per grid row, the cells that begin in
 * that row in order (a rowspan's label only in its first row), in one of the shapes of crawled pages.
 * Shapes that cannot show an empty cell get the dash a typist puts there.
 */
function shapeText(shape: Shape, values: FillValues, tables: Spec[][][], noise: Noise, meta: ReportMeta): string {
  const n = narrative(meta);
  const lines: string[] = [n.title, ''];
  if (DROPS_EMPTY.has(shape)) for (const c of valueCellsOf(tables)) if (valueText(values[c.path]) === '') values[c.path] = '—';
  n.sections.forEach((s, i) => {
    lines.push(s.heading, s.text, '');
    if (i < 1 || i > 3) return;
    if (noise.intro) lines.push(noise.intro);
    const grid = placed(tables[i - 1]);
    const width = Math.max(...grid.flatMap((row) => row.map((c) => c.col + c.cs)));
    const text = (c: Spec) => (c.v !== undefined ? valueText(values[c.v]) : c.t!.replace(/\n/g, ''));
    grid.forEach((row, k) => {
      let cells: string[];
      if (shape === 'pipe-md') {
        // A markdown table is a grid: every column a field, merged cells empty after their first.
        cells = new Array<string>(width).fill('');
        for (const c of row) cells[c.col] = text(c);
      } else {
        cells = row.map(text);
        // A filler cell of the grid (an empty fourth column) prints nothing in a text export.
        while (cells.length > 1 && cells.at(-1) === '' && row.at(-1)!.v === undefined) cells.pop();
      }
      lines.push(...renderRow(shape, cells, width));
      if (shape === 'pipe-md' && k === 0) lines.push(`|${new Array(width).fill('---').join('|')}|`);
    });
    lines.push('');
  });
  lines.push(...n.signature);
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ cases

export interface FuzzCase2019 extends Omit<FuzzCase, 'format'> {
  format: Format2019;
  year: number;
}

export interface CaseOptions {
  /** The report's statistical year (default 2019 or 2020 by seed); 2021+ prints 2019 tables late (S-03). */
  year?: number;
}

export async function fuzzCase2019(seed: number, format: Format2019, opts: CaseOptions = {}): Promise<FuzzCase2019> {
  // Each format its own draws (the 2021 generator's docx, html and xlsx share them by name length).
  const salt = [...format].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 2019);
  const r = prng((seed * 104729 + salt) >>> 0);
  const notes: string[] = [];
  const year = opts.year ?? pick(r, [2019, 2020]);
  const meta: ReportMeta = { ...DEFAULT_META, year, longProse: true };
  const { values, amount: a, special } = fuzzValues2019(r, notes);
  const t2subs = table2Variants(r);
  // The single （六） row printed as "（六）其他" (S-10), before the 2021 generator's variants of its label.
  const t3subs = [...(chance(r, 0.15) ? [{ from: '（六）其他处理', to: '（六）其他', what: '（六）其他' }] : []), ...labelVariants(r)];
  const noise = noiseOf(r);
  amountUnderHeader(t2subs, a, values, special, notes);
  const wideLast = chance(r, 0.5);
  const firstBlockLast = chance(r, 0.15);
  if (firstBlockLast) notes.push('table 2 block (一) after (八)');
  const [t2, t3, t4] = tables2019(wideLast, firstBlockLast);
  const tables = [substTable(t2, t2subs), substTable(t3, t3subs), t4];
  if (!wideLast) notes.push('table 2 (八)(九) with an empty fourth column');
  notes.push(...new Set([...t2subs, ...t3subs].map((x) => x.what)));
  if (noise.intro) notes.push(`intro ${noise.intro}`);
  let bytes: Uint8Array;
  let ext: string;
  switch (format) {
    case 'docx':
      bytes = docxCase2019(values, tables, noise, meta);
      ext = 'docx';
      break;
    case 'html':
      if (noise.blankLine) notes.push('blank spacer row');
      bytes = htmlCase(values, [], noise, { tables, meta });
      ext = 'html';
      break;
    case 'xlsx': {
      const numbersAsText = chance(r, 0.5);
      // A typist enters -2 and 251000 as numbers; the sheet then keeps no "+" and no unit.
      if (!numbersAsText)
        for (const [k, x] of Object.entries(values)) if (typeof x === 'string' && /^[+-]?\d+(\.\d+)?$/.test(x)) values[k] = Number(x);
      bytes = await renderXlsx(values, { meta, tables, numbersAsText });
      ext = 'xlsx';
      break;
    }
    case 'tsv':
      bytes = textCase(values, 'tsv', 'char', [], noise, r, notes, { tables, meta });
      ext = 'txt';
      break;
    case 'layout':
    case 'layout-display':
      bytes = textCase(values, 'layout', format === 'layout' ? 'char' : 'display', [], noise, r, notes, { tables, meta });
      ext = 'txt';
      break;
    default:
      bytes = new TextEncoder().encode(shapeText(format.slice('shape-'.length) as Shape, values, tables, noise, meta));
      ext = 'txt';
  }
  const expected = Object.fromEntries(VALUE_CELLS_2019.map((c) => [c.path, special[c.path] ?? expectedOf(values[c.path])]));
  return { name: `#${seed} ${format} (2019 tables, ${year})`, format, bytes, path: `fuzz19-${seed}.${ext}`, expected, notes, year };
}

function expectedOf(v: FillValues[string]): Expected {
  if (v === null || v === undefined || v === '') return { value: null, kind: 'blank' };
  if (typeof v === 'number') return { value: v, kind: 'number' };
  if (/^[—－-]+$/.test(v)) return { value: null, kind: 'dash' };
  if (/^[/／]$/.test(v)) return { value: null, kind: 'slash' };
  if (/^\d+$/.test(v)) return { value: Number(v), kind: 'number' };
  throw new Error(`no expectation for printed value ${v}`);
}

// ------------------------------------------------------------------ scoring

export interface Score {
  /** Every cell read back with its value and kind. */
  exact: boolean;
  /** Cells that differ in value or kind (including honest misses: not read, inferred). */
  off: string[];
  /** Wrong values presented as read: kind number, not the printed value, no `inferred`; or a printed number reported as an empty cell. */
  wrong: string[];
  /** Error findings (a consistent report has none). */
  errors: string[];
}

const EMPTY_KINDS = new Set(['blank', 'dash', 'slash']);

export function score2019(c: Pick<FuzzCase, 'expected'>, r: ParseResult): Score {
  const off: string[] = [];
  const wrong: string[] = [];
  for (const [path, want] of Object.entries(c.expected)) {
    const raw = get(r.report, path);
    const value = raw === undefined ? null : raw;
    const cell = r.cells[path];
    const line = `${path}: ${want.value}/${want.kind} → ${String(value)}/${cell?.kind}${cell?.inferred ? ' (inferred)' : ''} raw ${JSON.stringify(cell?.raw)}`;
    if (value !== want.value || cell?.kind !== want.kind) off.push(line);
    const claimsNumber = cell?.kind === 'number' && !cell.inferred && value !== want.value;
    // "The source cell was blank" about a printed number is a wrong reading too.
    const claimsEmpty = cell !== undefined && EMPTY_KINDS.has(cell.kind) && want.kind === 'number' && !cell.inferred;
    if (claimsNumber || claimsEmpty) wrong.push(line);
  }
  const errors = r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`);
  return { exact: off.length === 0, off, wrong, errors };
}
