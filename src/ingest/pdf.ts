import type { Block, DocumentModel, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import type { Matrix } from './pdf/geometry.js';
import { assignRuns, buildGrid, clusterSegments, compact, mergeSegments, type PageTable } from './pdf/grid.js';
import { findLooseTables, isPageMarker, measure, paragraph, startsParagraph, toLines, type Line, type Margins } from './pdf/layout.js';
import { assetDirs, loadPdfJs, type PdfJs } from './pdf/loader.js';
import { readOperators, type FontInfo } from './pdf/ops.js';
import { continues, stitch } from './pdf/stitch.js';
import { runsFromItems, type TextItemLike } from './pdf/text.js';

/** Wall-clock milliseconds spent per phase, summed over pages (phases of different pages overlap when concurrent). */
export interface PdfStats {
  open: number;
  textContent: number;
  operatorList: number;
  tables: number;
  layout: number;
  pages: number;
}

export interface PdfReadOptions extends IngestOptions {
  /** Give up after this long (pdfjs can spin on broken files). Default 60 s. */
  timeoutMs?: number;
  /**
   * Pages in flight at once. Default 1: pdfjs' worker half runs in this thread under Node, so more pages
   * at once only interleave its steps (and overlap its few file reads); on the samples 4 at a time was
   * not measurably faster than 1 (bench/pdf.ts: within run-to-run noise either way) and holds more memory.
   */
  concurrency?: number;
  /** Filled with phase timings when given (for bench/pdf.ts). */
  stats?: PdfStats;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * What pdfjs' FontLoader touches of a document when the Font Loading API is missing (as in Node): it
 * "inserts" an @font-face rule into a style sheet, and is done (Node counts as loading fonts synchronously).
 */
const NO_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

interface PageResult {
  page: number;
  height: number;
  tables: PageTable[];
  lines: Line[];
  hasText: boolean;
}

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

export async function read(bytes: Uint8Array, opts: PdfReadOptions = {}): Promise<DocumentModel> {
  const pdfjs = await loadPdfJs();
  const stats = opts.stats;
  const t0 = performance.now();
  const task = pdfjs.getDocument({
    // pdfjs transfers (detaches) the buffer it is given, and refuses Node Buffers: hand it a plain copy.
    data: new Uint8Array(bytes),
    ...assetDirs(),
    cMapPacked: true,
    isEvalSupported: false,
    // With disableFontFace, pdfjs' worker compiles every glyph's outline into a path for canvas drawing
    // (buildFontPaths: a quarter of a parse with the garbage it makes). With font faces on, it leaves
    // them to the font loader, which we skip (skipFontLoading; NO_DOCUMENT as a fallback): we never draw.
    disableFontFace: false,
    ownerDocument: NO_DOCUMENT,
    useSystemFonts: false,
    // Images carry no text we read, but pdfjs decodes them for the operator list (a report's red
    // seal, a scanned signature): images over one pixel are dropped before decoding.
    maxImageSize: 1,
    isOffscreenCanvasSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  // pdfjs' own "password needed" callback would wait forever for an answer: fail instead.
  task.onPassword = () => {
    void task.destroy();
    failure = new NianbaoError('encrypted', 'encrypted: a password is required');
  };
  let failure: NianbaoError | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void task.destroy();
      reject(new NianbaoError('timeout', `pdf parsing took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`));
    }, timeoutMs);
  });
  try {
    const work = (async () => {
      let doc: PdfDocument;
      try {
        doc = await task.promise;
      } catch (e) {
        throw failure ?? openError(e);
      }
      skipFontLoading(doc);
      if (stats) stats.open += performance.now() - t0;
      return await readDocument(pdfjs, doc, opts);
    })();
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    void task.destroy().catch(() => undefined);
  }
}

/**
 * pdfjs hands every font the worker converted to its FontLoader, which base64-encodes the whole font
 * file into an @font-face rule (~15% of a parse) for drawing. Fonts are loaded only while pages are
 * read, after the document opens, so replacing this document's loader's bind() in time skips all of it.
 * `_transport` is internal to pdfjs (pinned at 5.6.205): if it moves, NO_DOCUMENT still makes loading
 * a harmless no-op, only slower.
 */
function skipFontLoading(doc: PdfDocument): void {
  const loader = (doc as unknown as { _transport?: { fontLoader?: { bind?: unknown } } })._transport?.fontLoader;
  if (loader && typeof loader.bind === 'function') loader.bind = () => Promise.resolve();
}

function openError(e: unknown): NianbaoError {
  if (e instanceof NianbaoError) return e;
  const name = (e as { name?: string } | null)?.name ?? '';
  const message = ((e as { message?: string } | null)?.message ?? String(e)).split('\n')[0];
  if (name === 'PasswordException') return new NianbaoError('encrypted', 'encrypted: a password is required');
  if (name === 'InvalidPDFException') return new NianbaoError('corrupt', `corrupt PDF: ${message}`);
  return new NianbaoError('corrupt', `corrupt PDF: ${message || name || 'unreadable'}`);
}

async function readDocument(pdfjs: PdfJs, doc: PdfDocument, opts: PdfReadOptions): Promise<DocumentModel> {
  const n = doc.numPages;
  const warnings: string[] = [];
  const results: (PageResult | undefined)[] = new Array(n);
  let next = 1;
  const worker = async () => {
    while (next <= n) {
      const p = next++;
      try {
        results[p - 1] = await readPage(pdfjs, doc, p, opts.stats);
      } catch (e) {
        if (e instanceof NianbaoError) throw e;
        const message = ((e as { message?: string } | null)?.message ?? String(e)).split('\n')[0];
        warnings.push(`page ${p} could not be read: ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, n)) }, worker));
  const pages = results.filter((r): r is PageResult => r !== undefined);
  if (n > 0 && pages.length === 0) throw new NianbaoError('corrupt', 'corrupt PDF: no page could be read');
  if (!pages.some((p) => p.hasText)) throw new NianbaoError('no-text', 'no text layer (scanned?)');
  const blank = pages.filter((p) => !p.hasText).map((p) => p.page);
  if (blank.length) warnings.push(`${blank.length === 1 ? 'page' : 'pages'} ${blank.join(', ')} without a text layer (scanned?)`);
  warnings.sort();

  const t = performance.now();
  const blocks = assemble(pages);
  if (opts.stats) {
    opts.stats.layout += performance.now() - t;
    opts.stats.pages += n;
  }
  return { format: 'pdf', blocks, pages: n, warnings };
}

function isTextItem(item: unknown): item is TextItemLike {
  return typeof (item as { str?: unknown }).str === 'string';
}

async function readPage(pdfjs: PdfJs, doc: PdfDocument, n: number, stats: PdfStats | undefined): Promise<PageResult> {
  const page = await doc.getPage(n);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const vt = viewport.transform as Matrix;
    const tb = performance.now();
    const ol = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
    if (stats) stats.operatorList += performance.now() - tb;

    const tt = performance.now();
    const content = readOperators(ol.fnArray, ol.argsArray, pdfjs.OPS, vt, (name) => fontInfo(page, name));
    const segments = mergeSegments(content.segments);
    let runs = content.runs;
    if (!runs) {
      // A font we could not inspect: let pdfjs lay the text out instead.
      const ta = performance.now();
      const tc = await page.getTextContent();
      runs = runsFromItems((tc.items as unknown[]).filter(isTextItem), vt);
      if (stats) stats.textContent += performance.now() - ta;
    }
    let tables = clusterSegments(segments)
      .map((c) => buildGrid(c, n))
      .filter((g): g is PageTable => g !== undefined && g.ncols >= 2);
    const rest = assignRuns(tables, runs);
    // A box around a single piece of text (a framed note) or around nothing is not a table.
    const real = tables.filter((g) => g.cells.filter((c) => c.text.trim() !== '').length >= 2);
    if (real.length !== tables.length) {
      for (const g of tables) if (!real.includes(g)) for (const c of g.cells) rest.push(...c.runs);
      tables = real;
    }
    for (const g of tables) compact(g);
    if (stats) stats.tables += performance.now() - tt;

    const lines = toLines(rest, n).filter((l) => !isPageMarker(l, viewport.height));
    return { page: n, height: viewport.height, tables, lines, hasText: lines.length > 0 || tables.length > 0 };
  } finally {
    page.cleanup();
  }
}

/** Layout facts of a font pdfjs loaded for the page (undefined if it is not available). */
function fontInfo(page: { commonObjs: { has(id: string): boolean; get(id: string): unknown } }, name: string): FontInfo | undefined {
  try {
    if (!page.commonObjs.has(name)) return undefined;
    const f = page.commonObjs.get(name) as { fontMatrix?: number[]; vertical?: boolean; defaultVMetrics?: number[] } | null;
    if (!f) return undefined;
    return { fontMatrix: f.fontMatrix ?? [0.001, 0, 0, 0.001, 0, 0], vertical: !!f.vertical, defaultVMetrics: f.defaultVMetrics };
  } catch {
    return undefined;
  }
}

type Element = { kind: 'line'; line: Line } | { kind: 'table'; table: PageTable };

/** Pages → blocks in reading order: tables stitched across page breaks, lines grouped into paragraphs and unruled tables. */
function assemble(pages: readonly PageResult[]): Block[] {
  const elements: Element[] = [];
  for (const p of pages) {
    const items: { top: number; el: Element }[] = [
      ...p.lines.map((line) => ({ top: line.top, el: { kind: 'line', line } as Element })),
      ...p.tables.map((table) => ({ top: table.ys[0], el: { kind: 'table', table } as Element })),
    ];
    items.sort((a, b) => a.top - b.top);
    for (const { el } of items) {
      const last = elements[elements.length - 1];
      if (el.kind === 'table' && last?.kind === 'table' && continues(last.table, el.table)) stitch(last.table, el.table);
      else elements.push(el);
    }
  }

  // Unruled tables first: their rows start and end off the text column, and would skew the margins
  // that paragraph breaks are measured against.
  const allLines = elements.flatMap((e) => (e.kind === 'line' ? [e.line] : []));
  const bodyRight = measure(allLines).right;
  type Piece = { kind: 'lines'; lines: Line[] } | { kind: 'table'; table: Table };
  const pieces: Piece[] = [];
  let stretch: Line[] = [];
  const flush = () => {
    if (!stretch.length) return;
    let i = 0;
    for (const lt of findLooseTables(stretch, bodyRight)) {
      if (lt.start > i) pieces.push({ kind: 'lines', lines: stretch.slice(i, lt.start) });
      pieces.push({ kind: 'table', table: lt.table });
      i = lt.end;
    }
    if (i < stretch.length) pieces.push({ kind: 'lines', lines: stretch.slice(i) });
    stretch = [];
  };
  for (const el of elements) {
    if (el.kind === 'line') stretch.push(el.line);
    else {
      flush();
      pieces.push({ kind: 'table', table: toTable(el.table) });
    }
  }
  flush();

  const textLines = pieces.flatMap((p) => (p.kind === 'lines' ? p.lines : []));
  const docMargins = measure(textLines);
  const margins = new Map<number, Margins>();
  for (const p of pages) {
    const own = textLines.filter((l) => l.page === p.page);
    margins.set(p.page, own.length >= 8 ? { ...measure(own), pitch: docMargins.pitch } : docMargins);
  }

  const blocks: Block[] = [];
  for (const p of pieces) {
    if (p.kind === 'table') blocks.push(p.table);
    else paragraphs(p.lines, margins, blocks);
  }
  return blocks;
}

function paragraphs(lines: readonly Line[], margins: Map<number, Margins>, out: Block[]): void {
  let cur: Line[] = [];
  for (const line of lines) {
    const prev = cur[cur.length - 1];
    if (prev && startsParagraph(prev, line, margins.get(line.page)!)) {
      out.push(paragraph(cur));
      cur = [];
    }
    cur.push(line);
  }
  if (cur.length) out.push(paragraph(cur));
}

function toTable(t: PageTable): Table {
  const rows: TableCell[][] = [];
  for (const c of [...t.cells].sort((a, b) => a.r - b.r || a.c - b.c)) {
    (rows[c.r] ??= []).push({ text: c.text, row: c.r, col: c.c, rowSpan: c.rs, colSpan: c.cs, page: c.page });
  }
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  const table: Table = { kind: 'table', rows, grid: 'exact', ruled: true, page: t.page };
  if (t.endPage > t.page) table.endPage = t.endPage;
  return table;
}
