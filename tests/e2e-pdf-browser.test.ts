import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { hasChromium, launchBrowser, type Browser } from './helpers/browser.js';
import { fuzzCase, mismatches } from './helpers/fuzz-report.js';

/**
 * Reports printed to PDF by a browser (Chromium's Skia PDF backend), as a portal's "print this page" or a
 * clerk's "save as PDF" makes them: border sides filled as mitred trapezoids, each cell's text an object of
 * its own, a table wider than the paper cut at the margin. Rendered here from the seeded HTML reports.
 */
let browser: Browser;

async function printed(seed: number, css: string): Promise<{ c: Awaited<ReturnType<typeof fuzzCase>>; pdf: Uint8Array }> {
  const c = await fuzzCase(seed, 'html');
  const page = await browser.context.newPage();
  try {
    const html = new TextDecoder().decode(c.bytes).replace(/<head>/i, `<head><style>${css}</style>`);
    await page.setContent(html, { waitUntil: 'load' });
    return { c, pdf: new Uint8Array(await page.pdf({ format: 'Letter' })) };
  } finally {
    await page.close();
  }
}

describe.runIf(hasChromium)('PDFs printed by a browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([1, 3, 6])('a ruled table reads back exactly, seed %i', async (seed) => {
    const { c, pdf } = await printed(seed, '');
    const r = await parseBytes(pdf, { path: `print-${seed}.pdf` });
    expect({ notes: c.notes, wrong: mismatches(c, r) }).toEqual({ notes: c.notes, wrong: [] });
  });

  it('a table cut at the margin (wider than the paper): the columns it shows read exactly, the cut ones are missing', async () => {
    // A4 with 20 mm margins at 12 pt: 总计 falls beyond the margin, 其他 is half on the paper.
    const { c, pdf } = await printed(1, '@page{size:A4;margin:20mm} body{font-size:12pt}');
    const r = await parseBytes(pdf, { path: 'cut.pdf' });
    const wrong = mismatches(c, r).filter((m) => !m.startsWith('error S-05'));
    expect(wrong.length).toBeGreaterThan(20);
    // Nothing read wrong: 总计 cells missing, 其他 cells that reach the margin unplaced (they may be cut).
    expect(wrong.filter((m) => !/^applications\.[\w.]+\.(total: .* → null\/missing|otherOrg: .* → null\/unplaced)$/.test(m))).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual(['表三（收到和处理政府信息公开申请情况）缺少列：总计']);
  });

  it('a number the margin cut (1122 printed as 112) is never read as a number', async () => {
    const { c, pdf } = await printed(48, '@page{size:A4;margin:20mm} body{font-size:12pt}');
    expect(c.expected['applications.newReceived.otherOrg'].value).toBe(1122);
    const r = await parseBytes(pdf, { path: 'cut-48.pdf' });
    expect(r.cells['applications.newReceived.otherOrg']).toMatchObject({ kind: 'unplaced', raw: '112…', note: 'cut off at the page edge: digits may be lost' });
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['S-05']);
  });

  const COLS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'otherOrg', 'total'];
  const BORDERLESS = 'table,tr,td,th{border:none!important} table{border:0!important}';
  /** Each cell of a table-3 row as [column, value]; placeholders and blanks are null. */
  const row = (report: unknown, path: string) => COLS.map((k) => [k, (path + '.' + k).split('.').reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], report) ?? null]);
  const want = (c: Awaited<ReturnType<typeof fuzzCase>>, path: string) => COLS.map((k) => [k, c.expected[`${path}.${k}`].value]);

  it('two numbers printed edge to edge in narrow borderless columns are split by the row total, and say so', async () => {
    const { c, pdf } = await printed(7, BORDERLESS);
    const r = await parseBytes(pdf, { path: 'borderless.pdf' });
    expect(row(r.report, 'applications.newReceived')).toEqual(want(c, 'applications.newReceived'));
    expect(r.cells['applications.newReceived.research'].inferred).toMatch(/“1072721”拆为1072与721/);
    // "——1": 科研机构's placeholder against 社会公益组织's 1.
    expect(row(r.report, 'applications.results.notProcessed.duplicate')).toEqual(want(c, 'applications.results.notProcessed.duplicate'));
  });

  it('table 4 with its heads wrapped in narrow columns (结果 / 维持) is printed: read or unplaced, never S-04', async () => {
    const { pdf } = await printed(9, BORDERLESS);
    const r = await parseBytes(pdf, { path: 'borderless-9.pdf' });
    expect(r.findings.filter((f) => f.rule === 'S-04')).toEqual([]);
    expect(r.report.reviewLitigation).not.toBeNull();
  });

  it('two touching pairs in one row are both split, when that is the one reading the row total allows', async () => {
    // Headers in small type, so the heads stay on their columns while the numbers touch.
    const { c, pdf } = await printed(12, `${BORDERLESS} td{font-size:10pt} td[colspan],td[rowspan]{font-size:5pt}`);
    const r = await parseBytes(pdf, { path: 'borderless-12.pdf' });
    expect(row(r.report, 'applications.newReceived')).toEqual(want(c, 'applications.newReceived'));
    expect(r.cells['applications.newReceived.naturalPerson'].inferred).toMatch(/“1367372”拆为1367与372，“11907492”拆为11907与492/);
  });

  it('a short label set flush right (予以公开) does not take the next row\'s wrapped label, nor lend it its values', async () => {
    const { c, pdf } = await printed(24, 'table{width:100%} table,tr,td,th{border:none!important} table{border:0!important} td{text-align:right;padding:0 6px}');
    const r = await parseBytes(pdf, { path: 'borderless-wide-24.pdf' });
    expect(row(r.report, 'applications.results.partiallyGranted')).toEqual(want(c, 'applications.results.partiallyGranted'));
    expect(row(r.report, 'applications.results.granted')).toEqual(want(c, 'applications.results.granted'));
  });

  it('a first value printed against the end of its long label ("…公开申请5") is that row\'s value, marked inferred, not a blank', async () => {
    const { c, pdf } = await printed(48, BORDERLESS);
    const r = await parseBytes(pdf, { path: 'borderless-48.pdf' });
    const path = 'applications.results.otherDisposal.overdueCorrection';
    expect(row(r.report, path)).toEqual(want(c, path));
    expect(r.cells[`${path}.naturalPerson`].inferred).toMatch(/紧贴行标签/);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('numbers joined across columns that no reading settles give warnings about our reading, never errors', async () => {
    const { pdf } = await printed(23, BORDERLESS);
    const r = await parseBytes(pdf, { path: 'borderless-23.pdf' });
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
    expect(r.findings.some((f) => f.rule === 'T3-BAL' && f.severity === 'warning' && f.message.includes('按推断读取'))).toBe(true);
  });

  it('a number and the next column\'s placeholder printed close ("1 —") are two cells', async () => {
    const { c, pdf } = await printed(9, 'table{width:100%} table,tr,td,th{border:none!important} table{border:0!important} td{text-align:right;padding:0 6px}');
    const r = await parseBytes(pdf, { path: 'borderless-wide.pdf' });
    expect(row(r.report, 'applications.carriedForward')).toEqual(want(c, 'applications.carriedForward'));
    expect(r.cells['applications.carriedForward.otherOrg'].kind).toBe('dash');
  });
});
