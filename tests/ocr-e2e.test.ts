/**
 * Scans made at test time from committed PDFs (tests/helpers/ocr-raster.ts), read through the OCR path:
 * the image adapter on a PNG and a multi-page TIFF, and the whole pipeline on the filled template (the
 * DOCX it was made from is the reference), on a degraded scan of it, and on one with an error of its own.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { degrade, INJECTED, multiPageTiff, pageImages, parseImages, rasterise } from './helpers/ocr-raster.js';

const PDF = 'tests/fixtures/pdf/template-filled.pdf';
const get = (obj: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
const docx = parseBytes(readFileSync('tests/fixtures/pdf/template-filled.docx'), { path: 'template-filled.docx' });
const wrongValues = (a: ParseResult, b: ParseResult) => VALUE_CELLS.map((c) => c.path).filter((p) => get(a.report, p) !== get(b.report, p));
const errors = (r: ParseResult) => r.findings.filter((f) => f.severity === 'error');
const T = 240_000;

describe('scanned template, 200 dpi JPEG quality 80', () => {
  it('reads the report the DOCX gives, every value with its confidence, and no error', async () => {
    const { result } = await parseImages(await pageImages(rasterise(PDF, { dpi: 200, jpeg: 80 }), 200));
    const ref = await docx;
    expect(wrongValues(ref, result)).toEqual([]);
    expect(result.report).toEqual(ref.report);
    expect(errors(result)).toEqual([]);
    const read = VALUE_CELLS.filter((c) => typeof result.cells[c.path]?.confidence === 'number');
    expect(read.length).toBeGreaterThan(VALUE_CELLS.length * 0.9);
  }, T);
});

describe('image files', () => {
  it('reads a PNG of one page', async () => {
    const [png] = rasterise(PDF, { dpi: 150, first: 2, last: 2 });
    const r = await parseBytes(png, { path: 'page2.png' });
    expect(r.source.format).toBe('image');
    expect(r.source.pages).toBe(1);
    const ref = await docx;
    expect(r.report.applications?.newReceived).toEqual(ref.report.applications?.newReceived);
  }, T);

  it('turns a page scanned on its side (and so upside down once turned) the right way up', async () => {
    const [png] = rasterise(PDF, { dpi: 150, first: 2, last: 2 });
    const turned = new Uint8Array(await sharp(png).rotate(90).png().toBuffer());
    const { result, ocr } = await parseImages(await pageImages([turned], 150));
    expect(ocr.info[0].quarterTurns).toBe(3);
    const ref = await docx;
    expect(result.report.applications?.newReceived).toEqual(ref.report.applications?.newReceived);
  }, T);

  it('reads a multi-page TIFF, degraded as a scan (150 dpi, 0.5° skew, blur, speckles): every value, no error', async () => {
    const pages = await Promise.all(rasterise(PDF, { dpi: 150 }).map((p, i) => degrade(p, { skew: 0.5, blur: 0.6, noise: 0.002, seed: i + 1 })));
    const r = await parseBytes(await multiPageTiff(pages, 150), { path: 'scan.tiff' });
    expect(r.source.pages).toBe(4);
    const ref = await docx;
    expect(wrongValues(ref, r)).toEqual([]);
    expect(errors(r)).toEqual([]);
  }, T);
});

describe('scanned template with an error of its own', () => {
  it('still reports the transposed digits, at that cell, as read', async () => {
    const { result } = await parseImages(await pageImages(rasterise('tests/fixtures/ocr/template-injected.pdf', { dpi: 200, jpeg: 80 }), 200));
    expect(get(result.report, INJECTED.path)).toBe(INJECTED.printed);
    expect(result.cells[INJECTED.path].inferred).toBeUndefined();
    const errs = errors(result);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.every((f) => f.paths.includes(INJECTED.path))).toBe(true);
    expect(result.findings.filter((f) => f.rule === 'OCR-CORRECTED')).toEqual([]);
  }, T);
});

describe('real sample scanned at 200 dpi (hongze)', () => {
  it('reads every value of the answer key and finds the source\'s own errors (T4-REV, T4-AFT)', async () => {
    const key = JSON.parse(readFileSync('tests/fixtures/expected/hongze-quzhengfu-2023.expected.json', 'utf8')) as { values: Record<string, unknown> };
    const { result } = await parseImages(await pageImages(rasterise('samples/hongze-quzhengfu-2023.pdf', { dpi: 200, jpeg: 80 }), 200));
    const paths = Object.keys(key.values);
    expect(paths.length).toBeGreaterThan(150);
    expect(paths.filter((p) => get(result.report, p) !== key.values[p])).toEqual([]);
    const rules = errors(result).map((f) => f.rule).sort();
    expect(rules).toEqual(['T4-AFT', 'T4-REV']);
  }, T);
});

describe('real sample scanned at 200 dpi (huaian)', () => {
  it('reads every value of the answer key with no error finding', async () => {
    const key = JSON.parse(readFileSync('tests/fixtures/expected/huaian-shizhengfu-2024.expected.json', 'utf8')) as { values: Record<string, unknown> };
    const { result } = await parseImages(await pageImages(rasterise('samples/huaian-shizhengfu-2024.pdf', { dpi: 200, jpeg: 80 }), 200));
    const paths = Object.keys(key.values);
    expect(paths.length).toBeGreaterThan(150);
    expect(paths.filter((p) => get(result.report, p) !== key.values[p])).toEqual([]);
    expect(errors(result)).toEqual([]);
  }, T);
});
