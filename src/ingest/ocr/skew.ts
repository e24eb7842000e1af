/**
 * Page orientation from the ink alone: text lines and rulings make the horizontal projection profile
 * sharpest when they lie level, so the skew is the angle that maximises the profile's energy, and a page
 * turned a quarter shows that sharpness in its vertical profile instead.
 */
import type { Binary } from './raster.js';

/** Ink pixel coordinates, subsampled to bound the cost on large pages. */
function inkPoints(b: Binary, max = 60000): { xs: Float32Array; ys: Float32Array } {
  let n = 0;
  for (let i = 0; i < b.data.length; i++) n += b.data[i];
  const step = Math.max(1, Math.ceil(n / max));
  const xs: number[] = [];
  const ys: number[] = [];
  let k = 0;
  for (let y = 0; y < b.height; y++) {
    const row = y * b.width;
    for (let x = 0; x < b.width; x++) {
      if (!b.data[row + x]) continue;
      if (k++ % step === 0) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys) };
}

/** Energy of the projection onto the axis perpendicular to direction `deg` (0 = rows), in bins `bin` pixels wide. */
function energy(xs: Float32Array, ys: Float32Array, deg: number, size: number, vertical: boolean, bin: number): number {
  const t = (deg * Math.PI) / 180;
  const s = Math.sin(t);
  const c = Math.cos(t);
  const bins = new Float64Array(size * 2 + 2);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    // The coordinate across the lines after rotating the page by -deg.
    const v = vertical ? x * c + y * s : y * c - x * s;
    const k = Math.round(v / bin) + size;
    if (k >= 0 && k < bins.length) bins[k]++;
  }
  let e = 0;
  for (let i = 0; i < bins.length; i++) e += bins[i] * bins[i];
  return e;
}

export interface Orientation {
  /** Skew of the lines in degrees, in `rotate`'s sense (counter-clockwise positive): `rotate(page, -skew)` levels them. */
  skew: number;
  /** Whether lines run top to bottom: the page lies on its side (turned 90° or 270°). */
  sideways: boolean;
}

/**
 * Best angle within ±`limit` degrees, coarse then fine. The fine steps use one-pixel bins: with two-pixel
 * bins a level screenshot's one-pixel rulings score the same from −0.1° to +0.1°, and a false 0.1° turn
 * (1.7 px across a 1000 px table) broke its rulings and mixed its rows.
 */
function bestAngle(xs: Float32Array, ys: Float32Array, size: number, vertical: boolean, limit: number): { angle: number; e: number } {
  let coarse = { angle: 0, e: -1 };
  for (let a = -limit; a <= limit + 1e-9; a += 0.25) {
    const e = energy(xs, ys, a, size, vertical, 2);
    if (e > coarse.e) coarse = { angle: a, e };
  }
  // Scored at the coarse bins, so the level and sideways readings stay comparable; chosen at the fine ones.
  let best = { angle: coarse.angle, e: energy(xs, ys, coarse.angle, size, vertical, 1) };
  for (let a = coarse.angle - 0.25; a <= coarse.angle + 0.25 + 1e-9; a += 0.05) {
    const e = energy(xs, ys, a, size, vertical, 1);
    if (e > best.e) best = { angle: a, e };
  }
  return { angle: best.angle, e: coarse.e };
}

export function estimateOrientation(b: Binary, limit = 3): Orientation {
  const { xs, ys } = inkPoints(b);
  const size = Math.ceil(Math.hypot(b.width, b.height) / 2) + 2;
  const level = bestAngle(xs, ys, size, false, limit);
  const side = bestAngle(xs, ys, size, true, limit);
  const sideways = side.e > level.e * 1.15;
  // The projection angle that levels the lines is the page's rotation with the sign turned (y points down).
  const skew = -Math.round((sideways ? side.angle : level.angle) * 100) / 100;
  return { skew: Math.abs(skew) < 0.04 ? 0 : skew + 0, sideways };
}
