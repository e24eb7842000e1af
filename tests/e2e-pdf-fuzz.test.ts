import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Table } from '../src/document/model.js';
import { read } from '../src/ingest/pdf.js';
import { parseBytes } from '../src/parse.js';
import type { Expected } from './helpers/fuzz-report.js';
import { makePdf, type PdfPage, type PdfText } from './helpers/make-pdf.js';

/**
 * Recognizer fuzz variants (tests/helpers/fuzz-report.ts) as LibreOffice PDFs (scripts/make-fuzz-pdfs.ts;
 * the PDF and the generator's expected values committed side by side): each must read back all 200 values
 * with their kinds, a page on every value, and no error. Each fixture is one where a page break falls
 * between the lines of a number too wide for its column (`cut` in the JSON).
 */
interface Fixture {
  case: string;
  notes: string[];
  cut: string[];
  expected: Record<string, Expected>;
}

const FIXTURES = ['fuzz-docx-23', 'fuzz-docx-113-s3800'];

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe.each(FIXTURES)('%s.pdf', (name) => {
  const fx = JSON.parse(readFileSync(`tests/fixtures/pdf/${name}.json`, 'utf8')) as Fixture;
  const result = parseBytes(readFileSync(`tests/fixtures/pdf/${name}.pdf`), { path: `${name}.pdf` });

  it('reads back every value and kind, with a page on each and no error', async () => {
    const r = await result;
    expect(r.source.format).toBe('pdf');
    expect(Object.keys(fx.expected)).toHaveLength(200);
    const wrong = Object.entries(fx.expected).flatMap(([path, want]) => {
      const got = { value: get(r.report, path) ?? null, kind: r.cells[path]?.kind };
      return got.value === want.value && got.kind === want.kind ? [] : [`${path}: ${JSON.stringify(want)} → ${JSON.stringify(got)}`];
    });
    expect({ case: fx.case, notes: fx.notes, wrong }).toEqual({ case: fx.case, notes: fx.notes, wrong: [] });
    expect(Object.keys(fx.expected).filter((p) => typeof r.cells[p]?.page !== 'number')).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('joins the numbers the page break cut, in their own row', async () => {
    const r = await result;
    expect(fx.cut.length).toBeGreaterThan(0);
    for (const path of fx.cut) expect([path, get(r.report, path)]).toEqual([path, fx.expected[path].value]);
    expect(get(r.report, 'applications.extraRows')).toBeUndefined();
  });
});

// ---------- the stitching rule on synthetic pages ----------

const cjk = (x: number, y: number, text: string): PdfText => ({ x, y, text, size: 10, font: 'cjk' });

/** A fully ruled grid (LibreOffice rules the top of a continuation too): xs left→right, ys top→bottom in PDF y. */
function grid(xs: number[], ys: number[], texts: string[][]): Pick<PdfPage, 'lines' | 'texts'> {
  const lines: [number, number, number, number][] = ys.map((y) => [xs[0], y, xs[xs.length - 1], y]);
  for (const x of xs) lines.push([x, ys[0], x, ys[ys.length - 1]]);
  const out = texts.flatMap((row, r) => row.flatMap((t, c) => (t ? [cjk(xs[c] + 2, ys[r + 1] + 5, t)] : [])));
  return { lines, texts: out };
}

async function tableText(top: string[], bottom: string[], xs: number[]): Promise<string[][]> {
  const header = ['项目', '自然人', '总计'];
  const p1 = grid(xs, [200, 180, 160], [header, top]);
  const p2 = grid(xs, [800, 780, 760], [bottom, ['四、结转下年度', '1', '1']]);
  const doc = await read(makePdf([p1, p2]), {});
  const tables = doc.blocks.filter((b): b is Table => b.kind === 'table');
  expect(tables).toHaveLength(1);
  return tables[0].rows.map((r) => r.map((c) => c.text));
}

describe('a page break between the lines of a wrapped number', () => {
  it('joins the tails below the break to the row above when the label is whole above and the numbers fill their column', async () => {
    const rows = await tableText(['保护第三方合法权益', '7857', '7861'], ['', '6', '3'], [72, 250, 274, 298]);
    expect(rows).toEqual([['项目', '自然人', '总计'], ['保护第三方合法权益', '7857\n6', '7861\n3'], ['四、结转下年度', '1', '1']]);
  });

  it('joins a row cut after its item number ("2." / its label below), the numbers\' tails below too', async () => {
    // LibreOffice in 30 pt columns wraps 54993 as 54 / 993, the page break after the first line.
    const rows = await tableText(['2.', '54', '4'], ['没有现成信息', '993', ''], [72, 250, 280, 310]);
    expect(rows).toEqual([['项目', '自然人', '总计'], ['2.\n没有现成信息', '54\n993', '4'], ['四、结转下年度', '1', '1']]);
  });

  it('joins a table-2 row whose 增/减 cell wrapped between its word and its number, or a number and its unit', async () => {
    expect(await tableText(['其他', '6', '增加'], ['对外管理服务事项', '', '5'], [72, 250, 330, 410])).toEqual([
      ['项目', '自然人', '总计'],
      ['其他\n对外管理服务事项', '6', '增加\n5'],
      ['四、结转下年度', '1', '1'],
    ]);
    expect(await tableText(['其他', '7', '+3'], ['对外管理服务事项', '', '项'], [72, 250, 330, 410])).toEqual([
      ['项目', '自然人', '总计'],
      ['其他\n对外管理服务事项', '7', '+3\n项'],
      ['四、结转下年度', '1', '1'],
    ]);
  });

  it('keeps an unlabelled row of its own when the numbers above are short in wide columns (nothing wrapped)', async () => {
    const rows = await tableText(['保护第三方合法权益', '5', '5'], ['', '6', '3'], [72, 250, 330, 410]);
    expect(rows).toEqual([['项目', '自然人', '总计'], ['保护第三方合法权益', '5', '5'], ['', '6', '3'], ['四、结转下年度', '1', '1']]);
  });
});
