import type { OcrReading } from '../model.js';

/** Geometry shared by the PDF helpers. All coordinates are viewport points: x right, y down. */

export type Matrix = [number, number, number, number, number, number];

export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** m1 × m2 in PDF's convention (apply m2 first, then m1). */
export function multiply(m1: readonly number[], m2: readonly number[]): Matrix {
  return [
    m1[0] * m2[0] + m1[2] * m2[1],
    m1[1] * m2[0] + m1[3] * m2[1],
    m1[0] * m2[2] + m1[2] * m2[3],
    m1[1] * m2[2] + m1[3] * m2[3],
    m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
    m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
  ];
}

export function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** A piece of text on one baseline, as the PDF, OFD or OCR engine gave it (possibly split at column gaps). */
export interface Run {
  str: string;
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Baseline y. */
  base: number;
  /** Font size in points (glyph box height). */
  size: number;
  /** A space glyph stood just before / after the run in the content stream (a typed space, not layout). */
  spaceBefore?: boolean;
  spaceAfter?: boolean;
  /** Text an OCR engine read, with its per-character confidence (carried into the table cell). */
  ocr?: OcrReading;
  /**
   * The run ends at an edge the page cuts its content at (a table wider than the paper, clipped at the
   * margin), so characters after it may be lost: 1122 printed as 112 (carried into the table cell).
   */
  clipped?: boolean;
}

/** An axis-aligned ruling: horizontal (`h`) at y = c from x = a to b, or vertical at x = c from y = a to b. */
export interface Segment {
  h: boolean;
  c: number;
  a: number;
  b: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
