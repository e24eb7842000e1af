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
