import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { TEMPLATE_VARIANTS, templatePdfValues } from './helpers/template-pdf.js';

/**
 * tpl2021-style layout text: `pdftotext -layout` of the LibreOffice PDFs of the filled template
 * (scripts/make-template-layout-text.ts). Wrapped labels put a row's 总计 beside the label's first
 * line and its applicant cells on the next; a page break leaves a row's first number alone on the
 * next page. Every one of the 200 values must read exactly, with no error.
 */
const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);

describe.each(TEMPLATE_VARIANTS)('template-%s as pdftotext -layout text', (variant) => {
  const file = `tests/fixtures/text/template-${variant}.layout.txt`;
  const result = parseBytes(readFileSync(file), { path: file });
  const values = templatePdfValues();

  it('reads the 200 values exactly', async () => {
    const r = await result;
    const wrong = VALUE_CELLS.filter((c) => get(r.report, c.path) !== Number(values[c.path])).map((c) => `${c.path}: ${values[c.path]} → ${String(get(r.report, c.path))}`);
    expect(wrong).toEqual([]);
  });

  it('raises no error and places nothing by guesswork', async () => {
    const r = await result;
    expect(r.findings.filter((f) => f.severity === 'error' || f.rule === 'P-UNPLACED').map((f) => f.message)).toEqual([]);
  });
});

describe('the row whose 总计 stands beside the first line of its wrapped label', () => {
  it('joins the applicant cells of the next line to it', async () => {
    const file = 'tests/fixtures/text/template-filled.layout.txt';
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/（二）部分公开（区分处理的，只计这一情 +33\n +0 +11 +4 +1 +6 +11\n/);
    const r = await parseBytes(new TextEncoder().encode(text), { path: file });
    expect(r.report.applications?.results.partiallyGranted).toEqual({ naturalPerson: 0, commercial: 11, research: 4, publicInterest: 1, legalService: 6, otherOrg: 11, total: 33 });
  });
});
