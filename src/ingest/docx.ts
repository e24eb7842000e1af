import { XMLParser } from 'fast-xml-parser';
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { placePictures, readPictures, type Picture } from './pictures.js';
import { hasSignature } from './signature.js';
import { openZip, type GuardedZip } from './zip.js';

/**
 * DOCX → document model, straight from word/document.xml (see docs/ingest.md for
 * why not mammoth). Tables keep Word's own grid: gridSpan, vMerge, gridBefore/After.
 *
 * Nested tables: a table with a single cell is a layout wrapper and is unwrapped
 * (its paragraphs and tables become blocks in place). Any other table that holds
 * tables keeps only its cells' paragraph text; each nested table becomes its own
 * table block right after the outer one, in document order.
 */

/** A node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attrs }` or `{ '#text': s }`. */
type XNode = Record<string, unknown>;

// embed, id, cx, style: where a picture's bytes are (r:embed, VML r:id) and how wide it is shown.
const KEEP_ATTRS = new Set(['val', 'type', 'styleId', 'embed', 'id', 'cx', 'style']);

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: (name: string) => !KEEP_ATTRS.has(name),
  attributeNamePrefix: '',
  // Prefixes vary between writers (w:, ns0:, strict OOXML); local names do not.
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // Callbacks get a matcher instead of a joined path string: ~20% faster, and we use neither.
  jPath: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function tagOf(n: XNode): string {
  for (const k in n) if (k !== ':@') return k;
  return '';
}
function kids(n: XNode): XNode[] {
  const v = n[tagOf(n)];
  return Array.isArray(v) ? (v as XNode[]) : [];
}
function attr(n: XNode, name: string): string | undefined {
  return (n[':@'] as Record<string, string> | undefined)?.[name];
}
function child(n: XNode, tag: string): XNode | undefined {
  for (const c of kids(n)) if (tagOf(c) === tag) return c;
  return undefined;
}
function isOff(v: string | undefined): boolean {
  return v === '0' || v === 'false' || v === 'off';
}

/**
 * Drops formatting the reader never looks at before parsing: fast-xml-parser
 * spends its time per element, and run/cell/table formatting is ~80% of the
 * elements of a typical document.xml (4× faster on the official template).
 * Only the usual `w:` prefix is handled; other prefixes parse unstripped.
 * Run properties that hide text (vanish) or nest (rPrChange) are kept whole.
 */
function stripFormatting(xml: string): string {
  if (!xml.includes('<w:')) return xml;
  return xml
    .replace(/<w:rPr>([\s\S]*?)<\/w:rPr>/g, (m, inner: string) => (inner.includes('<w:vanish') || inner.includes('<w:rPr') ? m : ''))
    .replace(/<w:(tcBorders|tblBorders|tblPrEx|tblCellMar|tcMar|pBdr|numPr|tabs)>[\s\S]*?<\/w:\1>/g, '')
    .replace(/<w:(rFonts|shd|spacing|ind|jc|sz|szCs|kern|lang|color|tcW|vAlign|keepNext|keepLines|widowControl|suppressLineNumbers|trHeight|tblW|tblLayout|tblInd|tblLook|gridCol|proofErr|bookmarkStart|bookmarkEnd|snapToGrid|adjustRightInd|autoSpaceDE|autoSpaceDN|textAlignment|noWrap|tcFitText|hideMark)\b[^>]*\/>/g, '');
}

export function parseXml(xml: string, where: string): XNode[] {
  try {
    return parser.parse(stripFormatting(xml)) as XNode[];
  } catch (e) {
    throw new NianbaoError('corrupt', `${where}: malformed XML (${String((e as Error).message).split('\n')[0]})`);
  }
}

export async function read(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  const what = 'docx';
  const zip = openZip(bytes, what);
  const main = mainPart(zip);
  refuseHopeless(zip, main, what);
  const xml = zip.readXml(main);
  if (xml === undefined) throw new NianbaoError('corrupt', `${what}: no main document part (word/document.xml)`);
  const root = parseXml(xml, `${what}: ${main}`);
  const doc = root.find((n) => tagOf(n) === 'document');
  const body = doc && child(doc, 'body');
  if (!body) throw new NianbaoError('corrupt', `${what}: ${main} has no document body`);

  const reader = new DocxReader(() => styleLevels(zip));
  reader.blocks(kids(body));
  if (!reader.pictures.length) return { format: 'docx', blocks: reader.out, warnings: reader.warnings };
  const { pictures, at, warnings } = pictureBytes(zip, main, reader.pictures);
  const reading = await readPictures(pictures, { deadlineAt: opts.deadlineAt });
  return { format: 'docx', blocks: placePictures(reader.out, at, reading), warnings: [...reader.warnings, ...warnings, ...reading.warnings] };
}

/** A picture where the body shows it: after `at` blocks, its relationship id, its shown width. */
interface PictureRef {
  at: number;
  rid: string;
  widthIn?: number;
}

const EMU_PER_INCH = 914400;
/** Embedded formats a decoder reads; EMF/WMF (vector, often a table pasted from Excel) are not. */
const RASTER = /\.(png|jpe?g|gif|bmp|tiff?|webp)$/i;

/** The pictures' bytes from the package, through the main part's relationships. */
function pictureBytes(zip: GuardedZip, main: string, refs: readonly PictureRef[]): { pictures: Picture[]; at: number[]; warnings: string[] } {
  const dir = main.slice(0, main.lastIndexOf('/') + 1);
  const relsXml = zip.readXml(`${dir}_rels/${main.slice(dir.length)}.rels`) ?? '';
  const targets = new Map<string, string>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const a = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[0])?.[1];
    const id = a('Id');
    const target = a('Target');
    if (id && target && a('TargetMode') !== 'External') targets.set(id, target.startsWith('/') ? target.slice(1) : normalisePart(dir + target));
  }
  const pictures: Picture[] = [];
  const at: number[] = [];
  const vector: string[] = [];
  for (const r of refs) {
    const name = targets.get(r.rid);
    if (!name) continue;
    if (!RASTER.test(name)) {
      if (/\.(emf|wmf)$/i.test(name) && (r.widthIn === undefined || r.widthIn >= 2.5)) vector.push(name);
      continue;
    }
    const bytes = zip.read(name);
    if (!bytes) continue;
    pictures.push({ bytes, name, ...(r.widthIn !== undefined ? { widthIn: r.widthIn } : {}) });
    at.push(r.at);
  }
  const warnings = vector.length ? [`${vector.length === 1 ? 'a vector picture' : `${vector.length} vector pictures`} (EMF/WMF) not read: ${vector.slice(0, 5).join(', ')}`] : [];
  return { pictures, at, warnings };
}

/** "word/../media/x.png" → "media/x.png". */
function normalisePart(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

/** Width in inches from a VML style ("width:415.3pt;height:…"). */
function vmlWidth(style: string | undefined): number | undefined {
  const m = style && /(?:^|;)\s*width:\s*([\d.]+)(pt|in|px|cm|mm)/.exec(style);
  if (!m) return undefined;
  const per: Record<string, number> = { pt: 72, in: 1, px: 96, cm: 2.54, mm: 25.4 };
  return Number(m[1]) / per[m[2]];
}

/** Pictures in a paragraph, in order: DrawingML (wp:inline / wp:anchor with a:blip) and VML (v:imagedata). */
function pictureRefs(nodes: XNode[], at: number, out: PictureRef[], widthIn?: number): void {
  for (const n of nodes) {
    const tag = tagOf(n);
    // A fallback repeats its choice's picture; a text box holds text, read (or not) as such.
    if (tag === 'Fallback' || tag === 'txbxContent') continue;
    if (tag === 'inline' || tag === 'anchor') {
      const cx = Number(attr(child(n, 'extent') ?? {}, 'cx'));
      pictureRefs(kids(n), at, out, cx > 0 ? cx / EMU_PER_INCH : undefined);
    } else if (tag === 'shape') pictureRefs(kids(n), at, out, vmlWidth(attr(n, 'style')));
    else if (tag === 'blip') {
      const rid = attr(n, 'embed');
      if (rid) out.push({ at, rid, ...(widthIn !== undefined ? { widthIn } : {}) });
    } else if (tag === 'imagedata') {
      const rid = attr(n, 'id');
      if (rid) out.push({ at, rid, ...(widthIn !== undefined ? { widthIn } : {}) });
    } else pictureRefs(kids(n), at, out, widthIn);
  }
}

/**
 * Parsing XML costs about 25 bytes of heap per byte, so a 400 KB DOCX that inflates to
 * 118 MB of XML took 2.8 GB. A report's main part is a few MB even with hundreds of
 * table rows; above MAX_MAIN_XML it is refused from the declared size, and above
 * HEAD_CHECK_XML only when the first MB of its text never says 公开.
 */
export const MAX_MAIN_XML = 48 * 1024 * 1024;
export const HEAD_CHECK_XML = 4 * 1024 * 1024;

function refuseHopeless(zip: GuardedZip, main: string, what: string): void {
  const entry = zip.entries.find((e) => e.name === main);
  if (!entry || entry.size <= HEAD_CHECK_XML) return;
  const mb = (n: number) => Math.round(n / 1048576);
  if (entry.size > MAX_MAIN_XML) {
    throw new NianbaoError('too-large', `${what}: ${main} declares ${mb(entry.size)} MB of XML (limit ${mb(MAX_MAIN_XML)} MB; a report's is a few MB)`);
  }
  const head = zip.head(main, 1024 * 1024);
  if (head && !hasSignature(head)) {
    throw new NianbaoError('not-report', `not a government information disclosure annual report (no 信息公开 in the first MB of its ${mb(entry.size)} MB of XML)`);
  }
}

function mainPart(zip: GuardedZip): string {
  if (zip.has('word/document.xml')) return 'word/document.xml';
  const rels = zip.has('_rels/.rels') ? zip.readXml('_rels/.rels') : undefined;
  const m = rels && /Target="\/?([^"]+)"[^>]*Type="[^"]*\/officeDocument"|Type="[^"]*\/officeDocument"[^>]*Target="\/?([^"]+)"/.exec(rels);
  return m ? (m[1] ?? m[2]) : 'word/document.xml';
}

/** Heading level per paragraph style id, from outlineLvl or a "heading N" name, following basedOn. */
function styleLevels(zip: GuardedZip): Map<string, number | undefined> {
  const levels = new Map<string, number | undefined>();
  const xml = zip.readXml('word/styles.xml');
  if (!xml) return levels;
  const own = new Map<string, { level?: number; basedOn?: string }>();
  const root = parseXml(xml, 'docx: word/styles.xml');
  const styles = root.find((n) => tagOf(n) === 'styles');
  for (const s of styles ? kids(styles) : []) {
    if (tagOf(s) !== 'style') continue;
    const id = attr(s, 'styleId');
    if (!id) continue;
    let level: number | undefined;
    const outline = child(child(s, 'pPr') ?? {}, 'outlineLvl');
    const v = outline ? Number(attr(outline, 'val')) : NaN;
    if (v >= 0 && v < 9) level = v + 1;
    const nameNode = child(s, 'name');
    const name = nameNode ? attr(nameNode, 'val') ?? '' : '';
    const m = /^(?:heading|标题)\s*([1-9])$/i.exec(name.trim());
    if (level === undefined && m) level = Number(m[1]);
    const based = child(s, 'basedOn');
    own.set(id, { level, basedOn: based ? attr(based, 'val') : undefined });
  }
  const resolve = (id: string, depth: number): number | undefined => {
    const s = own.get(id);
    if (!s || depth > 20) return undefined;
    return s.level ?? (s.basedOn ? resolve(s.basedOn, depth + 1) : undefined);
  };
  for (const id of own.keys()) levels.set(id, resolve(id, 0));
  return levels;
}

class DocxReader {
  readonly out: Block[] = [];
  readonly warnings: string[] = [];
  /** Pictures in body paragraphs (not inside table cells), to be read by OCR where they stand. */
  readonly pictures: PictureRef[] = [];
  private levels?: Map<string, number | undefined>;
  constructor(private readonly loadLevels: () => Map<string, number | undefined>) {}

  blocks(nodes: XNode[]): void {
    for (const n of nodes) {
      switch (tagOf(n)) {
        case 'p': {
          // Empty paragraphs are spacing in Word, not content.
          const p = this.paragraph(n);
          if (p.text.trim()) this.out.push(p);
          pictureRefs(kids(n), this.out.length, this.pictures);
          break;
        }
        case 'tbl':
          this.table(n);
          break;
        case 'sdt': {
          const content = child(n, 'sdtContent');
          if (content) this.blocks(kids(content));
          break;
        }
        case 'customXml':
        case 'ins':
        case 'moveTo':
          this.blocks(kids(n));
          break;
        default:
          break;
      }
    }
  }

  private paragraph(p: XNode): Paragraph {
    const acc: string[] = [];
    inline(kids(p), acc);
    const para: Paragraph = { kind: 'paragraph', text: acc.join('') };
    const level = this.levelOf(child(p, 'pPr'));
    if (level !== undefined) para.level = level;
    return para;
  }

  private levelOf(pPr: XNode | undefined): number | undefined {
    if (!pPr) return undefined;
    const outline = child(pPr, 'outlineLvl');
    if (outline) {
      const v = Number(attr(outline, 'val'));
      // 9 is "body text": an explicit opt-out of the style's level.
      return v >= 0 && v < 9 ? v + 1 : undefined;
    }
    const style = child(pPr, 'pStyle');
    const id = style && attr(style, 'val');
    if (!id) return undefined;
    this.levels ??= this.loadLevels();
    return this.levels.get(id);
  }

  private table(tbl: XNode): void {
    const rowNodes = collect(kids(tbl), 'tr');
    const cellNodes = rowNodes.map((tr) => collect(kids(tr), 'tc'));
    const cellCount = cellNodes.reduce((s, r) => s + r.length, 0);
    if (cellCount === 0) return;
    if (cellCount === 1) {
      this.blocks(kids(cellNodes.find((r) => r.length)![0]));
      return;
    }

    const nested: XNode[] = [];
    const rows: TableCell[][] = [];
    let above: (TableCell | undefined)[] = [];
    for (let r = 0; r < rowNodes.length; r++) {
      const trPr = child(rowNodes[r], 'trPr');
      let col = gridValue(trPr, 'gridBefore');
      const cells: TableCell[] = [];
      const here: (TableCell | undefined)[] = [];
      for (const tc of cellNodes[r]) {
        const tcPr = child(tc, 'tcPr');
        const span = Math.max(1, gridValue(tcPr, 'gridSpan') || 1);
        const hMerge = tcPr && child(tcPr, 'hMerge');
        const last = cells[cells.length - 1];
        if (hMerge && attr(hMerge, 'val') !== 'restart' && last && last.row === r) {
          // Legacy horizontal merge: the continuation widens the cell to its left.
          last.colSpan += span;
          for (let c = col; c < col + span; c++) here[c] = last;
          col += span;
          continue;
        }
        const vMerge = tcPr && child(tcPr, 'vMerge');
        if (vMerge && attr(vMerge, 'val') !== 'restart') {
          const origin = above[col];
          if (origin && origin.col === col && origin.row + origin.rowSpan === r) {
            origin.rowSpan++;
            for (let c = col; c < col + Math.max(span, origin.colSpan); c++) here[c] = origin;
            col += span;
            continue;
          }
        }
        const cell: TableCell = { text: this.cellText(tc, nested), row: r, col, rowSpan: 1, colSpan: span };
        cells.push(cell);
        for (let c = col; c < col + span; c++) here[c] = cell;
        col += span;
      }
      rows.push(cells);
      above = here;
    }
    const table: Table = { kind: 'table', rows, grid: 'exact' };
    this.out.push(table);
    for (const t of nested) this.table(t);
  }

  private cellText(tc: XNode, nested: XNode[]): string {
    const lines: string[] = [];
    const walk = (nodes: XNode[]) => {
      for (const n of nodes) {
        const tag = tagOf(n);
        if (tag === 'p') {
          const acc: string[] = [];
          inline(kids(n), acc);
          lines.push(acc.join(''));
        } else if (tag === 'tbl') nested.push(n);
        else if (tag === 'sdt') {
          const content = child(n, 'sdtContent');
          if (content) walk(kids(content));
        } else if (tag === 'customXml' || tag === 'ins' || tag === 'moveTo') walk(kids(n));
      }
    };
    walk(kids(tc));
    return lines.join('\n').replace(/^\n+|\n+$/g, '');
  }
}

/** Children with a tag, looking through content controls and custom XML that may wrap rows and cells. */
function collect(nodes: XNode[], tag: string, out: XNode[] = []): XNode[] {
  for (const n of nodes) {
    const t = tagOf(n);
    if (t === tag) out.push(n);
    else if (t === 'sdt') {
      const content = child(n, 'sdtContent');
      if (content) collect(kids(content), tag, out);
    } else if (t === 'customXml' || t === 'ins' || t === 'moveTo') collect(kids(n), tag, out);
  }
  return out;
}

function gridValue(pr: XNode | undefined, tag: string): number {
  const n = pr && child(pr, tag);
  const v = n ? Number(attr(n, 'val')) : 0;
  return Number.isFinite(v) && v > 0 ? Math.min(v, 1000) : 0;
}

/** Visible text of runs: w:t, w:tab, w:br (and w:cr); never deleted text or field instructions. */
function inline(nodes: XNode[], acc: string[]): void {
  for (const n of nodes) {
    switch (tagOf(n)) {
      case 'r':
        run(n, acc);
        break;
      case 'hyperlink':
      case 'smartTag':
      case 'ins':
      case 'moveTo':
      case 'fldSimple':
      case 'customXml':
      case 'bdo':
      case 'dir':
      case 'oMath':
      case 'oMathPara':
        inline(kids(n), acc);
        break;
      case 'sdt': {
        const content = child(n, 'sdtContent');
        if (content) inline(kids(content), acc);
        break;
      }
      default:
        // del, moveFrom (deleted text), pPr, bookmarks, proofErr, drawings and text boxes.
        break;
    }
  }
}

function run(r: XNode, acc: string[]): void {
  const items = kids(r);
  for (const c of items) {
    switch (tagOf(c)) {
      case 'rPr': {
        const vanish = child(c, 'vanish');
        if (vanish && !isOff(attr(vanish, 'val'))) return; // hidden text is not printed
        break;
      }
      case 't':
        for (const t of kids(c)) {
          const s = t['#text'];
          if (typeof s === 'string') acc.push(s);
          else if (typeof s === 'number') acc.push(String(s));
        }
        break;
      case 'tab':
        acc.push('\t');
        break;
      case 'br':
      case 'cr':
        acc.push('\n');
        break;
      case 'noBreakHyphen':
        acc.push('-');
        break;
      default:
        break;
    }
  }
}
