/**
 * The pdfjs page source (the engine before PDFium): pdfjs' operator lists read into positioned pages.
 * Kept while the parity test compares the two engines.
 */
import type { Matrix, PositionedPage } from '../../document/layout/index.js';
import { NianbaoError } from '../../errors.js';
import { runsFromItems, type TextItemLike } from './items.js';
import { assetDirs, loadPdfJs, type PdfJs } from './loader.js';
import { readOperators, type FontInfo } from './ops.js';
import type { EngineResult, PageReadOptions } from './source.js';

/**
 * What pdfjs' FontLoader touches of a document when the Font Loading API is missing (as in Node): it
 * "inserts" an @font-face rule into a style sheet, and is done (Node counts as loading fonts synchronously).
 */
const NO_DOCUMENT = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;

export async function readPdfjs(bytes: Uint8Array, opts: PageReadOptions): Promise<EngineResult> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdfjs transfers (detaches) the buffer it is given, and refuses Node Buffers: hand it a plain copy.
    data: new Uint8Array(bytes),
    ...assetDirs(),
    cMapPacked: true,
    isEvalSupported: false,
    // With font faces on, pdfjs leaves fonts to the font loader, which we skip: we never draw.
    disableFontFace: false,
    ownerDocument: NO_DOCUMENT,
    useSystemFonts: false,
    // Images carry no text we read: images over one pixel are dropped before decoding.
    maxImageSize: 1,
    isOffscreenCanvasSupported: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let failure: NianbaoError | undefined;
  // pdfjs' own "password needed" callback would wait forever for an answer: fail instead.
  task.onPassword = () => {
    void task.destroy();
    failure = new NianbaoError('encrypted', 'encrypted: a password is required');
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void task.destroy();
      reject(opts.timeoutError());
    }, Math.max(0, opts.deadline - performance.now()));
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
      const pages: PositionedPage[] = [];
      const warnings: string[] = [];
      for (let p = 1; p <= doc.numPages; p++) {
        try {
          pages.push(await readPage(pdfjs, doc, p));
        } catch (e) {
          if (e instanceof NianbaoError) throw e;
          warnings.push(`page ${p} could not be read: ${((e as { message?: string } | null)?.message ?? String(e)).split('\n')[0]}`);
        }
      }
      return { pageCount: doc.numPages, pages, warnings, engine: 'pdfjs' as const };
    })();
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    void task.destroy().catch(() => undefined);
  }
}

/**
 * pdfjs hands every font the worker converted to its FontLoader, which base64-encodes the whole font
 * file into an @font-face rule for drawing; replacing this document's loader's bind() skips it.
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
  return new NianbaoError('corrupt', `corrupt PDF: ${message || name || 'unreadable'}`);
}

function isTextItem(item: unknown): item is TextItemLike {
  return typeof (item as { str?: unknown }).str === 'string';
}

async function readPage(pdfjs: PdfJs, doc: PdfDocument, n: number): Promise<PositionedPage> {
  const page = await doc.getPage(n);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const vt = viewport.transform as Matrix;
    const ol = await page.getOperatorList({ annotationMode: pdfjs.AnnotationMode.DISABLE });
    const content = readOperators(ol.fnArray, ol.argsArray, pdfjs.OPS, vt, (name) => fontInfo(page, name));
    let runs = content.runs;
    if (!runs) {
      // A font we could not inspect: let pdfjs lay the text out instead.
      const tc = await page.getTextContent();
      runs = runsFromItems((tc.items as unknown[]).filter(isTextItem), vt);
    }
    return { page: n, width: viewport.width, height: viewport.height, runs, segments: content.segments };
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
