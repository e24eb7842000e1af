/**
 * CTC decoding of the recognition model's output with what the arithmetic check needs: each character's
 * probability and, for uncertain ones, the other characters the model considered at that place.
 */

import type { OcrChar } from '../../document/model.js';

export type { OcrChar };

export interface OcrText {
  text: string;
  chars: OcrChar[];
  /** The least confident character's probability (1 for an empty reading). */
  confidence: number;
}

/** Below this a character gets its alternatives listed. */
export const ALT_BELOW = 0.995;
const ALT_MIN = 0.002;

/**
 * Greedy CTC over one sequence of `steps` × `classes` probabilities (class 0 is the blank, class k the
 * dictionary's k-th entry). A character's probability is its best step's; its alternatives are the other
 * non-blank classes at that step.
 */
export function decodeCtc(probs: Float32Array, offset: number, steps: number, classes: number, dict: readonly string[]): OcrText {
  const chars: OcrChar[] = [];
  let prev = 0;
  let cur: { k: number; p: number; step: number } | undefined;
  const flush = () => {
    if (!cur) return;
    const base = offset + cur.step * classes;
    const c: OcrChar = { ch: dict[cur.k] ?? '', p: cur.p };
    if (cur.p < ALT_BELOW) {
      const alts: { ch: string; p: number }[] = [];
      for (let k = 1; k < classes; k++) {
        const p = probs[base + k];
        if (k !== cur.k && p >= ALT_MIN) alts.push({ ch: dict[k] ?? '', p });
      }
      alts.sort((a, b) => b.p - a.p);
      c.alts = alts.slice(0, 6);
    }
    chars.push(c);
    cur = undefined;
  };
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let best = 0;
    let bp = probs[base];
    for (let k = 1; k < classes; k++) {
      const p = probs[base + k];
      if (p > bp) {
        bp = p;
        best = k;
      }
    }
    if (best !== prev) flush();
    if (best !== 0 && (best !== prev || !cur)) cur = { k: best, p: bp, step: t };
    else if (best !== 0 && cur && bp > cur.p) cur = { k: best, p: bp, step: t };
    prev = best;
  }
  flush();
  const kept = chars.filter((c) => c.ch !== '');
  return { text: kept.map((c) => c.ch).join(''), chars: kept, confidence: kept.reduce((m, c) => Math.min(m, c.p), 1) };
}
