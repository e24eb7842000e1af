import { z } from 'zod';

/**
 * 'unplaced' (ext): the row's label and its numbers are in the source, but which column each
 * number belongs to could not be settled (a sparse row that several placements fit); `raw`
 * keeps the row's numbers as read. Null in the report, never an error: the reading failed, not the report.
 */
export const CellKind = z.enum(['number', 'blank', 'dash', 'slash', 'text', 'missing', 'unplaced']);
export type CellKind = z.infer<typeof CellKind>;

/** Provenance of one value of the report: `cells[path]`. */
export const Cell = z.object({
  raw: z.string().describe('the cell text as printed'),
  kind: CellKind,
  page: z.number().int().optional(),
  table: z.number().int().optional().describe('1-based index of the table in the document'),
  row: z.number().int().optional().describe('0-based grid row (or line ordinal in a loose table)'),
  col: z.number().int().optional(),
  line: z.number().int().optional().describe('1-based source line (text formats)'),
  inferred: z.string().optional().describe('how the value was placed when the layout was ambiguous'),
  derived: z.number().optional().describe('value implied by the table arithmetic for a lost cell (ext); the report keeps null'),
  note: z.string().optional().describe('annotation printed after the number (ext)'),
  label: z.string().optional().describe('the row label as printed, where it is not the format\'s canonical label (ext; S-10)'),
  unit: z.string().optional().describe('unit printed in the cell (ext)'),
  unitConverted: z.boolean().optional().describe('value converted to the column unit (ext)'),
  confidence: z.number().min(0).max(1).optional().describe('read by OCR: probability of its least certain character; 0.5 for a PDF\'s invisible text layer (a searchable scan, OCR\'d by another program: certainty unknown) (ext)'),
});
export type Cell = z.infer<typeof Cell>;
export type Cells = Record<string, Cell>;
