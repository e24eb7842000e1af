import type { PositionedPage } from '../../document/layout/index.js';
import type { NianbaoError } from '../../errors.js';

/** What the PDF engine gives the adapter: positioned pages (pages it could not read left out, with a warning). */
export interface EngineResult {
  pageCount: number;
  pages: PositionedPage[];
  warnings: string[];
  engine: 'pdfium';
  /** Pictures on pages with text that no text covers, large enough to hold a table: for OCR. */
  pictures: PagePicture[];
}

/** An image drawn on a page, in viewport points (y down). */
export interface PagePicture {
  page: number;
  x0: number;
  top: number;
  x1: number;
  bottom: number;
  /** Its pixels per inch as drawn: the resolution to render it at, so that OCR sees its own pixels. */
  dpi: number;
}

export interface PageReadOptions {
  /** performance.now() past which reading stops with timeoutError(). */
  deadline: number;
  timeoutError(): NianbaoError;
}
