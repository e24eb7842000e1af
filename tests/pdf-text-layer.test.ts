import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEXT_LAYER_P } from '../src/ingest/pdf/pdfium.js';
import { parseBytes } from '../src/parse.js';
import { INJECTED } from './helpers/ocr-raster.js';
import { invisibleTextLayer } from './helpers/text-layer.js';

/**
 * A searchable scan: the page is an image and the text an invisible layer (render mode 3) another program's
 * OCR laid over it. Its numbers are that program's reading, of a certainty nobody gave: read as OCR whose
 * confidence is unknown, so that a failed equation is a warning about the reading, not the source's error.
 */
const TEMPLATE = new Uint8Array(readFileSync('tests/fixtures/ocr/template-injected.pdf'));
const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o);

describe('a PDF whose text is an invisible layer over a scan', () => {
  it('reads the same values as the visible text, each cell at TEXT_LAYER_P', async () => {
    const plain = await parseBytes(TEMPLATE, { path: 'visible.pdf' });
    const layered = await parseBytes(invisibleTextLayer(TEMPLATE), { path: 'layer.pdf' });
    expect(layered.report).toEqual(plain.report);
    expect(plain.cells[INJECTED.path].confidence).toBeUndefined();
    expect(layered.cells[INJECTED.path].confidence).toBe(TEXT_LAYER_P);
    expect(get(layered.report, INJECTED.path)).toBe(INJECTED.printed);
  });

  it('turns the equations that fail on it into warnings (maybe that OCR\'s misreading), not errors', async () => {
    const plain = await parseBytes(TEMPLATE, { path: 'visible.pdf' });
    expect(plain.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toContain('T3-BAL');
    const layered = await parseBytes(invisibleTextLayer(TEMPLATE), { path: 'layer.pdf' });
    expect(layered.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(layered.findings.filter((f) => f.rule === 'OCR-UNSURE').length).toBeGreaterThan(0);
  });
});
