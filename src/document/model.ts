/**
 * The document model every ingest adapter returns and the recognizer reads.
 * It knows nothing about disclosure reports: only paragraphs and tables, with
 * enough provenance (page, line, grid position, x-extent) to point back into the source.
 */

export type SourceFormat = 'pdf' | 'docx' | 'html' | 'xlsx' | 'text' | 'ofd' | 'doc' | 'xls' | 'image';

/** Where a block or cell came from. Pages and lines are 1-based. */
export interface Provenance {
  page?: number;
  line?: number;
}

export interface TableCell extends Provenance {
  /** Text of the cell; paragraphs inside one cell joined with '\n'. */
  text: string;
  /** 0-based grid row and column of the cell's top-left corner. */
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  /**
   * Horizontal extent in the source's own unit (character columns of a
   * text layout, PDF points). Present for 'loose' tables, where `col` is only
   * the cell's ordinal in its row and x is what aligns columns across rows.
   */
  x0?: number;
  x1?: number;
  /**
   * The cell was read by OCR: how sure the reading is, character by character, with the runners-up of
   * uncertain characters, for the recognizer to report (`cells[].confidence`) and the arithmetic to correct.
   */
  ocr?: OcrReading;
  /** Its text runs into an edge where the page cuts its content off (a table wider than the paper): it may be incomplete. */
  clipped?: boolean;
}

/** One character OCR read, its probability, and the other characters it may be (most likely first). */
export interface OcrChar {
  ch: string;
  p: number;
  alts?: { ch: string; p: number }[];
}

/** What OCR read in one place: the characters of `text` in order (line breaks not included). */
export interface OcrReading {
  chars: OcrChar[];
  /** The least confident character's probability (1 when nothing was read). */
  confidence: number;
}

/**
 * 'exact': `row`/`col`/spans are a true grid (DOCX, HTML, XLSX, ruled PDF).
 * 'loose': each row is a line of text split into cells at gaps (tab-separated
 * text, space-aligned `pdftotext -layout` text, unruled PDF); empty cells may be
 * lost, labels may wrap onto rows of their own, and columns align only by x.
 */
export type GridKind = 'exact' | 'loose';

export interface Table extends Provenance {
  kind: 'table';
  /** Rows in reading order; each holds the cells whose top-left corner is in it. */
  rows: TableCell[][];
  grid: GridKind;
  /** PDF: whether ruling lines were found (S-08 reports tables without). */
  ruled?: boolean;
  /** Last page the table reaches, when it continues across pages. */
  endPage?: number;
  /** See Paragraph.chrome. */
  chrome?: boolean;
  /**
   * Text tables whose cells were delimited by a character (`|`): an empty field is a blank
   * cell in its place, even where merged cells make rows differ in length.
   */
  delimited?: boolean;
}

export interface Paragraph extends Provenance {
  kind: 'paragraph';
  text: string;
  /** Heading level (1 = top) when the source marks headings. */
  level?: number;
  /**
   * Web pages: the block lies outside the page's main content (site navigation, page
   * header, breadcrumb, sidebars, footer, 字体大小/打印本页 tools). Kept in document order
   * so page metadata printed beside the article (a CMS box of 索引号/发布机构) can still be
   * read; never content.
   */
  chrome?: boolean;
}

export type Block = Paragraph | Table;

export interface DocumentModel {
  format: SourceFormat;
  blocks: Block[];
  /** Page count for paged formats. */
  pages?: number;
  /** Source-level notes that are not errors (e.g. pages without a text layer). */
  warnings: string[];
  /** Charset the bytes were decoded with, for text formats. */
  encoding?: string;
  /** The external program that converted the file before it was read (e.g. 'soffice 7.4.7.2'), when one did. */
  converter?: string;
  /** Titles the file declares for itself, best first (HTML <title>, og:title), as printed. */
  declaredTitles?: string[];
}
