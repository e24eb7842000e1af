import { expandGrid } from '../document/grid.js';
import type { DocumentModel, Table, TableCell } from '../document/model.js';
import { normLabel } from './normalize.js';
import { CUT_MARK, isNumeric } from './values.js';

/**
 * The recognizer reads every document as one sequence of lines: a paragraph is
 * a line with one cell, a table row is a line with its cells. Tables are then
 * found by their labels wherever the adapter drew block boundaries, so text
 * and PDF layouts (where a table may be split into several blocks, or labels
 * may land in paragraphs) read like DOCX grids.
 */
export interface LineCell {
  text: string;
  norm: string;
  numeric: boolean;
  /** Grid column (exact tables) or ordinal in the line (loose tables, paragraphs). */
  col: number;
  colSpan: number;
  x0?: number;
  x1?: number;
  page?: number;
  line?: number;
  /** Grid row of the cell in its table. */
  row?: number;
  /** Whether this cell merely covers the line from a row above (exact grids: rowspan). */
  spanned?: boolean;
  /** A number split off the label it was printed against, with no space between ("…公开申请5"): its place is inferred. */
  glued?: true;
}

export interface Line {
  index: number;
  kind: 'paragraph' | 'row';
  cells: LineCell[];
  /** 1-based table number in the document; undefined for paragraphs. */
  table?: number;
  grid?: 'exact' | 'loose';
  /** Loose tables whose x are field ordinals (tab-separated text) rather than geometry. */
  fieldPositions?: boolean;
  /** Cells delimited by `|`: an empty field is a blank cell where it stands. */
  delimited?: boolean;
  /** Grid row index within its table. */
  row?: number;
  page?: number;
  line?: number;
  /** Whole text of the line, normalised (labels, signatures). */
  norm: string;
  text: string;
  /** Paragraph heading level, when the source marks it. */
  level?: number;
}

/** A cell's text as the readers take it: one cut off at the page's edge ends in CUT_MARK, so it reads as no number. */
function cellText(c: TableCell): string {
  return c.clipped && /\d\s*$/.test(c.text) ? `${c.text}${CUT_MARK}` : c.text;
}

function lineCell(c: TableCell, spanned = false): LineCell {
  const text = cellText(c);
  return {
    text,
    norm: normLabel(text),
    numeric: isNumeric(text),
    col: c.col,
    colSpan: Math.max(1, c.colSpan),
    x0: c.x0,
    x1: c.x1,
    page: c.page,
    line: c.line,
    row: c.row,
    spanned,
  };
}

function usesFieldPositions(t: Table): boolean {
  let any = false;
  for (const row of t.rows)
    for (const c of row) {
      if (c.x0 === undefined) return false;
      if (c.x0 !== c.col || (c.x1 ?? c.x0) !== c.col) return false;
      any = true;
    }
  return any;
}

/** A label, one space, then numbers separated by single spaces: "四、结转下年度继续办理 0 0 0". */
const VALUE_TOKEN = String.raw`(?:[-+]?\d[\d,]*(?:\.\d+)?|[—–－-]{1,2}|[/／]|无)`;
const LABEL_THEN_VALUES = new RegExp(String.raw`^(.*[^\s\d.,，%％—–－/／-])[ \u00a0]+((?:${VALUE_TOKEN}[ \u00a0]+)*${VALUE_TOKEN})$`, 'u');
const PLACEHOLDER_TOKEN = /^(?:[—–－-]{1,2}|[/／]|无)$/u;
/**
 * A label whose last character (a CJK character or a closing bracket) touches a number: a borderless
 * table printed narrow sets a row's first value against the end of its label. Row labels never end in
 * Arabic digits, so the digits are a value when value cells follow them.
 */
const LABEL_GLUED_VALUE = /^(.*[\u3400-\u9fff）)”])(\d[\d,]*(?:\.\d+)?)$/u;

/**
 * Loose rows: text tools set narrow columns one space apart, so a label and the row's
 * numbers can arrive as one cell. The numbers are cells of their own when there are at
 * least two of them, or when value cells follow. Each keeps its cell's ordinal (`col`).
 */
function splitTrailingValues(cells: LineCell[]): LineCell[] {
  const out: LineCell[] = [];
  const isValue = (c: LineCell | undefined) => !!c && (c.numeric || PLACEHOLDER_TOKEN.test(c.text.trim()));
  cells.forEach((c, i) => {
    const glued = !c.numeric && isValue(cells[i + 1]) ? LABEL_GLUED_VALUE.exec(c.text.trim()) : null;
    if (glued && !LABEL_THEN_VALUES.test(c.text.trim())) {
      const [, label, num] = glued;
      const width = c.x0 !== undefined && c.x1 !== undefined ? (c.x1 - c.x0) / c.text.trim().length : 0;
      const at = c.x0 !== undefined ? c.x0 + width * label.length : undefined;
      out.push({ ...c, text: label, norm: normLabel(label), numeric: false, x1: at ?? c.x1 });
      out.push({ ...c, text: num, norm: normLabel(num), numeric: true, x0: at, glued: true });
      return;
    }
    const m = c.numeric ? null : LABEL_THEN_VALUES.exec(c.text.trim());
    const nums = m ? m[2].split(/[ \u00a0]+/) : [];
    const numeric = nums.filter((t) => isNumeric(t)).length;
    // A lone value (a number or a dash) after the label is the row's first cell when value cells
    // follow it: "1.属于国家秘密 5" then "—", "—", "145"… (a flipbook row printed whole).
    const followed = isValue(cells[i + 1]);
    if (!m || (numeric === 0 && !followed) || !(nums.length >= 2 || followed) || nums.some((t) => !isNumeric(t) && !PLACEHOLDER_TOKEN.test(t))) {
      out.push(c);
      return;
    }
    const label = m[1];
    const width = c.x0 !== undefined && c.x1 !== undefined ? (c.x1 - c.x0) / c.text.trim().length : 0;
    let at = c.x0 !== undefined ? c.x0 + width * label.length : undefined;
    out.push({ ...c, text: label, norm: normLabel(label), numeric: false, x1: at ?? c.x1 });
    for (const t of nums) {
      const x0 = at !== undefined ? at + width : undefined;
      const x1 = x0 !== undefined ? x0 + width * t.length : undefined;
      out.push({ ...c, text: t, norm: normLabel(t), numeric: isNumeric(t), x0, x1 });
      at = x1;
    }
  });
  return out;
}

export function toLines(doc: DocumentModel): Line[] {
  const lines: Line[] = [];
  let tableNo = 0;
  for (const block of doc.blocks) {
    if (block.kind === 'paragraph') {
      const text = block.text;
      if (!text.trim()) continue;
      lines.push({
        index: lines.length,
        kind: 'paragraph',
        cells: [{ text, norm: normLabel(text), numeric: isNumeric(text), col: 0, colSpan: 1, page: block.page, line: block.line }],
        page: block.page,
        line: block.line,
        norm: normLabel(text),
        text,
        level: block.level,
      });
      continue;
    }
    tableNo++;
    const fieldPositions = block.grid === 'loose' && usesFieldPositions(block);
    // Exact grids: a row also "has" the merged cells that cover it from above, so
    // each row carries its group labels (三、本年度办理结果, （三）不予公开).
    const matrix = block.grid === 'exact' ? expandGrid(block) : null;
    block.rows.forEach((row, r) => {
      let cells: LineCell[];
      if (matrix) {
        const seen = new Set<TableCell>();
        cells = [];
        const gridRow = row[0]?.row ?? r;
        for (const c of matrix[gridRow] ?? []) {
          if (!c || seen.has(c)) continue;
          seen.add(c);
          cells.push(lineCell(c, c.row !== gridRow));
        }
      } else {
        cells = splitTrailingValues(row.map((c) => lineCell(c)));
      }
      if (cells.length === 0) return;
      const first = row[0] ?? cells[0];
      const text = cells.map((c) => c.text).join(' ');
      lines.push({
        index: lines.length,
        kind: 'row',
        cells,
        table: tableNo,
        grid: block.grid,
        fieldPositions,
        ...(block.delimited ? { delimited: true } : {}),
        row: first.row ?? r,
        page: first.page ?? block.page,
        line: first.line ?? block.line,
        norm: normLabel(cells.filter((c) => !c.spanned).map((c) => c.text).join('')),
        text,
      });
    });
  }
  return lines;
}
