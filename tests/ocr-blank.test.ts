import { describe, expect, it, vi } from 'vitest';
import type { PageImage } from '../src/document/image.js';

// The engine (onnxruntime and the models, ~300 MB) must not be loaded for pages with nothing on them.
vi.mock('../src/ingest/ocr/engine.js', async (original) => ({
  ...(await original<typeof import('../src/ingest/ocr/engine.js')>()),
  getEngine: () => Promise.reject(new Error('engine asked for')),
}));

const { ocrPages } = await import('../src/ingest/ocr/index.js');
const { nothingToRead } = await import('../src/ingest/ocr/raster.js');

function image(page: number, channels: 1 | 3 | 4, fill: number[], mark?: { x: number; y: number; v: number[] }): PageImage {
  const width = 170;
  const height = 220;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0; p < data.length; p += channels) data.set(fill, p);
  if (mark) data.set(mark.v, (mark.y * width + mark.x) * channels);
  return { page, data, width, height, channels, dpi: 20 };
}

describe('OCR of pages with nothing on them', () => {
  it('tells a page with nothing on it from one with a mark, faint or small, in any pixel layout', () => {
    expect(nothingToRead(image(1, 1, [255]))).toBe(true);
    expect(nothingToRead(image(1, 3, [200, 200, 200]))).toBe(true);
    expect(nothingToRead(image(1, 4, [0, 0, 0, 0]))).toBe(true); // transparent: white once composited
    expect(nothingToRead(image(1, 1, [250], { x: 3, y: 3, v: [240] }))).toBe(true); // paper noise
    // At 20 dpi, one pixel is a character's worth of ink: the smallest mark that counts.
    expect(nothingToRead(image(1, 1, [255], { x: 169, y: 219, v: [200] }))).toBe(false); // faint, the last pixel
    expect(nothingToRead(image(1, 3, [255, 255, 255], { x: 80, y: 100, v: [0, 0, 0] }))).toBe(false);
    expect(nothingToRead(image(1, 4, [255, 255, 255, 255], { x: 80, y: 100, v: [0, 0, 0, 255] }))).toBe(false);
    expect(nothingToRead(image(1, 1, [40], { x: 80, y: 100, v: [255] }))).toBe(false); // light on dark
  });

  it('counts ink against the resolution: a speck at 200 dpi is nothing, a short stroke is something', () => {
    const page = (strokePx: number): PageImage => {
      const width = 400;
      const data = new Uint8Array(width * 400).fill(255);
      data.fill(0, 200 * width + 100, 200 * width + 100 + strokePx);
      return { page: 1, data, width, height: 400, channels: 1, dpi: 200 };
    };
    expect(nothingToRead(page(25))).toBe(true);
    expect(nothingToRead(page(40))).toBe(false);
  });

  it('gives flat pages back empty, in points, without loading the engine', async () => {
    const r = await ocrPages([image(2, 1, [255]), image(5, 3, [128, 128, 128])]);
    expect(r.pages).toEqual([
      { page: 2, width: 612, height: 792, runs: [], segments: [] },
      { page: 5, width: 612, height: 792, runs: [], segments: [] },
    ]);
    expect(r.lines).toEqual([]);
    expect(r.info.map((i) => i.page)).toEqual([2, 5]);
  });

  it('still asks for the engine when a page has a mark', async () => {
    await expect(ocrPages([image(1, 1, [255]), image(2, 1, [255], { x: 10, y: 10, v: [0] })])).rejects.toThrow('engine asked for');
  });
});
