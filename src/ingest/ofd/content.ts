import { apply, multiply, type Matrix, type Run, type Segment } from '../../document/layout/geometry.js';
import { foldCompat, isCjk } from '../../document/layout/text.js';
import { parsePath } from './path.js';
import { bool, child, children, num, numbers, type El } from './xml.js';

/**
 * A page's content (GB/T 33190 §7.7: Layers of PageBlocks and graphic objects) → glyph runs and
 * rulings in points, x right and y down from the page's top-left, as the PDF reader gives them.
 *
 * Every graphic object has its own coordinate system: a point (x, y) of the object lands on the page
 * at Boundary's origin + CTM·(x, y), in millimetres. Text positions are explicit: TextCode X/Y for the
 * first glyph, DeltaX/DeltaY (with the `g n d` repeat notation) for each next one.
 */

export interface FontRes {
  name: string;
}

export interface DrawParamRes {
  stroke?: El;
  fill?: El;
  relative?: string;
}

export interface Resources {
  fonts: Map<string, FontRes>;
  drawParams: Map<string, DrawParamRes>;
  /** CompositeGraphicUnit resources by ID (their Content is drawn where a CompositeObject refers to them). */
  units: Map<string, El>;
  /** Image MultiMedia resources by ID: the package entry of the picture file. */
  media: Map<string, string>;
}

/** An ImageObject: the entry of its picture file and the box it is drawn in (points, y down). */
export interface PageImageRef {
  entry: string;
  x0: number;
  top: number;
  x1: number;
  bottom: number;
}

export interface PageContent {
  runs: Run[];
  segments: Segment[];
  images: PageImageRef[];
}

/** Millimetres → points: the layout's thresholds are tuned in points for PDF. */
export const MM: Matrix = [72 / 25.4, 0, 0, 72 / 25.4, 0, 0];

/** A filled rectangle thinner than this (points) is a drawn rule, not a shaded cell (as for PDF). */
const THIN = 2.5;
/** Shorter segments are glyph details, underline dots or dashes, not table borders. */
const MIN_LENGTH = 3;
/** Drift (points) over a segment still taken as axis-aligned. */
const AXIS_TOL = 0.8;
/** CompositeObjects nest through resources, which may refer to each other: a cap stops cycles. */
const MAX_COMPOSITE_DEPTH = 8;

// C0/C1 controls and private-use code points come from fonts without a Unicode mapping; never text.
const JUNK = /[\u0000-\u001F\u007F-\u009F\uE000-\uF8FF\uFFFD]/g;

interface State {
  /** Page-space (points) matrix of the enclosing group. */
  m: Matrix;
  /** The DrawParam of the enclosing Layer, inherited by objects that name none. */
  drawParam?: string;
  composites: number;
}

export function readContent(containers: readonly El[], base: Matrix, res: Resources): PageContent {
  const out: PageContent = { runs: [], segments: [], images: [] };
  for (const c of containers) walk(c, { m: base, composites: 0 }, res, out);
  return out;
}

function walk(el: El, st: State, res: Resources, out: PageContent): void {
  for (const k of el.kids) {
    switch (k.name) {
      case 'Layer':
        walk(k, { ...st, drawParam: k.attrs.DrawParam ?? st.drawParam }, res, out);
        break;
      case 'PageBlock':
        walk(k, st, res, out);
        break;
      case 'TextObject':
        textObject(k, st, res, out.runs);
        break;
      case 'PathObject':
        pathObject(k, st, res, out.segments);
        break;
      case 'CompositeObject': {
        const unit = res.units.get(k.attrs.ResourceID ?? '');
        const content = child(unit, 'Content');
        if (content && st.composites < MAX_COMPOSITE_DEPTH) {
          walk(content, { ...st, m: objectMatrix(k, st.m), composites: st.composites + 1 }, res, out);
        }
        break;
      }
      case 'ImageObject':
        imageObject(k, st, res, out.images);
        break;
      default:
        // Clips, Actions and anything unknown carry no text or rulings.
        break;
    }
  }
}

/** Page matrix of a graphic object: the group's, then Boundary's origin, then the object's CTM. */
function objectMatrix(el: El, m: Matrix): Matrix {
  const b = numbers(el.attrs.Boundary);
  let out = multiply(m, [1, 0, 0, 1, b[0] ?? 0, b[1] ?? 0]);
  const ctm = numbers(el.attrs.CTM);
  if (ctm.length === 6) out = multiply(out, ctm);
  return out;
}

// ---------------------------------------------------------------- text

/**
 * DeltaX/DeltaY: numbers, where `g n d` stands for n copies of d ("g 3 1.5" = 1.5 1.5 1.5).
 * Producers also write more deltas than glyphs (text wrapped by the producer's own box); extras are unused.
 */
export function parseDeltas(s: string | undefined, limit: number): number[] {
  if (!s) return [];
  const t = s.trim().split(/[\s,]+/);
  const out: number[] = [];
  for (let i = 0; i < t.length && out.length < limit; ) {
    if (t[i] === 'g' || t[i] === 'G') {
      const n = Math.floor(Number(t[i + 1]));
      const d = Number(t[i + 2]);
      i += 3;
      if (!Number.isFinite(n) || n < 0 || !Number.isFinite(d)) continue;
      for (let k = 0; k < n && out.length < limit; k++) out.push(d);
    } else {
      const v = Number(t[i++]);
      if (t[i - 1] !== '' && Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

/** Advance of a glyph in em when the file does not give it (no metrics are read from embedded fonts). */
function emAdvance(ch: string, mono: boolean): number {
  if (isCjk(ch)) return 1;
  return mono ? 0.6 : 0.5;
}

/** Clockwise rotation in the y-down object space. */
function rotate(v: [number, number], deg: number): [number, number] {
  const r = (deg * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  return [v[0] * c - v[1] * s, v[0] * s + v[1] * c];
}

function linear(m: Matrix, v: [number, number]): [number, number] {
  return [m[0] * v[0] + m[2] * v[1], m[1] * v[0] + m[3] * v[1]];
}

interface Glyph {
  ch: string;
  x: number;
  y: number;
  /** Advance width estimate, object units. */
  w: number;
}

function textObject(el: El, st: State, res: Resources, runs: Run[]): void {
  const m = objectMatrix(el, st.m);
  const size = Math.abs(num(el.attrs.Size, 0)) || 3.5;
  const hscale = num(el.attrs.HScale, 1) || 1;
  const readDir = ((Math.round(num(el.attrs.ReadDirection, 0) / 90) % 4) + 4) % 4;
  const charDir = num(el.attrs.CharDirection, 0);
  const font = res.fonts.get(el.attrs.Font ?? '');
  const mono = !!font && /courier|mono|consol|fixed|ocr-?b/i.test(font.name);

  // The glyph frame on the page: along the baseline and up from it, per object unit.
  const along = linear(m, rotate([1, 0], charDir));
  const up = linear(m, rotate([0, -1], charDir));
  const scale = Math.hypot(up[0], up[1]);
  const fs = scale * size;
  if (!(fs > 0.01)) return;
  const horizontal = along[0] > 0 && Math.abs(along[1]) < 0.01 * along[0] && up[1] < 0 && Math.abs(up[0]) < 0.01 * -up[1];
  // Text at a slant (45° "内部资料" watermarks, stamps) would cover every line it crosses: not read.
  const diagonal = Math.min(Math.abs(along[0]), Math.abs(along[1])) > 0.09 * Math.hypot(along[0], along[1]);
  const defaultStep: [number, number] = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ][readDir] as [number, number];

  let lastX = 0;
  let lastY = 0;
  for (const code of children(el, 'TextCode')) {
    const text = code.text;
    const x0 = num(code.attrs.X, lastX);
    const y0 = num(code.attrs.Y, lastY);
    lastX = x0;
    lastY = y0;
    const chars = Array.from(text);
    if (chars.length === 0) continue;
    const dx = parseDeltas(code.attrs.DeltaX, chars.length - 1);
    const dy = parseDeltas(code.attrs.DeltaY, chars.length - 1);
    // Deltas given along one axis only (a column set with DeltaY alone) mean no movement along the
    // other; the font's advance is assumed only where the file gives no position at all.
    const onlyY = code.attrs.DeltaX === undefined && code.attrs.DeltaY !== undefined;
    const onlyX = code.attrs.DeltaY === undefined && code.attrs.DeltaX !== undefined;
    const glyphs: Glyph[] = [];
    let x = x0;
    let y = y0;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const adv = emAdvance(ch, mono) * size;
      glyphs.push({ ch, x, y, w: adv * hscale });
      x += dx[i] ?? (onlyY ? 0 : defaultStep[0] * adv * hscale);
      y += dy[i] ?? (onlyX ? 0 : defaultStep[1] * adv);
    }
    if (horizontal) horizontalRuns(glyphs, m, fs, along[0], runs);
    else if (!diagonal) rotatedRuns(glyphs, m, along, up, size, runs);
  }
}

/**
 * Upright glyphs → runs, as the PDF reader forms them: a run continues along one baseline; a space glyph,
 * or a gap of a fifth of an em, is a space inside it (never between two CJK characters, and between CJK
 * and Latin only from a space glyph or a wide gap); a gap of 0.8 em or a step back starts a new run.
 * `xScale`: page points per object unit along the baseline (a CTM may scale x and y differently).
 */
function horizontalRuns(glyphs: readonly Glyph[], m: Matrix, fs: number, xScale: number, runs: Run[]): void {
  let cur: { str: string; x0: number; x1: number; base: number; last: string; spaceBefore: boolean } | undefined;
  let pendingSpace = false;
  const emit = () => {
    if (cur && cur.str.trim()) {
      const run: Run = { str: cur.str.trim(), x0: cur.x0, x1: cur.x1, top: cur.base - 0.88 * fs, bottom: cur.base + 0.12 * fs, base: cur.base, size: fs };
      if (cur.spaceBefore) run.spaceBefore = true;
      if (pendingSpace) run.spaceAfter = true;
      runs.push(run);
    }
    cur = undefined;
  };
  for (const g of glyphs) {
    const str = foldCompat(g.ch.replace(JUNK, ''));
    const [px, py] = apply(m, g.x, g.y);
    if (!str.trim()) {
      // A space glyph, or one without a Unicode value: either way nothing is drawn that reads as text.
      if (str !== '') pendingSpace = true;
      continue;
    }
    const w = g.w * xScale;
    if (cur) {
      const gap = px - cur.x1;
      if (Math.abs(py - cur.base) > 0.1 * fs || gap >= 0.8 * fs || gap < -0.5 * fs) {
        const space: boolean = pendingSpace;
        emit();
        pendingSpace = space;
      } else if (pendingSpace || gap >= 0.2 * fs) {
        const a = isCjk(cur.last);
        const b = isCjk(str[0]);
        // As in gapIsSpace: between CJK and Latin a narrow gap is autospace, not a typed space.
        if (!(a && b) && (pendingSpace || (!(a || b) && gap >= 0.35 * fs) || gap >= 0.6 * fs)) cur.str += ' ';
        pendingSpace = false;
      }
    }
    if (!cur) {
      cur = { str: '', x0: px, x1: px, base: py, last: '', spaceBefore: pendingSpace };
      pendingSpace = false;
    }
    cur.str += str;
    cur.last = str.at(-1) ?? '';
    cur.x1 = Math.max(cur.x1, px + w);
  }
  emit();
}

/**
 * Glyphs of text turned by its CTM or CharDirection (a table turned on its side, a rotated label): runs of
 * glyphs that follow each other along the turned baseline, each placed by its bounding box, as the PDF
 * reader places a rotated string. A step off the baseline or a wide gap starts a new run.
 */
function rotatedRuns(glyphs: readonly Glyph[], m: Matrix, along: [number, number], up: [number, number], size: number, runs: Run[]): void {
  const len = Math.hypot(along[0], along[1]) || 1;
  const ux = along[0] / len;
  const uy = along[1] / len;
  const em = Math.hypot(up[0], up[1]) * size;
  let xs: number[] = [];
  let ys: number[] = [];
  let str = '';
  let prev: [number, number] | undefined;
  let prevEnd = 0;
  const emit = () => {
    const text = str.replace(/\s+/g, ' ').trim();
    if (text) {
      const top = Math.min(...ys);
      const bottom = Math.max(...ys);
      runs.push({ str: text, x0: Math.min(...xs), x1: Math.max(...xs), top, bottom, base: (top + bottom) / 2, size: em });
    }
    xs = [];
    ys = [];
    str = '';
  };
  for (const g of glyphs) {
    const ch = foldCompat(g.ch.replace(JUNK, ''));
    if (!ch) continue;
    const o = apply(m, g.x, g.y);
    if (prev) {
      // Distance along the baseline from the previous glyph's end, and off it.
      const dx = o[0] - prev[0];
      const dy = o[1] - prev[1];
      const ahead = dx * ux + dy * uy - prevEnd;
      const off = Math.abs(-dx * uy + dy * ux);
      if (off > 0.1 * em || ahead > 0.8 * em || ahead < -0.5 * em) emit();
    }
    str += ch;
    const w = g.w * len;
    if (ch.trim()) {
      for (const a of [0, g.w]) for (const u of [-0.12 * size, 0.88 * size]) {
        xs.push(o[0] + along[0] * a + up[0] * u);
        ys.push(o[1] + along[1] * a + up[1] * u);
      }
    }
    prev = o;
    prevEnd = w;
  }
  emit();
}

// ---------------------------------------------------------------- paths

/** Whether a colour element paints nothing: white or near-white (designers hide borders that way), or fully transparent. */
export function invisible(color: El | undefined): boolean {
  if (!color) return false;
  if (color.attrs.Alpha !== undefined && num(color.attrs.Alpha, 255) === 0) return true;
  const raw = (color.attrs.Value ?? '').trim();
  if (!raw) return false;
  const comps = raw.split(/\s+/).map((t) => (t.startsWith('#') ? parseInt(t.slice(1), 16) : Number(t)));
  if (comps.some((v) => !Number.isFinite(v))) return false;
  if (comps.length === 4) return comps.every((v) => v <= 15); // CMYK: no ink
  return comps.every((v) => v >= 240); // RGB or grey
}

interface PathStyle {
  stroke?: El;
  fill?: El;
}

/** Colours from the object's DrawParam (or its layer's), following Relative links a few steps. */
function drawParamStyle(id: string | undefined, res: Resources): PathStyle {
  const style: PathStyle = {};
  for (let k = 0; id && k < 8; k++) {
    const dp = res.drawParams.get(id);
    if (!dp) break;
    style.stroke ??= dp.stroke;
    style.fill ??= dp.fill;
    id = dp.relative;
  }
  return style;
}

/** An image fills the unit square of its CTM (GB/T 33190 §10.2): the box of its four corners on the page. */
function imageObject(el: El, st: State, res: Resources, images: PageImageRef[]): void {
  const entry = res.media.get(el.attrs.ResourceID ?? '');
  if (!entry) return;
  const m = objectMatrix(el, st.m);
  const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  images.push({ entry, x0: Math.min(...xs), top: Math.min(...ys), x1: Math.max(...xs), bottom: Math.max(...ys) });
}

function pathObject(el: El, st: State, res: Resources, segments: Segment[]): void {
  const data = child(el, 'AbbreviatedData')?.text;
  if (!data) return;
  const inherited = drawParamStyle(el.attrs.DrawParam ?? st.drawParam, res);
  const strokeColor = child(el, 'StrokeColor') ?? inherited.stroke;
  const fillColor = child(el, 'FillColor') ?? inherited.fill;
  const stroked = bool(el.attrs.Stroke, true) && !invisible(strokeColor);
  const filled = bool(el.attrs.Fill, false) && !invisible(fillColor);
  if (!stroked && !filled) return;
  const m = objectMatrix(el, st.m);
  const paths = parsePath(data).filter((p) => !p.curved);
  for (const p of paths) {
    const pts = p.pts.map(([x, y]) => apply(m, x, y));
    if (stroked) {
      for (let k = 1; k < pts.length; k++) addLine(segments, pts[k - 1], pts[k]);
      if (p.closed && pts.length > 2) addLine(segments, pts[pts.length - 1], pts[0]);
    }
    if (filled) thinRect(segments, pts);
  }
}

function addLine(segments: Segment[], [x1, y1]: [number, number], [x2, y2]: [number, number]): void {
  if (Math.abs(y1 - y2) <= AXIS_TOL && Math.abs(x2 - x1) >= MIN_LENGTH) {
    segments.push({ h: true, c: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
  } else if (Math.abs(x1 - x2) <= AXIS_TOL && Math.abs(y2 - y1) >= MIN_LENGTH) {
    segments.push({ h: false, c: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
  }
}

/** A filled axis-aligned rectangle thinner than THIN is a ruling (how many producers draw table borders). */
function thinRect(segments: Segment[], pts: [number, number][]): void {
  let q = pts;
  if (q.length === 5 && Math.abs(q[0][0] - q[4][0]) < 0.01 && Math.abs(q[0][1] - q[4][1]) < 0.01) q = q.slice(0, 4);
  if (q.length !== 4) return;
  for (let k = 0; k < 4; k++) {
    const [ax, ay] = q[k];
    const [bx, by] = q[(k + 1) % 4];
    if (Math.abs(ax - bx) > 0.05 && Math.abs(ay - by) > 0.05) return;
  }
  const xs = q.map((v) => v[0]);
  const ys = q.map((v) => v[1]);
  const [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const w = x1 - x0;
  const h = y1 - y0;
  if (h <= THIN && w >= MIN_LENGTH && w > h) segments.push({ h: true, c: (y0 + y1) / 2, a: x0, b: x1 });
  else if (w <= THIN && h >= MIN_LENGTH && h > w) segments.push({ h: false, c: (x0 + x1) / 2, a: y0, b: y1 });
}
