import { assemblePages, layoutPage, type Matrix, type PageLayout } from '../document/layout/index.js';
import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { runsFromItems, type TextItemLike } from './pdf/items.js';
import { assetDirs, loadPdfJs, type PdfJs } from './pdf/loader.js';
import { readOperators, type FontInfo } from './pdf/ops.js';

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
  const results: (PageLayout | undefined)[] = new Array(n);
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
  const pages = results.filter((r): r is PageLayout => r !== undefined);
  if (n > 0 && pages.length === 0) throw new NianbaoError('corrupt', 'corrupt PDF: no page could be read');
  if (!pages.some((p) => p.hasText)) throw new NianbaoError('no-text', 'no text layer (scanned?)');
  const blank = pages.filter((p) => !p.hasText).map((p) => p.page);
  if (blank.length) warnings.push(`${blank.length === 1 ? 'page' : 'pages'} ${blank.join(', ')} without a text layer (scanned?)`);
  warnings.sort();

  const t = performance.now();
  const blocks = assemblePages(pages);
  if (opts.stats) {
    opts.stats.layout += performance.now() - t;
    opts.stats.pages += n;
  }
  return { format: 'pdf', blocks, pages: n, warnings };
}

function isTextItem(item: unknown): item is TextItemLike {
  return typeof (item as { str?: unknown }).str === 'string';
}

async function readPage(pdfjs: PdfJs, doc: PdfDocument, n: number, stats: PdfStats | undefined): Promise<PageLayout> {
  const page = await doc.getPage(n);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const vt = viewport.transform as Matrix;
    const tb = performance.now();
    const ol = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
    if (stats) stats.operatorList += performance.now() - tb;

    const tt = performance.now();
    const content = readOperators(ol.fnArray, ol.argsArray, pdfjs.OPS, vt, (name) => fontInfo(page, name));
    let runs = content.runs;
    if (!runs) {
      // A font we could not inspect: let pdfjs lay the text out instead.
      const ta = performance.now();
      const tc = await page.getTextContent();
      runs = runsFromItems((tc.items as unknown[]).filter(isTextItem), vt);
      if (stats) stats.textContent += performance.now() - ta;
    }
    const layout = layoutPage({ page: n, width: viewport.width, height: viewport.height, runs, segments: content.segments });
    if (stats) stats.tables += performance.now() - tt;
    return layout;
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
