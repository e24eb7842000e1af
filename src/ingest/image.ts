/**
 * Image files (PNG, JPEG, GIF, multi-page TIFF): each page or frame decoded to pixels and read by OCR
 * into positioned pages, then laid out like a PDF. Decoding is sharp's (libvips); its resolution tag gives
 * the dpi, else the page is taken to be A4 (a scan's commonest size) to scale pixels to points.
 */
import { layoutPages } from '../document/layout/index.js';
import type { PageImage } from '../document/image.js';
import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import { nativeCall } from '../native.js';
import type { IngestOptions } from './index.js';
import { ocrPages } from './ocr/index.js';

/** Inches of the shorter side of an A4 sheet, for images without a resolution. */
const A4_SHORT_IN = 8.27;
/** Upper bound on decoded pixels per page: a decompression bomb is refused, not decoded. */
const MAX_PIXELS = 60_000_000;

type Sharp = typeof import('sharp').default;

async function loadSharp(): Promise<Sharp> {
  try {
    return (await import('sharp')).default as unknown as Sharp;
  } catch {
    throw new NianbaoError('unsupported', 'image file: image decoder not installed: npm install sharp');
  }
}

/** Plausible scan resolution: the file's own when it states one, else from the page size. */
export function pageDpi(width: number, height: number, density?: number): number {
  if (density && density >= 70 && density <= 1200) return density;
  return Math.max(72, Math.min(width, height) / A4_SHORT_IN);
}

/** Every page of an image file as gray or colour pixels. */
export async function decodeImages(bytes: Uint8Array): Promise<PageImage[]> {
  const sharp = await loadSharp();
  let meta;
  try {
    meta = await nativeCall(() => sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata());
  } catch (e) {
    throw new NianbaoError('corrupt', `image file cannot be decoded (${(e as Error).message.split('\n')[0]})`);
  }
  const count = meta.format === 'gif' ? 1 : Math.max(1, meta.pages ?? 1);
  const out: PageImage[] = [];
  for (let page = 0; page < count; page++) {
    try {
      const { data, info } = await nativeCall(() =>
        sharp(bytes, { page, limitInputPixels: MAX_PIXELS })
          .rotate() // EXIF orientation of photographed pages
          .flatten({ background: '#ffffff' })
          .toColourspace('b-w')
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
      out.push({ page: page + 1, data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 1, dpi: pageDpi(info.width, info.height, meta.density) });
    } catch (e) {
      throw new NianbaoError('corrupt', `image page ${page + 1} cannot be decoded (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return out;
}

export async function read(bytes: Uint8Array, _opts: IngestOptions): Promise<DocumentModel> {
  const images = await decodeImages(bytes);
  const { pages } = await ocrPages(images);
  return { format: 'image', blocks: layoutPages(pages), pages: images.length, warnings: [`${images.length} page(s) read by OCR`] };
}
