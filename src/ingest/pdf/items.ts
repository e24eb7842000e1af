import { multiply, type Run } from '../../document/layout/geometry.js';
import { foldCompat } from '../../document/layout/text.js';

/** The subset of pdfjs' TextItem we use (kept structural so tests can feed plain objects). */
export interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
}

// C0/C1 controls and private-use code points come from broken ToUnicode maps; they are never text.
const JUNK = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uE000-\uF8FF\uFFFD]/g;

/**
 * Text items → runs in viewport space. Whitespace-only items are dropped: pdfjs synthesises
 * them with meaningless widths, and gaps are measured from geometry instead.
 */
export function runsFromItems(items: readonly TextItemLike[], viewport: readonly number[]): Run[] {
  const runs: Run[] = [];
  for (const item of items) {
    const str = foldCompat(item.str.replace(JUNK, '')).replace(/\s+/g, ' ');
    if (str.trim() === '') continue;
    const m = multiply(viewport, item.transform);
    const size = Math.hypot(m[2], m[3]) || item.height || 1;
    const horizontal = Math.abs(m[1]) < 1e-3 * Math.abs(m[0]) && m[0] > 0;
    if (horizontal) {
      const width = Math.max(item.width, 0);
      runs.push({ str: str.trim(), x0: m[4], x1: m[4] + width, top: m[5] - size * 0.88, bottom: m[5] + size * 0.12, base: m[5], size });
      continue;
    }
    // Rotated or vertical text: keep it, placed by its bounding box; its baseline is its middle.
    const len = Math.max(item.width, 0);
    const ux = m[0] / (Math.hypot(m[0], m[1]) || 1);
    const uy = m[1] / (Math.hypot(m[0], m[1]) || 1);
    const xs = [m[4], m[4] + ux * len, m[4] - uy * size, m[4] + ux * len - uy * size];
    const ys = [m[5], m[5] + uy * len, m[5] - ux * size, m[5] + uy * len - ux * size];
    const top = Math.min(...ys);
    const bottom = Math.max(...ys);
    runs.push({ str: str.trim(), x0: Math.min(...xs), x1: Math.max(...xs), top, bottom, base: (top + bottom) / 2, size });
  }
  return runs;
}
