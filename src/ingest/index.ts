import type { DocumentModel, SourceFormat } from '../document/model.js';
import { requireReadable, sniff } from './detect.js';

export interface IngestOptions {
  /** Used in messages and, for plain text only, as a hint to the format. */
  path?: string;
}

export type Adapter = (bytes: Uint8Array, opts: IngestOptions) => Promise<DocumentModel>;

/**
 * Adapters load lazily: a text-only batch never pays for pdfjs or exceljs.
 * Each adapter module exports `read(bytes, opts)`.
 */
const ADAPTERS: Record<Exclude<SourceFormat, 'ofd'>, () => Promise<{ read: Adapter }>> = {
  text: () => import('./text.js'),
  docx: () => import('./docx.js'),
  html: () => import('./html.js'),
  xlsx: () => import('./xlsx.js'),
  pdf: () => import('./pdf.js'),
  image: () => import('./image.js'),
};

export function detectFormat(bytes: Uint8Array, path = ''): SourceFormat {
  return requireReadable(sniff(bytes, path), path);
}

export async function readDocument(bytes: Uint8Array, opts: IngestOptions = {}): Promise<DocumentModel> {
  const format = detectFormat(bytes, opts.path ?? '');
  const adapter = await ADAPTERS[format as Exclude<SourceFormat, 'ofd'>]();
  return adapter.read(bytes, opts);
}

export { sniff } from './detect.js';
