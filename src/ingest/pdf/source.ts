import type { PositionedPage } from '../../document/layout/index.js';
import type { NianbaoError } from '../../errors.js';

/** What the PDF engine gives the adapter: positioned pages (pages it could not read left out, with a warning). */
export interface EngineResult {
  pageCount: number;
  pages: PositionedPage[];
  warnings: string[];
  engine: 'pdfium';
}

export interface PageReadOptions {
  /** performance.now() past which reading stops with timeoutError(). */
  deadline: number;
  timeoutError(): NianbaoError;
}
