import { assemblePages, layoutPage, type PageLayout, type PositionedPage } from '../document/layout/index.js';
import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import type { EngineResult, PageReadOptions } from './pdf/source.js';

/** Wall-clock milliseconds spent per phase, summed over documents (for bench/pdf.ts). */
export interface PdfStats {
  /** The engine: opening the file and reading every page into positioned pages. */
  engine: number;
  /** Per page: rulings to grids, runs to lines. */
  tables: number;
  /** Across pages: stitching, paragraphs, unruled tables. */
  layout: number;
  pages: number;
}

export interface PdfReadOptions extends IngestOptions {
  /** Give up after this long. Default 60 s. PDFium is checked between pages. */
  timeoutMs?: number;
  /** Filled with phase timings when given (for bench/pdf.ts). */
  stats?: PdfStats;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export async function read(bytes: Uint8Array, opts: PdfReadOptions = {}): Promise<DocumentModel> {
  const t0 = performance.now();
  const source = await readPositioned(bytes, opts);
  const stats = opts.stats;
  if (stats) stats.engine += performance.now() - t0;
  return toDocument(source, stats);
}

/** The document's pages as PDFium positions them. */
export async function readPositioned(bytes: Uint8Array, opts: PdfReadOptions = {}): Promise<EngineResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pageOpts: PageReadOptions = {
    deadline: performance.now() + timeoutMs,
    timeoutError: () => new NianbaoError('timeout', `pdf parsing took longer than ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`),
  };
  return (await import('./pdf/pdfium.js')).readPdfium(bytes, pageOpts);
}

function toDocument(source: EngineResult, stats: PdfStats | undefined): DocumentModel {
  const n = source.pageCount;
  const warnings = [...source.warnings];
  const tt = performance.now();
  const pages: PageLayout[] = source.pages.map((p: PositionedPage) => layoutPage(p));
  if (stats) stats.tables += performance.now() - tt;
  if (n > 0 && pages.length === 0) throw new NianbaoError('corrupt', 'corrupt PDF: no page could be read');
  if (!pages.some((p) => p.hasText)) throw new NianbaoError('no-text', 'no text layer (scanned?)');
  const blank = pages.filter((p) => !p.hasText).map((p) => p.page);
  if (blank.length) warnings.push(`${blank.length === 1 ? 'page' : 'pages'} ${blank.join(', ')} without a text layer (scanned?)`);
  warnings.sort();

  const t = performance.now();
  const blocks = assemblePages(pages);
  if (stats) {
    stats.layout += performance.now() - t;
    stats.pages += n;
  }
  return { format: 'pdf', blocks, pages: n, warnings };
}
