import { describe, expect, it } from 'vitest';
import { buildGrid, clusterSegments, mergeSegments } from '../src/document/layout/rulings.js';
import { binarise, type Gray } from '../src/ingest/ocr/raster.js';
import { findRulings } from '../src/ingest/ocr/rulings.js';

/**
 * A table as a screenshot shows it (96 dpi, the picture cropped to the table): 2-px "3D" rules, a grey row
 * over a dark one, the outer frame on the picture's very edges, and a label column whose cell spans rows,
 * so the inner horizontal rules stop at it.
 */
function screenshotTable(): { img: Gray; rows: number; cols: number[] } {
  const cols = [0, 120, 260, 330, 400];
  const rowH = 19;
  const rows = 8;
  const width = cols[cols.length - 1] + 2;
  const height = rows * rowH + 2;
  const data = new Uint8Array(width * height).fill(255);
  const hRule = (y: number, x0: number, x1: number) => {
    data.fill(0xa8, y * width + x0, y * width + x1);
    data.fill(0x54, (y + 1) * width + x0, (y + 1) * width + x1);
  };
  const vRule = (x: number, y0: number, y1: number) => {
    for (let y = y0; y < y1; y++) {
      data[y * width + x] = 0xa8;
      data[y * width + x + 1] = 0x54;
    }
  };
  // Column 0 is one cell over rows 1–6 (a rowspan): inner rules there start at column 1.
  for (let r = 0; r <= rows; r++) hRule(r * rowH, r === 0 || r === 1 || r >= 7 ? 0 : cols[1], width);
  for (const x of cols) vRule(x, 0, height);
  return { img: { data, width, height }, rows, cols };
}

describe('rulings of a screenshot', () => {
  it('finds the rules that reach the edges of the picture, and keeps every row beside a rowspan', () => {
    const { img, rows, cols } = screenshotTable();
    const found = findRulings(binarise(img), 96);
    const hs = found.filter((r) => r.segment.h);
    // The outer frame lies on the picture's last pixel rows and columns.
    expect(hs.some((r) => r.segment.c >= img.height - 3 && r.segment.b >= img.width - 2)).toBe(true);
    expect(found.some((r) => !r.segment.h && r.segment.c >= img.width - 3)).toBe(true);
    expect(hs).toHaveLength(rows + 1);
    const grid = buildGrid(clusterSegments(mergeSegments(found.map((r) => r.segment)))[0], 1)!;
    expect(grid.nrows).toBe(rows);
    expect(grid.ncols).toBe(cols.length - 1);
    const label = grid.cells.find((c) => c.r === 1 && c.c === 0)!;
    expect(label.rs).toBe(6);
    // The other cells of rows 1–6 stay one row each.
    expect(grid.cells.filter((c) => c.c > 0 && c.rs !== 1)).toHaveLength(0);
  });
});
