import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS, fillTemplate, renderHtml, renderXlsx, sampleValues, type FillValues } from './helpers/fill-template.js';

/** Reads a report value by its dotted path. */
function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

async function allFormats(values: FillValues) {
  const inputs: [string, Uint8Array][] = [
    ['report.docx', fillTemplate(values)],
    ['report.html', renderHtml(values)],
    ['report-gbk.html', renderHtml(values, { encoding: 'gbk' })],
    ['report-gbk-declared-utf8.html', renderHtml(values, { encoding: 'gbk', declared: 'utf-8' })],
    ['report.xlsx', await renderXlsx(values, { formulas: true })],
  ];
  const out: Record<string, ParseResult> = {};
  for (const [path, bytes] of inputs) out[path] = await parseBytes(bytes, { path });
  return out;
}

/** One assertion over all formats, so a failure shows every format that differs. */
function expectSameReports(results: Awaited<ReturnType<typeof allFormats>>): void {
  const reference = results['report.docx'].report;
  const actual = Object.fromEntries(Object.entries(results).map(([path, r]) => [path, r.report]));
  const expected = Object.fromEntries(Object.keys(results).map((path) => [path, reference]));
  expect(actual).toEqual(expected);
}

describe('e2e: the same numbers as DOCX, HTML (UTF-8, GBK) and XLSX give the same report', () => {
  it('full, consistent values', async () => {
    const values = sampleValues(11);
    const results = await allFormats(values);
    const docx = results['report.docx'];
    expect(docx.report.year).toBe(2023);
    expect(docx.report.formatVersion).toBe('2021');
    for (const c of VALUE_CELLS) expect([c.path, get(docx.report, c.path)]).toEqual([c.path, Number(values[c.path])]);
    expectSameReports(results);
  });

  it('blanks, dashes and text numbers', async () => {
    const values = sampleValues(12);
    for (const c of VALUE_CELLS.filter((c) => c.path.includes('.denied.'))) values[c.path] = null;
    values['reviewLitigation.litigationAfterReview.total'] = '—';
    values['proactive.fees.amount'] = '7730.28';
    const results = await allFormats(values);
    const docx = results['report.docx'];
    expect(get(docx.report, 'applications.results.denied.stateSecret.total')).toBeNull();
    expect(get(docx.report, 'reviewLitigation.litigationAfterReview.total')).toBeNull();
    expect(get(docx.report, 'proactive.fees.amount')).toBe(7730.28);
    expectSameReports(results);
  });
});
