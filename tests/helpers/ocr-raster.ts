/**
 * Scans made at test time: a committed PDF rasterised by poppler's pdftoppm (CI installs poppler-utils),
 * optionally degraded as a real scan is (a slight rotation, speckle noise, blur), and read back through the
 * image adapter's OCR path. Nothing large is committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { auditScanned } from '../../src/audit/ocr.js';
import type { PageImage } from '../../src/document/image.js';
import { layoutPages } from '../../src/document/layout/index.js';
import { decodeImages } from '../../src/ingest/image.js';
import { ocrPages, type OcrResult } from '../../src/ingest/ocr/index.js';
import { SCHEMA_VERSION, sortFindings, type ParseResult } from '../../src/model/index.js';
import { recognize } from '../../src/recognize/index.js';
import type { FillValues } from './fill-template.js';
import { templatePdfValues } from './template-pdf.js';

export interface RasterOptions {
  dpi: number;
  /** JPEG quality; PNG when absent. */
  jpeg?: number;
  first?: number;
  last?: number;
}

/** The PDF's pages as image files (JPEG or PNG bytes), in page order. */
export function rasterise(pdf: string, o: RasterOptions): Uint8Array[] {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-'));
  try {
    const args = ['-r', String(o.dpi), ...(o.first ? ['-f', String(o.first)] : []), ...(o.last ? ['-l', String(o.last)] : [])];
    if (o.jpeg) args.push('-jpeg', '-jpegopt', `quality=${o.jpeg}`);
    else args.push('-png');
    execFileSync('pdftoppm', [...args, pdf, join(dir, 'p')]);
    return readdirSync(dir)
      .sort((a, b) => Number(a.match(/(\d+)\.\w+$/)![1]) - Number(b.match(/(\d+)\.\w+$/)![1]))
      .map((f) => new Uint8Array(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scan's usual faults: rotated by `skew` degrees, blurred, speckled (deterministic), re-encoded as JPEG. */
export async function degrade(image: Uint8Array, o: { skew: number; blur: number; noise: number; seed?: number }): Promise<Uint8Array> {
  const { data, info } = await sharp(image).rotate(o.skew, { background: '#ffffff' }).blur(o.blur).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  let s = o.seed ?? 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < data.length; i++) {
    const r = rand();
    if (r < o.noise / 2) data[i] = 0;
    else if (r < o.noise) data[i] = 255;
    else data[i] = Math.max(0, Math.min(255, data[i] + (rand() - 0.5) * 40));
  }
  return new Uint8Array(await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).jpeg({ quality: 80 }).toBuffer());
}

/** Image files (one page each) → pages numbered in order, with the given dpi when the files carry none. */
export async function pageImages(files: readonly Uint8Array[], dpi: number): Promise<PageImage[]> {
  const out: PageImage[] = [];
  for (const f of files) for (const img of await decodeImages(f)) out.push({ ...img, page: out.length + 1, dpi });
  return out;
}

/** The whole pipeline on page images, as parseBytes runs it on a file. */
export async function parseImages(images: PageImage[]): Promise<{ result: ParseResult; ocr: OcrResult }> {
  const ocr = await ocrPages(images);
  const doc = { format: 'image' as const, blocks: layoutPages(ocr.pages), pages: images.length, warnings: [] };
  const recognition = auditScanned(await recognize(doc), 'zh');
  const result: ParseResult = {
    schemaVersion: SCHEMA_VERSION,
    source: { path: '-', format: 'image', sha256: '', pages: images.length },
    report: recognition.report,
    findings: sortFindings(recognition.findings),
    cells: recognition.cells,
  };
  return { result, ocr };
}

/** The transposed-digits error of template-injected.pdf (scripts/make-ocr-fixtures.ts). */
export const INJECTED = { path: 'applications.newReceived.naturalPerson', value: 112, printed: 121 } as const;

export function injectedValues(): FillValues {
  const v = templatePdfValues();
  if (Number(v[INJECTED.path]) !== INJECTED.value) throw new Error(`template values changed: ${INJECTED.path} is ${v[INJECTED.path]}`);
  return { ...v, [INJECTED.path]: INJECTED.printed };
}

/** Page images joined into one multi-page TIFF stating its resolution, as a scanner writes one. */
export async function multiPageTiff(pages: readonly Uint8Array[], dpi: number): Promise<Uint8Array> {
  const ppmm = dpi / 25.4;
  return new Uint8Array(await sharp(pages.map((p) => Buffer.from(p)), { join: { animated: true } }).tiff({ compression: 'lzw', xres: ppmm, yres: ppmm }).toBuffer());
}
