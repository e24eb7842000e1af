/**
 * Plain text → document model: tab-separated tables, markdown pipe tables,
 * space-aligned `pdftotext -layout` tables, and hard-wrapped paragraphs.
 * Generic about documents; report structure is the recognizer's business.
 */
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import {
  type ColumnUnit,
  endOf,
  indentOf,
  isNumericToken,
  isPageMarker,
  segmentLine,
  textWidth,
  trimSpace,
} from '../document/text-layout.js';
import { NianbaoError, reasonOf } from '../errors.js';
import type { IngestOptions } from './index.js';
import { cleanLeftovers } from './text-leftovers.js';

export async function read(bytes: Uint8Array, _opts: IngestOptions): Promise<DocumentModel> {
  try {
    return readText(bytes);
  } catch (e) {
    if (e instanceof NianbaoError) throw e;
    throw new NianbaoError('corrupt', `text could not be read: ${reasonOf(e)}`);
  }
}

// ---------------------------------------------------------------- decoding

export interface Decoded {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';
  warnings: string[];
}

export function decodeText(bytes: Uint8Array): Decoded {
  const b = bytes;
  // TextDecoder drops a matching BOM itself (ignoreBOM defaults to false).
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return withReplacementWarning(new TextDecoder('utf-8').decode(b), 'utf-8');
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    return withReplacementWarning(new TextDecoder('utf-16le').decode(b), 'utf-16le');
  }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    return withReplacementWarning(new TextDecoder('utf-16be').decode(b), 'utf-16be');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8', warnings: [] };
  } catch {
    // Not valid UTF-8: Chinese government text is then almost always GBK/GB2312, which GB18030 contains.
    return withReplacementWarning(new TextDecoder('gb18030').decode(b), 'gb18030');
  }
}

function withReplacementWarning(text: string, encoding: Decoded['encoding']): Decoded {
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  const warnings = bad ? [`${bad} undecodable byte sequence(s) replaced while decoding as ${encoding}`] : [];
  return { text, encoding, warnings };
}

// ---------------------------------------------------------------- lines and pages

interface TextItem {
  kind: 'text';
  raw: string;
  line: number;
  page: number;
}
interface BlankItem {
  kind: 'blank';
  line: number;
  page: number;
}
/** A page footer/header or a form feed: the page may end here. */
interface BreakItem {
  kind: 'break';
  line: number;
}
type Item = TextItem | BlankItem | BreakItem;

interface Lines {
  items: Item[];
  /** Set when the text marks pages at all. */
  pages?: number;
}

// Controls other than tab, LF and FF carry nothing and confuse width arithmetic.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

function splitLines(text: string): Lines {
  const src = cleanLeftovers(text.replace(/\r\n?/g, '\n').replace(CONTROL, '')).split('\n');
  const items: Item[] = [];
  let page = 1;
  let maxPage = 1;
  let paged = false;
  let anyContent = false;
  // A footer ends its page, but pdftotext also emits a form feed right after
  // it; the next content decides, so the two count as one break.
  let pendingFooter = false;
  let contentOnPage = false;
  src.forEach((rawLine, idx) => {
    const line = idx + 1;
    let produced = false;
    rawLine.split('\f').forEach((part, k) => {
      if (k > 0) {
        paged = true;
        if (pendingFooter) page++;
        else if (anyContent) page++;
        pendingFooter = false;
        contentOnPage = false;
        items.push({ kind: 'break', line });
      }
      if (!part.trim()) return;
      produced = true;
      if (isPageMarker(part)) {
        paged = true;
        // A marker before any content of its page is a header: the break already happened.
        if (contentOnPage) pendingFooter = true;
        items.push({ kind: 'break', line });
        return;
      }
      if (pendingFooter) {
        page++;
        pendingFooter = false;
        contentOnPage = false;
      }
      items.push({ kind: 'text', raw: part, line, page });
      contentOnPage = true;
      anyContent = true;
      maxPage = Math.max(maxPage, page);
    });
    if (!produced) items.push({ kind: 'blank', line, page });
  });
  return { items, pages: paged ? maxPage : undefined };
}

// ---------------------------------------------------------------- classification

/**
 * 'pipe': cells between `|` (markdown, or web-page-to-text tools that print `a | b |` with no
 * leading pipe and no separator row); 'bar': a lone `|` between cells set one per line.
 */
type LineKind = 'tab' | 'tab-weak' | 'pipe' | 'bar' | 'layout' | 'other';

const LONE_BAR = /^[\s\u3000]*[|｜][\s\u3000]*$/u;

/** Cells between pipes: a leading or trailing pipe, or a pipe between two cells; prose has none. */
function isPipeRow(raw: string): boolean {
  if (raw.length > MAX_TABLE_LINE || !raw.includes('|')) return false;
  const t = trimSpace(raw);
  if (t.startsWith('|') || t.endsWith('|')) return t.length > 1;
  // Content before the first pipe and after the last (`a |  | 0`: empty cells between pipes).
  const content = /[^|\s\u3000]/u;
  return content.test(t.slice(0, t.indexOf('|'))) && content.test(t.slice(t.lastIndexOf('|') + 1));
}

function classify(item: TextItem): LineKind {
  const raw = item.raw;
  if (LONE_BAR.test(raw)) return 'bar';
  // Tabs mixed with pipes: the pipes are the delimiters, the tabs padding.
  if (isPipeRow(raw)) return 'pipe';
  if (raw.includes('\t')) {
    const fields = raw.split('\t');
    const filled = fields.filter((f) => f.trim() !== '').length;
    const inner = /[^\s\u3000][^\t]*\t/u.test(raw);
    if (inner && (filled >= 2 || fields.length >= 3)) return 'tab';
    // Only leading tabs: indentation, unless it sits inside a tab table.
    return 'tab-weak';
  }
  if (isLayoutLine(raw)) return 'layout';
  return 'other';
}

/** No printed table row is this long; longer lines are prose (and segmenting them is costly). */
const MAX_TABLE_LINE = 1000;

function isLayoutLine(raw: string): boolean {
  if (raw.length > MAX_TABLE_LINE) return false;
  const segs = segmentLine(raw, 'display');
  if (segs.length < 2) return false;
  if (segs.some((s) => isNumericToken(s.text))) return true;
  // Cells of a printed table are short; a run this long is a sentence with stray spacing.
  if (segs.some((s) => s.x1 - s.x0 > MAX_CELL_WIDTH)) return false;
  const gaps = segs.slice(1).map((s, k) => s.x0 - segs[k].x1);
  if (gaps.every((g) => g <= 2)) {
    // Justified prose sometimes shows one double space between two long runs of text,
    // and some typists put two spaces after a full stop.
    if (segs.length === 2 && segs[0].x1 - segs[0].x0 > 20 && segs[1].x1 - segs[1].x0 > 20) return false;
    if (segs.slice(0, -1).every((s) => /[。；：，！？、.;:,!?]$/u.test(s.text))) return false;
  }
  return true;
}

// ---------------------------------------------------------------- geometry of the page

interface Metrics {
  /** Typical right margin of prose lines in display columns; Infinity when lines are not hard-wrapped. */
  margin: number;
}

const MIN_MARGIN = 30;

function measure(items: TextItem[]): Metrics {
  const ends = items
    .filter((it) => textWidth(it.raw.trim(), 'display') >= 10)
    .map((it) => endOf(it.raw, 'display'))
    .sort((a, b) => a - b);
  let best = 0;
  let bestCount = 0;
  let lo = 0;
  for (let hi = 0; hi < ends.length; hi++) {
    while (ends[lo] < ends[hi] - 4) lo++;
    const count = hi - lo + 1;
    if (count >= bestCount) {
      best = ends[hi];
      bestCount = count;
    }
  }
  // Hard-wrapped text has many lines ending within a few columns of one margin;
  // nobody wraps prose narrower than ~15 CJK characters, short equal lines are a list.
  // Five lines ending at one column are a margin however many short lines (labels of a table
  // whose numbers are blank, so not recognised as table rows) surround them.
  const wrapped = best >= MIN_MARGIN && (bestCount >= 5 || (bestCount >= 3 && bestCount >= ends.length * 0.25));
  return { margin: wrapped ? best : Infinity };
}

const HEADING = [
  /^[一二三四五六七八九十百]+\s*[、.．]/u,
  /^[（(]\s*[一二三四五六七八九十百0-9０-９]+\s*[）)]/u,
  /^[0-9０-９]{1,2}\s*[.、．](?![0-9０-９])/u,
  /^第[一二三四五六七八九十百0-9０-９]+[章节部分]/u,
  /^[①-⑳]/u,
];

function isNumbered(text: string): boolean {
  const t = text.replace(/^[\s\u3000]+/u, '');
  return HEADING.some((re) => re.test(t));
}

/** A top-level section heading with real words after the number (not a letter-spaced or vertical table label). */
function isSectionHeading(raw: string): boolean {
  return /^[\s\u3000]*[一二三四五六七八九十]+\s*[、.．][\s\u3000]*[^\s\u3000]{5,}/u.test(raw);
}

function isProse(item: TextItem, m: Metrics): boolean {
  if (!Number.isFinite(m.margin)) return false;
  const width = textWidth(item.raw.trim(), 'display');
  return indentOf(item.raw, 'display') <= 8 && width >= 20 && endOf(item.raw, 'display') >= m.margin * 0.85;
}

// ---------------------------------------------------------------- regions

interface Region {
  kind: 'tab' | 'pipe' | 'bar' | 'cells' | 'layout';
  /** 'cells': empty lines separate every cell (paragraph spacing), so they are not empty cells. */
  spaced?: boolean;
  start: number;
  end: number;
}

const MAX_GAP_LINES = 12;
const MAX_GAP_TEXT = 6;
const TAIL_WIDTH = 20;
const MAX_CELL_WIDTH = 60;

function prevContent(items: Item[], from: number): number {
  let k = from;
  while (k >= 0 && items[k].kind !== 'text') k--;
  return k;
}

function nextContent(items: Item[], from: number): number {
  let k = from;
  while (k < items.length && items[k].kind !== 'text') k++;
  return k;
}

function findRegions(items: Item[], kinds: (LineKind | undefined)[], m: Metrics): Region[] {
  const regions: Region[] = [];
  const taken = new Array<boolean>(items.length).fill(false);

  // Cells set one per line with a lone `|` between them: every line next to a bar is a cell.
  for (let i = 0; i < items.length; i++) {
    if (kinds[i] !== 'bar') continue;
    let start = i;
    const p = prevContent(items, i - 1);
    if (p >= 0 && kinds[p] !== 'bar' && !taken[p]) start = p;
    let end = i;
    for (;;) {
      const n = nextContent(items, end + 1);
      if (n >= items.length) break;
      if (kinds[n] === 'bar') {
        end = n;
        continue;
      }
      // A cell has a bar on one side at least (rows may follow each other without one);
      // a section heading or a sentence is the text after the table.
      const after = nextContent(items, n + 1);
      const barred = kinds[end] === 'bar' || (after < items.length && kinds[after] === 'bar');
      const it = items[n] as TextItem;
      if (!barred || isSectionHeading(it.raw) || textWidth(trimSpace(it.raw), 'display') > 2 * MAX_CELL_WIDTH) break;
      end = n;
    }
    regions.push({ kind: 'bar', start, end });
    for (let k = start; k <= end; k++) taken[k] = true;
    i = end;
  }

  cellLineRegions(items, kinds, taken, regions);

  // Explicit tables next: tabs and pipes say outright where cells are.
  for (let i = 0; i < items.length; i++) {
    if (taken[i]) continue;
    if (kinds[i] !== 'tab' && kinds[i] !== 'pipe') continue;
    const kind = kinds[i] as 'tab' | 'pipe';
    let end = i;
    for (;;) {
      const n = nextContent(items, end + 1);
      if (n >= items.length) break;
      const blankBetween = items.slice(end + 1, n).some((it) => it.kind === 'blank');
      const continues = !taken[n] && (kind === 'tab' ? kinds[n] === 'tab' || kinds[n] === 'tab-weak' : kinds[n] === 'pipe' && !blankBetween);
      if (!continues) break;
      end = n;
    }
    regions.push({ kind, start: i, end });
    for (let k = i; k <= end; k++) taken[k] = true;
    i = end;
  }

  // Space-aligned tables: runs of layout lines, bridged over the short label
  // fragments and blank lines between them unless prose or a heading intervenes.
  let cur: Region | undefined;
  const close = () => {
    if (!cur) return;
    let end = cur.end;
    for (let tail = 0; tail < 2; tail++) {
      const n = end + 1;
      const it = items[n];
      if (!it || it.kind !== 'text' || taken[n] || kinds[n] !== 'other') break;
      if (isNumbered(it.raw) || textWidth(it.raw.trim(), 'display') > TAIL_WIDTH) break;
      end = n;
    }
    const aligned = kinds.slice(cur.start, cur.end + 1).filter((k) => k === 'layout').length;
    cur.end = end;
    if (aligned > 1 || isTableWorthy(items[cur.start] as TextItem)) {
      regions.push(cur);
      for (let k = cur.start; k <= cur.end; k++) taken[k] = true;
    }
    cur = undefined;
  };
  for (let i = 0; i < items.length; i++) {
    if (taken[i]) {
      close();
      continue;
    }
    if (kinds[i] !== 'layout') continue;
    if (cur && canBridge(items, kinds, taken, cur.end, i, m)) cur.end = i;
    else {
      close();
      cur = { kind: 'layout', start: i, end: i };
    }
  }
  close();
  return regions.sort((a, b) => a.start - b.start);
}

/** A run of cell lines is a table when it holds this many values, and values are this share of its lines. */
const CELL_VALUES = 8;
const VALUE_SHARE = 0.25;

/**
 * Label lines between two rows' values: a group label over a row label (三、本年度办理结果 / （一）予以公开),
 * a sub-table's caption and head (第二十条第（六）项 / 信息内容 / 本年处理决定数量 / 行政处罚); the 2019
 * table 2 heads three columns (第二十条第（六）项 / 信息内容 / 上一年项目数量 / 本年增/减 / 处理决定数量 / 行政处罚).
 */
const MAX_INNER_LABELS = 6;
/** Values in a row set one cell per line: a wide table's row (fifteen figures in one line of table) at most. */
const MAX_ROW_CELLS = 16;

const isValueLine = (it: Item): boolean => it.kind === 'text' && VALUE_TEXT.test(trimSpace(it.raw));

/**
 * A line that can be one cell of a table set one cell per line: short, not a sentence, and not a
 * section heading, unless values follow it at once (a numbered row label: 一、本年新收…, 三、本年度办理结果).
 */
function isCellLine(items: Item[], k: number, kind: LineKind | undefined): boolean {
  const it = items[k];
  if (kind !== 'other' || it.kind !== 'text') return false;
  const t = trimSpace(it.raw);
  if (t === '' || textWidth(t, 'display') > 2 * MAX_CELL_WIDTH || /[。！？]$/u.test(t)) return false;
  if (!isSectionHeading(it.raw)) return true;
  const n1 = nextContent(items, k + 1);
  const n2 = nextContent(items, n1 + 1);
  return (n1 < items.length && isValueLine(items[n1])) || (n2 < items.length && isValueLine(items[n2]));
}

/**
 * Cells set one per line with nothing between them (LibreOffice's and many web tools' text export of
 * a table): a label line, then its row's values a line each. Found as a run of cell lines in which
 * value-only lines are frequent, so a list of short prose lines is never taken for one; the run ends
 * at its last value (a signature after the table stays prose).
 */
function cellLineRegions(items: Item[], kinds: (LineKind | undefined)[], taken: boolean[], regions: Region[]): void {
  for (let i = 0; i < items.length; i++) {
    if (taken[i] || !isCellLine(items, i, kinds[i])) continue;
    let end = i;
    let lastValue = -1;
    let values = 0;
    let lines = 0;
    let spaced = 0;
    let labels = 0;
    let inner = 0;
    let run = 0;
    let longest = 0;
    for (let k = i; k < items.length; k++) {
      if (items[k].kind !== 'text') continue;
      if (taken[k] || !isCellLine(items, k, kinds[k])) break;
      if (k > end + 1) spaced++;
      end = k;
      lines++;
      if (isValueLine(items[k])) {
        if (values > 0) inner = Math.max(inner, labels);
        run = labels === 0 ? run + 1 : 1;
        longest = Math.max(longest, run);
        labels = 0;
        values++;
        lastValue = k;
      } else labels++;
    }
    // A row's label stands right before its cells. A block of label lines between runs of values is a
    // reading in the page's column order (a generic extractor's), where values follow other rows'
    // labels: not a table of cells.
    // A run longer than any row is a column read top to bottom (again the page's order, not the rows').
    if (values >= CELL_VALUES && values >= VALUE_SHARE * lines && inner <= MAX_INNER_LABELS && longest <= MAX_ROW_CELLS) {
      regions.push({ kind: 'cells', start: i, end: lastValue, ...(spaced >= 0.9 * (lines - 1) ? { spaced: true } : {}) });
      for (let k = i; k <= lastValue; k++) taken[k] = true;
    }
    i = end;
  }
}

/** A lone aligned line is a table only if it looks like one: numbers or three cells. */
function isTableWorthy(item: TextItem): boolean {
  const segs = segmentLine(item.raw, 'display');
  return segs.length >= 3 || segs.some((s) => isNumericToken(s.text));
}

function canBridge(items: Item[], kinds: (LineKind | undefined)[], taken: boolean[], a: number, b: number, m: Metrics): boolean {
  const first = items[a] as TextItem;
  const last = items[b] as TextItem;
  if (last.line - first.line > MAX_GAP_LINES) return false;
  let text = 0;
  for (let k = a + 1; k < b; k++) {
    const it = items[k];
    if (it.kind !== 'text') continue;
    if (taken[k] || kinds[k] !== 'other') return false;
    if (isSectionHeading(it.raw) || isProse(it, m)) return false;
    if (++text > MAX_GAP_TEXT) return false;
  }
  return true;
}

// ---------------------------------------------------------------- tables

function tabTable(items: Item[], r: Region): Table {
  const rows: TableCell[][] = [];
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text') continue;
    const row = rows.length;
    rows.push(
      it.raw.split('\t').map((f, col) => ({
        text: cleanCell(f),
        row,
        col,
        rowSpan: 1,
        colSpan: 1,
        x0: col,
        x1: col,
        page: it.page,
        line: it.line,
      })),
    );
  }
  // A browser's copied text prints a blank cell as a space between tabs and never pads: then an empty
  // field is a blank cell where it stands, as with pipes. Exporters that pad merged cells with empty
  // fields (two tabs after a label spanning two columns) say nothing by an empty field.
  return padded(items, r) ? finishTable(rows, 'loose') : { ...finishTable(rows, 'loose'), delimited: true };
}

/** Whether a tab region has a truly empty field before the last one of a line (merge padding). */
function padded(items: Item[], r: Region): boolean {
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text') continue;
    // Trailing tabs end the line; an end-anchored regex would be quadratic on a long run of tabs.
    let end = it.raw.length;
    while (end > 0 && it.raw[end - 1] === '\t') end--;
    if (it.raw.slice(0, end).split('\t').some((f) => f === '')) return true;
  }
  return false;
}

const SEPARATOR = /^[\s\u3000]*:?-{2,}:?[\s\u3000]*$/u;

/**
 * A markdown table (a separator row under its header) is an exact grid. Without one, the
 * pipes are a web-page-to-text tool's: merged cells are printed once, so rows differ in
 * length and a cell's ordinal is all it says about its column (a loose table by fields).
 */
function pipeTable(items: Item[], r: Region): Table {
  const lines: { it: TextItem; fields: string[] }[] = [];
  let separated = false;
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text') continue;
    const fields = splitPipes(it.raw);
    if (fields.every((f) => SEPARATOR.test(f))) {
      separated = true;
      continue;
    }
    lines.push({ it, fields });
  }
  // Rows of one width under a separator are a grid; rows of several widths are not, whatever the markup.
  if (separated && new Set(lines.map((l) => l.fields.length)).size === 1) {
    const rows = lines.map(({ it, fields }, row) => fields.map((f, col) => ({ text: cleanCell(f), row, col, rowSpan: 1, colSpan: 1, page: it.page, line: it.line })));
    return finishTable(rows, 'exact');
  }
  return { ...fieldTable(anchorValues(lines.map(({ it, fields }) => fields.map((f) => ({ text: cleanCell(f), it }))))), delimited: true };
}

/** Cells set one per line (between lone bars or not): the lines are the cells, rows are rebuilt by anchorValues. */
function barTable(items: Item[], r: Region): Table {
  const rows: { text: string; it: TextItem }[][] = [];
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text' || LONE_BAR.test(it.raw)) continue;
    for (const f of splitPipes(it.raw)) rows.push([{ text: cleanCell(f), it }]);
  }
  return fieldTable(anchorValues(rows));
}

/**
 * Cells set one per line with nothing between them: a label line opens a row, the lines after it are
 * its cells, an empty line an empty cell where it stands (LibreOffice writes one per blank cell). Empty
 * lines after a row's last value are the covered cells of merged labels: dropped.
 */
function cellsTable(items: Item[], r: Region): Table {
  const rows: { text: string; it: TextItem }[][] = [];
  let row: { text: string; it: TextItem }[] | null = null;
  let lastText: TextItem | null = null;
  const close = () => {
    if (!row) return;
    while (row.length > 1 && row[row.length - 1].text === '') row.pop();
    rows.push(separated(row) ? row.filter((c, i) => i === 0 || c.text !== '') : row);
    row = null;
  };
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text') {
      if (row && lastText && !r.spaced) row.push({ text: '', it: lastText });
      continue;
    }
    lastText = it;
    const text = cleanCell(it.raw);
    if (VALUE_TEXT.test(text) && row) row.push({ text, it });
    else {
      close();
      row = [{ text, it }];
    }
  }
  close();
  // As with pipes: an empty field is a blank cell where it stands.
  return { ...fieldTable(rows), delimited: true };
}

/** An empty line before every value of a row is paragraph spacing, not a row of alternate blank cells. */
function separated(row: { text: string }[]): boolean {
  let gaps = 0;
  let spaced = 0;
  for (let i = 2; i < row.length; i++) {
    if (row[i].text === '') continue;
    gaps++;
    if (row[i - 1].text === '') spaced++;
  }
  // The label too is spaced from the first value (in a cell export that gap is a blank first cell only).
  return gaps >= 2 && spaced === gaps && row[1]?.text === '';
}

// A 2019 本年增/减 is signed, in figures or in words: +3, ＋3, −2, 增加3, 减少2.
const VALUE_TEXT = /^(?:(?:[-+－＋−]|增加|减少|增|减)?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[%％]?(?:万元|元|件|条|个|项)?|[-－—–]{1,2}|[/／\\]|无|不适用)$/u;

/**
 * A line of values alone (a cell set on a line of its own) continues the row above it: the
 * label is the row's anchor and the values up to the next label are its cells, whatever the
 * line breaks. A line of several cells stands as it is (a table 4 data row under its header).
 */
function anchorValues(lines: { text: string; it: TextItem }[][]): { text: string; it: TextItem }[][] {
  const out: { text: string; it: TextItem }[][] = [];
  for (const cells of lines) {
    const filled = cells.filter((c) => c.text !== '');
    const prev = out[out.length - 1];
    if (prev && filled.length === 1 && cells.length <= 2 && VALUE_TEXT.test(filled[0].text)) prev.push(filled[0]);
    else if (filled.length) out.push(cells);
  }
  return out;
}

function fieldTable(lines: { text: string; it: TextItem }[][]): Table {
  const rows = lines.map((cells, row) =>
    cells.map((c, col) => ({ text: c.text, row, col, rowSpan: 1, colSpan: 1, x0: col, x1: col, page: c.it.page, line: c.it.line })),
  );
  return finishTable(rows, 'loose');
}

function splitPipes(raw: string): string[] {
  let s = raw.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (s[i] === '|') {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function layoutTable(items: Item[], r: Region, unit: ColumnUnit): Table {
  const rows: TableCell[][] = [];
  for (let k = r.start; k <= r.end; k++) {
    const it = items[k];
    if (it.kind !== 'text') continue;
    const row = rows.length;
    rows.push(
      segmentLine(it.raw, unit).map((s, col) => ({
        text: s.text,
        row,
        col,
        rowSpan: 1,
        colSpan: 1,
        x0: s.x0,
        x1: s.x1,
        page: it.page,
        line: it.line,
      })),
    );
  }
  return finishTable(rows, 'loose');
}

function cleanCell(s: string): string {
  return trimSpace(s);
}

function finishTable(rows: TableCell[][], grid: Table['grid']): Table {
  const cells = rows.flat();
  const first = cells[0];
  const last = cells[cells.length - 1];
  const table: Table = { kind: 'table', rows, grid, page: first?.page, line: first?.line };
  if (last?.page !== undefined && first?.page !== undefined && last.page !== first.page) table.endPage = last.page;
  return table;
}

/**
 * Whether the layout was made on a one-glyph-one-column grid (pdftotext) or by
 * display width: the unit under which numbers line up across rows wins.
 */
function chooseUnit(items: Item[], regions: Region[]): ColumnUnit {
  const cost: Record<ColumnUnit, number> = { display: 0, char: 0 };
  for (const r of regions) {
    if (r.kind !== 'layout') continue;
    for (const unit of ['display', 'char'] as const) {
      let prev: { first: number; last: number } | undefined;
      for (let k = r.start; k <= r.end; k++) {
        const it = items[k];
        if (it.kind !== 'text') continue;
        const nums = segmentLine(it.raw, unit).filter((s) => isNumericToken(s.text));
        if (!nums.length) continue;
        const cur = { first: nums[0].x0, last: nums[nums.length - 1].x1 };
        // Capped, so that a new sub-table or a page with another indent does not outweigh row-to-row drift.
        if (prev) cost[unit] += Math.min(Math.abs(cur.first - prev.first), 8) + Math.min(Math.abs(cur.last - prev.last), 8);
        prev = cur;
      }
    }
  }
  return cost.char < cost.display * 0.7 ? 'char' : 'display';
}

// ---------------------------------------------------------------- paragraphs

const CLOSING = /[。：；！？!?:;]$/u;
const ASCII_WORD = /[A-Za-z0-9_]/;
const OFFSET = 10;

function paragraphs(items: Item[], from: number, to: number, m: Metrics): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  let prev: TextItem | undefined;
  let blank = false;
  let pageBreak = false;
  for (let k = from; k <= to; k++) {
    const it = items[k];
    if (it.kind === 'blank') {
      blank = true;
      continue;
    }
    if (it.kind === 'break') {
      pageBreak = true;
      continue;
    }
    const text = trimSpace(it.raw);
    if (!cur || !prev || startsParagraph(prev, it, blank, pageBreak, m)) {
      cur = { kind: 'paragraph', text, page: it.page, line: it.line };
      out.push(cur);
    } else {
      const a = cur.text.slice(-1);
      const b = text[0] ?? '';
      cur.text += (ASCII_WORD.test(a) && ASCII_WORD.test(b) ? ' ' : '') + text;
    }
    prev = it;
    blank = false;
    pageBreak = false;
  }
  return out;
}

function startsParagraph(prev: TextItem, it: TextItem, blank: boolean, pageBreak: boolean, m: Metrics): boolean {
  // Blank lines around a page footer are page furniture, not a paragraph end.
  if (blank && !pageBreak) return true;
  if (isNumbered(it.raw)) return true;
  if (!Number.isFinite(m.margin)) return true;
  const indent = indentOf(it.raw, 'display');
  // Continuation lines start at the left margin; far-offset lines are titles, captions or table furniture.
  if (indent >= OFFSET || indentOf(prev.raw, 'display') >= OFFSET) return true;
  const closed = CLOSING.test(prev.raw.trimEnd());
  if (closed && indent >= 2) return true;
  const prevEnd = endOf(prev.raw, 'display');
  if (prevEnd >= m.margin - 6) return false;
  if (prevEnd < m.margin * 0.6) return true; // titles, headings, centred lines
  return pageBreak || indent >= 2 || closed;
}

// ---------------------------------------------------------------- assembly

const TABLE_READERS: Record<Region['kind'], (items: Item[], r: Region, unit: ColumnUnit) => Table> = {
  tab: tabTable,
  pipe: pipeTable,
  bar: barTable,
  cells: cellsTable,
  layout: layoutTable,
};

function readText(bytes: Uint8Array): DocumentModel {
  const { text, encoding, warnings } = decodeText(bytes);
  const { items, pages } = splitLines(text);
  const doc: DocumentModel = { format: 'text', blocks: [], warnings, encoding };
  if (pages !== undefined) doc.pages = pages;
  if (!items.some((it) => it.kind === 'text')) return doc;

  const kinds = items.map((it) => (it.kind === 'text' ? classify(it) : undefined));
  const metrics = measure(items.filter((it, k): it is TextItem => it.kind === 'text' && kinds[k] === 'other'));
  const regions = findRegions(items, kinds, metrics);
  const unit = chooseUnit(items, regions);

  const blocks: Block[] = [];
  let k = 0;
  for (const r of regions) {
    if (r.start > k) blocks.push(...paragraphs(items, k, r.start - 1, metrics));
    blocks.push(TABLE_READERS[r.kind](items, r, unit));
    k = r.end + 1;
  }
  if (k < items.length) blocks.push(...paragraphs(items, k, items.length - 1, metrics));
  doc.blocks = blocks;
  return doc;
}
