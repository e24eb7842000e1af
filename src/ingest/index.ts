import type { DocumentModel, SourceFormat } from '../document/model.js';
import { requireReadable, sniff } from './detect.js';
import { rejectEarly } from './signature.js';

export interface IngestOptions {
  /** Used in messages and, for plain text only, as a hint to the format. */
  path?: string;
  /**
   * Legacy binary files (.doc/.wps/.xls/.et): 'soffice' converts them with LibreOffice first (a higher-fidelity
   * reading); 'none' never does. By default the built-in reader is used, and LibreOffice, when installed,
   * only for files that reader cannot read. The model's `converter` names the program when one was used.
   */
  convertWith?: ConvertWith;
  /**
   * Epoch ms (Date.now()) by which the whole parse must be over: an external converter is killed before it
   * and its reading is `timeout`. Set by a worker from the time its file has left; without it a conversion
   * has SOFFICE_TIMEOUT_S.
   */
  deadlineAt?: number;
}

export type ConvertWith = 'soffice' | 'none';

export type Adapter = (bytes: Uint8Array, opts: IngestOptions) => Promise<DocumentModel>;

/**
 * Adapters load lazily: a text-only batch never pays for PDFium, OCR or exceljs.
 * Each adapter module exports `read(bytes, opts)`.
 */
const ADAPTERS: Record<SourceFormat, () => Promise<{ read: Adapter }>> = {
  text: () => import('./text.js'),
  docx: () => import('./docx.js'),
  html: () => import('./html.js'),
  xlsx: () => import('./xlsx.js'),
  pdf: () => import('./pdf.js'),
  ofd: () => import('./ofd.js'),
  doc: () => import('./doc.js'),
  xls: () => import('./xls.js'),
  image: () => import('./image.js'),
};

export function detectFormat(bytes: Uint8Array, path = ''): SourceFormat {
  return requireReadable(sniff(bytes, path), path, bytes);
}

export async function readDocument(bytes: Uint8Array, opts: IngestOptions = {}): Promise<DocumentModel> {
  const format = detectFormat(bytes, opts.path ?? '');
  // Markup and plain text cost time with their size before anything can tell a report from junk.
  if (format === 'text' || format === 'html') rejectEarly(bytes, format === 'text' ? 'text file' : 'web page');
  const adapter = await ADAPTERS[format]();
  return adapter.read(bytes, opts);
}

/** Loads every adapter module (a batch worker does this once, before its first file). */
export async function preloadAdapters(): Promise<void> {
  await Promise.all(Object.values(ADAPTERS).map((load) => load()));
}

export { sniff } from './detect.js';
