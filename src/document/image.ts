/**
 * A page as pixels: what a PDF engine renders (or extracts, when a page is one embedded scan) and an image
 * file decodes to, for OCR. Format-neutral, so the PDF adapter, the image adapter and the OCR engine meet here.
 */
export interface PageImage {
  /** 1-based page number in the source. */
  page: number;
  /** Pixels, row-major, top row first, `channels` bytes per pixel (1 gray, 3 RGB, 4 RGBA). */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  /** Pixels per inch, to convert to points (72 per inch) for the positioned-page model. */
  dpi: number;
}

/** The pixels of `img` inside [x0, x1) × [y0, y1) (clamped to the image), as an image of their own. */
export function cropImage(img: PageImage, x0: number, y0: number, x1: number, y1: number): PageImage {
  const l = Math.max(0, Math.min(img.width, Math.floor(x0)));
  const t = Math.max(0, Math.min(img.height, Math.floor(y0)));
  const r = Math.max(l, Math.min(img.width, Math.ceil(x1)));
  const b = Math.max(t, Math.min(img.height, Math.ceil(y1)));
  const w = r - l;
  const ch = img.channels;
  const data = new Uint8Array(w * (b - t) * ch);
  for (let y = t; y < b; y++) data.set(img.data.subarray((y * img.width + l) * ch, (y * img.width + r) * ch), (y - t) * w * ch);
  return { page: img.page, data, width: w, height: b - t, channels: ch, dpi: img.dpi };
}
