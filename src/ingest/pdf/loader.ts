import { createRequire } from 'node:module';
import path from 'node:path';

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | undefined;

/**
 * pdfjs is big (a few hundred ms to import): load it once per process, and only
 * when a PDF is actually read. A failed import is not cached so a later call can retry.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loading ??= (async () => {
    // The worker half runs in this thread (Node has no pdfjs web worker). Loading it here, once, and
    // handing it over through the global pdfjs looks for keeps its import out of the first document's
    // timeout. The specifier is a variable because the package ships no types for the worker module.
    const workerSpec = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
    // The legacy build's core-js polyfills replace Array.prototype.push on Node 20 (over a corner case of
    // arrays longer than 2^32) with a generic version several times slower; it was ~10% of a parse in a
    // profile, for pdfjs and for everything else in the process. The native one behaves the same for
    // any real array, so it is put back.
    const nativePush = Array.prototype.push;
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import(workerSpec) as Promise<unknown>]);
    if (Array.prototype.push !== nativePush) {
      Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, configurable: true, enumerable: false });
    }
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return pdfjs;
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

let dirs: { cMapUrl: string; standardFontDataUrl: string } | undefined;

/**
 * pdfjs in Node reads these with fs when given plain folder paths (file:// URLs go
 * through fetch, which Node's fetch refuses). The trailing '/' is required: pdfjs
 * appends file names to it.
 */
export function assetDirs(): { cMapUrl: string; standardFontDataUrl: string } {
  if (!dirs) {
    const require = createRequire(import.meta.url);
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    dirs = {
      cMapUrl: path.join(root, 'cmaps') + path.sep,
      standardFontDataUrl: path.join(root, 'standard_fonts') + path.sep,
    };
  }
  return dirs;
}
