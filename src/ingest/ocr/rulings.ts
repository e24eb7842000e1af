/**
 * Ruling lines from a binarised page by run length: a horizontal ruling is a stack of a few pixel rows,
 * each with one long run of ink (short gaps from a worn scan bridged), much longer than any stroke of a
 * character; vertical rulings likewise on columns.
 */
import type { Segment } from '../../document/layout/index.js';
import type { Binary } from './raster.js';

/** A ruling found in the pixels: its segment and the pixel runs it is made of (to erase it). */
export interface PixelRuling {
  segment: Segment;
  runs: { c: number; a: number; b: number }[];
}

interface Track {
  a: number;
  b: number;
  c0: number;
  c1: number;
  last: number;
  ink: number;
  runs: { c: number; a: number; b: number }[];
}

/**
 * Rulings along one axis. `at(i, j)` reads the pixel at position j along line i; lines are rows for
 * horizontal rulings, columns for vertical ones.
 */
function scan(lines: number, length: number, at: (i: number, j: number) => number, minRun: number, gap: number, maxThick: number): Track[] {
  const done: Track[] = [];
  let open: Track[] = [];
  for (let i = 0; i < lines; i++) {
    const runs: { a: number; b: number; ink: number }[] = [];
    let start = -1;
    let lastInk = -1;
    let ink = 0;
    // Paper is read past the end for as far as a gap bridges: a run reaching the image's edge (a
    // screenshot's outer border, every full-width rule) would otherwise never be closed and be lost.
    for (let j = 0; j <= length + gap; j++) {
      const v = j < length ? at(i, j) : 0;
      if (v) {
        if (start < 0) start = j;
        else if (j - lastInk > gap + 1) {
          if (lastInk - start + 1 >= minRun) runs.push({ a: start, b: lastInk, ink });
          start = j;
          ink = 0;
        }
        lastInk = j;
        ink++;
      } else if (start >= 0 && j - lastInk > gap) {
        if (lastInk - start + 1 >= minRun) runs.push({ a: start, b: lastInk, ink });
        start = -1;
        ink = 0;
      }
    }
    const next: Track[] = [];
    for (const r of runs) {
      const t = open.find((o) => o.last >= i - 1 && Math.min(o.b, r.b) - Math.max(o.a, r.a) > 0.5 * Math.min(o.b - o.a, r.b - r.a));
      if (t && !next.includes(t)) {
        t.a = Math.min(t.a, r.a);
        t.b = Math.max(t.b, r.b);
        t.c1 = i;
        t.last = i;
        t.ink += r.ink;
        t.runs.push({ c: i, a: r.a, b: r.b });
        next.push(t);
      } else {
        const nt: Track = { a: r.a, b: r.b, c0: i, c1: i, last: i, ink: r.ink, runs: [{ c: i, a: r.a, b: r.b }] };
        next.push(nt);
      }
    }
    for (const o of open) if (!next.includes(o)) done.push(o);
    open = next;
  }
  done.push(...open);
  // A filled block (a seal, a black bar) is not a ruling: its ink per unit length is its thickness.
  return done.filter((t) => t.ink / (t.b - t.a + 1) <= maxThick);
}

export function findRulings(b: Binary, dpi: number): PixelRuling[] {
  const { width: w, height: h, data } = b;
  // Longer than a character stroke (a 10.5 pt character is about 0.15 in, a title's 0.25), shorter than the narrowest cell.
  const minRun = Math.max(20, Math.round(dpi * 0.28));
  const gap = Math.max(1, Math.round(dpi / 100));
  const maxThick = Math.max(3, dpi / 25);
  const hs = scan(h, w, (i, j) => data[i * w + j], minRun, gap, maxThick);
  const vs = scan(w, h, (i, j) => data[j * w + i], minRun, gap, maxThick);
  const ruling = (t: Track, horizontal: boolean): PixelRuling => ({ segment: { h: horizontal, c: (t.c0 + t.c1) / 2, a: t.a, b: t.b }, runs: t.runs });
  return [...hs.map((t) => ruling(t, true)), ...vs.map((t) => ruling(t, false))];
}

/**
 * The ink without the given rulings (a pixel either side of each run too, for anti-aliased edges). Only
 * the rulings of tables are erased: a long stroke of a large bold title would pass for a ruling.
 */
export function eraseRulings(b: Binary, rulings: readonly PixelRuling[]): Binary {
  const { width: w, height: h } = b;
  const text = { data: Uint8Array.from(b.data), width: w, height: h };
  const pad = 1;
  for (const r of rulings) {
    for (const run of r.runs) {
      if (r.segment.h) for (let y = Math.max(0, run.c - pad); y <= Math.min(h - 1, run.c + pad); y++) text.data.fill(0, y * w + run.a, y * w + run.b + 1);
      else for (let x = Math.max(0, run.c - pad); x <= Math.min(w - 1, run.c + pad); x++) for (let y = run.a; y <= run.b; y++) text.data[y * w + x] = 0;
    }
  }
  return text;
}
