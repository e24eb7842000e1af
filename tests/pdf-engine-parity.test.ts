import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { read } from '../src/ingest/pdf.js';
import { FILES, HOSTILE, SYNTHETIC, documentOf, outcome } from './helpers/pdf-parity.js';

/**
 * PDFium held to what pdfjs read: tests/fixtures/pdf/pdfjs-parity.json was recorded with the pdfjs engine
 * (pdfjs-dist 5.6.205, by scripts/record-pdfjs-parity.ts of commit 28c2572, before pdfjs was removed) on every PDF fixture — samples, template and fuzz
 * PDFs — and on synthetic pages (CJK through cMaps, rulings stroked and filled, white rules, a rotated
 * page, a form XObject under a matrix, vertical writing, letter and word spacing, TJ gutters, Word's
 * scaled text matrix, encryption, damage). The reports must match in report, findings and cells (value,
 * kind, page, table, row, col of each), the synthetic pages in the whole document model.
 */
const RECORDED = JSON.parse(readFileSync('tests/fixtures/pdf/pdfjs-parity.json', 'utf8')) as Record<string, unknown>;

/** The one known difference: through a vertical CMap pdfjs gave punctuation's vertical presentation forms (︑ for 、), PDFium gives the character. */
const foldVerticalForms = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/[\uFE10-\uFE19\uFE30-\uFE48]/g, (c) => c.normalize('NFKC')));

describe('PDFium reads what pdfjs read', () => {
  it('has a recording for every fixture', () => {
    expect(FILES.filter((f) => f.startsWith('samples/')).length).toBeGreaterThanOrEqual(2);
    expect(FILES.filter((f) => f.includes('fixtures/pdf/')).length).toBeGreaterThanOrEqual(5);
    expect([...FILES, ...SYNTHETIC.map(([name]) => `synthetic: ${name}`)].filter((k) => !(k in RECORDED))).toEqual([]);
  });

  it.each(FILES)('%s', async (file) => {
    expect(await outcome(readFileSync(file))).toEqual(RECORDED[file]);
  }, 60_000);

  it.each(SYNTHETIC)('synthetic: %s', async (name, bytes) => {
    const want = foldVerticalForms(RECORDED[`synthetic: ${name}`]);
    expect(await documentOf(bytes)).toEqual(want);
    if (!['user password', 'truncated', 'garbage', 'empty', 'no text'].includes(name)) expect(JSON.stringify(want)).toMatch(/政府信息公开|全市共受理|项目/);
  });
});

describe('hostile PDFs (pdfjs hung on one and left an unhandled rejection on another)', () => {
  it.each(HOSTILE)('%s ends cleanly', async (file) => {
    const got = (await outcome(readFileSync(file))) as { error?: string };
    if (file.endsWith('pdf-count-negative.pdf')) {
      // Its one page reads despite /Count -1 (pdfjs and poppler gave up): not a report, but read.
      expect(got).toEqual({ error: 'not-report' });
      const doc = await read(readFileSync(file), {});
      expect(doc.blocks).toEqual([{ kind: 'paragraph', text: '2024 annual report', page: 1 }]);
    } else if (file.endsWith('pdf-1m-q-flate.pdf')) {
      expect(got).toEqual({ error: 'no-text' });
    } else {
      expect(got.error === undefined || ['corrupt', 'no-text', 'not-report'].includes(got.error)).toBe(true);
    }
  }, 60_000);
});
