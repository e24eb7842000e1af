/**
 * Pixel work for OCR on 8-bit gray pages: conversion, binarisation, rotation, crops. Plain loops over
 * typed arrays: a 200-dpi A4 page is 4 M pixels, and each pass here is a few tens of milliseconds.
 */
import type { PageImage } from '../../document/image.js';

/** An 8-bit gray bitmap, 0 black … 255 white, row-major. */
export interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A 1-bit page as bytes: 1 ink, 0 paper. */
export interface Binary {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Luma of any page image (alpha composited over white, since scans posted as PNG may be transparent). */
export function toGray(img: PageImage): Gray {
  const { width, height, channels, data } = img;
  if (channels === 1) return { data, width, height };
  const out = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    let v = (data[p] * 77 + data[p + 1] * 150 + data[p + 2] * 29) >> 8;
    if (channels === 4) v = (v * data[p + 3] + 255 * (255 - data[p + 3])) / 255;
    out[i] = v;
  }
  return { data: out, width, height };
}

/**
 * Whether a page image has nothing on it to read: all but a speck of it (less ink than the smallest
 * character, a 1 in 9-point type, leaves) within `range` levels of luma of its paper, the commonest tone.
 * A page that renders blank (an empty or undrawable content stream, a white or flat image) would
 * otherwise load the OCR models, ~300 MB and seconds, to find nothing. Faint text differs from its paper by
 * more than this, so it is read as before.
 */
export function nothingToRead(img: PageImage, range = 24): boolean {
  const hist = new Uint32Array(256);
  for (const v of toGray(img).data) hist[v]++;
  let paper = 0;
  for (let v = 1; v < 256; v++) if (hist[v] > hist[paper]) paper = v;
  let ink = 0;
  for (let v = 0; v < 256; v++) if (Math.abs(v - paper) > range) ink += hist[v];
  const speck = 30 * (img.dpi / 200) ** 2;
  return ink < speck;
}

/**
 * Ink where a pixel is clearly darker than its neighbourhood (Bradley's adaptive threshold over an
 * integral image): survives uneven lighting and grey paper, unlike one global threshold. Pixels
 * darker than `dark` are ink whatever their neighbourhood, so the inside of thick strokes stays ink.
 */
export function binarise(g: Gray, opts: { window?: number; ratio?: number; dark?: number } = {}): Binary {
  const { width: w, height: h, data } = g;
  const win = opts.window ?? Math.max(15, Math.round(Math.min(w, h) / 40)) | 1;
  const ratio = opts.ratio ?? 0.18;
  const dark = opts.dark ?? 110;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x];
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
    }
  }
  const out = new Uint8Array(w * h);
  const r = win >> 1;
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x];
      if (v < dark) {
        out[y * w + x] = 1;
        continue;
      }
      if (v > 235) continue;
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0] + integral[y0 * (w + 1) + x0];
      const mean = sum / ((x1 - x0) * (y1 - y0));
      if (v < mean * (1 - ratio)) out[y * w + x] = 1;
    }
  }
  return { data: out, width: w, height: h };
}

/** Rotates by `deg` degrees (positive = counter-clockwise on screen) about the centre, same size, white outside. */
export function rotate(g: Gray, deg: number): Gray {
  const { width: w, height: h, data } = g;
  const t = (deg * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const out = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // Inverse map: where in the source this output pixel comes from (y down, so the sign of sin flips).
      const sx = cos * dx - sin * dy + cx;
      const sy = sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = data[i] + (data[i + 1] - data[i]) * fx;
      const bot = data[i + w] + (data[i + w + 1] - data[i + w]) * fx;
      out[y * w + x] = top + (bot - top) * fy;
    }
  }
  return { data: out, width: w, height: h };
}

/** Quarter turns clockwise (1, 2 or 3). */
export function rotateQuarter(g: Gray, turns: number): Gray {
  const { width: w, height: h, data } = g;
  const q = ((turns % 4) + 4) % 4;
  if (q === 0) return g;
  const W = q === 2 ? w : h;
  const H = q === 2 ? h : w;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x];
      if (q === 1) out[x * W + (h - 1 - y)] = v;
      else if (q === 2) out[(h - 1 - y) * W + (w - 1 - x)] = v;
      else out[(w - 1 - x) * W + y] = v;
    }
  }
  return { data: out, width: W, height: H };
}

/** A copy of a rectangle (clamped to the image). */
export function crop(g: Gray, x0: number, y0: number, x1: number, y1: number): Gray {
  const ax = Math.max(0, Math.floor(x0));
  const ay = Math.max(0, Math.floor(y0));
  const bx = Math.min(g.width, Math.ceil(x1));
  const by = Math.min(g.height, Math.ceil(y1));
  const w = Math.max(1, bx - ax);
  const h = Math.max(1, by - ay);
  const out = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < by - ay; y++) out.set(g.data.subarray((ay + y) * g.width + ax, (ay + y) * g.width + bx), y * w);
  return { data: out, width: w, height: h };
}
