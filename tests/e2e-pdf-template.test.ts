import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { TEMPLATE_VARIANTS, templatePdfValues } from './helpers/template-pdf.js';

/**
 * The official template filled with known numbers, as DOCX and as the PDF LibreOffice made of it
 * (scripts/make-template-pdfs.ts; both committed): the PDF must give the DOCX's report exactly.
 */
function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

const parse = (file: string): Promise<ParseResult> => parseBytes(readFileSync(`tests/fixtures/pdf/${file}`), { path: file });

describe.each(TEMPLATE_VARIANTS)('template-%s: PDF and DOCX', (variant) => {
  const both = Promise.all([parse(`template-${variant}.docx`), parse(`template-${variant}.pdf`)]);
  const values = templatePdfValues();

  it('the DOCX holds the 200 known values (the reference is right)', async () => {
    const [docx] = await both;
    expect(docx.source.format).toBe('docx');
    for (const c of VALUE_CELLS) expect([c.path, get(docx.report, c.path)]).toEqual([c.path, Number(values[c.path])]);
  });

  it('the PDF gives the same report, with a page for every value and no error', async () => {
    const [docx, pdf] = await both;
    expect(pdf.source.format).toBe('pdf');
    expect(pdf.report).toEqual(docx.report);
    const noPage = VALUE_CELLS.filter((c) => typeof pdf.cells[c.path]?.page !== 'number').map((c) => c.path);
    expect(noPage).toEqual([]);
    expect(pdf.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

describe('template-row-split', () => {
  it('really has table 3 across a page break, the cut row read as one', async () => {
    const pdf = await parse('template-row-split.pdf');
    const page = (path: string) => pdf.cells[path]?.page ?? 0;
    expect(page('applications.results.otherDisposal.other.total')).toBe(page('applications.newReceived.total') + 1);
    expect(get(pdf.report, 'applications.extraRows')).toBeUndefined();
  });
});
