import { apply, multiply, type Matrix, type Run, type Segment } from '../../document/layout/geometry.js';
import { foldCompat, isCjk } from '../../document/layout/text.js';

/** The OPS codes we read, passed in so this module does not import pdfjs. */
export type OpCodes = Record<
  | 'save' | 'restore' | 'transform' | 'constructPath' | 'stroke' | 'closeStroke' | 'fill' | 'eoFill' | 'fillStroke'
  | 'eoFillStroke' | 'closeFillStroke' | 'closeEOFillStroke' | 'paintFormXObjectBegin' | 'paintFormXObjectEnd'
  | 'setStrokeRGBColor' | 'setFillRGBColor' | 'setGState' | 'beginText' | 'setFont' | 'setTextMatrix' | 'moveText'
  | 'setLeadingMoveText' | 'nextLine' | 'setLeading' | 'setCharSpacing' | 'setWordSpacing' | 'setHScale' | 'setTextRise'
  | 'showText',
  number
>;

/** What text layout needs of a font (pdfjs' FontFaceObject exposes these). */
export interface FontInfo {
  fontMatrix: number[];
  vertical: boolean;
  defaultVMetrics?: number[];
}

/** The parts of a pdfjs glyph object in an operator list that we use. */
interface GlyphLike {
  unicode: string;
  width: number;
  vmetric?: number[] | null;
  isSpace?: boolean;
}

// pdfjs ≥ 5 packs a path into one Float32Array of DrawOPS codes followed by their coordinates.
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const QUAD = 3;
const CLOSE = 4;

/** A filled rectangle thinner than this (points) is a drawn rule, not a shaded cell. */
const THIN = 2.5;
/** Shorter segments are glyph details, underline dots or dashes, not table borders. */
const MIN_LENGTH = 3;
/** Drift (points) over a segment still taken as axis-aligned. */
const AXIS_TOL = 0.8;

interface TextState {
  font?: FontInfo;
  size: number;
  dir: number;
  charSpacing: number;
  wordSpacing: number;
  hscale: number;
  leading: number;
  rise: number;
  tm: Matrix;
  tlm: Matrix;
}

interface State {
  ctm: Matrix;
  stroke: string;
  fill: string;
  text: TextState;
}

// White (or near-white) rules are invisible: designers use them to hide borders.
function invisible(color: string): boolean {
  return /^#f[a-f0-9]f[a-f0-9]f[a-f0-9]$/i.test(color);
}

const IDENT: Matrix = [1, 0, 0, 1, 0, 0];
const translate = (m: Matrix, x: number, y: number): Matrix => multiply(m, [1, 0, 0, 1, x, y]);

export interface PageContent {
  segments: Segment[];
  /** undefined when a font could not be resolved: the caller falls back to pdfjs' getTextContent. */
  runs: Run[] | undefined;
}

/**
 * One pass over a page's operator list: ruling lines (stroked straight lines and rectangle edges, thin
 * filled rectangles — how Word and WPS draw table borders) and text runs placed from the text state.
 *
 * Text is laid out here rather than taken from getTextContent because pdfjs 5.6 drops glyphs of a
 * vertical-writing font that a PDF stacks with line moves (WPS writes vertical table labels such as
 * "三、本年度办理结果" that way: getTextContent returns only "三、本年"), and it saves parsing every
 * content stream a second time.
 */
export function readOperators(
  fnArray: ArrayLike<number>,
  argsArray: readonly unknown[],
  ops: OpCodes,
  base: Matrix,
  fontOf: (name: string) => FontInfo | undefined,
): PageContent {
  const segments: Segment[] = [];
  let runs: Run[] | undefined = [];
  const stack: State[] = [];
  const freshText = (): TextState => ({ size: 0, dir: 1, charSpacing: 0, wordSpacing: 0, hscale: 1, leading: 0, rise: 0, tm: IDENT, tlm: IDENT });
  let st: State = { ctm: base, stroke: '#000000', fill: '#000000', text: freshText() };

  const addLine = (x1: number, y1: number, x2: number, y2: number) => {
    if (Math.abs(y1 - y2) <= AXIS_TOL && Math.abs(x2 - x1) >= MIN_LENGTH) {
      segments.push({ h: true, c: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
    } else if (Math.abs(x1 - x2) <= AXIS_TOL && Math.abs(y2 - y1) >= MIN_LENGTH) {
      segments.push({ h: false, c: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
    }
  };
  const setFont = (name: unknown, size: unknown) => {
    const font = typeof name === 'string' ? fontOf(name) : undefined;
    if (!font) runs = undefined;
    const s = typeof size === 'number' ? size : 0;
    st.text.font = font;
    st.text.size = Math.abs(s);
    st.text.dir = s < 0 ? -1 : 1;
  };
  const moveText = (x: number, y: number) => {
    st.text.tlm = translate(st.text.tlm, x, y);
    st.text.tm = st.text.tlm;
  };

  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[] | null;
    switch (fn) {
      case ops.save:
        stack.push(st);
        st = { ...st, text: { ...st.text } };
        break;
      case ops.restore:
        st = stack.pop() ?? st;
        break;
      case ops.transform:
        st.ctm = multiply(st.ctm, args as number[]);
        break;
      case ops.paintFormXObjectBegin: {
        stack.push(st);
        const matrix = args?.[0] as number[] | null | undefined;
        st = { ...st, text: { ...st.text }, ctm: matrix && matrix.length === 6 ? multiply(st.ctm, matrix) : st.ctm };
        break;
      }
      case ops.paintFormXObjectEnd:
        st = stack.pop() ?? st;
        break;
      case ops.setStrokeRGBColor:
        st.stroke = String(args?.[0] ?? '');
        break;
      case ops.setFillRGBColor:
        st.fill = String(args?.[0] ?? '');
        break;
      case ops.constructPath:
        if (args) path(args);
        break;
      case ops.beginText:
        st.text.tm = IDENT;
        st.text.tlm = IDENT;
        break;
      case ops.setFont:
        setFont(args?.[0], args?.[1]);
        break;
      case ops.setGState:
        for (const entry of (args?.[0] as unknown[][] | undefined) ?? []) {
          if (Array.isArray(entry) && entry[0] === 'Font' && Array.isArray(entry[1])) setFont(entry[1][0], entry[1][1]);
        }
        break;
      case ops.setTextMatrix: {
        const m = Array.from((args?.[0] as ArrayLike<number>) ?? IDENT) as Matrix;
        st.text.tm = m;
        st.text.tlm = m;
        break;
      }
      case ops.moveText:
        moveText(Number(args?.[0]) || 0, Number(args?.[1]) || 0);
        break;
      case ops.setLeadingMoveText:
        st.text.leading = -(Number(args?.[1]) || 0);
        moveText(Number(args?.[0]) || 0, Number(args?.[1]) || 0);
        break;
      case ops.nextLine:
        moveText(0, -st.text.leading);
        break;
      case ops.setLeading:
        st.text.leading = Number(args?.[0]) || 0;
        break;
      case ops.setCharSpacing:
        st.text.charSpacing = Number(args?.[0]) || 0;
        break;
      case ops.setWordSpacing:
        st.text.wordSpacing = Number(args?.[0]) || 0;
        break;
      case ops.setHScale:
        st.text.hscale = (Number(args?.[0]) || 100) / 100;
        break;
      case ops.setTextRise:
        st.text.rise = Number(args?.[0]) || 0;
        break;
      case ops.showText:
        if (runs && st.text.font) showText((args?.[0] as (GlyphLike | number | null)[]) ?? [], runs);
        break;
    }
  }
  return { segments, runs };

  function path(args: unknown[]): void {
    const paint = args[0] as number;
    const buffer = (args[1] as unknown[] | undefined)?.[0];
    if (!(buffer instanceof Float32Array) && !Array.isArray(buffer)) return;
    const stroked =
      paint === ops.stroke || paint === ops.closeStroke || paint === ops.fillStroke || paint === ops.eoFillStroke ||
      paint === ops.closeFillStroke || paint === ops.closeEOFillStroke;
    const filled =
      paint === ops.fill || paint === ops.eoFill || paint === ops.fillStroke || paint === ops.eoFillStroke ||
      paint === ops.closeFillStroke || paint === ops.closeEOFillStroke;
    if (stroked && !invisible(st.stroke)) walkPath(buffer as ArrayLike<number>, st.ctm, (pts, closed) => {
      for (let k = 1; k < pts.length; k++) addLine(pts[k - 1][0], pts[k - 1][1], pts[k][0], pts[k][1]);
      if (closed && pts.length > 2) addLine(pts[pts.length - 1][0], pts[pts.length - 1][1], pts[0][0], pts[0][1]);
    });
    if (filled && !invisible(st.fill)) walkPath(buffer as ArrayLike<number>, st.ctm, (pts) => {
      const box = rectangle(pts);
      if (!box) return;
      const [x0, y0, x1, y1] = box;
      const w = x1 - x0;
      const h = y1 - y0;
      if (h <= THIN && w >= MIN_LENGTH && w > h) segments.push({ h: true, c: (y0 + y1) / 2, a: x0, b: x1 });
      else if (w <= THIN && h >= MIN_LENGTH && h > w) segments.push({ h: false, c: (x0 + x1) / 2, a: y0, b: y1 });
    });
  }

  /**
   * Glyphs → runs. A run continues across character spacing (letter-spaced text stays one word: "号，邮编",
   * "223100"); space glyphs, or a gap from a TJ adjustment, become a space inside the run (never between two
   * CJK characters, and between CJK and Latin only from a space glyph or a gap wider than autospace), and a
   * gap of 0.8 em or more (a column gutter typed with spaces) starts a new run. Runs note a space glyph
   * at their ends, for gapIsSpace.
   */
  function showText(glyphs: readonly (GlyphLike | number | null)[], out: Run[]): void {
    const ts = st.text;
    const font = ts.font!;
    const size = ts.size;
    const m = multiply(st.ctm, ts.tm);
    const fm0 = font.fontMatrix?.[0] || 0.001;
    let x = 0;
    let cur: { str: string; start: number; end: number; next: number; last: string; spaceBefore: boolean } | undefined;
    let pendingSpace = false;
    const emit = () => {
      if (cur && cur.str.trim()) {
        const run = makeRun(cur.str, m, cur.start * ts.hscale, cur.end * ts.hscale, ts.rise, size);
        if (cur.spaceBefore) run.spaceBefore = true;
        if (pendingSpace) run.spaceAfter = true;
        out.push(run);
      }
      cur = undefined;
      pendingSpace = false;
    };
    for (const g of glyphs) {
      if (typeof g === 'number') {
        x += (font.vertical ? 1 : -1) * g * size / 1000;
        continue;
      }
      if (!g) continue;
      const spacing = ts.charSpacing + (g.isSpace ? ts.wordSpacing : 0);
      if (font.vertical) {
        const vm = g.vmetric ?? font.defaultVMetrics;
        const w = (vm ? -vm[0] : g.width) * fm0 * size;
        const adv = w - spacing * ts.dir;
        const str = foldCompat(g.unicode ?? '');
        if (str.trim()) out.push(verticalRun(str, m, x, Math.abs(w) || size, size));
        x += adv;
        continue;
      }
      const w = g.width * fm0 * size;
      const str = foldCompat(g.unicode ?? '').replace(/[\u0000-\u001F\u007F-\u009F\uE000-\uF8FF\uFFFD]/g, '');
      if (!str.trim()) {
        pendingSpace = true;
        x += w + spacing * ts.dir;
        continue;
      }
      if (cur) {
        const gap = x - cur.next;
        if (gap >= 0.8 * size || gap < -0.5 * size) emit();
        else if (pendingSpace || gap >= 0.2 * size) {
          const a = isCjk(cur.last);
          const b = isCjk(str[0]);
          // As in gapIsSpace: between CJK and Latin a narrow gap is autospace, not a typed space.
          if (!(a && b) && (pendingSpace || !(a || b) || gap >= 0.6 * size)) cur.str += ' ';
        }
      }
      cur ??= { str: '', start: x, end: x, next: x, last: '', spaceBefore: pendingSpace };
      cur.str += str;
      cur.last = str.at(-1) ?? '';
      pendingSpace = false;
      x += w;
      cur.end = x;
      // Character spacing is part of the natural advance: it never counts as a gap.
      x += spacing * ts.dir;
      cur.next = x;
    }
    emit();
    // Advance the text matrix past what was shown, as the next showText continues from there.
    ts.tm = font.vertical ? translate(ts.tm, 0, -x) : translate(ts.tm, x * ts.hscale, 0);
  }
}

/** A run from text-space x0..x1 on the baseline (at `rise`), mapped by m; glyph box from descent to ascent. */
function makeRun(str: string, m: Matrix, x0: number, x1: number, rise: number, size: number): Run {
  const p0 = apply(m, x0, rise);
  const p1 = apply(m, x1, rise);
  const up: [number, number] = [m[2] * size, m[3] * size];
  const fs = Math.hypot(up[0], up[1]) || size;
  const text = str.replace(/\s+/g, ' ').trim();
  if (Math.abs(p1[1] - p0[1]) < 0.01 * fs && p1[0] >= p0[0] && up[1] < 0) {
    return { str: text, x0: p0[0], x1: p1[0], top: p0[1] - 0.88 * fs, bottom: p0[1] + 0.12 * fs, base: p0[1], size: fs };
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of [p0, p1]) for (const k of [-0.12, 0.88]) {
    xs.push(p[0] + up[0] * k);
    ys.push(p[1] + up[1] * k);
  }
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  return { str: text, x0: Math.min(...xs), x1: Math.max(...xs), top, bottom, base: (top + bottom) / 2, size: fs };
}

/** A glyph of a vertical-writing font: centred on the origin's x, extending down by its advance. */
function verticalRun(str: string, m: Matrix, y: number, adv: number, size: number): Run {
  const corners = [
    apply(m, -size / 2, -y),
    apply(m, size / 2, -y),
    apply(m, -size / 2, -y - adv),
    apply(m, size / 2, -y - adv),
  ];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  const fs = Math.hypot(m[2] * size, m[3] * size) || size;
  return { str: str.trim(), x0: Math.min(...xs), x1: Math.max(...xs), top, bottom, base: (top + bottom) / 2, size: fs };
}

/** Calls `visit` with each straight subpath's points (transformed); subpaths with curves are skipped. */
function walkPath(buf: ArrayLike<number>, ctm: Matrix, visit: (pts: [number, number][], closed: boolean) => void): void {
  let pts: [number, number][] = [];
  let curved = false;
  const flush = (closed: boolean) => {
    if (pts.length > 1 && !curved) visit(pts, closed);
    pts = [];
    curved = false;
  };
  for (let k = 0; k < buf.length; ) {
    const op = buf[k++];
    if (op === MOVE) {
      flush(false);
      pts.push(apply(ctm, buf[k], buf[k + 1]));
      k += 2;
    } else if (op === LINE) {
      pts.push(apply(ctm, buf[k], buf[k + 1]));
      k += 2;
    } else if (op === CURVE) {
      curved = true;
      pts.push(apply(ctm, buf[k + 4], buf[k + 5]));
      k += 6;
    } else if (op === QUAD) {
      curved = true;
      pts.push(apply(ctm, buf[k + 2], buf[k + 3]));
      k += 4;
    } else if (op === CLOSE) {
      const start = pts[0];
      flush(true);
      // After closePath the current point is the subpath's start.
      if (start) pts.push(start);
    } else {
      return; // unknown code: the rest of the buffer cannot be decoded reliably
    }
  }
  flush(false);
}

/** The bounding box of a subpath if it is an axis-aligned rectangle (4 corners, maybe repeated start). */
function rectangle(pts: [number, number][]): [number, number, number, number] | undefined {
  let p = pts;
  if (p.length === 5 && Math.abs(p[0][0] - p[4][0]) < 0.01 && Math.abs(p[0][1] - p[4][1]) < 0.01) p = p.slice(0, 4);
  if (p.length !== 4) return undefined;
  for (let k = 0; k < 4; k++) {
    const [ax, ay] = p[k];
    const [bx, by] = p[(k + 1) % 4];
    if (Math.abs(ax - bx) > 0.05 && Math.abs(ay - by) > 0.05) return undefined;
  }
  const xs = p.map((q) => q[0]);
  const ys = p.map((q) => q[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
