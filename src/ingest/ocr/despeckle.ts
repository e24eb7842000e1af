/**
 * Speckles off a binarised page: dust and scanner noise are specks of ink far smaller than a stroke,
 * and the recogniser reads one beside a number as a full stop ("26."). A speck is kept only where a
 * decimal point or comma stands: with characters close on both sides of it.
 */
import type { Binary } from './raster.js';

export function despeckle(b: Binary, dpi: number): Binary {
  const { width: w, height: h } = b;
  const src = b.data;
  const out = Uint8Array.from(src);
  const labels = new Int32Array(w * h);
  const maxArea = Math.max(3, Math.round((dpi / 100) ** 2 * 3));
  const reach = Math.max(4, Math.round(dpi * 0.08));
  const stack: number[] = [];
  const small: { pixels: number[]; x0: number; x1: number; y0: number; y1: number }[] = [];
  let next = 1;
  for (let i = 0; i < w * h; i++) {
    if (!src[i] || labels[i]) continue;
    const label = next++;
    const pixels: number[] = [];
    labels[i] = label;
    stack.push(i);
    let x0 = w;
    let x1 = 0;
    let y0 = h;
    let y1 = 0;
    while (stack.length) {
      const j = stack.pop()!;
      if (pixels.length <= maxArea) pixels.push(j);
      const x = j % w;
      const y = (j - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const k = yy * w + xx;
          if (src[k] && !labels[k]) {
            labels[k] = label;
            stack.push(k);
          }
        }
      }
    }
    if (pixels.length <= maxArea) small.push({ pixels, x0, x1, y0, y1 });
  }
  const smallLabel = new Set<number>(small.map((s) => labels[s.pixels[0]]));
  const bigInk = (x0: number, x1: number, y0: number, y1: number) => {
    for (let y = Math.max(0, y0); y <= Math.min(h - 1, y1); y++)
      for (let x = Math.max(0, x0); x <= Math.min(w - 1, x1); x++) {
        const l = labels[y * w + x];
        if (l && !smallLabel.has(l)) return true;
      }
    return false;
  };
  for (const s of small) {
    const y0 = s.y0 - reach;
    const y1 = s.y1 + Math.round(reach / 2);
    const between = bigInk(s.x0 - reach, s.x0 - 1, y0, y1) && bigInk(s.x1 + 1, s.x1 + reach, y0, y1);
    if (!between) for (const p of s.pixels) out[p] = 0;
  }
  return { data: out, width: w, height: h };
}
