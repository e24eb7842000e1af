/**
 * Scanned PDFs: pages without a text layer are rendered by PDFium and read by OCR, so a scan published as a
 * PDF gives the report its text-layer twin gives; a text PDF never goes near OCR.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { imagePdf } from './helpers/image-pdf.js';
import { rasterise } from './helpers/ocr-raster.js';

const PDF = 'tests/fixtures/pdf/template-filled.pdf';
const get = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
const errors = (r: ParseResult) => r.findings.filter((f) => f.severity === 'error');

describe('image-only PDF (a scan saved as PDF)', () => {
  it('reads every value of the template through OCR, with no error finding', async () => {
    const text = await parseBytes(readFileSync(PDF), { path: 'template-filled.pdf' });
    const scan = await imagePdf(rasterise(PDF, { dpi: 200, jpeg: 80 }), 200);
    const r = await parseBytes(scan, { path: 'scan.pdf' });
    expect(r.source.format).toBe('pdf');
    expect(VALUE_CELLS.map((c) => c.path).filter((p) => get(r.report, p) !== get(text.report, p))).toEqual([]);
    expect(errors(r)).toEqual([]);
    expect(VALUE_CELLS.filter((c) => typeof r.cells[c.path]?.confidence === 'number').length).toBeGreaterThan(VALUE_CELLS.length * 0.9);
  }, 300_000);

  it('a text PDF is read from its text layer: no confidence on any cell', async () => {
    const r = await parseBytes(readFileSync(PDF), { path: 'template-filled.pdf' });
    expect(Object.values(r.cells).some((c) => c.confidence !== undefined)).toBe(false);
  });
});
