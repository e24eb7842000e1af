import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditScanned, HIGH_CONFIDENCE, valueConfidence } from '../src/audit/ocr.js';
import { trimNumber } from '../src/ingest/ocr/index.js';
import { buildGrid, clusterSegments, mergeSegments } from '../src/document/layout/rulings.js';
import type { DocumentModel, TableCell } from '../src/document/model.js';
import { sniff } from '../src/ingest/detect.js';
import { readDocument } from '../src/ingest/index.js';
import { decodeCtc } from '../src/ingest/ocr/ctc.js';
import { binarise, rotate, type Gray } from '../src/ingest/ocr/raster.js';
import { eraseRulings, findRulings } from '../src/ingest/ocr/rulings.js';
import { estimateOrientation } from '../src/ingest/ocr/skew.js';
import { pageDpi } from '../src/ingest/image.js';
import { recognize } from '../src/recognize/index.js';

/** A white page with black rectangles drawn on it. */
function page(width: number, height: number, rects: [number, number, number, number][]): Gray {
  const data = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y < y1; y++) data.fill(0, y * width + x0, y * width + x1);
  return { data, width, height };
}

describe('CTC decoding', () => {
  it('collapses repeats and blanks, keeps each character probability and its runners-up', () => {
    const dict = ['', '1', '2', '7'];
    // steps: 1 1 blank 7(0.6, 1 at 0.35) blank 2
    const rows = [
      [0.01, 0.97, 0.01, 0.01],
      [0.02, 0.96, 0.01, 0.01],
      [0.9, 0.05, 0.03, 0.02],
      [0.03, 0.35, 0.02, 0.6],
      [0.97, 0.01, 0.01, 0.01],
      [0.01, 0.01, 0.97, 0.01],
    ];
    const r = decodeCtc(Float32Array.from(rows.flat()), 0, rows.length, 4, dict);
    expect(r.text).toBe('172');
    expect(r.confidence).toBeCloseTo(0.6, 5);
    expect(r.chars[1].alts?.[0].ch).toBe('1');
    expect(r.chars[1].alts?.[0].p).toBeCloseTo(0.35, 5);
  });
});

describe('rulings from pixels', () => {
  // A 3 × 2 grid whose top row is one merged cell, 2-px lines, and a bold stroke of text inside a cell.
  const img = page(400, 300, [
    [20, 20, 380, 22], [20, 120, 380, 122], [20, 200, 380, 202], [20, 280, 380, 282],
    [20, 20, 22, 282], [378, 20, 380, 282], [200, 120, 202, 282],
    [60, 150, 90, 156],
  ]);
  it('finds the grid lines, not the text, and the grid builder merges the top row', () => {
    const found = findRulings(binarise(img), 200);
    const grid = buildGrid(clusterSegments(mergeSegments(found.map((r) => r.segment)))[0], 1)!;
    expect(grid.ncols).toBe(2);
    expect(grid.nrows).toBe(3);
    const top = grid.cells.find((c) => c.r === 0)!;
    expect(top.cs).toBe(2);
    expect(grid.cells).toHaveLength(5);
    const text = eraseRulings(binarise(img), found);
    expect(text.data[150 * 400 + 70]).toBe(1);
    expect(text.data[21 * 400 + 100]).toBe(0);
  });
});

describe('page orientation', () => {
  // Lines of "text": blobs of uneven width and spacing on level baselines, as characters and words are
  // (a regular lattice would have rows of its own at other angles).
  const rects: [number, number, number, number][] = [];
  let s = 1;
  const rand = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16) % n;
  for (let y = 100; y < 1100; y += 40) for (let x = 100 + rand(30); x < 700; x += 14 + rand(20)) rects.push([x, y + rand(3), x + 6 + rand(10), y + 16 + rand(3)]);
  const level = page(800, 1200, rects);
  it('measures a small skew and its sign', () => {
    const skewed = rotate(level, 1.5);
    const o = estimateOrientation(binarise(skewed));
    expect(o.sideways).toBe(false);
    expect(Math.abs(o.skew - 1.5)).toBeLessThan(0.15);
    const back = estimateOrientation(binarise(rotate(skewed, -o.skew)));
    expect(Math.abs(back.skew)).toBeLessThan(0.15);
  });
  it('tells a page on its side', () => {
    const side: Gray = { data: new Uint8Array(1200 * 800), width: 1200, height: 800 };
    for (let y = 0; y < 1200; y++) for (let x = 0; x < 800; x++) side.data[x * 1200 + (1199 - y)] = level.data[y * 800 + x];
    expect(estimateOrientation(binarise(side)).sideways).toBe(true);
    expect(estimateOrientation(binarise(level)).sideways).toBe(false);
  });
});

describe('image files', () => {
  it('sniffs TIFF of either byte order as an image', () => {
    expect(sniff(Uint8Array.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]))).toBe('image');
    expect(sniff(Uint8Array.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]))).toBe('image');
  });
  it('refuses a damaged image with a one-line reason', async () => {
    const truncated = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    await expect(readDocument(truncated, { path: 'bad.png' })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/^image file cannot be decoded \([^\n]*\)$/) });
  });
  it('takes the stated resolution, else sizes the page as A4', () => {
    expect(pageDpi(1654, 2339, 200)).toBe(200);
    expect(pageDpi(1240, 1754)).toBeCloseTo(150, 0);
  });
});

/** The DOCX template read as if scanned: each table cell given an OCR reading, one cell misread. */
async function scanned(misread: { path: string; text: string; alts: { ch: string; p: number }[]; p: number }) {
  const doc: DocumentModel = await readDocument(readFileSync('tests/fixtures/pdf/template-filled.docx'), { path: 'x.docx' });
  const rec0 = await recognize(doc);
  const target = rec0.cells[misread.path];
  const tables = doc.blocks.filter((b) => b.kind === 'table');
  for (const t of tables) for (const row of t.rows) for (const c of row) c.ocr = { chars: [...c.text.replace(/\s/g, '')].map((ch) => ({ ch, p: 0.999 })), confidence: 0.999 };
  const cell = tables[target.table! - 1].rows.flat().find((c: TableCell) => c.row === target.row && c.text === target.raw)!;
  cell.text = misread.text;
  cell.ocr = { chars: [...misread.text].map((ch, i) => (i === 0 ? { ch, p: misread.p, alts: misread.alts } : { ch, p: 0.999 })), confidence: misread.p };
  return auditScanned(await recognize(doc), 'zh');
}

/** The template read as if scanned, every cell surely, except the cell at `path`, which OCR found empty. */
async function scannedWithBlank(path: string) {
  const doc: DocumentModel = await readDocument(readFileSync('tests/fixtures/pdf/template-filled.docx'), { path: 'x.docx' });
  const target = (await recognize(doc)).cells[path];
  const tables = doc.blocks.filter((b) => b.kind === 'table');
  for (const t of tables) for (const row of t.rows) for (const c of row) c.ocr = { chars: [...c.text.replace(/\s/g, '')].map((ch) => ({ ch, p: 0.999 })), confidence: 0.999 };
  const cell = tables[target.table! - 1].rows.flat().find((c: TableCell) => c.row === target.row && c.text === target.raw)!;
  cell.text = '';
  delete cell.ocr;
  return auditScanned(await recognize(doc), 'zh');
}

describe('arithmetic-checked OCR reading', () => {
  const path = 'applications.newReceived.naturalPerson'; // 112 in the template
  it('takes a failing equation over a cell OCR found empty as its doubt (OCR-UNSURE), not an error about the report', async () => {
    const r = await scannedWithBlank(path);
    expect(r.cells[path].kind).toBe('blank');
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.some((f) => f.rule === 'OCR-UNSURE' && f.paths.includes(path))).toBe(true);
  });
  it('corrects a misread digit to the runner-up that makes the equations hold, and says so', async () => {
    const r = await scanned({ path, text: '712', p: 0.6, alts: [{ ch: '1', p: 0.3 }, { ch: '2', p: 0.05 }] });
    expect(r.report.applications?.newReceived.naturalPerson).toBe(112);
    expect(r.cells[path].inferred).toMatch(/712.*112/);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.find((f) => f.rule === 'OCR-CORRECTED')?.paths).toEqual([path]);
    expect(r.cells[path].confidence).toBeCloseTo(0.6, 3);
  });
  it('leaves an unsure reading as read and warns instead of blaming the report', async () => {
    const r = await scanned({ path, text: '712', p: 0.6, alts: [{ ch: '9', p: 0.3 }] });
    expect(r.report.applications?.newReceived.naturalPerson).toBe(712);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const unsure = r.findings.filter((f) => f.rule === 'OCR-UNSURE');
    expect(unsure.length).toBeGreaterThan(0);
    expect(unsure.every((f) => f.paths.includes(path) && f.severity === 'warning')).toBe(true);
  });
  it('keeps the error when every cell of the equation was read surely', async () => {
    const r = await scanned({ path, text: '121', p: HIGH_CONFIDENCE + 0.04, alts: [] });
    expect(r.report.applications?.newReceived.naturalPerson).toBe(121);
    const errors = r.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f) => f.paths.includes(path))).toBe(true);
    expect(r.findings.some((f) => f.rule === 'OCR-UNSURE' || f.rule === 'OCR-CORRECTED')).toBe(false);
  });
});

describe('confidence of a number', () => {
  it('sums the glyphs that are the same digit, and drops a stray uncertain character after a number', () => {
    const zero = { chars: [{ ch: '0', p: 0.8, alts: [{ ch: 'o', p: 0.1 }, { ch: '○', p: 0.05 }, { ch: '8', p: 0.04 }] }], confidence: 0.8 };
    expect(valueConfidence(zero, 'number')).toBeCloseTo(0.95, 5);
    expect(valueConfidence(zero, 'text')).toBeCloseTo(0.8, 5);
    const stray = trimNumber({ text: '3號', chars: [{ ch: '3', p: 0.99 }, { ch: '號', p: 0.3 }], confidence: 0.3 });
    expect(stray.text).toBe('3');
    expect(stray.confidence).toBeCloseTo(0.7, 5);
    const label = { text: '其他', chars: [{ ch: '其', p: 0.99 }, { ch: '他', p: 0.3 }], confidence: 0.3 };
    expect(trimNumber(label)).toBe(label);
  });
});
