/**
 * The PDFium page source: PDFium (compiled to WebAssembly by @embedpdf/pdfium) reads a PDF into the
 * format-neutral positioned-page model — glyph runs and rulings in viewport points, x right, y down —
 * that src/document/layout turns into lines and tables, and renders pages to bitmaps for OCR.
 *
 * It produces what the pdfjs operator-list reader it replaced produced (tests/pdf-engine-parity.test.ts
 * holds it to pdfjs' recorded reading), so that the layout sees the same input: runs are cut where one text-showing operator's glyphs are (a text object in PDFium), split at
 * gaps of 0.8 em, with spaces inside them by the same rules, and boxed from the baseline by the font
 * size; rulings are stroked straight lines and thin filled rectangles that are not white.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { PageImage } from '../../document/image.js';
import { apply, multiply, type Matrix, type PositionedPage, type Run, type Segment } from '../../document/layout/index.js';
import { foldCompat, isCjk } from '../../document/layout/text.js';
import type { OcrReading } from '../../document/model.js';
import { NianbaoError } from '../../errors.js';
import { compile as compileWasm, instantiate, type Heaps, type WasmModule } from './emscripten.js';
import type { EngineResult, PagePicture, PageReadOptions } from './source.js';

/** The PDFium exports we call, straight on the Emscripten module (no cwrap: these are called per glyph). */
interface Wasm {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
  HEAPF32: Float32Array;
  HEAPF64: Float64Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _PDFiumExt_Init(): void;
  _FPDF_LoadMemDocument(data: number, size: number, password: number): number;
  _FPDF_CloseDocument(doc: number): void;
  _FPDF_GetLastError(): number;
  _FPDF_GetPageCount(doc: number): number;
  _FPDF_LoadPage(doc: number, index: number): number;
  _FPDF_ClosePage(page: number): void;
  _FPDF_GetPageWidthF(page: number): number;
  _FPDF_GetPageHeightF(page: number): number;
  _FPDF_GetPageBoundingBox(page: number, rect: number): number;
  _FPDFPage_GetRotation(page: number): number;
  _FPDFPage_CountObjects(page: number): number;
  _FPDFPage_GetObject(page: number, index: number): number;
  _FPDFPageObj_GetType(obj: number): number;
  _FPDFPageObj_GetMatrix(obj: number, matrix: number): number;
  _FPDFPageObj_GetStrokeColor(obj: number, r: number, g: number, b: number, a: number): number;
  _FPDFPageObj_GetFillColor(obj: number, r: number, g: number, b: number, a: number): number;
  _FPDFPath_GetDrawMode(path: number, fillMode: number, stroke: number): number;
  _FPDFPath_CountSegments(path: number): number;
  _FPDFPath_GetPathSegment(path: number, index: number): number;
  _FPDFPathSegment_GetPoint(segment: number, x: number, y: number): number;
  _FPDFPathSegment_GetType(segment: number): number;
  _FPDFPathSegment_GetClose(segment: number): number;
  _FPDFFormObj_CountObjects(form: number): number;
  _FPDFFormObj_GetObject(form: number, index: number): number;
  _FPDFImageObj_GetImagePixelSize(image: number, width: number, height: number): number;
  _FPDFText_LoadPage(page: number): number;
  _FPDFText_ClosePage(textPage: number): void;
  _FPDFText_CountChars(textPage: number): number;
  _FPDFText_GetUnicode(textPage: number, index: number): number;
  _FPDFText_IsGenerated(textPage: number, index: number): number;
  _FPDFText_GetTextObject(textPage: number, index: number): number;
  _FPDFText_GetFontSize(textPage: number, index: number): number;
  _FPDFText_GetCharOrigin(textPage: number, index: number, x: number, y: number): number;
  _FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): number;
  _FPDFText_GetMatrix(textPage: number, index: number, matrix: number): number;
  _FPDFTextObj_GetTextRenderMode(textObject: number): number;
  _FPDFPageObj_GetBounds(obj: number, left: number, bottom: number, right: number, top: number): number;
  _FPDFPageObj_GetClipPath(obj: number): number;
  _FPDFClipPath_CountPaths(clip: number): number;
  _FPDFClipPath_CountPathSegments(clip: number, path: number): number;
  _FPDFClipPath_GetPathSegment(clip: number, path: number, index: number): number;
  _FPDFBitmap_Create(width: number, height: number, alpha: number): number;
  _FPDFBitmap_FillRect(bitmap: number, left: number, top: number, width: number, height: number, color: number): number;
  _FPDFBitmap_GetBuffer(bitmap: number): number;
  _FPDFBitmap_GetStride(bitmap: number): number;
  _FPDFBitmap_Destroy(bitmap: number): void;
  _FPDF_RenderPageBitmap(bitmap: number, page: number, x: number, y: number, w: number, h: number, rotate: number, flags: number): void;
}

// FPDF_GetLastError codes.
const ERR_PASSWORD = 4;
const ERR_SECURITY = 5;
// FPDFPageObj_GetType codes.
const OBJ_PATH = 2;
const OBJ_IMAGE = 3;
const OBJ_FORM = 5;
// FPDFPathSegment_GetType codes.
const SEG_LINETO = 0;
const SEG_BEZIERTO = 1;
const SEG_MOVETO = 2;
// FPDF_TEXT_RENDERMODE_INVISIBLE: text drawn neither filled nor stroked (a scan's searchable layer).
const RENDER_INVISIBLE = 3;
/**
 * The probability given to each character of an invisible text layer: another program's OCR made it and
 * said nothing of its certainty. Below HIGH_CONFIDENCE, so that an equation failing on such cells is a
 * warning (maybe that OCR's misreading), never the source's error.
 */
export const TEXT_LAYER_P = 0.5;
// FPDF_RenderPageBitmap flags: draw annotations (form fields and stamps are part of what a reader sees).
const RENDER_ANNOT = 0x01;
/** Form XObjects nest; a file that nests them deeper than this is hostile, not a report. */
const MAX_FORM_DEPTH = 32;
/** A page count past this is a damaged or hostile trailer (the largest real reports have a few hundred pages). */
const MAX_PAGES = 10_000;

/** A filled rectangle thinner than this (points) is a drawn rule, not a shaded cell. */
const THIN = 2.5;
/** Shorter segments are glyph details, underline dots or dashes, not table borders. */
const MIN_LENGTH = 3;
/** Drift (points) over a segment still taken as axis-aligned. */
const AXIS_TOL = 0.8;
/** Rendered pages are capped at this many pixels (a poster-sized page at 300 dpi would need gigabytes). */
const MAX_RENDER_PIXELS = 50_000_000;

let loading: Promise<Wasm> | undefined;
/** The instance `loading` resolved to. */
let current: Wasm | undefined;
/** PDFium's heap past which an instance is not reused (a few reports of hundreds of pages fit below it). */
export const KEEP_HEAP_BYTES = 256 * 1048576;
let compiling: Promise<WasmModule> | undefined;

/**
 * Starts compiling PDFium's WebAssembly without instantiating it. Compilation runs on V8's background
 * threads, so a worker that calls this first thing has it done while it loads the rest of the pipeline.
 * A failed compile is not cached.
 */
export function compilePdfium(): Promise<WasmModule> {
  compiling ??= (async () => {
    const require = createRequire(import.meta.url);
    return compileWasm(await readFile(require.resolve('@embedpdf/pdfium/pdfium.wasm')));
  })().catch((e: unknown) => {
    compiling = undefined;
    throw e;
  });
  return compiling;
}

/**
 * PDFium's WebAssembly module, instantiated once per process (each batch worker loads it once) from the
 * .wasm file in node_modules, read with fs: no network. A failed load is not cached, so a later call retries.
 */
export function loadPdfium(): Promise<Wasm> {
  loading ??= (async () => {
    const { functions, heaps } = await instantiate(await compilePdfium());
    // The functions join the heap views' object, which heap growth updates in place: plain data
    // properties, read per glyph.
    const wasm = heaps as Heaps & Record<string, unknown>;
    for (const [name, f] of Object.entries(functions)) wasm[`_${name}`] = f;
    (wasm as unknown as Wasm)._PDFiumExt_Init();
    current = wasm as unknown as Wasm;
    return current;
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/**
 * After a trap inside PDFium (an abort, memory exhausted) its heap cannot be trusted: the next document
 * gets a fresh instance.
 */
function discard(instance?: Wasm): void {
  // Only the instance in use: another document may have brought a fresh one already.
  if (!instance || instance === current) {
    loading = undefined;
    current = undefined;
  }
}

/** A WebAssembly trap (RuntimeError, also what an Emscripten abort throws). */
function isTrap(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === 'RuntimeError';
}

/** An image object's place on the page (viewport points) and its size in pixels. */
export interface ImageBox {
  x0: number;
  top: number;
  x1: number;
  bottom: number;
  pixelWidth: number;
  pixelHeight: number;
}

/** One page as PDFium reads it: the positioned page for the layout, plus what OCR needs to know. */
export interface PdfiumPage {
  positioned: PositionedPage;
  /** Page /Rotate in degrees (0, 90, 180, 270); coordinates above are already rotated. */
  rotation: number;
  images: ImageBox[];
  /** Glyphs drawn on the page (spaces included), whether or not they make runs. */
  glyphs: number;
  /** Of those, the ones in render mode 3 (invisible): a scan's OCR text layer. */
  invisibleGlyphs: number;
}

export interface PdfiumDocument {
  readonly pageCount: number;
  /** Reads page n (1-based). Throws a plain Error for a page PDFium cannot load. */
  readPage(n: number): PdfiumPage;
  /** Renders page n (1-based) at `dpi` to an RGB bitmap, white background, annotations drawn. */
  renderPage(n: number, dpi?: number): PageImage;
  close(): void;
}

/**
 * Opens a PDF from bytes. The bytes are copied into PDFium's heap (the caller's buffer is left alone) and
 * stay there until close(). Errors: 'encrypted' when a password is needed, 'corrupt' when PDFium cannot
 * open the file or its page count is not believable.
 */
export async function openPdfium(bytes: Uint8Array): Promise<PdfiumDocument> {
  const wasm = await loadPdfium();
  if (bytes.length === 0) throw new NianbaoError('corrupt', 'corrupt PDF: the file is empty');
  let data = 0;
  let doc = 0;
  let scratch = 0;
  try {
    data = wasm._malloc(bytes.length);
    if (!data) throw new NianbaoError('corrupt', 'corrupt PDF: too large to load');
    wasm.HEAPU8.set(bytes, data);
    doc = wasm._FPDF_LoadMemDocument(data, bytes.length, 0);
    if (!doc) {
      const code = wasm._FPDF_GetLastError();
      if (code === ERR_PASSWORD) throw new NianbaoError('encrypted', 'encrypted: a password is required');
      if (code === ERR_SECURITY) throw new NianbaoError('encrypted', 'encrypted: unsupported security handler');
      throw new NianbaoError('corrupt', `corrupt PDF: ${OPEN_ERRORS[code] ?? 'unreadable'}`);
    }
    const pageCount = wasm._FPDF_GetPageCount(doc);
    if (!Number.isInteger(pageCount) || pageCount < 0 || pageCount > MAX_PAGES) {
      throw new NianbaoError('corrupt', `corrupt PDF: page count ${pageCount} is not believable`);
    }
    scratch = wasm._malloc(64);
  } catch (e) {
    if (doc) wasm._FPDF_CloseDocument(doc);
    if (data) wasm._free(data);
    if (!(e instanceof NianbaoError)) discard(wasm);
    throw e;
  }
  return new Document(wasm, doc, data, scratch);
}

const OPEN_ERRORS: Record<number, string> = {
  1: 'unknown error',
  2: 'cannot be opened',
  3: 'not a PDF or damaged beyond repair',
  6: 'page not found',
};

class Document implements PdfiumDocument {
  readonly pageCount: number;
  private closed = false;

  constructor(
    private readonly wasm: Wasm,
    private readonly doc: number,
    private readonly data: number,
    private readonly scratch: number,
  ) {
    this.pageCount = wasm._FPDF_GetPageCount(doc);
  }

  readPage(n: number): PdfiumPage {
    return this.withPage(n, (page) => readLoadedPage(this.wasm, page, n, this.scratch));
  }

  renderPage(n: number, dpi = 200): PageImage {
    return this.withPage(n, (page) => renderLoadedPage(this.wasm, page, n, dpi));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.wasm._FPDF_CloseDocument(this.doc);
      this.wasm._free(this.data);
      this.wasm._free(this.scratch);
    } catch {
      discard(this.wasm);
    }
    // WebAssembly memory never shrinks: after a file that took PDFium's heap this high, the next document
    // gets a fresh instance (~20 ms) and this one's memory goes with its last open document, rather than
    // staying with the process (a batch worker) for every file after it.
    if (this.wasm.HEAPU8.length > KEEP_HEAP_BYTES) discard(this.wasm);
  }

  private withPage<T>(n: number, f: (page: number) => T): T {
    if (this.closed) throw new Error('document closed');
    if (!Number.isInteger(n) || n < 1 || n > this.pageCount) throw new Error(`no page ${n}`);
    let page = 0;
    try {
      page = this.wasm._FPDF_LoadPage(this.doc, n - 1);
      if (!page) throw new Error('PDFium could not load it');
      return f(page);
    } catch (e) {
      // A WebAssembly trap (RuntimeError) leaves PDFium's heap in an unknown state.
      if (isTrap(e)) discard(this.wasm);
      throw e;
    } finally {
      if (page) this.wasm._FPDF_ClosePage(page);
    }
  }
}

/** The box pdfjs calls the view: crop box ∩ media box (FPDF_GetPageBoundingBox), normalised. */
function pageBox(wasm: Wasm, page: number, scratch: number): [number, number, number, number] {
  if (wasm._FPDF_GetPageBoundingBox(page, scratch)) {
    const f = wasm.HEAPF32;
    const i = scratch >> 2;
    // FS_RECTF: left, top, right, bottom.
    const [l, t, r, b] = [f[i], f[i + 1], f[i + 2], f[i + 3]];
    if ([l, t, r, b].every(Number.isFinite) && r !== l && t !== b) return [Math.min(l, r), Math.min(b, t), Math.max(l, r), Math.max(b, t)];
  }
  return [0, 0, wasm._FPDF_GetPageWidthF(page), wasm._FPDF_GetPageHeightF(page)];
}

/**
 * PDF user space → viewport (points, y down, page rotation applied), exactly as pdfjs' PageViewport
 * builds it at scale 1, so both engines place things at the same coordinates.
 */
export function viewportMatrix(box: readonly [number, number, number, number], rotation: number): { m: Matrix; width: number; height: number } {
  const [x0, y0, x1, y1] = box;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const [a, b, c, d] = ROTATIONS[((rotation % 360) + 360) % 360] ?? ROTATIONS[0];
  const turned = a === 0;
  const ox = turned ? Math.abs(cy - y0) : Math.abs(cx - x0);
  const oy = turned ? Math.abs(cx - x0) : Math.abs(cy - y0);
  const width = turned ? y1 - y0 : x1 - x0;
  const height = turned ? x1 - x0 : y1 - y0;
  return { m: [a, b, c, d, ox - a * cx - c * cy, oy - b * cx - d * cy], width, height };
}

const ROTATIONS: Record<number, [number, number, number, number]> = {
  0: [1, 0, 0, -1],
  90: [0, 1, 1, 0],
  180: [-1, 0, 0, 1],
  270: [0, -1, -1, 0],
};

function readLoadedPage(wasm: Wasm, page: number, n: number, scratch: number): PdfiumPage {
  const rotation = (wasm._FPDFPage_GetRotation(page) & 3) * 90;
  const view = viewportMatrix(pageBox(wasm, page, scratch), rotation);
  const segments: Segment[] = [];
  const images: ImageBox[] = [];
  const count = wasm._FPDFPage_CountObjects(page);
  const far: Furthest = { obj: 0, right: -Infinity };
  for (let i = 0; i < count; i++) walkObject(wasm, wasm._FPDFPage_GetObject(page, i), view.m, scratch, segments, images, 0, far);
  const cut = rotation === 0 ? rightCut(wasm, far, scratch) : undefined;
  const text = wasm._FPDFText_LoadPage(page);
  let runs: Run[] = [];
  let glyphs = 0;
  let invisibleGlyphs = 0;
  if (text) {
    try {
      const chars = readChars(wasm, text, scratch);
      glyphs = chars.length;
      for (const c of chars) if (c.invisible) invisibleGlyphs++;
      runs = charsToRuns(chars, view.m);
      if (cut !== undefined) markClipped(runs, apply(view.m, cut, 0)[0]);
    } finally {
      wasm._FPDFText_ClosePage(text);
    }
  }
  return { positioned: { page: n, width: view.width, height: view.height, runs, segments }, rotation, images, glyphs, invisibleGlyphs };
}

/** The page's top-level path object reaching furthest right (PDF user space), found while walking the page. */
interface Furthest {
  obj: number;
  right: number;
}

/**
 * The x (PDF user space) of a clip edge that cuts the page's drawing on the right: a table wider than the
 * paper, printed by a browser, is clipped at the margin, and its borders run on past the clip while the
 * glyphs beyond it are not in the file at all. Found from the path reaching furthest right: when it
 * extends past its own clip's right edge by more than a point, that edge cuts the page. Undefined when
 * nothing is cut (a table that fits ends its borders at or inside the clip).
 */
function rightCut(wasm: Wasm, far: Furthest, scratch: number): number | undefined {
  if (!far.obj) return undefined;
  const f = wasm.HEAPF32;
  const clip = wasm._FPDFPageObj_GetClipPath(far.obj);
  if (!clip) return undefined;
  let edge = -Infinity;
  for (let k = 0; k < wasm._FPDFClipPath_CountPaths(clip); k++) {
    for (let j = 0; j < wasm._FPDFClipPath_CountPathSegments(clip, k); j++) {
      const seg = wasm._FPDFClipPath_GetPathSegment(clip, k, j);
      if (seg && wasm._FPDFPathSegment_GetPoint(seg, scratch, scratch + 4)) edge = Math.max(edge, f[scratch >> 2]);
    }
  }
  return Number.isFinite(edge) && far.right > edge + 1 ? edge : undefined;
}

/** Runs that reach the cut edge (within the advance of a glyph more): what followed them may be lost. */
function markClipped(runs: Run[], x: number): void {
  for (const r of runs) if (r.x0 < x && r.x1 > x - 0.6 * r.size) r.clipped = true;
}

/** FS_MATRIX (six floats) at ptr. */
function readMatrix(wasm: Wasm, ptr: number): Matrix {
  const f = wasm.HEAPF32;
  const i = ptr >> 2;
  return [f[i], f[i + 1], f[i + 2], f[i + 3], f[i + 4], f[i + 5]];
}

/** RGBA of a page object's stroke or fill, or undefined when PDFium has none for it. */
function color(wasm: Wasm, obj: number, scratch: number, stroke: boolean): [number, number, number] | undefined {
  const ok = stroke
    ? wasm._FPDFPageObj_GetStrokeColor(obj, scratch, scratch + 4, scratch + 8, scratch + 12)
    : wasm._FPDFPageObj_GetFillColor(obj, scratch, scratch + 4, scratch + 8, scratch + 12);
  if (!ok) return undefined;
  const u = wasm.HEAPU32;
  const i = scratch >> 2;
  return [u[i], u[i + 1], u[i + 2]];
}

// White (or near-white) rules are invisible: designers use them to hide borders (each channel ≥ 0xF0).
function invisible(rgb: [number, number, number] | undefined): boolean {
  return !!rgb && rgb[0] >= 0xf0 && rgb[1] >= 0xf0 && rgb[2] >= 0xf0;
}

/** Rulings and image boxes of one page object, recursing into form XObjects with their matrices. */
function walkObject(wasm: Wasm, obj: number, parent: Matrix, scratch: number, segments: Segment[], images: ImageBox[], depth: number, far?: Furthest): void {
  if (!obj) return;
  const type = wasm._FPDFPageObj_GetType(obj);
  if (type !== OBJ_PATH && type !== OBJ_FORM && type !== OBJ_IMAGE) return;
  if (far && type === OBJ_PATH && wasm._FPDFPageObj_GetBounds(obj, scratch, scratch + 4, scratch + 8, scratch + 12)) {
    const right = wasm.HEAPF32[(scratch + 8) >> 2];
    if (right > far.right) [far.obj, far.right] = [obj, right];
  }
  const own = wasm._FPDFPageObj_GetMatrix(obj, scratch) ? readMatrix(wasm, scratch) : ([1, 0, 0, 1, 0, 0] as Matrix);
  const m = multiply(parent, own);
  if (type === OBJ_FORM) {
    if (depth >= MAX_FORM_DEPTH) return;
    const n = wasm._FPDFFormObj_CountObjects(obj);
    for (let i = 0; i < n; i++) walkObject(wasm, wasm._FPDFFormObj_GetObject(obj, i), m, scratch, segments, images, depth + 1);
    return;
  }
  if (type === OBJ_IMAGE) {
    images.push(imageBox(wasm, obj, m, scratch));
    return;
  }
  if (!wasm._FPDFPath_GetDrawMode(obj, scratch, scratch + 4)) return;
  const filled = wasm.HEAP32[scratch >> 2] !== 0;
  const stroked = wasm.HEAP32[(scratch + 4) >> 2] !== 0;
  const strokeOn = stroked && !invisible(color(wasm, obj, scratch, true));
  const fillOn = filled && !invisible(color(wasm, obj, scratch, false));
  if (!strokeOn && !fillOn) return;
  const subpaths = readSubpaths(wasm, obj, m, scratch);
  if (strokeOn) {
    for (const { pts, closed } of subpaths) {
      for (let k = 1; k < pts.length; k++) addLine(segments, pts[k - 1], pts[k]);
      if (closed && pts.length > 2) addLine(segments, pts[pts.length - 1], pts[0]);
    }
  }
  if (fillOn) {
    for (const { pts } of subpaths) {
      const box = fillBox(pts);
      if (!box) continue;
      const [x0, y0, x1, y1] = box;
      const w = x1 - x0;
      const h = y1 - y0;
      if (h <= THIN && w >= MIN_LENGTH && w > h) segments.push({ h: true, c: (y0 + y1) / 2, a: x0, b: x1 });
      else if (w <= THIN && h >= MIN_LENGTH && h > w) segments.push({ h: false, c: (x0 + x1) / 2, a: y0, b: y1 });
    }
  }
}

function imageBox(wasm: Wasm, obj: number, m: Matrix, scratch: number): ImageBox {
  // An image fills the unit square of its matrix.
  const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const ok = wasm._FPDFImageObj_GetImagePixelSize(obj, scratch, scratch + 4);
  const u = wasm.HEAPU32;
  return {
    x0: Math.min(...xs),
    top: Math.min(...ys),
    x1: Math.max(...xs),
    bottom: Math.max(...ys),
    pixelWidth: ok ? u[scratch >> 2] : 0,
    pixelHeight: ok ? u[(scratch + 4) >> 2] : 0,
  };
}

function addLine(segments: Segment[], [x1, y1]: [number, number], [x2, y2]: [number, number]): void {
  if (Math.abs(y1 - y2) <= AXIS_TOL && Math.abs(x2 - x1) >= MIN_LENGTH) {
    segments.push({ h: true, c: (y1 + y2) / 2, a: Math.min(x1, x2), b: Math.max(x1, x2) });
  } else if (Math.abs(x1 - x2) <= AXIS_TOL && Math.abs(y2 - y1) >= MIN_LENGTH) {
    segments.push({ h: false, c: (x1 + x2) / 2, a: Math.min(y1, y2), b: Math.max(y1, y2) });
  }
}

/**
 * A path's subpaths as transformed points; subpaths with curves are dropped (they are never rules).
 * After a close the current point is the subpath's start, as in the PDF path model.
 */
function readSubpaths(wasm: Wasm, path: number, m: Matrix, scratch: number): { pts: [number, number][]; closed: boolean }[] {
  const out: { pts: [number, number][]; closed: boolean }[] = [];
  let pts: [number, number][] = [];
  let curved = false;
  const flush = (closed: boolean) => {
    if (pts.length > 1 && !curved) out.push({ pts, closed });
    pts = [];
    curved = false;
  };
  const n = wasm._FPDFPath_CountSegments(path);
  for (let i = 0; i < n; i++) {
    const seg = wasm._FPDFPath_GetPathSegment(path, i);
    if (!seg || !wasm._FPDFPathSegment_GetPoint(seg, scratch, scratch + 4)) continue;
    const f = wasm.HEAPF32;
    const p = apply(m, f[scratch >> 2], f[(scratch + 4) >> 2]);
    const type = wasm._FPDFPathSegment_GetType(seg);
    if (type === SEG_MOVETO) {
      flush(false);
      pts.push(p);
    } else if (type === SEG_LINETO || type === SEG_BEZIERTO) {
      if (type === SEG_BEZIERTO) curved = true;
      pts.push(p);
    } else {
      return out; // unknown segment type: the rest cannot be trusted
    }
    if (wasm._FPDFPathSegment_GetClose(seg)) {
      const start = pts[0];
      flush(true);
      if (start) pts.push(start);
    }
  }
  flush(false);
  return out;
}

/**
 * The bounding box of a filled subpath that may be a drawn rule: a polygon of three to eight corners (a
 * fill closes it). Word and WPS fill rectangles; Chrome (Skia) fills each border side as a trapezoid, its
 * ends mitred where two borders meet ("M11,344 L11,1032 L12,1031 L12,344"). The caller keeps the thin ones.
 */
function fillBox(pts: [number, number][]): [number, number, number, number] | undefined {
  let p = pts;
  const last = p.length - 1;
  if (p.length > 3 && Math.abs(p[0][0] - p[last][0]) < 0.01 && Math.abs(p[0][1] - p[last][1]) < 0.01) p = p.slice(0, last);
  if (p.length < 3 || p.length > 8) return undefined;
  const xs = p.map((q) => q[0]);
  const ys = p.map((q) => q[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** One drawn glyph as PDFium's text page has it, in PDF user space. */
export interface Glyph {
  /** Text of the glyph (usually one code point; ToUnicode maps may give more). */
  str: string;
  /** The text object (one text-showing operator) it was drawn by. */
  obj: number;
  /** Pen position: the glyph's origin on its baseline (on its vertical line, for vertical writing). */
  ox: number;
  oy: number;
  /** The glyph's matrix (text matrix × CTM, unscaled by the font size); e, f are where its horizontal origin lands. */
  m: Matrix;
  /** Font size from Tf (text space units). */
  size: number;
  /** Advance in font-size units (em) along the baseline, for horizontal writing. */
  advance: number;
  /** Advance in em down the line, for vertical writing. */
  vAdvance: number;
  /** Set by charsToRuns for the glyphs of a vertical-writing text object. */
  vertical: boolean;
  /** Drawn in render mode 3 (invisible): the OCR text layer of a scanned page. */
  invisible?: boolean;
}

/** Glyphs of a text page in content order; PDFium's generated spaces and line breaks are left out. */
export function readChars(wasm: Wasm, text: number, scratch: number): Glyph[] {
  const n = wasm._FPDFText_CountChars(text);
  const out: Glyph[] = [];
  let lastObj = -1;
  let size = 0;
  let m: Matrix = [1, 0, 0, 1, 0, 0];
  let invisible = false;
  for (let i = 0; i < n; i++) {
    if (wasm._FPDFText_IsGenerated(text, i)) continue;
    let u = wasm._FPDFText_GetUnicode(text, i);
    // UTF-16 surrogate pairs come as two chars of one glyph.
    if (u >= 0xdc00 && u <= 0xdfff && out.length && /[\uD800-\uDBFF]$/.test(out[out.length - 1].str)) {
      out[out.length - 1].str += String.fromCharCode(u);
      continue;
    }
    const obj = wasm._FPDFText_GetTextObject(text, i);
    // Font size and matrix are the text object's: read once per object.
    if (obj !== lastObj || !obj) {
      lastObj = obj;
      size = wasm._FPDFText_GetFontSize(text, i);
      wasm._FPDFText_GetMatrix(text, i, scratch + 16);
      m = readMatrix(wasm, scratch + 16);
      invisible = !!obj && wasm._FPDFTextObj_GetTextRenderMode(obj) === RENDER_INVISIBLE;
    }
    wasm._FPDFText_GetCharOrigin(text, i, scratch, scratch + 8);
    const d = wasm.HEAPF64;
    const ox = d[scratch >> 3];
    const oy = d[(scratch + 8) >> 3];
    wasm._FPDFText_GetLooseCharBox(text, i, scratch + 40);
    const f = wasm.HEAPF32;
    const b = (scratch + 40) >> 2;
    const left = f[b];
    const top = f[b + 1];
    const right = f[b + 2];
    const bottom = f[b + 3];
    // Horizontal: the loose box spans the advance along x, scaled by the matrix' a (PDFium: width × a).
    // Vertical CJK fonts: the box is in unscaled text space and its height is the vertical advance.
    const advance = Math.abs(m[0]) > 1e-6 && size ? Math.abs(right - left) / (Math.abs(m[0]) * size) : 1;
    const vAdvance = size ? Math.abs(top - bottom) / size : 1;
    const str = u === 0 || (u >= 0xd800 && u <= 0xdfff && !(u <= 0xdbff)) ? '' : String.fromCharCode(...(u > 0xffff ? toSurrogates(u) : [u]));
    out.push({ str, obj, ox, oy, m, size, advance, vAdvance, vertical: false, ...(invisible ? { invisible } : {}) });
  }
  return out;
}

function toSurrogates(u: number): number[] {
  const v = u - 0x10000;
  return [0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff)];
}

// C0/C1 controls and private-use code points come from broken ToUnicode maps; they are never text.
const JUNK = /[\u0000-\u001F\u007F-\u009F\uE000-\uF8FF\uFFFD]/g;

/**
 * Glyphs → runs, by the rules the pdfjs reader applied to one text-showing operator: a run continues across
 * character spacing (letter-spaced text stays one word: "号，邮编", "223100"); space glyphs, or a gap
 * from a TJ adjustment, become a space inside the run (never between two CJK characters, and between
 * CJK and Latin only from a space glyph or a gap wider than autospace); a gap of 0.8 em or more (a column
 * gutter typed with spaces) or a step back of half an em starts a new run. Runs note a space glyph at
 * their ends, for gapIsSpace. Vertical-writing glyphs are one run each.
 *
 * PDFium gives positions, not the text state: the character spacing (Tc) of a text object is taken as
 * the gap most of its glyph pairs share, when at least two pairs share it.
 */
export function charsToRuns(glyphs: readonly Glyph[], view: Matrix): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < glyphs.length; ) {
    let j = i + 1;
    while (j < glyphs.length && glyphs[j].obj === glyphs[i].obj) j++;
    const group = glyphs.slice(i, j);
    if (isVertical(group[0])) for (const g of group) g.vertical = true;
    const before = runs.length;
    showText(group, view, runs);
    if (group[0].invisible) for (let k = before; k < runs.length; k++) runs[k].ocr = textLayerReading(runs[k].str);
    i = j;
  }
  return runs;
}

/** An invisible layer's text as an OCR reading whose certainty is unknown (TEXT_LAYER_P per character). */
function textLayerReading(str: string): OcrReading {
  const chars = [...str].filter((ch) => ch.trim() !== '').map((ch) => ({ ch, p: TEXT_LAYER_P }));
  return { chars, confidence: chars.length ? TEXT_LAYER_P : 1 };
}

/**
 * Whether a text object is set in vertical writing. PDFium has no call for it, but shows it: the object's
 * matrix places the first glyph's horizontal origin, and its pen position (char origin) lies at the vertical
 * origin, half an em left and 0.88 em below that (DW2). Horizontal text starts at the matrix' translation,
 * or away from it along the baseline only (a leading TJ adjustment) or across it only (text rise).
 */
function isVertical(g: Glyph): boolean {
  const [a, b, c, d, e, f] = g.m;
  const det = a * d - b * c;
  if (!det || !g.size) return false;
  // (e, f) − origin in text space, in em.
  const dx = e - g.ox;
  const dy = f - g.oy;
  const tx = (d * dx - c * dy) / det / g.size;
  const ty = (-b * dx + a * dy) / det / g.size;
  return Math.abs(tx) > 0.15 && ty > 0.3;
}

function showText(glyphs: readonly Glyph[], view: Matrix, out: Run[]): void {
  const first = glyphs[0];
  const m0 = first.m;
  const size = first.size;
  // Baseline direction and the length of one text-space unit along it, in user space.
  const ax = Math.hypot(m0[0], m0[1]) || 1;
  const ux = m0[0] / ax;
  const uy = m0[1] / ax;
  const em = size * ax || 1;
  /** Position along the baseline, in em, from the first glyph's pen position. */
  const along = (g: Glyph) => ((g.ox - first.ox) * ux + (g.oy - first.oy) * uy) / em;
  const tc = characterSpacing(glyphs, along);

  let cur: { str: string; start: number; end: number; next: number; last: string; spaceBefore: boolean } | undefined;
  let pendingSpace = false;
  const emit = () => {
    if (cur && cur.str.trim()) {
      const run = makeRun(cur.str, first, cur.start * em, cur.end * em, ux, uy, view);
      if (cur.spaceBefore) run.spaceBefore = true;
      if (pendingSpace) run.spaceAfter = true;
      out.push(run);
    }
    cur = undefined;
    pendingSpace = false;
  };
  for (const g of glyphs) {
    if (g.vertical) {
      const str = foldCompat(g.str);
      if (str.trim()) out.push(verticalRun(str, g, first, view));
      continue;
    }
    const str = foldCompat(g.str).replace(JUNK, '');
    if (!str.trim()) {
      if (g.str.trim() === '') pendingSpace = true;
      continue;
    }
    const x = along(g);
    if (cur) {
      const gap = x - cur.next;
      if (gap >= 0.8 || gap < -0.5) emit();
      else if (pendingSpace || gap >= 0.2) {
        const a = isCjk(cur.last);
        const b = isCjk(str[0]);
        // As in gapIsSpace: between CJK and Latin a narrow gap is autospace, not a typed space.
        if (!(a && b) && (pendingSpace || !(a || b) || gap >= 0.6)) cur.str += ' ';
      }
    }
    cur ??= { str: '', start: x, end: x, next: x, last: '', spaceBefore: pendingSpace };
    cur.str += str;
    cur.last = str.at(-1) ?? '';
    pendingSpace = false;
    cur.end = x + g.advance * (g.size / size || 1);
    cur.next = cur.end + tc;
  }
  emit();
}

/** Tc in em: the raw gap shared by most adjacent pairs of non-space glyphs, if two or more share it; else 0. */
function characterSpacing(glyphs: readonly Glyph[], along: (g: Glyph) => number): number {
  const counts = new Map<number, number>();
  let prev: Glyph | undefined;
  for (const g of glyphs) {
    if (g.vertical || !g.str.trim()) {
      prev = undefined;
      continue;
    }
    if (prev) {
      const key = Math.round((along(g) - along(prev) - prev.advance) * 1000);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    prev = g;
  }
  let best = 0;
  let bestCount = 1;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && count > 1 && Math.abs(key) < Math.abs(best))) {
      best = key;
      bestCount = count;
    }
  }
  return bestCount >= 2 ? best / 1000 : 0;
}

/**
 * A run from `start` to `end` (user-space distances along the baseline from the object's first pen
 * position), mapped to the viewport; glyph box from descent (0.12 em) to ascent (0.88 em), as ops.ts.
 */
function makeRun(str: string, first: Glyph, start: number, end: number, ux: number, uy: number, view: Matrix): Run {
  const p0 = apply(view, first.ox + ux * start, first.oy + uy * start);
  const p1 = apply(view, first.ox + ux * end, first.oy + uy * end);
  const m = multiply(view, first.m);
  const up: [number, number] = [m[2] * first.size, m[3] * first.size];
  const fs = Math.hypot(up[0], up[1]) || first.size;
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

/** A glyph of a vertical-writing font: centred on its horizontal origin (where pdfjs places it), extending down by its advance. */
function verticalRun(str: string, g: Glyph, first: Glyph, view: Matrix): Run {
  // The object's matrix holds its first glyph's horizontal origin; later glyphs are as far from their pen positions.
  const m = multiply(view, [g.m[0], g.m[1], g.m[2], g.m[3], g.ox + first.m[4] - first.ox, g.oy + first.m[5] - first.oy]);
  const s = g.size;
  const adv = (g.vAdvance || 1) * s;
  const corners = [apply(m, -s / 2, 0), apply(m, s / 2, 0), apply(m, -s / 2, -adv), apply(m, s / 2, -adv)];
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const top = Math.min(...ys);
  const bottom = Math.max(...ys);
  const fs = Math.hypot(m[2] * s, m[3] * s) || s;
  return { str: str.trim(), x0: Math.min(...xs), x1: Math.max(...xs), top, bottom, base: (top + bottom) / 2, size: fs };
}

function renderLoadedPage(wasm: Wasm, page: number, n: number, dpi: number): PageImage {
  if (!(dpi > 0) || !Number.isFinite(dpi)) throw new Error(`bad dpi ${dpi}`);
  const pw = wasm._FPDF_GetPageWidthF(page);
  const ph = wasm._FPDF_GetPageHeightF(page);
  let scale = dpi / 72;
  if (pw * ph * scale * scale > MAX_RENDER_PIXELS) scale = Math.sqrt(MAX_RENDER_PIXELS / (pw * ph));
  const width = Math.max(1, Math.round(pw * scale));
  const height = Math.max(1, Math.round(ph * scale));
  const bitmap = wasm._FPDFBitmap_Create(width, height, 0);
  if (!bitmap) throw new Error(`cannot allocate a ${width}×${height} bitmap`);
  try {
    wasm._FPDFBitmap_FillRect(bitmap, 0, 0, width, height, 0xffffffff);
    // The page's /Rotate is applied by PDFium itself (rotate argument 0 = as the page says).
    wasm._FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_ANNOT);
    const stride = wasm._FPDFBitmap_GetStride(bitmap);
    const buf = wasm._FPDFBitmap_GetBuffer(bitmap);
    const heap = wasm.HEAPU8;
    const data = new Uint8Array(width * height * 3);
    // BGRx → RGB.
    for (let y = 0; y < height; y++) {
      let s = buf + y * stride;
      let d = y * width * 3;
      for (let x = 0; x < width; x++, s += 4, d += 3) {
        data[d] = heap[s + 2];
        data[d + 1] = heap[s + 1];
        data[d + 2] = heap[s];
      }
    }
    return { page: n, data, width, height, channels: 3, dpi: scale * 72 };
  } finally {
    wasm._FPDFBitmap_Destroy(bitmap);
  }
}

/** Narrower than this (points, 2.5 in), a picture is a seal, a logo or a signature, not a table. */
const PICTURE_MIN_WIDTH = 180;
/** Lower than this (points), a picture is a rule or a banner. */
const PICTURE_MIN_HEIGHT = 36;
/** Fewer pixels than this cannot hold a legible table. */
const PICTURE_MIN_PIXELS = 40_000;
/** Text runs inside a picture past which it is a background, or a scan with its own text layer: read as text. */
const PICTURE_MAX_RUNS = 2;

/**
 * Pictures of a page with text that may be tables pasted as images ("图片版"): wide, tall and detailed
 * enough, and not under text (a scan's text layer, a letterhead behind the body). A page without text is
 * OCR'd whole, so only pages with text have pictures here.
 */
function tablePictures(page: PdfiumPage): PagePicture[] {
  const { runs } = page.positioned;
  if (!runs.length) return [];
  return page.images
    .filter((im) => im.x1 - im.x0 >= PICTURE_MIN_WIDTH && im.bottom - im.top >= PICTURE_MIN_HEIGHT && im.pixelWidth * im.pixelHeight >= PICTURE_MIN_PIXELS)
    .filter((im) => runs.filter((r) => r.x0 >= im.x0 - 1 && r.x1 <= im.x1 + 1 && r.top >= im.top - 1 && r.bottom <= im.bottom + 1).length <= PICTURE_MAX_RUNS)
    .map((im) => ({ page: page.positioned.page, x0: im.x0, top: im.top, x1: im.x1, bottom: im.bottom, dpi: (im.pixelWidth * 72) / (im.x1 - im.x0) }));
}

/**
 * The adapter's entry: every page of the document as a positioned page. PDFium works synchronously, so
 * the deadline is checked between pages (a single page that spins is the batch worker's deadline's job).
 */
export async function readPdfium(bytes: Uint8Array, opts: PageReadOptions): Promise<EngineResult> {
  const doc = await openPdfium(bytes);
  try {
    const pages: PositionedPage[] = [];
    const warnings: string[] = [];
    const layered: number[] = [];
    const pictures: PagePicture[] = [];
    for (let p = 1; p <= doc.pageCount; p++) {
      if (performance.now() > opts.deadline) throw opts.timeoutError();
      try {
        const page = doc.readPage(p);
        pages.push(page.positioned);
        if (page.invisibleGlyphs * 2 > page.glyphs) layered.push(p);
        else pictures.push(...tablePictures(page));
      } catch (e) {
        if (isTrap(e)) throw new NianbaoError('corrupt', `corrupt PDF: page ${p} broke the PDF engine`);
        warnings.push(`page ${p} could not be read: ${((e as { message?: string } | null)?.message ?? String(e)).split('\n')[0]}`);
      }
    }
    if (performance.now() > opts.deadline) throw opts.timeoutError();
    if (layered.length) warnings.push(`${layered.length === 1 ? 'page' : 'pages'} ${layered.join(', ')}: the text is an invisible layer over a scan (another program's OCR), read as OCR of unknown certainty`);
    return { pageCount: doc.pageCount, pages, warnings, engine: 'pdfium', pictures };
  } finally {
    doc.close();
  }
}

/**
 * Page `page` (1-based) of a PDF as pixels, for OCR of pages without a text layer: RGB, white background,
 * annotations drawn, the page's /Rotate applied, at `dpi` (capped at 50 megapixels; the image's `dpi`
 * says what was used). Throws NianbaoError 'encrypted' / 'corrupt' for a file PDFium cannot open and a
 * plain Error for a page it cannot load. To render many pages of one file, use openPdfium(bytes).renderPage.
 */
export async function renderPage(bytes: Uint8Array, page: number, dpi = 200): Promise<PageImage> {
  const doc = await openPdfium(bytes);
  try {
    return doc.renderPage(page, dpi);
  } finally {
    doc.close();
  }
}
