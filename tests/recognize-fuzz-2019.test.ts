import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { readCell } from '../src/recognize/values.js';
import { COUNTS, DEFAULT_META, renderHtml, renderText, sampleValues, type ReportMeta, type Spec } from './helpers/fill-template.js';
import type { FuzzFormat } from './helpers/fuzz-report.js';
import { prng } from './helpers/fuzz-report.js';
import { SHAPE_FORMATS, fuzzCase2019, fuzzValues2019, score2019, substTable, tables2019, type Format2019 } from './helpers/fuzz-report-2019.js';

/**
 * Seeded variants of a consistent 2019-format report (format.md §5; tests/helpers/fuzz-report-2019.ts)
 * in every rendering. The promises: a value is exact or it says it is not (a cell of kind number is
 * the printed value unless it carries `inferred`; a printed number is never reported as an empty
 * cell), the report is read as the 2019 format, and the audit raises no error on a consistent
 * report. bench/fuzz-2019.ts runs the same on many seeds.
 */

const FORMATS: Format2019[] = ['docx', 'html', 'xlsx', 'tsv', 'layout', 'layout-display', ...SHAPE_FORMATS];
/** The renderings of the generator; the text shapes of crawled pages (pipes, cell lines, single spaces …) fewer. */
const seedsOf = (f: Format2019) => (f.startsWith('shape-') ? 4 : 10);

describe('2019 fuzz: seeded variants of a consistent 2019-format report', () => {
  for (const format of FORMATS)
    for (let seed = 1; seed <= seedsOf(format); seed++) {
      it(`${format} #${seed}`, async () => {
        const c = await fuzzCase2019(seed, format);
        const r = await parseBytes(c.bytes, { path: c.path });
        const s = score2019(c, r);
        expect({ case: c.name, notes: c.notes, format: r.report.formatVersion, wrong: s.wrong, errors: s.errors }).toEqual({
          case: c.name,
          notes: c.notes,
          format: '2019',
          wrong: [],
          errors: [],
        });
      });
    }
});

describe('the format is decided by the tables, not the year (format.md §2.1)', () => {
  for (const format of ['tsv', 'layout', 'docx'] as FuzzFormat[])
    it(`a 2021 report printed with the 2019 tables is read as 2019, with S-03 (${format})`, async () => {
      const c = await fuzzCase2019(3, format, { year: 2021 });
      const r = await parseBytes(c.bytes, { path: c.path });
      const s = score2019(c, r);
      expect(r.report.formatVersion).toBe('2019');
      expect(r.report.proactive).toHaveProperty('procurement');
      expect(r.report.applications!.results.otherDisposal).toHaveProperty('subtotal');
      expect(r.findings.filter((f) => f.rule === 'S-03').map((f) => f.severity)).toEqual(['warning']);
      expect({ wrong: s.wrong, errors: s.errors }).toEqual({ wrong: [], errors: [] });
    });

  const meta2020: ReportMeta = { ...DEFAULT_META, year: 2020 };
  it.each([
    ['tsv', () => renderText(sampleValues(5), { style: 'tsv', meta: meta2020 })],
    ['layout', () => renderText(sampleValues(5), { style: 'layout', meta: { ...meta2020, longProse: true } })],
    ['html', () => renderHtml(sampleValues(5), { meta: meta2020 })],
  ])('a 2020 report printed with the 2021 tables is read as 2021 (%s)', async (kind, render) => {
    const r = await parseBytes(render(), { path: `y2020.${kind === 'html' ? 'html' : 'txt'}` });
    expect(r.report.year).toBe(2020);
    expect(r.report.formatVersion).toBe('2021');
    expect(r.report.proactive).toHaveProperty('fees.amount', 96171.6);
    expect(r.report.applications!.results.otherDisposal).toHaveProperty('unpaidFee');
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Not "未使用最新格式": the 2021 format is later than the 2019 one its year calls for.
    expect(r.findings.filter((f) => f.rule === 'S-03').map((f) => [f.severity, f.message])).toEqual([['warning', '2020年度报告使用2021年格式，该格式晚于本年度适用的2019年格式（补发或重新发布的报告？）']]);
  });
});

/** One consistent 2019 report as text, with its tables rewritten. */
function render2019(style: 'tsv' | 'layout', edit: (tables: Spec[][][]) => Spec[][][] = (t) => t, seed = 7) {
  const { values } = fuzzValues2019(prng(seed), []);
  return { values, text: new TextDecoder().decode(renderText(values, { style, tables: edit(tables2019()), meta: { ...DEFAULT_META, year: 2019, longProse: true } })) };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('what the 2019 fuzz found, pinned', () => {
  it('the single row printed as （六）其他 is the group row, not 3.其他 (no S-05 for the 2021 sub-rows)', async () => {
    const { values, text } = render2019('tsv', ([t2, t3, t4]) => [t2, substTable(t3, [{ from: '（六）其他处理', to: '（六）其他', what: '' }]), t4]);
    expect(text).toContain('（六）其他\t');
    const r = await parseBytes(enc(text), { path: 'six.txt' });
    const want = Object.fromEntries(COUNTS.map((k) => [k, values[`applications.results.otherDisposal.subtotal.${k}`] ?? null]));
    expect(r.report.applications!.results.otherDisposal).toEqual({ subtotal: want });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reads 本年增/减 printed with a minus sign (U+2212)', async () => {
    const { text } = render2019('tsv');
    const r = await parseBytes(enc(text.replace(/(行政许可\t\d+\t)[^\t]*/, '$1\u22123')), { path: 'minus.txt' });
    expect(r.report.proactive).toHaveProperty('licensing.change', -3);
    expect(r.cells['proactive.licensing.change']).toMatchObject({ kind: 'number', raw: '\u22123' });
  });

  const wrapped = ([t2, t3, t4]: Spec[][][]) => [substTable(t2, [{ from: '其他对外管理服务事项', to: '其他对外管理\n服务事项', what: '' }]), t3, t4];
  it('reads a laid-out 其他对外管理服务事项 wrapped over two lines, numbers beside the head', async () => {
    const { values, text } = render2019('layout', wrapped);
    expect(text).toMatch(/其他对外管理 +\S+ +\S+ +\S+\n服务事项\n/);
    const r = await parseBytes(enc(text), { path: 'wrap-head.txt' });
    expect(r.report.proactive).toHaveProperty('otherServices.decisions', values['proactive.otherServices.decisions']);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('… and beside the tail', async () => {
    const { values, text } = render2019('layout', wrapped);
    // pdftotext may put the row's numbers on the label's second line instead.
    const moved = text.replace(/其他对外管理( +\S+ +\S+ +\S+)\n服务事项\n/, (_, nums: string) => `其他对外管理\n服务事项${nums.slice(4)}\n`);
    expect(moved).not.toEqual(text);
    const r = await parseBytes(enc(moved), { path: 'wrap-tail.txt' });
    expect(r.report.proactive).toHaveProperty('otherServices.decisions', values['proactive.otherServices.decisions']);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each([
    ['采购总金额（元）', '251000', 25.1, { unit: '元', unitConverted: true }],
    ['采购总金额(单位:元)', '9850.25', 0.985025, { unit: '元', unitConverted: true }],
    ['采购总金额（万元）', '160.5964', 160.5964, { unit: '万元' }],
  ])('a bare amount under the header %s is in the header unit', async (header, printed, value, cell) => {
    const { text } = render2019('tsv', ([t2, t3, t4]) => [substTable(t2, [{ from: '采购总金额', to: header, what: '' }]), t3, t4]);
    const r = await parseBytes(enc(text.replace(/(政府集中采购\t[^\t]*\t)[^\t\n]*/, `$1${printed}`)), { path: 'unit.txt' });
    expect(r.report.proactive).toHaveProperty('procurement.amount', value);
    expect(r.cells['proactive.procurement.amount']).toMatchObject({ raw: printed, ...cell });
    // The unit is printed (in the header): not T2-19-UNIT's "no unit".
    expect(r.findings.filter((f) => f.rule === 'T2-19-UNIT')).toEqual([]);
  });

  it('a bare amount under a header without a unit stays as printed, with T2-19-UNIT', async () => {
    const { text } = render2019('tsv');
    const r = await parseBytes(enc(text.replace(/(政府集中采购\t[^\t]*\t)[^\t\n]*/, '$1251000')), { path: 'bare.txt' });
    expect(r.report.proactive).toHaveProperty('procurement.amount', 251000);
    expect(r.findings.filter((f) => f.rule === 'T2-19-UNIT')).toHaveLength(1);
  });

  it.each([1, 2, 3])('cells set one per line: the 2019 table 2 (three-column heads, signed 增加3 / ＋3) is read as a table (#%i)', async (seed) => {
    const c = await fuzzCase2019(seed, 'shape-cell-lines');
    const r = await parseBytes(c.bytes, { path: c.path });
    expect(score2019(c, r).off.filter((x) => x.startsWith('proactive.'))).toEqual([]);
  });

  it('single spaces: a table 2 row with signed values and units in one cell ("行政许可 27 ＋3 0")', async () => {
    const c = await fuzzCase2019(4, 'shape-single-space');
    expect(new TextDecoder().decode(c.bytes)).toMatch(/行政许可 \S+ ＋3 \S+\n/);
    const r = await parseBytes(c.bytes, { path: c.path });
    expect(score2019(c, r).off.filter((x) => x.startsWith('proactive.'))).toEqual([]);
  });

  it.each(['属于国家秘密', '属于国发秘密'])('single spaces: "（三）不予公开 %s …" is the first 不予公开 row, not a group subtotal', async (label) => {
    const c = await fuzzCase2019(7, 'shape-single-space');
    const text = new TextDecoder().decode(c.bytes);
    const at = /\n(\(三\) |（三）)不予公开 (1\.)?属于国家秘密 /.exec(text);
    expect(at).not.toBeNull();
    const r = await parseBytes(enc(text.replace(at![0], `\n（三）不予公开 ${label} `)), { path: 'group.txt' });
    const row = 'applications.results.denied.stateSecret';
    expect(r.report.applications!.results.denied.subtotal ?? null).toBeNull();
    expect(COUNTS.map((k) => r.report.applications!.results.denied.stateSecret[k])).toEqual(COUNTS.map((k) => c.expected[`${row}.${k}`].value));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each([1, 2])('a laid-out table 2 row with a blank cell is placed under its column heads, marked inferred (column %i blank)', async (blank) => {
    const { text } = render2019('layout');
    const m = /\n(行政许可 +)(\S+)( +)(\S+)( +)(\S+)\n/.exec(text);
    expect(m).not.toBeNull();
    const fields = [m![2], m![4], m![6]];
    const printed = fields.map((f, i) => (i === blank ? ' '.repeat(f.length) : f));
    const r = await parseBytes(enc(text.replace(m![0], `\n${m![1]}${printed[0]}${m![3]}${printed[1]}${m![5]}${printed[2]}\n`)), { path: 'sparse.txt' });
    const keys = ['previousItems', 'change', 'decisions'];
    const want = fields.map((f, i) => (i === blank ? null : readCell(f, { signed: true }).value));
    expect(keys.map((k) => (r.report.proactive as unknown as Record<string, Record<string, number | null>>).licensing[k])).toEqual(want);
    expect(r.cells[`proactive.licensing.${keys[blank]}`]).toMatchObject({ kind: 'blank', inferred: expect.any(String) });
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED' && f.paths.includes('proactive.licensing.change'))).toEqual([]);
  });

  it('a row whose last cells left no trace in the text (trailing separators trimmed) has them blank, not a missing column (S-05)', async () => {
    const { text } = render2019('tsv');
    const cut = text.replace(/\n(规章|规范性文件)\t([^\t\n]*)\t([^\t\n]*)\t[^\t\n]*(?=\n)/g, '\n$1\t$2\t$3');
    expect(cut).not.toEqual(text);
    const r = await parseBytes(enc(cut), { path: 'trailing.txt' });
    for (const row of ['regulations', 'normativeDocuments'])
      expect(r.cells[`proactive.${row}.totalPublished`]).toMatchObject({ kind: 'blank', inferred: expect.any(String) });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('… but a column whose head is not printed either is missing (S-05)', async () => {
    const { text } = render2019('tsv');
    const cut = text.replace(/\n(规章|规范性文件)\t([^\t\n]*)\t([^\t\n]*)\t[^\t\n]*(?=\n)/g, '\n$1\t$2\t$3').replace(/\t对外公开总数量/, '');
    const r = await parseBytes(enc(cut), { path: 'no-column.txt' });
    expect(r.cells['proactive.regulations.totalPublished'].kind).toBe('missing');
    expect(r.findings.filter((f) => f.rule === 'S-05').map((f) => f.severity)).toEqual(['error']);
  });

  it.each([
    [7, '规章 15项 11 103'],
    [32, '行政许可 87个 -4 19'],
    [79, '行政许可 191 增加5 123'],
  ])('single spaces: values the tokenizer left in the label cell come first (#%i: %s)', async (seed, line) => {
    const c = await fuzzCase2019(seed, 'shape-single-space');
    expect(new TextDecoder().decode(c.bytes)).toContain(`\n${line}\n`);
    const r = await parseBytes(c.bytes, { path: c.path });
    expect(score2019(c, r).off.filter((x) => x.startsWith('proactive.'))).toEqual([]);
  });
});
