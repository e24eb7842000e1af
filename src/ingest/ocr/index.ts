/**
 * Scanned pages to positioned pages: the page levelled (quarter turns, skew up to ±3°), its rulings found
 * in the pixels and built into cell grids exactly as the PDF rulings are, every cell's text lines cut out
 * and recognised on their own (so the cells of a row are never read as one line), and the text outside the
 * tables found by the detection model. Output is in points, like a PDF page, for `layoutPages`.
 */
import type { PageImage } from '../../document/image.js';
import type { PositionedPage, Run, Segment } from '../../document/layout/index.js';
import { buildGrid, clusterSegments, mergeSegments, type PageTable } from '../../document/layout/rulings.js';
import type { OcrText } from './ctc.js';
import { detect, getEngine, recognise, type Box, type Engine } from './engine.js';
import { binarise, crop, rotate, rotateQuarter, toGray, nothingToRead, type Binary, type Gray } from './raster.js';
import { despeckle } from './despeckle.js';
import { eraseRulings, findRulings } from './rulings.js';
import { estimateOrientation } from './skew.js';

export interface OcrOptions {
  /** Called after each page (progress). */
  onPage?: (page: number) => void;
}

/** One piece of text read, in points on its page, for confidence reports and benchmarks. */
export interface OcrLine {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
  confidence: number;
  /** Whether it was read inside a table cell (else it is a detected line outside the tables). */
  inTable: boolean;
}

export interface OcrTimings {
  /** Levelling, binarising, rulings and grids. */
  grid: number;
  detection: number;
  recognition: number;
}

export interface OcrPageInfo {
  page: number;
  /** Degrees the page was turned to level it: quarter turns clockwise, then skew correction. */
  quarterTurns: number;
  skew: number;
  tables: number;
}

export interface OcrResult {
  pages: PositionedPage[];
  lines: OcrLine[];
  info: OcrPageInfo[];
  timings: OcrTimings;
}

const now = () => performance.now();
const CELL_MARGIN = 0.25;
const LINE_MARGIN = 0.4;

/** Line bands of ink in a cell: rows with ink, split at blank rows, specks dropped. */
function textBands(t: Binary, x0: number, y0: number, x1: number, y1: number, dpi: number): { x0: number; y0: number; x1: number; y1: number }[] {
  const w = t.width;
  const minH = Math.max(4, Math.round(dpi * 0.025));
  const minInk = Math.max(8, Math.round(dpi * 0.08));
  const rows: number[] = [];
  for (let y = y0; y < y1; y++) {
    let n = 0;
    for (let x = x0; x < x1; x++) n += t.data[y * w + x];
    rows.push(n);
  }
  const bands: { y0: number; y1: number }[] = [];
  let start = -1;
  let blank = 0;
  // Bridges a blank row or two inside a line (the gap in 二, a thin stroke lost in binarising).
  const bridge = Math.max(1, Math.round(dpi / 100));
  for (let i = 0; i <= rows.length; i++) {
    const ink = i < rows.length && rows[i] > 0;
    if (ink) {
      if (start < 0) start = i;
      blank = 0;
    } else if (start >= 0 && ++blank > bridge) {
      bands.push({ y0: start, y1: i - blank + 1 });
      start = -1;
      blank = 0;
    }
  }
  if (start >= 0) bands.push({ y0: start, y1: rows.length });
  const out: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (const b of bands) {
    let ink = 0;
    for (let i = b.y0; i < b.y1; i++) ink += rows[i];
    if (b.y1 - b.y0 < minH || ink < minInk) continue;
    let bx0 = x1;
    let bx1 = x0;
    for (let y = y0 + b.y0; y < y0 + b.y1; y++) {
      for (let x = x0; x < x1; x++) {
        if (!t.data[y * w + x]) continue;
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
      }
    }
    out.push({ x0: bx0, y0: y0 + b.y0, x1: bx1 + 1, y1: y0 + b.y1 });
  }
  return mergeThin(out, minH * 2);
}

/** A band thinner than a line of text next to another (the dot of a full stop, a comma's tail) joins it. */
function mergeThin<T extends { x0: number; y0: number; x1: number; y1: number }>(bands: T[], thin: number): T[] {
  const out: T[] = [];
  for (const b of bands) {
    const prev = out[out.length - 1];
    if (prev && (b.y1 - b.y0 < thin || prev.y1 - prev.y0 < thin) && b.y0 - prev.y1 < thin / 2) {
      prev.x0 = Math.min(prev.x0, b.x0);
      prev.x1 = Math.max(prev.x1, b.x1);
      prev.y1 = b.y1;
    } else out.push({ ...b });
  }
  return out;
}

/**
 * The ink extent of a detected line. Detection works on a reduced page, so its box may clip the tops and
 * bottoms of large characters: rows are added on either side while they still hold ink (up to half the
 * box's height), then the box is shrunk to the ink.
 */
function tighten(t: Binary, b: Box): Box | undefined {
  const x0 = Math.max(0, Math.floor(b.x0));
  const x1 = Math.min(t.width, Math.ceil(b.x1));
  const rowInk = (y: number) => {
    let n = 0;
    for (let x = x0; x < x1; x++) n += t.data[y * t.width + x];
    return n;
  };
  let y0 = Math.max(0, Math.floor(b.y0));
  let y1 = Math.min(t.height, Math.ceil(b.y1));
  const grow = Math.round((y1 - y0) / 2);
  for (let k = 0; k < grow && y0 > 0 && rowInk(y0 - 1) > 0; k++) y0--;
  for (let k = 0; k < grow && y1 < t.height && rowInk(y1) > 0; k++) y1++;
  let ax = x1;
  let ay = y1;
  let bx = -1;
  let by = -1;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      if (!t.data[y * t.width + x]) continue;
      if (x < ax) ax = x;
      if (x > bx) bx = x;
      if (y < ay) ay = y;
      if (y > by) by = y;
    }
  return bx < 0 ? undefined : { x0: ax, y0: ay, x1: bx + 1, y1: by + 1, score: b.score };
}

/** The gray page with the rulings' pixels painted white, so crops near a border show only text. */
function withoutRulings(g: Gray, ink: Binary, text: Binary): Gray {
  const out = Uint8Array.from(g.data);
  for (let i = 0; i < out.length; i++) if (ink.data[i] && !text.data[i]) out[i] = 255;
  return { data: out, width: g.width, height: g.height };
}

/**
 * A crop around a text box with a margin of paper, as the recogniser was trained on. Lines of prose read
 * best with a wide margin (0.4 of the height); a lone digit in a cell does not (a bare 0 in much paper
 * reads as a letter o), so cells get a narrow one.
 */
function lineCrop(g: Gray, b: { x0: number; y0: number; x1: number; y1: number }, margin: number, limit?: { x0: number; y0: number; x1: number; y1: number }): Gray {
  const h = b.y1 - b.y0;
  const m = Math.max(3, Math.round(h * margin));
  const L = limit ?? { x0: 0, y0: 0, x1: g.width, y1: g.height };
  return crop(g, Math.max(L.x0, b.x0 - m), Math.max(L.y0, b.y0 - m), Math.min(L.x1, b.x1 + m), Math.min(L.y1, b.y1 + m));
}

/** How surely a line was read overall: its characters' mean probability (nothing read is not sure at all). */
function sureness(t: OcrText): number {
  return t.chars.length ? t.chars.reduce((s, c) => s + c.p, 0) / t.chars.length : 0;
}

/**
 * A number in a cell with an uncertain non-digit at either end: the recogniser's habit of seeing a character
 * in the paper after a lone digit ("3號", "3個"). The character goes, and the reading is only as sure as
 * its absence (1 − its probability).
 */
export function trimNumber(t: OcrText): OcrText {
  const chars = [...t.chars];
  let confidence = t.confidence;
  const stray = (c: { ch: string; p: number } | undefined) => c !== undefined && c.p < 0.5 && !/\d/.test(c.ch.normalize('NFKC'));
  const dropped: number[] = [];
  while (stray(chars[chars.length - 1]) && chars.length > 1) dropped.push(chars.pop()!.p);
  while (stray(chars[0]) && chars.length > 1) dropped.push(chars.shift()!.p);
  const text = chars.map((c) => c.ch).join('');
  if (!dropped.length || !/^[\d,.，．]*\d[\d,.，．]*$/.test(text.normalize('NFKC'))) return t;
  confidence = Math.min(...chars.map((c) => c.p), ...dropped.map((p) => 1 - p));
  return { text, chars, confidence };
}

interface Leveled {
  gray: Gray;
  ink: Binary;
  quarterTurns: number;
  skew: number;
}

function level(img: PageImage, extraTurns: number): Leveled {
  let gray = toGray(img);
  let ink = binarise(gray);
  const o = estimateOrientation(ink);
  const quarterTurns = ((o.sideways ? 1 : 0) + extraTurns) % 4;
  if (quarterTurns) gray = rotateQuarter(gray, quarterTurns);
  // A sideways page's skew was measured before the turn; a clockwise quarter turn keeps its sign.
  if (o.skew) gray = rotate(gray, -o.skew);
  if (quarterTurns || o.skew) ink = binarise(gray);
  return { gray, ink, quarterTurns, skew: o.skew };
}

interface PageRead {
  page: PositionedPage;
  lines: OcrLine[];
  info: OcrPageInfo;
  /** The first lines outside tables and their mean confidence: the upside-down test. */
  sample: { crops: Gray[]; mean: number };
}

async function readPage(e: Engine, img: PageImage, turns: number, timings: OcrTimings): Promise<PageRead> {
  let t0 = now();
  const lv = level(img, turns);
  const { gray, ink } = lv;
  const k = 72 / img.dpi;
  const found = findRulings(ink, img.dpi);
  const toPt = (s: Segment): Segment => ({ h: s.h, c: s.c * k, a: s.a * k, b: s.b * k });
  const tables = clusterSegments(mergeSegments(found.map((r) => toPt(r.segment))))
    .map((c) => buildGrid(c, img.page))
    // A grid smaller than an inch across is a character's strokes (开, 井 in a large title), not a table.
    .filter((g): g is PageTable => g !== undefined && g.ncols >= 2 && g.xs[g.ncols] - g.xs[0] >= 72 && g.ys[g.nrows] - g.ys[0] >= 18);
  // Rulings are those within a table's frame; any other long stroke is text (a bold title, a dash).
  const tol = 3;
  const inTable = (s: Segment) =>
    tables.some((t) => {
      const [x0, x1, y0, y1] = [t.xs[0] - tol, t.xs[t.ncols] + tol, t.ys[0] - tol, t.ys[t.nrows] + tol];
      return s.h ? s.c >= y0 && s.c <= y1 && s.a >= x0 && s.b <= x1 : s.c >= x0 && s.c <= x1 && s.a >= y0 && s.b <= y1;
    });
  const rulings = found.filter((r) => inTable(toPt(r.segment)));
  const segments = rulings.map((r) => toPt(r.segment));
  const rul = { text: despeckle(eraseRulings(ink, rulings), img.dpi) };
  const clean = withoutRulings(gray, ink, rul.text);

  // Per-cell line crops.
  type Job = { box: { x0: number; y0: number; x1: number; y1: number }; crop: Gray; inTable: boolean };
  const jobs: Job[] = [];
  const inset = Math.max(2, Math.round(img.dpi / 60));
  for (const t of tables) {
    for (const c of t.cells) {
      const cx0 = Math.round(c.x0 / k) + inset;
      const cy0 = Math.round(c.y0 / k) + inset;
      const cx1 = Math.round(c.x1 / k) - inset;
      const cy1 = Math.round(c.y1 / k) - inset;
      if (cx1 - cx0 < 4 || cy1 - cy0 < 4) continue;
      const limit = { x0: cx0, y0: cy0, x1: cx1, y1: cy1 };
      for (const b of textBands(rul.text, cx0, cy0, cx1, cy1, img.dpi)) jobs.push({ box: b, crop: lineCrop(clean, b, CELL_MARGIN, limit), inTable: true });
    }
  }
  timings.grid += now() - t0;

  // Text outside the tables: detection on the page with the tables painted out.
  t0 = now();
  const masked = { data: Uint8Array.from(clean.data), width: clean.width, height: clean.height };
  for (const t of tables) {
    const x0 = Math.max(0, Math.floor(t.xs[0] / k) - 2);
    const x1 = Math.min(masked.width, Math.ceil(t.xs[t.ncols] / k) + 2);
    for (let y = Math.max(0, Math.floor(t.ys[0] / k) - 2); y < Math.min(masked.height, Math.ceil(t.ys[t.nrows] / k) + 2); y++) masked.data.fill(255, y * masked.width + x0, y * masked.width + x1);
  }
  const boxes = (await detect(e, masked)).map((b) => tighten(rul.text, b)).filter((b): b is Box => b !== undefined && b.y1 - b.y0 >= 4);
  for (const b of boxes) {
    // The margin stops halfway to the next line above or below: single-spaced lines would show in it.
    let y0 = 0;
    let y1 = masked.height;
    for (const o of boxes) {
      if (o === b || o.x1 <= b.x0 || o.x0 >= b.x1) continue;
      if (o.y1 <= b.y0) y0 = Math.max(y0, Math.ceil((o.y1 + b.y0) / 2));
      else if (o.y0 >= b.y1) y1 = Math.min(y1, Math.floor((b.y1 + o.y0) / 2));
    }
    jobs.push({ box: b, crop: lineCrop(masked, b, LINE_MARGIN, { x0: 0, y0, x1: masked.width, y1 }), inTable: false });
  }
  timings.detection += now() - t0;

  t0 = now();
  const texts: OcrText[] = await recognise(e, jobs.map((j) => j.crop));
  timings.recognition += now() - t0;

  const runs: Run[] = [];
  const lines: OcrLine[] = [];
  jobs.forEach((j, i) => {
    const r = j.inTable ? trimNumber(texts[i]) : texts[i];
    const str = r.text.trim();
    if (!str) return;
    const x0 = j.box.x0 * k;
    const x1 = j.box.x1 * k;
    const top = j.box.y0 * k;
    const bottom = j.box.y1 * k;
    const size = bottom - top;
    runs.push({ str, x0, x1, top, bottom, base: bottom - size * 0.1, size, ocr: { chars: r.chars.filter((c) => c.ch.trim() !== ''), confidence: r.confidence } });
    lines.push({ page: img.page, x0, y0: top, x1, y1: bottom, text: str, confidence: r.confidence, inTable: j.inTable });
  });
  const outside = jobs.map((j, i) => ({ j, t: texts[i] })).filter((x) => !x.j.inTable && x.j.box.x1 - x.j.box.x0 > 3 * (x.j.box.y1 - x.j.box.y0)).slice(0, 6);
  const sample = { crops: outside.map((x) => x.j.crop), mean: outside.length ? outside.reduce((s, x) => s + sureness(x.t), 0) / outside.length : 1 };
  return {
    page: { page: img.page, width: gray.width * k, height: gray.height * k, runs, segments },
    lines,
    info: { page: img.page, quarterTurns: lv.quarterTurns, skew: lv.skew, tables: tables.length },
    sample,
  };
}

/**
 * Whether a page lies upside down: its first text lines outside the tables read more surely turned by 180°.
 * A level page's lines read at near certainty, so the test costs nothing there.
 */
async function upsideDown(e: Engine, read: PageRead): Promise<boolean> {
  if (!read.sample.crops.length || read.sample.mean > 0.9) return false;
  const flipped = await recognise(e, read.sample.crops.map((c) => rotateQuarter(c, 2)));
  const mean = flipped.reduce((s, t) => s + sureness(t), 0) / flipped.length;
  return mean > read.sample.mean + 0.15;
}

/** OCRs page images into positioned pages (points, like PDF), one page at a time. */
export async function ocrPages(images: readonly PageImage[], opts: OcrOptions = {}): Promise<OcrResult> {
  const flat = images.map((img) => nothingToRead(img));
  // The engine is loaded only for a page with something on it.
  const e = flat.every(Boolean) ? undefined : await getEngine();
  const timings: OcrTimings = { grid: 0, detection: 0, recognition: 0 };
  const pages: PositionedPage[] = [];
  const lines: OcrLine[] = [];
  const info: OcrPageInfo[] = [];
  for (const [i, img] of images.entries()) {
    if (!e || flat[i]) {
      const k = 72 / img.dpi;
      pages.push({ page: img.page, width: img.width * k, height: img.height * k, runs: [], segments: [] });
      info.push({ page: img.page, quarterTurns: 0, skew: 0, tables: 0 });
      opts.onPage?.(img.page);
      continue;
    }
    let read = await readPage(e, img, 0, timings);
    if (await upsideDown(e, read)) read = await readPage(e, img, 2, timings);
    pages.push(read.page);
    lines.push(...read.lines);
    info.push(read.info);
    opts.onPage?.(img.page);
  }
  return { pages, lines, info, timings };
}
