import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { readLegacy } from './convert/soffice.js';
import { legacyName, oleKind, openOle } from './ole.js';

/**
 * Word 97-2003 binary (.doc, and WPS Office's .wps, which is the same format) → document model, read by
 * hand ([MS-DOC]): the FIB, the piece table in the CLX, the paragraph properties (PAPX) that tell table
 * cells from row ends, and the row definitions (sprmTDefTable) that give the grid. `word-extractor` was
 * evaluated first: it turns every cell mark into a tab, so rows, empty cells and spans are lost.
 *
 * Only the main document story is read, as the DOCX adapter reads only document.xml: headers, footnotes,
 * comments and text boxes are elsewhere. Fields keep their result (\x13 code \x14 result \x15); hidden
 * and deleted text is dropped. Nested tables follow their outer table, as in the DOCX adapter.
 */

export function read(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  return readLegacy('doc', bytes, opts, legacyName('doc', false, opts.path), readBinary);
}

/** The built-in reader. */
export async function readBinary(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  const ole = openOle(bytes, legacyName('doc', false, opts.path));
  const kind = oleKind(ole);
  const what = 'format' in kind ? legacyName('doc', kind.wps, opts.path) : 'doc';
  const word = ole.stream('WordDocument');
  if (!word) throw new NianbaoError('corrupt', `${what}: no WordDocument stream`);
  const fib = readFib(word, what);
  const table = ole.stream(fib.tableStream);
  if (!table) throw new NianbaoError('corrupt', `${what}: no ${fib.tableStream} stream`);
  const bin = new Bin(word, what);
  const pieces = readPieces(new Bin(table, what), fib, word.length);
  const data = new Bin(ole.stream('Data') ?? new Uint8Array(0), what);
  const paras = readPropertyRuns(new Bin(table, what), bin, data, fib.papx, 'papx', what);
  const chars = readPropertyRuns(new Bin(table, what), bin, data, fib.chpx, 'chpx', what);
  const reader = new DocReader(fib.ccpText, pieces, word, paras, chars, sectionEnds(new Bin(table, what), fib.sed));
  return { format: 'doc', blocks: reader.read(), warnings: reader.warnings };
}

// ------------------------------------------------------------------ bytes

/** Bounds-checked little-endian reads: a truncated or mutated file ends as 'corrupt', never as a RangeError. */
class Bin {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly what: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  need(at: number, n: number, part: string): void {
    if (!(at >= 0 && n >= 0 && at + n <= this.bytes.length)) throw new NianbaoError('corrupt', `${this.what}: ${part} lies outside its stream (truncated file?)`);
  }
  u8(at: number): number {
    this.need(at, 1, 'a structure');
    return this.bytes[at];
  }
  u16(at: number): number {
    this.need(at, 2, 'a structure');
    return this.view.getUint16(at, true);
  }
  i16(at: number): number {
    this.need(at, 2, 'a structure');
    return this.view.getInt16(at, true);
  }
  u32(at: number): number {
    this.need(at, 4, 'a structure');
    return this.view.getUint32(at, true);
  }
}

// ------------------------------------------------------------------ FIB

interface FcLcb {
  fc: number;
  lcb: number;
}

interface Fib {
  tableStream: '0Table' | '1Table';
  ccpText: number;
  clx: FcLcb;
  papx: FcLcb;
  chpx: FcLcb;
  sed: FcLcb;
}

const WORD97_IDENT = 0xa5ec;
const WORD6_IDENT = 0xa5dc;
/** Indexes of FibRgFcLcb97 pairs ([MS-DOC] 2.5.6). */
const FC_PLCF_SED = 6;
const FC_PLCF_BTE_CHPX = 12;
const FC_PLCF_BTE_PAPX = 13;
const FC_CLX = 33;

function readFib(word: Uint8Array, what: string): Fib {
  const b = new Bin(word, what);
  if (word.length < 0x22) throw new NianbaoError('corrupt', `${what}: WordDocument stream too short for a file header`);
  const ident = b.u16(0);
  if (ident === WORD6_IDENT || (ident === WORD97_IDENT && b.u16(2) < 0x00c1 && b.u16(2) !== 0)) {
    throw new NianbaoError('unsupported', `${what}: Word 6.0/95 document (older than Word 97): convert it to .docx first`);
  }
  if (ident !== WORD97_IDENT) throw new NianbaoError('corrupt', `${what}: WordDocument stream has no Word file header`);
  const flags = b.u16(0x0a);
  // fEncrypted (RC4 or XOR) and fObfuscated: the text cannot be read without the password.
  if (flags & 0x0100 || flags & 0x8000) throw new NianbaoError('encrypted', `${what}: password-protected (encrypted) Word document`);
  let at = 0x20;
  const csw = b.u16(at);
  at += 2 + csw * 2;
  const cslw = b.u16(at);
  const rgLw = at + 2;
  if (cslw < 4) throw new NianbaoError('corrupt', `${what}: file header without text lengths`);
  const ccpText = b.u32(rgLw + 3 * 4);
  at = rgLw + cslw * 4;
  const cbRgFcLcb = b.u16(at);
  const rgFcLcb = at + 2;
  if (cbRgFcLcb <= FC_CLX) throw new NianbaoError('corrupt', `${what}: file header without a piece table`);
  const pair = (i: number): FcLcb => ({ fc: b.u32(rgFcLcb + i * 8), lcb: b.u32(rgFcLcb + i * 8 + 4) });
  return {
    tableStream: flags & 0x0200 ? '1Table' : '0Table',
    ccpText,
    clx: pair(FC_CLX),
    papx: pair(FC_PLCF_BTE_PAPX),
    chpx: pair(FC_PLCF_BTE_CHPX),
    sed: pair(FC_PLCF_SED),
  };
}

// ------------------------------------------------------------------ piece table

interface Piece {
  cpStart: number;
  cpEnd: number;
  /** Byte offset of the piece's first character in the WordDocument stream. */
  fc: number;
  /** 8-bit (Windows-1252) characters rather than UTF-16. */
  compressed: boolean;
}

function readPieces(t: Bin, fib: Fib, wordLength: number): Piece[] {
  const { fc, lcb } = fib.clx;
  t.need(fc, lcb, 'the piece table');
  let at = fc;
  const end = fc + lcb;
  // Prc entries (property modifiers of fast-saved files) come first; skip them.
  while (at < end && t.u8(at) === 0x01) at += 3 + t.i16(at + 1);
  if (at >= end || t.u8(at) !== 0x02) throw new NianbaoError('corrupt', `${t.what}: no piece table in the CLX`);
  const lcbPcd = t.u32(at + 1);
  const plc = at + 5;
  t.need(plc, lcbPcd, 'the piece table');
  const n = Math.floor((lcbPcd - 4) / 12);
  if (n < 1) throw new NianbaoError('corrupt', `${t.what}: empty piece table`);
  const pieces: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const cpStart = t.u32(plc + i * 4);
    const cpEnd = t.u32(plc + (i + 1) * 4);
    const pcd = plc + (n + 1) * 4 + i * 8;
    const raw = t.u32(pcd + 2);
    const compressed = (raw & 0x40000000) !== 0;
    const fcStart = compressed ? (raw & 0x3fffffff) / 2 : raw & 0x3fffffff;
    if (cpEnd < cpStart) throw new NianbaoError('corrupt', `${t.what}: piece table out of order`);
    const size = (cpEnd - cpStart) * (compressed ? 1 : 2);
    if (fcStart + size > wordLength) throw new NianbaoError('corrupt', `${t.what}: a text piece lies outside the WordDocument stream (truncated file?)`);
    pieces.push({ cpStart, cpEnd, fc: fcStart, compressed });
  }
  return pieces;
}

/** PlcfSed: the character positions that end sections (each just after its section mark). */
function sectionEnds(t: Bin, at: FcLcb): Set<number> {
  const ends = new Set<number>();
  if (at.lcb < 4 || at.fc + at.lcb > t.length) return ends;
  // n + 1 positions and n 12-byte descriptors.
  const n = Math.floor((at.lcb - 4) / 16);
  for (let i = 1; i <= n; i++) ends.add(t.u32(at.fc + i * 4));
  return ends;
}

// ------------------------------------------------------------------ property runs (PAPX, CHPX)

interface ParaProps {
  inTable: boolean;
  ttp: boolean;
  itap: number;
  innerCell: boolean;
  innerTtp: boolean;
  /** The row's definition, on the row-end (TTP) paragraph. */
  row?: RowDef;
}

interface CharProps {
  hidden: boolean;
  /** An inserted symbol (sprmCSymbol): its character in the text is a placeholder '(', as DOCX's w:sym, which is not read. */
  symbol: boolean;
}

/** A run of bytes [fcStart, fcEnd) of the WordDocument stream sharing one set of properties. */
interface Run<P> {
  fcStart: number;
  fcEnd: number;
  props: P;
}

type Kind = 'papx' | 'chpx';
type PropsOf<K extends Kind> = K extends 'papx' ? ParaProps : CharProps;

const MAX_FKP_PAGES = 100_000;

/**
 * The bin table (PlcfBtePapx / PlcfBteChpx) points at 512-byte FKP pages of the WordDocument stream; each
 * page maps runs of file offsets to a grpprl of sprms. Runs come back sorted by fcStart.
 */
function readPropertyRuns<K extends Kind>(t: Bin, word: Bin, data: Bin, at: FcLcb, kind: K, what: string): Run<PropsOf<K>>[] {
  const runs: Run<PropsOf<K>>[] = [];
  if (at.lcb < 8) return runs;
  t.need(at.fc, at.lcb, `the ${kind.toUpperCase()} bin table`);
  const n = Math.floor((at.lcb - 4) / 8);
  if (n > MAX_FKP_PAGES) throw new NianbaoError('corrupt', `${what}: implausible ${kind.toUpperCase()} bin table`);
  for (let i = 0; i < n; i++) {
    const pn = t.u32(at.fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    const page = pn * 512;
    word.need(page, 512, `a ${kind.toUpperCase()} page`);
    const crun = word.u8(page + 511);
    for (let k = 0; k < crun; k++) {
      const fcStart = word.u32(page + k * 4);
      const fcEnd = word.u32(page + (k + 1) * 4);
      if (kind === 'papx') {
        // BxPap: one byte offset (in words) then a 12-byte PHE.
        const bOffset = word.u8(page + (crun + 1) * 4 + k * 13) * 2;
        const props = bOffset ? papxAt(word, data, page + bOffset, page + 511) : emptyPara();
        runs.push({ fcStart, fcEnd, props: props as PropsOf<K> });
      } else {
        const bOffset = word.u8(page + (crun + 1) * 4 + k) * 2;
        const props = bOffset ? chpxAt(word, page + bOffset, page + 511) : { hidden: false, symbol: false };
        runs.push({ fcStart, fcEnd, props: props as PropsOf<K> });
      }
    }
  }
  return runs.sort((a, b) => a.fcStart - b.fcStart);
}

const emptyPara = (): ParaProps => ({ inTable: false, ttp: false, itap: 0, innerCell: false, innerTtp: false });

/** PapxInFkp: a size byte (or a zero and a size byte), then istd and the sprms. */
function papxAt(word: Bin, data: Bin, at: number, limit: number): ParaProps {
  let cb = word.u8(at);
  let start = at + 1;
  let size: number;
  if (cb === 0) {
    cb = word.u8(at + 1);
    start = at + 2;
    size = cb * 2;
  } else size = cb * 2 - 1;
  const end = Math.min(start + size, limit);
  const props = emptyPara();
  const vertical: [itc: number, merge: number][] = [];
  const visit = (bin: Bin) => (sprm: number, op: number, opLen: number): void => {
    const word = bin;
    switch (sprm) {
      case 0x6646: {
        // sprmPHugePapx: properties too large for the page (a wide row's definition) are in the Data stream.
        if (bin !== data) {
          const at = word.u32(op);
          eachSprm(data, at + 2, at + 2 + data.u16(at), visit(data));
        }
        break;
      }
      case 0x2416: // sprmPFInTable
        props.inTable = word.u8(op) !== 0;
        break;
      case 0x2417: // sprmPFTtp
        props.ttp = word.u8(op) !== 0;
        break;
      case 0x6649: // sprmPItap
        props.itap = word.u32(op);
        break;
      case 0x664a: // sprmPDtap: a change of nesting depth
        props.itap += word.i16(op);
        break;
      case 0x244b: // sprmPFInnerTableCell
        props.innerCell = word.u8(op) !== 0;
        break;
      case 0x244c: // sprmPFInnerTtp
        props.innerTtp = word.u8(op) !== 0;
        break;
      case 0xd608: // sprmTDefTable
        props.row = defTable(word, op, opLen);
        break;
      case 0xd62b: // sprmTVertMerge: itc, then 0 none / 1 continue / 3 restart
        // It may come before sprmTDefTable: applied once the row is known.
        if (opLen >= 2) vertical.push([word.u8(op), word.u8(op + 1)]);
        break;
      default:
        break;
    }
  };
  // The first two bytes are the style index (istd); the sprms follow.
  eachSprm(word, start + 2, end, visit(word));
  for (const [itc, v] of vertical) if (props.row?.cells[itc]) props.row.cells[itc].vertMerge = v;
  if (props.inTable && props.itap === 0) props.itap = 1;
  return props;
}

/** Chpx: a size byte, then the sprms. Hidden (vanish) and deleted (revision-marked) text is not printed. */
function chpxAt(word: Bin, at: number, limit: number): CharProps {
  const cb = word.u8(at);
  const props: CharProps = { hidden: false, symbol: false };
  eachSprm(word, at + 1, Math.min(at + 1 + cb, limit), (sprm, op) => {
    // 1 = on; 0x81 = the opposite of the style, which hides nothing in a style that does not hide.
    if (sprm === 0x083c || sprm === 0x0800) {
      const v = word.u8(op);
      if (v === 1 || v === 0x81) props.hidden = true;
    }
    if (sprm === 0x6a09) props.symbol = true;
  });
  return props;
}

/** sprmPChgTabs with a length byte of 255 sizes itself: deleted tabs (2 + 2 bytes each), then added ones (2 + 1). */
function chgTabsSize(word: Bin, op: number): number {
  const del = word.u8(op);
  const addAt = op + 1 + del * 4;
  return 1 + del * 4 + 1 + word.u8(addAt) * 3;
}

/** Operand sizes by the sprm's spra bits ([MS-DOC] 2.2.5.1); 6 is variable. */
const SPRA_SIZE = [1, 1, 2, 4, 2, 2, -1, 3];

function eachSprm(word: Bin, at: number, end: number, visit: (sprm: number, op: number, opLen: number) => void): void {
  while (at + 2 <= end) {
    const sprm = word.u16(at);
    at += 2;
    let size = SPRA_SIZE[sprm >> 13];
    let op = at;
    if (size < 0) {
      if (sprm === 0xd608) {
        // sprmTDefTable: a 2-byte length that counts itself plus one.
        size = word.u16(at) - 1;
        op = at + 2;
      } else {
        size = word.u8(at);
        op = at + 1;
        if (sprm === 0xc615 && size === 255) size = chgTabsSize(word, op) ;
      }
    }
    if (op + size > end) break;
    visit(sprm, op, size);
    at = op + size;
  }
}

// ------------------------------------------------------------------ rows

interface CellDef {
  /** 0 none, 1 first of a horizontal merge, 2/3 merged into the cell before. */
  horzMerge: number;
  /** 0 none, 1 continues the cell above, 3 starts a vertical merge. */
  vertMerge: number;
}

interface RowDef {
  /** Cell boundaries in twips, one more than cells. */
  edges: number[];
  cells: CellDef[];
}

const MAX_CELLS = 64;

function defTable(word: Bin, op: number, opLen: number): RowDef | undefined {
  const n = word.u8(op);
  if (n < 1 || n > MAX_CELLS || 1 + (n + 1) * 2 > opLen) return undefined;
  const edges: number[] = [];
  for (let i = 0; i <= n; i++) edges.push(word.i16(op + 1 + i * 2));
  const cells: CellDef[] = [];
  const tcAt = op + 1 + (n + 1) * 2;
  for (let i = 0; i < n; i++) {
    const at = tcAt + i * 20;
    // rgTc80 may stop short of itcMac: the rest are default cells.
    const flags = at + 2 <= op + opLen ? word.u16(at) : 0;
    cells.push({ horzMerge: flags & 0x3, vertMerge: (flags >> 5) & 0x3 });
  }
  return { edges, cells };
}

// ------------------------------------------------------------------ text → blocks

/** A cell being read: its paragraphs and nested tables, in document order. */
interface CellParts {
  items: (string | TableParts)[];
}

interface TableParts {
  rows: { cells: CellParts[]; def?: RowDef }[];
  cells: CellParts[];
  cell: CellParts;
}

interface RowText {
  cells: string[];
  def?: RowDef;
}

/** What a paragraph mark closes, at which table depth (0 = body text). */
interface Role {
  depth: number;
  ends: 'line' | 'cell' | 'row';
}

const MAX_TEXT = 20_000_000;
const MAX_DEPTH = 16;

/** Characters of the main text that are not printed as themselves. */
const DROPPED = new Set([0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x1f]);

const newTable = (): TableParts => ({ rows: [], cells: [], cell: { items: [] } });

class DocReader {
  readonly warnings: string[] = [];
  private readonly out: Block[] = [];
  private line: string[] = [];
  /** Open tables, outermost first; a nested table is also an item of its parent's current cell. */
  private stack: TableParts[] = [];
  private readonly decoder1252 = new TextDecoder('windows-1252');
  private readonly decoder16 = new TextDecoder('utf-16le');

  constructor(
    private readonly ccpText: number,
    private readonly pieces: Piece[],
    private readonly word: Uint8Array,
    private readonly paras: Run<ParaProps>[],
    private readonly chars: Run<CharProps>[],
    /** Character positions just after each section mark. */
    private readonly sectionEnds: Set<number>,
  ) {}

  read(): Block[] {
    const end = Math.min(this.ccpText, MAX_TEXT);
    if (this.ccpText > MAX_TEXT) this.warnings.push(`doc: text longer than ${MAX_TEXT} characters; the rest was not read`);
    // Field nesting: for each open field, whether its separator (\x14) has been seen.
    const fields: boolean[] = [];
    const printing = () => fields.every((inResult) => inResult);
    for (const p of this.pieces) {
      const from = Math.max(p.cpStart, 0);
      const to = Math.min(p.cpEnd, end);
      if (to <= from) continue;
      const text = this.decode(p, from, to);
      for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        const fc = p.fc + (from - p.cpStart + i) * (p.compressed ? 1 : 2);
        switch (ch) {
          case 0x13:
            fields.push(false);
            continue;
          case 0x14:
            if (fields.length) fields[fields.length - 1] = true;
            continue;
          case 0x15:
            fields.pop();
            continue;
          case 0x0d:
            this.paragraphEnd(fc, false);
            continue;
          case 0x07:
            this.paragraphEnd(fc, true);
            continue;
          case 0x0c:
            // A section mark ends its paragraph; a page break inside one is a line break, as DOCX's w:br.
            if (this.sectionEnds.has(from + i + 1)) this.paragraphEnd(fc, false, true);
            else if (printing()) this.line.push('\n');
            continue;
          case 0x0e: // column break
            if (printing()) this.line.push('\n');
            continue;
          default:
            break;
        }
        if (!printing() || DROPPED.has(ch)) continue;
        const chp = find(this.chars, fc)?.props;
        if (chp?.hidden || (chp?.symbol && ch === 0x28) || isSymbolFontCode(ch)) continue;
        if (ch === 0x0b) this.line.push('\n');
        else if (ch === 0x1e) this.line.push('-'); // non-breaking hyphen
        else if (ch === 0x09 || ch >= 0x20) this.line.push(text[i]);
      }
    }
    this.paragraphEnd(-1, false, true);
    return this.out;
  }

  private decode(p: Piece, from: number, to: number): string {
    const start = p.fc + (from - p.cpStart) * (p.compressed ? 1 : 2);
    const bytes = this.word.subarray(start, start + (to - from) * (p.compressed ? 1 : 2));
    return p.compressed ? this.decoder1252.decode(bytes) : this.decoder16.decode(bytes);
  }

  /**
   * What a mark ends. With properties: depth is the paragraph's itap; at depth 1 a cell mark (\x07) ends a
   * cell, or the row when it is the row's TTP mark; deeper, paragraph marks end inner cells and rows
   * (sprmPFInnerTableCell, sprmPFInnerTtp). Without properties (a file without them, or a section mark):
   * a cell mark is in a table, and a cell mark right after a closed cell (and no text) ends the row; a
   * paragraph mark inside a row that has begun is a line of a cell ("商业\r企业\x07"), and at a row's
   * start cannot be told from text after the table, so it ends the table.
   */
  private roleOf(props: ParaProps | undefined, cellMark: boolean, noProps: boolean, text: string): Role {
    if (props) {
      const depth = Math.min(props.itap, MAX_DEPTH);
      if (depth <= 0) return { depth: 0, ends: 'line' };
      if (depth === 1) return { depth, ends: cellMark ? (props.ttp ? 'row' : 'cell') : 'line' };
      return { depth, ends: props.innerTtp ? 'row' : props.innerCell ? 'cell' : 'line' };
    }
    const top = this.stack[0];
    const rowBegun = top !== undefined && (top.cells.length > 0 || top.cell.items.length > 0);
    if (cellMark) return { depth: 1, ends: text === '' && top?.cell.items.length === 0 && top.cells.length > 0 ? 'row' : 'cell' };
    return { depth: !noProps && rowBegun ? 1 : 0, ends: 'line' };
  }

  /** A paragraph mark (\r), a cell or row mark (\x07), or a section mark, which carries no properties. */
  private paragraphEnd(fc: number, cellMark: boolean, noProps = false): void {
    const text = this.line.join('');
    this.line = [];
    const props = noProps ? undefined : find(this.paras, fc)?.props;
    const role = this.roleOf(props, cellMark, noProps, text);
    while (this.stack.length > role.depth) this.closeTable();
    if (role.depth === 0) {
      if (text.trim()) this.out.push({ kind: 'paragraph', text } satisfies Paragraph);
      return;
    }
    while (this.stack.length < role.depth) {
      const inner = newTable();
      this.stack[this.stack.length - 1]?.cell.items.push(inner);
      this.stack.push(inner);
    }
    const t = this.stack[role.depth - 1];
    if (role.ends === 'row') {
      // The row-end mark's own paragraph is empty; text before it (a damaged file) closes a last cell.
      if (text || t.cell.items.length) this.endCell(t, text);
      t.rows.push({ cells: t.cells, def: props?.row });
      t.cells = [];
    } else if (role.ends === 'cell') this.endCell(t, text);
    else t.cell.items.push(text);
  }

  private endCell(t: TableParts, text: string): void {
    t.cell.items.push(text);
    t.cells.push(t.cell);
    t.cell = { items: [] };
  }

  /** Closes the innermost open table; the outermost one becomes blocks. */
  private closeTable(): void {
    const t = this.stack.pop()!;
    // A table cut short (truncated file): keep the cells read as a last row.
    if (t.cell.items.length) this.endCell(t, '');
    if (t.cells.length) t.rows.push({ cells: t.cells });
    t.cells = [];
    if (!this.stack.length) this.emit(t);
  }

  /**
   * As the DOCX adapter: a one-cell table is a layout frame whose paragraphs and tables are blocks in place;
   * any other keeps its cells' paragraphs as text, and its nested tables follow it, in document order.
   */
  private emit(t: TableParts): void {
    const cells = t.rows.flatMap((r) => r.cells);
    if (cells.length === 0) return;
    if (cells.length === 1) {
      for (const item of cells[0].items) {
        if (typeof item !== 'string') this.emit(item);
        else for (const text of item.split('\n')) if (text.trim()) this.out.push({ kind: 'paragraph', text });
      }
      return;
    }
    const nested: TableParts[] = [];
    const rows: RowText[] = t.rows.map((r) => ({
      def: r.def,
      cells: r.cells.map((c) => {
        const lines: string[] = [];
        for (const item of c.items) {
          if (typeof item === 'string') lines.push(item);
          else nested.push(item);
        }
        // The cell's paragraphs joined by newlines, without leading or trailing empty ones.
        return lines.join('\n').replace(/^\n+|\n+$/g, '');
      }),
    }));
    this.out.push(gridOf(rows));
    for (const n of nested) this.emit(n);
  }
}

/**
 * A symbol-font glyph (Wingdings, Symbol) as LibreOffice and WPS write inserted symbols: U+F020–U+F0FF, the
 * private-use codes of those fonts. No text, as the DOCX adapter does not read DOCX's w:sym.
 */
function isSymbolFontCode(ch: number): boolean {
  return ch >= 0xf020 && ch <= 0xf0ff;
}

/** The run holding a file offset, by binary search over runs sorted by start. */
function find<P>(runs: Run<P>[], fc: number): Run<P> | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid];
    if (fc < r.fcStart) hi = mid - 1;
    else if (fc >= r.fcEnd) lo = mid + 1;
    else return r;
  }
  return undefined;
}

/** Twips within which two cell edges are the same grid line (Word rounds widths it converts). */
const EDGE_TOLERANCE = 5;

/**
 * The grid of a table: Word stores each row's own cell edges, so the columns are every distinct edge of
 * every row, and a cell spans the columns between its edges. Legacy horizontal merges widen the cell
 * before them; vertical merges extend the cell above, as the DOCX adapter does with vMerge.
 */
function gridOf(rows: RowText[]): Table {
  const edges: number[] = [];
  for (const r of rows) if (r.def && r.def.cells.length === r.cells.length) for (const e of r.def.edges) edges.push(e);
  edges.sort((a, b) => a - b);
  const lines: number[] = [];
  for (const e of edges) if (!lines.length || e - lines[lines.length - 1] > EDGE_TOLERANCE) lines.push(e);
  // The grid line nearest to an edge, by binary search (a damaged file may have thousands of edges).
  const column = (x: number): number => {
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && Math.abs(lines[lo - 1] - x) <= Math.abs(lines[lo] - x) ? lo - 1 : lo;
  };

  const out: TableCell[][] = [];
  let above: (TableCell | undefined)[] = [];
  rows.forEach((r, ri) => {
    const def = r.def && r.def.cells.length === r.cells.length && lines.length > 1 ? r.def : undefined;
    const cells: TableCell[] = [];
    const here: (TableCell | undefined)[] = [];
    let next = 0;
    r.cells.forEach((text, i) => {
      const col = def ? column(def.edges[i]) : next;
      const span = def ? Math.max(1, column(def.edges[i + 1]) - col) : 1;
      next = col + span;
      const tc = def?.cells[i];
      const last = cells[cells.length - 1];
      if (tc && tc.horzMerge >= 2 && last) {
        last.colSpan = col + span - last.col;
        for (let c = col; c < col + span; c++) here[c] = last;
        return;
      }
      if (tc && tc.vertMerge === 1) {
        const origin = above[col];
        if (origin && origin.col === col && origin.row + origin.rowSpan === ri) {
          origin.rowSpan++;
          for (let c = col; c < col + Math.max(span, origin.colSpan); c++) here[c] = origin;
          return;
        }
      }
      const cell: TableCell = { text, row: ri, col, rowSpan: 1, colSpan: span };
      cells.push(cell);
      for (let c = col; c < col + span; c++) here[c] = cell;
    });
    out.push(cells);
    above = here;
  });
  return { kind: 'table', rows: out, grid: 'exact' };
}
