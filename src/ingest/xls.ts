import type { Block, DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { readLegacy } from './convert/soffice.js';
import { legacyName, oleKind, openOle } from './ole.js';
import { formatNumber, isoDate, sheetBlocks, type Box, type SheetCell } from './xlsx.js';

/**
 * Excel 97-2003 (BIFF8, .xls, and WPS Office's .et, the same format) → document model, read from the
 * Workbook stream's records by hand ([MS-XLS]): strings through the SST (CONTINUE records included),
 * numbers (NUMBER, RK, MULRK), cached formula results, merges, borders from the XF table, hidden rows
 * and sheets. The cells then go through the XLSX adapter's layout (sheetBlocks), so a workbook saved in
 * either format gives the same blocks.
 */

export function read(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  return readLegacy('xls', bytes, opts, legacyName('xls', false, opts.path), readBinary);
}

/** The built-in reader. */
export async function readBinary(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  const ole = openOle(bytes, legacyName('xls', false, opts.path));
  const kind = oleKind(ole);
  const what = 'format' in kind ? legacyName('xls', kind.wps, opts.path) : 'xls';
  const stream = ole.stream('Workbook');
  if (!stream) {
    if (ole.stream('Book')) throw new NianbaoError('unsupported', `${what}: Excel 5.0/95 (BIFF5) workbook: save it as .xls (97-2003) or .xlsx`);
    throw new NianbaoError('corrupt', `${what}: no Workbook stream`);
  }
  const records = readRecords(stream, what);
  const book = readGlobals(records, what);
  const blocks: Block[] = [];
  const warnings: string[] = [];
  for (const sheet of book.sheets) {
    if (sheet.type !== 0) continue; // charts, macro and dialog sheets hold no cells
    if (sheet.hidden) {
      warnings.push(`hidden worksheet "${sheet.name}" skipped`);
      continue;
    }
    const start = records.findIndex((r) => r.offset === sheet.offset);
    if (start < 0) {
      warnings.push(`worksheet "${sheet.name}": not found in the workbook stream (damaged file?)`);
      continue;
    }
    const { cells, merges } = readSheet(records, start, book, what);
    sheetBlocks(cells, merges, blocks);
  }
  return { format: 'xls', blocks, warnings };
}

// ------------------------------------------------------------------ records

interface Rec {
  type: number;
  offset: number;
  data: Uint8Array;
}

const MAX_RECORDS = 5_000_000;

function readRecords(s: Uint8Array, what: string): Rec[] {
  const out: Rec[] = [];
  let at = 0;
  while (at + 4 <= s.length) {
    const type = s[at] | (s[at + 1] << 8);
    const len = s[at + 2] | (s[at + 3] << 8);
    // The stream may be padded with zeros after the last EOF; zeros anywhere else are a cut-off file.
    if (type === 0 && len === 0 && out.length && out[out.length - 1].type === EOF) break;
    if (at + 4 + len > s.length) throw new NianbaoError('corrupt', `${what}: a record runs past the end of the workbook stream (truncated file?)`);
    out.push({ type, offset: at, data: s.subarray(at + 4, at + 4 + len) });
    if (out.length > MAX_RECORDS) throw new NianbaoError('too-large', `${what}: more than ${MAX_RECORDS} records`);
    at += 4 + len;
  }
  if (!out.length || out[0].type !== BOF) throw new NianbaoError('corrupt', `${what}: the workbook stream does not start with a BOF record`);
  if (out[out.length - 1].type !== EOF) throw new NianbaoError('corrupt', `${what}: the workbook stream ends before its last EOF record (truncated file?)`);
  return out;
}

const BOF = 0x0809;
const EOF = 0x000a;
const R = {
  FILEPASS: 0x002f,
  BOUNDSHEET: 0x0085,
  SST: 0x00fc,
  CONTINUE: 0x003c,
  XF: 0x00e0,
  FORMAT: 0x041e,
  DATEMODE: 0x0022,
  LABELSST: 0x00fd,
  LABEL: 0x0204,
  RSTRING: 0x00d6,
  NUMBER: 0x0203,
  RK: 0x027e,
  MULRK: 0x00bd,
  BOOLERR: 0x0205,
  FORMULA: 0x0006,
  STRING: 0x0207,
  BLANK: 0x0201,
  MULBLANK: 0x00be,
  MERGEDCELLS: 0x00e5,
  ROW: 0x0208,
} as const;

/** Little-endian reads that fail as 'corrupt' outside the record. */
class RecData {
  constructor(
    readonly d: Uint8Array,
    private readonly what: string,
  ) {}
  private need(at: number, n: number): void {
    if (at < 0 || at + n > this.d.length) throw new NianbaoError('corrupt', `${this.what}: a record is shorter than its content (damaged file?)`);
  }
  u8(at: number): number {
    this.need(at, 1);
    return this.d[at];
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.d[at] | (this.d[at + 1] << 8);
  }
  u32(at: number): number {
    this.need(at, 4);
    return (this.d[at] | (this.d[at + 1] << 8) | (this.d[at + 2] << 16)) + this.d[at + 3] * 0x1000000;
  }
  f64(at: number): number {
    this.need(at, 8);
    return new DataView(this.d.buffer, this.d.byteOffset + at, 8).getFloat64(0, true);
  }
}

// ------------------------------------------------------------------ globals

interface Sheet {
  name: string;
  offset: number;
  hidden: boolean;
  /** 0 worksheet, 2 chart, 6 VBA module. */
  type: number;
}

interface Xf {
  border: boolean;
  fmt: number;
}

interface Book {
  sheets: Sheet[];
  sst: string[];
  xfs: Xf[];
  formats: Map<number, string>;
  date1904: boolean;
}

function readGlobals(records: Rec[], what: string): Book {
  const bof = new RecData(records[0].data, what);
  // BIFF8's BOF carries version 0x0600; BIFF5 (Excel 5/95) keeps its strings in 8-bit code pages.
  if (records[0].data.length >= 2 && bof.u16(0) !== 0x0600) throw new NianbaoError('unsupported', `${what}: Excel 5.0/95 (BIFF5) or older workbook: save it as .xls (97-2003) or .xlsx`);
  const book: Book = { sheets: [], sst: [], xfs: [], formats: new Map(), date1904: false };
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    const d = new RecData(r.data, what);
    switch (r.type) {
      case EOF:
        return book;
      case R.FILEPASS:
        throw new NianbaoError('encrypted', `${what}: password-protected (encrypted) workbook`);
      case R.BOUNDSHEET: {
        const [name] = shortString(d, 6);
        book.sheets.push({ offset: d.u32(0), hidden: d.u8(4) !== 0, type: d.u8(5), name });
        break;
      }
      case R.SST: {
        const parts = [r.data];
        while (i + 1 < records.length && records[i + 1].type === R.CONTINUE) parts.push(records[++i].data);
        book.sst = readSst(parts, what);
        break;
      }
      case R.XF: {
        // Border line styles of left, right, top and bottom, four bits each.
        book.xfs.push({ fmt: d.u16(2), border: r.data.length >= 12 && (d.u16(10) & 0xffff) !== 0 });
        break;
      }
      case R.FORMAT: {
        const [fmt] = unicodeString(d, 2);
        book.formats.set(d.u16(0), fmt);
        break;
      }
      case R.DATEMODE:
        book.date1904 = d.u16(0) === 1;
        break;
      default:
        break;
    }
  }
  throw new NianbaoError('corrupt', `${what}: the workbook globals have no EOF record (truncated file?)`);
}

/** ShortXLUnicodeString: a 1-byte length, a flags byte, the characters. Returns the text and the next offset. */
function shortString(d: RecData, at: number): [string, number] {
  return chars(d, d.u8(at), d.u8(at + 1) & 1, at + 2);
}

/** XLUnicodeString: a 2-byte length, a flags byte, the characters. */
function unicodeString(d: RecData, at: number): [string, number] {
  return chars(d, d.u16(at), d.u8(at + 2) & 1, at + 3);
}

function chars(d: RecData, count: number, wide: number, at: number): [string, number] {
  const size = count * (wide ? 2 : 1);
  if (at + size > d.d.length) throw new NianbaoError('corrupt', 'xls: a string runs past its record (damaged file?)');
  const bytes = d.d.subarray(at, at + size);
  return [wide ? new TextDecoder('utf-16le').decode(bytes) : latin1(bytes), at + size];
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

/**
 * The shared string table, across its CONTINUE records. A string's characters may break at a record
 * boundary, and the next record then starts with a fresh flags byte telling whether they go on 8- or
 * 16-bit; rich-text runs and phonetic data break without one.
 */
function readSst(parts: Uint8Array[], what: string): string[] {
  let part = 0;
  let at = 0;
  const corrupt = () => new NianbaoError('corrupt', `${what}: the shared string table is cut short (damaged file?)`);
  const ensure = () => {
    while (part < parts.length && at >= parts[part].length) {
      part++;
      at = 0;
    }
    if (part >= parts.length) throw corrupt();
  };
  const byte = (): number => {
    ensure();
    return parts[part][at++];
  };
  const u16 = () => byte() | (byte() << 8);
  const u32 = () => (byte() | (byte() << 8) | (byte() << 16)) + byte() * 0x1000000;
  const skip = (n: number) => {
    while (n > 0) {
      ensure();
      const k = Math.min(n, parts[part].length - at);
      at += k;
      n -= k;
    }
  };
  const utf16 = new TextDecoder('utf-16le');

  u32(); // total references
  // The declared count is only trusted as far as the data goes: a string takes at least 3 bytes.
  const unique = u32();
  const out: string[] = [];
  for (let n = 0; n < unique; n++) {
    if (part >= parts.length || (part === parts.length - 1 && at >= parts[part].length)) break;
    const cch = u16();
    const flags = byte();
    let wide = flags & 0x01;
    const runs = flags & 0x08 ? u16() : 0;
    const ext = flags & 0x04 ? u32() : 0;
    let s = '';
    let left = cch;
    while (left > 0) {
      if (part < parts.length && at >= parts[part].length) {
        part++;
        at = 0;
        if (part >= parts.length) throw corrupt();
        wide = parts[part][at++] & 0x01;
      }
      ensure();
      const avail = Math.floor((parts[part].length - at) / (wide ? 2 : 1));
      const k = Math.min(left, avail);
      if (k === 0) throw corrupt();
      const bytes = parts[part].subarray(at, at + k * (wide ? 2 : 1));
      s += wide ? utf16.decode(bytes) : latin1(bytes);
      at += bytes.length;
      left -= k;
    }
    skip(runs * 4 + ext);
    out.push(s);
  }
  return out;
}

// ------------------------------------------------------------------ a sheet

const MAX_ROW = 65536;
const MAX_COL = 256;
const ERRORS: Record<number, string> = { 0x00: '#NULL!', 0x07: '#DIV/0!', 0x0f: '#VALUE!', 0x17: '#REF!', 0x1d: '#NAME?', 0x24: '#NUM!', 0x2a: '#N/A' };

function readSheet(records: Rec[], start: number, book: Book, what: string): { cells: Map<number, Map<number, SheetCell>>; merges: Box[] } {
  // Rows and columns are 1-based here, as in exceljs, so the shared layout numbers lines alike.
  const cells = new Map<number, Map<number, SheetCell>>();
  const hiddenRows = new Set<number>();
  const merges: Box[] = [];
  const put = (row: number, col: number, ixfe: number, text: string) => {
    if (row >= MAX_ROW || col >= MAX_COL) return;
    const border = book.xfs[ixfe]?.border ?? false;
    if (!text && !border) return;
    let line = cells.get(row + 1);
    if (!line) cells.set(row + 1, (line = new Map()));
    line.set(col + 1, { text, border });
  };
  const number = (v: number, ixfe: number) => (isDateFormat(book, ixfe) ? dateText(v, book.date1904) : formatNumber(v));
  let depth = 0;
  for (let i = start + 1; i < records.length; i++) {
    const r = records[i];
    const d = new RecData(r.data, what);
    if (r.type === BOF) depth++; // an embedded chart's substream
    if (r.type === EOF) {
      if (depth-- === 0) break;
      continue;
    }
    if (depth > 0) continue;
    switch (r.type) {
      case R.LABELSST:
        put(d.u16(0), d.u16(2), d.u16(4), book.sst[d.u32(6)] ?? '');
        break;
      case R.LABEL:
      case R.RSTRING:
        put(d.u16(0), d.u16(2), d.u16(4), unicodeString(d, 6)[0]);
        break;
      case R.NUMBER:
        put(d.u16(0), d.u16(2), d.u16(4), number(d.f64(6), d.u16(4)));
        break;
      case R.RK:
        put(d.u16(0), d.u16(2), d.u16(4), number(rk(d.u32(6)), d.u16(4)));
        break;
      case R.MULRK: {
        const row = d.u16(0);
        const first = d.u16(2);
        const count = Math.floor((r.data.length - 6) / 6);
        for (let k = 0; k < count; k++) {
          const ixfe = d.u16(4 + k * 6);
          put(row, first + k, ixfe, number(rk(d.u32(6 + k * 6)), ixfe));
        }
        break;
      }
      case R.BOOLERR: {
        const v = d.u8(6);
        put(d.u16(0), d.u16(2), d.u16(4), d.u8(7) ? ERRORS[v] ?? '#ERROR' : v ? 'TRUE' : 'FALSE');
        break;
      }
      case R.FORMULA: {
        const row = d.u16(0);
        const col = d.u16(2);
        const ixfe = d.u16(4);
        if (d.u16(12) !== 0xffff) {
          put(row, col, ixfe, number(d.f64(6), ixfe));
          break;
        }
        const type = d.u8(6);
        if (type === 0) {
          // A string result: its text is in the STRING record that follows.
          const next = records[i + 1];
          const text = next && next.type === R.STRING ? unicodeString(new RecData(next.data, what), 0)[0] : '';
          put(row, col, ixfe, text);
        } else if (type === 1) put(row, col, ixfe, d.u8(8) ? 'TRUE' : 'FALSE');
        else if (type === 2) put(row, col, ixfe, ERRORS[d.u8(8)] ?? '#ERROR');
        else put(row, col, ixfe, '');
        break;
      }
      case R.BLANK:
        put(d.u16(0), d.u16(2), d.u16(4), '');
        break;
      case R.MULBLANK: {
        const row = d.u16(0);
        const first = d.u16(2);
        const count = Math.floor((r.data.length - 6) / 2);
        for (let k = 0; k < count; k++) put(row, first + k, d.u16(4 + k * 2), '');
        break;
      }
      case R.MERGEDCELLS: {
        const n = d.u16(0);
        for (let k = 0; k < n; k++) {
          const at = 2 + k * 8;
          const top = d.u16(at);
          const bottom = d.u16(at + 2);
          const left = d.u16(at + 4);
          const right = d.u16(at + 6);
          if (bottom < top || right < left || bottom >= MAX_ROW || right >= MAX_COL) continue;
          if (bottom === top && right === left) continue;
          merges.push({ top: top + 1, bottom: bottom + 1, left: left + 1, right: right + 1 });
        }
        break;
      }
      case R.ROW:
        if (r.data.length >= 13 && d.u8(12) & 0x20) hiddenRows.add(d.u16(0) + 1);
        break;
      default:
        break;
    }
  }
  for (const row of hiddenRows) cells.delete(row);
  const clipped = clipMerges(merges, cells);
  // As exceljs: a merge covers its cells, whose own values (Excel keeps none) are not read.
  let budget = MAX_MERGE_WORK;
  for (const m of clipped) {
    budget -= (m.bottom - m.top + 1) * (m.right - m.left + 1);
    if (budget < 0) throw new NianbaoError('corrupt', `${what}: implausible merged ranges (damaged file?)`);
    for (let r = m.top; r <= m.bottom; r++) {
      const line = cells.get(r);
      if (line) for (let c = m.left; c <= m.right; c++) if (r !== m.top || c !== m.left) line.delete(c);
    }
  }
  return { cells, merges: clipped };
}

/** Cells all merges together may cover: a real sheet's merges cover at most its 65,536 × 256 grid once. */
const MAX_MERGE_WORK = 65_536 * 256;

const MAX_MERGES = 10_000;

/**
 * Merges cut to the rows and columns that hold cells. A merge reaching past them adds only empty rows
 * and columns to the layout, and a damaged file's merge over 65,536 rows would make a table of as many.
 */
function clipMerges(merges: Box[], cells: Map<number, Map<number, SheetCell>>): Box[] {
  let lastRow = 0;
  let lastCol = 0;
  for (const [r, line] of cells) {
    lastRow = Math.max(lastRow, r);
    for (const c of line.keys()) lastCol = Math.max(lastCol, c);
  }
  const out: Box[] = [];
  for (const m of merges.slice(0, MAX_MERGES)) {
    const box = { ...m, bottom: Math.min(m.bottom, lastRow), right: Math.min(m.right, lastCol) };
    if (box.top <= box.bottom && box.left <= box.right && (box.bottom > box.top || box.right > box.left)) out.push(box);
  }
  return out;
}

/** An RK number: a 30-bit integer or the top 30 bits of a double, optionally divided by 100. */
function rk(v: number): number {
  const cents = v & 1;
  let n: number;
  if (v & 2) n = (v >> 2) | 0;
  else {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setUint32(4, (v & 0xfffffffc) >>> 0, true);
    n = buf.getFloat64(0, true);
  }
  return cents ? n / 100 : n;
}

/** Built-in number formats that show dates or times ([MS-XLS] 2.4.126, with the CJK ones). */
const DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function isDateFormat(book: Book, ixfe: number): boolean {
  const fmt = book.xfs[ixfe]?.fmt;
  if (fmt === undefined) return false;
  const custom = book.formats.get(fmt);
  if (custom === undefined) return DATE_FORMATS.has(fmt);
  // Quoted literals, escapes and [colour]/[locale] sections say nothing about dates.
  const bare = custom.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

function dateText(serial: number, date1904: boolean): string {
  // Serial 60 is Excel's phantom 1900-02-29; days after it are counted one too many from 1899-12-31.
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const days = !date1904 && serial < 61 ? serial + 1 : serial;
  const d = new Date(base + Math.round(days * 86400000));
  return Number.isNaN(d.getTime()) ? formatNumber(serial) : isoDate(d);
}
