/**
 * The OCR reading behind each report cell that came from a scan: the provenance the scanned-report audit
 * weighs (how surely each character was read, and its runner-up readings). Not part of the output.
 */
import type { DocumentModel, OcrReading, TableCell } from '../document/model.js';
import type { Cells } from '../model/index.js';

/** The document's table cell behind a report cell (by table, row and column; else by its text in the row). */
function sourceCell(tables: TableCell[][][], c: Cells[string]): TableCell | undefined {
  if (c.table === undefined || c.row === undefined) return undefined;
  const t = tables[c.table - 1];
  if (!t) return undefined;
  const row = t.flat().filter((x) => x.row === c.row);
  const raw = c.raw.replace(/\s+/g, '');
  const same = (x: TableCell) => x.text.replace(/\s+/g, '') === raw;
  return row.find((x) => x.col === c.col && same(x)) ?? row.find(same) ?? t.flat().find((x) => x.page === c.page && same(x) && x.ocr !== undefined && raw !== '');
}

/** The OCR reading of every report cell that has one. */
export function ocrReadings(doc: DocumentModel, cells: Cells): Map<string, OcrReading> {
  const tables = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b.rows] : []));
  const out = new Map<string, OcrReading>();
  for (const [path, c] of Object.entries(cells)) {
    const src = sourceCell(tables, c);
    if (src?.ocr) out.set(path, src.ocr);
  }
  return out;
}

export function isScanned(doc: DocumentModel): boolean {
  return doc.blocks.some((b) => b.kind === 'table' && b.rows.some((r) => r.some((c) => c.ocr)));
}


