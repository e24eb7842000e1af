/**
 * OFD path data (`AbbreviatedData`, GB/T 33190 §9.3.2): S/M start a subpath, L a line, Q a quadratic
 * and B a cubic Bézier, A an elliptical arc, C closes the subpath. Only straight subpaths can be table
 * rulings, so curves are kept just as a flag (and their end point, where the pen moves to).
 */

export interface SubPath {
  /** Points in the object's coordinate system. */
  pts: [number, number][];
  closed: boolean;
  /** Whether a curve or arc is part of it. */
  curved: boolean;
}

/** Operands each command takes. */
const ARITY: Record<string, number> = { S: 2, M: 2, L: 2, Q: 4, B: 6, A: 7, C: 0 };

/** Caps the work on a hostile path: a page's rulings never need this many points. */
const MAX_TOKENS = 2_000_000;

export function parsePath(data: string): SubPath[] {
  const tokens = data.trim().split(/[\s,]+/, MAX_TOKENS);
  const out: SubPath[] = [];
  let cur: SubPath | undefined;
  let last: [number, number] | undefined;
  let start: [number, number] | undefined;
  let cmd = '';
  const flush = () => {
    if (cur && cur.pts.length > 1) out.push(cur);
    cur = undefined;
  };
  const begin = (p: [number, number]) => {
    flush();
    cur = { pts: [p], closed: false, curved: false };
    start = p;
    last = p;
  };
  const to = (p: [number, number], curved: boolean) => {
    if (!cur) {
      cur = { pts: last ? [last] : [], closed: false, curved: false };
      start ??= last ?? p;
    }
    cur.pts.push(p);
    if (curved) cur.curved = true;
    last = p;
  };

  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (t === '') {
      i++;
      continue;
    }
    let op: string;
    if (/^[A-Za-z]$/.test(t)) {
      op = t.toUpperCase();
      i++;
    } else if (cmd && cmd !== 'C') {
      // Operands without a command repeat the previous one (as in SVG); after M/S they are lines.
      op = cmd === 'M' || cmd === 'S' ? 'L' : cmd;
    } else {
      i++;
      continue;
    }
    const n = ARITY[op];
    if (n === undefined) {
      cmd = '';
      continue;
    }
    const args: number[] = [];
    for (let k = 0; k < n && i < tokens.length; k++, i++) args.push(Number(tokens[i]));
    if (args.length < n || args.some((v) => !Number.isFinite(v))) {
      cmd = '';
      continue;
    }
    cmd = op;
    switch (op) {
      case 'S':
      case 'M':
        begin([args[0], args[1]]);
        break;
      case 'L':
        to([args[0], args[1]], false);
        break;
      case 'Q':
        to([args[2], args[3]], true);
        break;
      case 'B':
        to([args[4], args[5]], true);
        break;
      case 'A':
        to([args[5], args[6]], true);
        break;
      case 'C':
        if (cur) {
          cur.closed = true;
          flush();
        }
        // After a close the pen is back at the subpath's start.
        last = start;
        break;
    }
  }
  flush();
  return out;
}
