import type { Table, TableCell } from './model.js';

/**
 * Expand an exact table into a dense matrix in which every position points at
 * the cell covering it (merged cells appear at each position they cover).
 */
export function expandGrid(table: Table): (TableCell | undefined)[][] {
  const matrix: (TableCell | undefined)[][] = [];
  for (const row of table.rows) {
    for (const cell of row) {
      for (let r = cell.row; r < cell.row + Math.max(1, cell.rowSpan); r++) {
        const line = (matrix[r] ??= []);
        for (let c = cell.col; c < cell.col + Math.max(1, cell.colSpan); c++) line[c] = cell;
      }
    }
  }
  for (let r = 0; r < matrix.length; r++) matrix[r] ??= [];
  return matrix;
}

/** Number of grid columns of a table. */
export function columnCount(table: Table): number {
  let n = 0;
  for (const row of table.rows) for (const cell of row) n = Math.max(n, cell.col + Math.max(1, cell.colSpan));
  return n;
}

export function cell(text: string, row: number, col: number, extra: Partial<TableCell> = {}): TableCell {
  return { text, row, col, rowSpan: 1, colSpan: 1, ...extra };
}
