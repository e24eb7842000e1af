import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import { isPageTool } from '../text/chrome.js';
import type { IngestOptions } from './index.js';
import { placePictures, readPictures, wideEnough, type Picture } from './pictures.js';

/**
 * HTML (and MHTML) → document model. parse5 builds the tree the way a browser
 * does, so unclosed <td>/<tr>/<p>, uppercase tags and "</td>" inside scripts
 * behave as on the portal page.
 *
 * Tables: a table that contains tables, or has a single cell, is layout. Its
 * cells' own text becomes paragraphs and its inner tables become blocks, in
 * document order. Every other table is a data table with an exact grid.
 *
 * Page chrome: the article container is the deepest element that holds nearly all
 * of the page's running text and tables; blocks outside it (site navigation,
 * breadcrumb, sidebars, footer), inside nav/aside/footer, or that are page tools
 * (字体大小, 打印本页, ICP备案, 友情链接) are marked `chrome`.
 *
 * Every walk is iterative: pages nested thousands of levels deep (hostile or
 * generated) must not overflow the stack.
 */

const BR = '\u2028'; // stands for <br> until lines are split; never kept in output text

const SKIP = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'title', 'iframe', 'object', 'embed', 'svg',
  'canvas', 'video', 'audio', 'select', 'textarea', 'button', 'input', 'map',
]);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'dir', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'hr', 'html', 'li',
  'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'ul', 'caption', 'table', 'tbody', 'thead',
  'tfoot', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
const HEADING = /^h([1-6])$/;

export async function read(bytes: Uint8Array, opts: IngestOptions): Promise<DocumentModel> {
  const warnings: string[] = [];
  let html: Decoded;
  let saved = new Map<string, Uint8Array>();
  if (isMhtml(bytes)) {
    const part = mhtmlPart(bytes);
    html = decode(part.bytes, part.charset, warnings);
    saved = part.images;
  } else {
    html = decode(bytes, undefined, warnings);
  }
  let document: T.Document;
  try {
    document = parse(html.text, { sourceCodeLocationInfo: true });
  } catch (e) {
    throw new NianbaoError('corrupt', `html: cannot be parsed (${(e as Error).message.split('\n')[0]})`);
  }
  const tree = new Tree(document);
  const reader = new FlowReader(tree);
  reader.read(document);
  markChrome(reader.out, tree);
  const titles = declaredTitles(document);
  let blocks = reader.out.map((o) => o.block);
  const pictures = pictureBytes(reader.pictures, saved);
  if (pictures.list.length) {
    const reading = await readPictures(pictures.list, { deadlineAt: opts.deadlineAt });
    blocks = placePictures(blocks, pictures.at, reading);
    warnings.push(...reading.warnings);
  }
  if (pictures.elsewhere) warnings.push(`${pictures.elsewhere === 1 ? 'a picture' : `${pictures.elsewhere} pictures`} shown wide enough to hold a table ${pictures.elsewhere === 1 ? 'is' : 'are'} not in the file (the page links to ${pictures.elsewhere === 1 ? 'it' : 'them'}) and not read`);
  return { format: 'html', blocks, warnings, encoding: html.encoding, ...(titles.length ? { declaredTitles: titles } : {}) };
}

// ---------------------------------------------------------------- pictures

/** An <img> of the flow: after `at` blocks, its src, its shown width when the page sets one. */
interface ImgRef {
  at: number;
  src: string;
  widthIn?: number;
}

/** CSS pixels per inch. */
const PX_PER_IN = 96;

/** Shown width in inches from width="600" or style="width:600px" (percentages say nothing of size). */
function imgWidth(el: T.Element): number | undefined {
  const style = /(?:^|;)\s*width\s*:\s*([\d.]+)\s*(px|pt|in|cm|mm)\b/i.exec(attrOf(el, 'style') ?? '');
  if (style) return Number(style[1]) / ({ px: PX_PER_IN, pt: 72, in: 1, cm: 2.54, mm: 25.4 } as Record<string, number>)[style[2].toLowerCase()];
  const w = /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(attrOf(el, 'width') ?? '');
  return w ? Number(w[1]) / PX_PER_IN : undefined;
}

/** A data: URI's bytes (base64 image only). */
function dataUri(src: string): Uint8Array | undefined {
  const m = /^data:image\/[\w.+-]+;base64,(.*)$/is.exec(src.trim());
  return m ? new Uint8Array(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')) : undefined;
}

/**
 * The bytes of the pictures the file itself holds: data: URIs, and an MHTML file's image parts (by their
 * Content-Location, or the last path segment when the page refers to it relatively). Nothing is fetched.
 */
function pictureBytes(refs: readonly ImgRef[], saved: Map<string, Uint8Array>): { list: Picture[]; at: number[]; elsewhere: number } {
  const byName = new Map<string, Uint8Array>();
  for (const [loc, b] of saved) byName.set(loc.replace(/[?#].*$/, '').split('/').pop() ?? loc, b);
  const list: Picture[] = [];
  const at: number[] = [];
  let elsewhere = 0;
  refs.forEach((r, i) => {
    const bytes = dataUri(r.src) ?? saved.get(r.src) ?? byName.get(r.src.replace(/[?#].*$/, '').split('/').pop() ?? '');
    if (!bytes) {
      // Shown wide enough to be a table: a page of "图片版" tables saved without its pictures says so.
      if (r.widthIn !== undefined) elsewhere++;
      return;
    }
    list.push({ bytes, name: r.src.startsWith('data:') ? `picture ${i + 1}` : r.src.slice(0, 120), ...(r.widthIn !== undefined ? { widthIn: r.widthIn } : {}) });
    at.push(r.at);
  });
  return { list, at, elsewhere };
}

// ---------------------------------------------------------------- charset

interface Decoded {
  text: string;
  encoding: string;
}

const GB = new Set(['gb2312', 'gbk', 'x-gbk', 'gb18030', 'gb_2312-80', 'cp936', 'ms936', 'windows-936', 'euc-cn', 'csgb2312', 'chinese', 'iso-ir-58']);

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** BOM, then the declared charset (meta or MIME part), then UTF-8 if valid, else GB18030. */
export function decode(bytes: Uint8Array, hinted: string | undefined, warnings: string[]): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };

  const declared = (hinted ?? metaCharset(bytes))?.toLowerCase().trim();
  if (declared && GB.has(declared)) return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    try {
      decoder = new TextDecoder(declared);
    } catch {
      warnings.push(`unknown charset "${declared}"; guessed from the bytes`);
    }
    if (decoder) return { text: decoder.decode(bytes), encoding: decoder.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Chinese portals often declare UTF-8 (or nothing) over GBK bytes.
    if (declared) warnings.push(`declared charset ${declared} but the bytes are not valid UTF-8; decoded as GB18030`);
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = latin1(bytes.subarray(0, 16384));
  const m = /<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)/i.exec(head);
  return m?.[1];
}

// ---------------------------------------------------------------- MHTML

function isMhtml(bytes: Uint8Array): boolean {
  const head = latin1(bytes.subarray(0, 4096)).toLowerCase();
  return /^(?:[\w-]+:.*\r?\n(?:[ \t].*\r?\n)*)*mime-version:/.test(head) && /content-type:\s*(multipart\/related|text\/html)/.test(head);
}

interface Part {
  headers: string;
  body: string;
}

function splitHeaders(s: string): Part {
  const m = /\r?\n\r?\n/.exec(s);
  if (!m) return { headers: s, body: '' };
  return { headers: s.slice(0, m.index).replace(/\r?\n[ \t]+/g, ' '), body: s.slice(m.index + m[0].length) };
}

function header(headers: string, name: string): string {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers);
  return m ? m[1].trim() : '';
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Base64-encoded image parts of an MHTML file by their Content-Location: the page's pictures, saved with it. */
function mhtmlImages(parts: readonly Part[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const p of parts) {
    const location = header(p.headers, 'content-location');
    if (!location || !/^image\//i.test(header(p.headers, 'content-type'))) continue;
    if (header(p.headers, 'content-transfer-encoding').toLowerCase() !== 'base64') continue;
    out.set(location, new Uint8Array(Buffer.from(p.body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')));
  }
  return out;
}

/** The first text/html part of a multipart/related MHTML file, transfer-decoded to bytes, and its images. */
function mhtmlPart(bytes: Uint8Array): { bytes: Uint8Array; charset?: string; images: Map<string, Uint8Array> } {
  // latin1 keeps every byte as one char, so the part's bytes survive for its own charset.
  const all = latin1(bytes);
  const top = splitHeaders(all);
  const type = header(top.headers, 'content-type');
  let parts: Part[] = [top];
  const boundary = param(type, 'boundary');
  if (/multipart\//i.test(type)) {
    if (!boundary) throw new NianbaoError('corrupt', 'mhtml: multipart file without a boundary');
    parts = top.body.split(`--${boundary}`).slice(1).map((p) => splitHeaders(p.replace(/^\r?\n/, '')));
  }
  const html = parts.find((p) => /^text\/html/i.test(header(p.headers, 'content-type')));
  if (!html) throw new NianbaoError('corrupt', 'mhtml: no text/html part');
  const cte = header(html.headers, 'content-transfer-encoding').toLowerCase();
  const charset = param(header(html.headers, 'content-type'), 'charset');
  const images = mhtmlImages(parts);
  let body = html.body;
  if (cte === 'base64') return { bytes: new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')), charset, images };
  if (cte === 'quoted-printable') {
    body = body.replace(/=\r?\n/g, '');
    const out = new Uint8Array(body.length);
    let n = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(body.slice(i + 1, i + 3))) {
        out[n++] = parseInt(body.slice(i + 1, i + 3), 16);
        i += 2;
      } else out[n++] = c & 0xff;
    }
    return { bytes: out.subarray(0, n), charset, images };
  }
  return { bytes: Uint8Array.from(body, (ch) => ch.charCodeAt(0) & 0xff), charset, images };
}

// ---------------------------------------------------------------- tree

function isElement(n: T.Node): n is T.Element {
  return 'tagName' in n;
}
function attrOf(el: T.Element, name: string): string | undefined {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return undefined;
}
function hidden(el: T.Element): boolean {
  if (attrOf(el, 'hidden') !== undefined) return true;
  const style = attrOf(el, 'style');
  return style !== undefined && /display\s*:\s*none/i.test(style);
}
function lineOf(n: T.Node): number | undefined {
  return (n as { sourceCodeLocation?: { startLine: number } | null }).sourceCodeLocation?.startLine ?? undefined;
}
function skipped(el: T.Element): boolean {
  return SKIP.has(el.tagName) || hidden(el);
}

/** Collapse HTML whitespace (and &nbsp;) and split at <br>. */
function lines(raw: string): string[] {
  return raw.split(BR).map((l) => l.replace(/[ \t\n\r\f\u00a0]+/g, ' ').trim());
}

function childrenOf(n: T.Node): T.ChildNode[] {
  if ('content' in n && n.nodeName === 'template') return [];
  return 'childNodes' in n ? n.childNodes : [];
}

/** The visible elements of a page in document order, with the facts the readers need, computed without recursion. */
class Tree {
  /** Elements (not skipped, not hidden) in document order: parents before children. */
  readonly order: T.Element[] = [];
  readonly parent = new Map<T.Element, T.Element | null>();
  /** Elements that have a visible <table> below them. */
  readonly hasTable = new Set<T.Element>();

  constructor(root: T.Node) {
    const stack: [T.Node, T.Element | null][] = [[root, null]];
    while (stack.length) {
      const [n, up] = stack.pop()!;
      let owner = up;
      if (isElement(n)) {
        if (skipped(n)) continue;
        this.order.push(n);
        this.parent.set(n, up);
        owner = n;
      }
      const kids = childrenOf(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], owner]);
    }
    for (let i = this.order.length - 1; i >= 0; i--) {
      const el = this.order[i];
      const up = this.parent.get(el);
      if (up && (el.tagName === 'table' || this.hasTable.has(el))) this.hasTable.add(up);
    }
  }
}

function tableRows(table: T.Element): T.Element[] {
  const rows: T.Element[] = [];
  for (const c of table.childNodes) {
    if (!isElement(c)) continue;
    if (c.tagName === 'tr') rows.push(c);
    else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') {
      for (const r of c.childNodes) if (isElement(r) && r.tagName === 'tr') rows.push(r);
    }
  }
  return rows;
}

function rowCells(tr: T.Element): T.Element[] {
  return tr.childNodes.filter((c): c is T.Element => isElement(c) && (c.tagName === 'td' || c.tagName === 'th'));
}

function spanOf(el: T.Element, name: string): number {
  const v = parseInt(attrOf(el, name) ?? '1', 10);
  return Number.isFinite(v) && v >= 0 ? Math.min(v, 1000) : 1;
}

/** Text of a data cell: blocks and <br> become '\n', nested content flattened. */
function cellText(el: T.Element): string {
  const buf: string[] = [];
  // A stack of nodes to visit and of separators to emit when a block element closes.
  const stack: (T.Node | typeof BR)[] = [...childrenOf(el)].reverse();
  while (stack.length) {
    const c = stack.pop()!;
    if (c === BR) {
      buf.push(BR);
      continue;
    }
    if (c.nodeName === '#text') buf.push((c as T.TextNode).value);
    else if (isElement(c)) {
      if (skipped(c)) continue;
      if (c.tagName === 'br') {
        buf.push(BR);
        continue;
      }
      const block = BLOCK.has(c.tagName);
      if (block) {
        buf.push(BR);
        stack.push(BR);
      }
      const kids = childrenOf(c);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
  }
  return lines(buf.join(''))
    .filter((l) => l !== '')
    .join('\n');
}

/** A block with where it came from: the element that closed it, and how much of its text is link text. */
interface Out {
  block: Block;
  owner: T.Element | null;
  chars: number;
  linkChars: number;
}

/** Work items of the iterative walk: visit a node, or close what an element opened. */
type Task = { visit: T.Node } | { flush: true; level?: number; owner: T.Element | null } | { link: -1 };

class FlowReader {
  readonly out: Out[] = [];
  readonly pictures: ImgRef[] = [];
  private buf: string[] = [];
  private line?: number;
  private links = 0;
  private chars = 0;
  private linkChars = 0;

  constructor(private readonly tree: Tree) {}

  private flush(owner: T.Element | null, level?: number): void {
    if (this.buf.length === 0) return;
    const line = this.line;
    const texts = lines(this.buf.join('')).filter((t) => t !== '');
    const total = Math.max(1, this.chars);
    for (const text of texts) {
      const p: Paragraph = { kind: 'paragraph', text };
      if (level !== undefined) p.level = level;
      if (line !== undefined) p.line = line;
      const chars = text.replace(/\s/g, '').length;
      // Link text of a flush split at <br> is shared out by length (a nav bar is one run of links).
      this.out.push({ block: p, owner, chars, linkChars: Math.round((this.linkChars * chars) / total) });
    }
    this.buf = [];
    this.line = undefined;
    this.chars = 0;
    this.linkChars = 0;
  }

  read(root: T.Node): void {
    const stack: Task[] = [{ visit: root }];
    const push = (nodes: readonly T.Node[]) => {
      for (let i = nodes.length - 1; i >= 0; i--) stack.push({ visit: nodes[i] });
    };
    while (stack.length) {
      const task = stack.pop()!;
      if ('link' in task) {
        this.links--;
        continue;
      }
      if ('flush' in task) {
        this.flush(task.owner, task.level);
        continue;
      }
      const c = task.visit;
      if (c.nodeName === '#text') {
        const v = (c as T.TextNode).value;
        if (this.line === undefined && /\S/.test(v)) this.line = lineOf(c);
        this.buf.push(v);
        const n = v.replace(/\s/g, '').length;
        this.chars += n;
        if (this.links > 0) this.linkChars += n;
        continue;
      }
      if (!isElement(c)) {
        push(childrenOf(c));
        continue;
      }
      if (skipped(c)) continue;
      const tag = c.tagName;
      const owner = this.tree.parent.get(c) ?? null;
      if (tag === 'br') this.buf.push(BR);
      else if (tag === 'img') {
        const src = attrOf(c, 'src');
        const widthIn = imgWidth(c);
        // An icon inline in a sentence (shown narrow) is neither read nor a break in the paragraph.
        if (src && wideEnough(widthIn)) {
          this.flush(owner);
          this.pictures.push({ at: this.out.length, src, ...(widthIn !== undefined ? { widthIn } : {}) });
        }
      } else if (tag === 'table') {
        this.flush(owner);
        this.table(c, stack);
      } else if (HEADING.test(tag) || BLOCK.has(tag)) {
        this.flush(owner);
        stack.push({ flush: true, owner: c, ...(HEADING.test(tag) ? { level: Number(HEADING.exec(tag)![1]) } : {}) });
        push(childrenOf(c));
      } else {
        if (tag === 'a') {
          this.links++;
          stack.push({ link: -1 });
        }
        push(childrenOf(c));
      }
    }
    this.flush(null);
  }

  /** A data table becomes a grid; a layout table pushes its captions and cells onto the walk. */
  private table(el: T.Element, stack: Task[]): void {
    const rows = tableRows(el);
    const cells = rows.map(rowCells);
    const count = cells.reduce((s, r) => s + r.length, 0);
    const later: Task[] = [];
    for (const c of el.childNodes) {
      if (isElement(c) && c.tagName === 'caption') later.push({ visit: c }, { flush: true, owner: c });
    }
    if (count <= 1 || this.tree.hasTable.has(el)) {
      for (const row of cells) for (const cell of row) later.push({ visit: cell }, { flush: true, owner: cell });
      for (let i = later.length - 1; i >= 0; i--) stack.push(later[i]);
      return;
    }
    // Captions of a data table come before its grid, as before.
    const captions = later;
    for (const t of captions) {
      if ('visit' in t) {
        this.buf.push(cellText(t.visit as T.Element));
        this.flush(t.visit as T.Element);
      }
    }
    const out: TableCell[][] = rows.map(() => []);
    const taken: boolean[][] = rows.map(() => []);
    let chars = 0;
    for (let r = 0; r < rows.length; r++) {
      let c = 0;
      for (const td of cells[r]) {
        while (taken[r][c]) c++;
        const colSpan = Math.max(1, spanOf(td, 'colspan'));
        const rs = spanOf(td, 'rowspan');
        // rowspan=0 means "to the end of the table"; spans past the end are clipped as browsers do.
        const rowSpan = rs === 0 ? rows.length - r : Math.max(1, Math.min(rs, rows.length - r));
        const cell: TableCell = { text: cellText(td), row: r, col: c, rowSpan, colSpan };
        chars += cell.text.replace(/\s/g, '').length;
        const line = lineOf(td);
        if (line !== undefined) cell.line = line;
        out[r].push(cell);
        for (let i = r; i < r + rowSpan; i++) for (let j = c; j < c + colSpan; j++) taken[i][j] = true;
        c += colSpan;
      }
    }
    const table: Table = { kind: 'table', rows: out, grid: 'exact' };
    const line = lineOf(el);
    if (line !== undefined) table.line = line;
    this.out.push({ block: table, owner: el, chars, linkChars: 0 });
  }
}

// ---------------------------------------------------------------- chrome

/** HTML5 and ARIA landmarks that are never the article. */
const CHROME_TAGS = new Set(['nav', 'aside', 'footer']);
const CHROME_ROLES = /^(?:navigation|banner|contentinfo|complementary|search|menu|menubar)$/i;
/** id/class words of site furniture (English and pinyin initials used by Chinese CMS templates). */
const CHROME_NAMES = /(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|bottom|header|topbar|crumbs?|breadcrumbs?|location|position|dqwz|sidebar|share|copyright|friendlinks?|yqlj|links)(?:$|[\s_\d-])/i;
function chromeElement(el: T.Element): boolean {
  if (CHROME_TAGS.has(el.tagName)) return true;
  const role = attrOf(el, 'role');
  if (role && CHROME_ROLES.test(role)) return true;
  const names = `${attrOf(el, 'id') ?? ''} ${attrOf(el, 'class') ?? ''}`;
  return names.trim() !== '' && CHROME_NAMES.test(names);
}

/** Running text and tables: what the article is made of (navigation and footers are short lines or links). */
function weight(o: Out): number {
  if (o.block.kind === 'table') return o.block.rows.length >= 2 ? o.chars : 0;
  if (o.chars < 20 || o.linkChars > o.chars * 0.3 || isPageTool(o.block.text)) return 0;
  return /[，。；：,;]/.test(o.block.text) ? o.chars : 0;
}

/** Share of the page's running text the article container must hold. */
const ARTICLE_SHARE = 0.9;

/**
 * Marks the blocks that are page chrome: outside the article container (the deepest
 * element holding ARTICLE_SHARE of the running text and tables), inside a chrome
 * landmark, a link list, or a page-tool line.
 */
function markChrome(out: Out[], tree: Tree): void {
  const total = new Map<T.Element, number>();
  const count = new Map<T.Element, number>();
  for (const o of out) {
    const w = weight(o);
    if (!o.owner || w === 0) continue;
    total.set(o.owner, (total.get(o.owner) ?? 0) + w);
    count.set(o.owner, (count.get(o.owner) ?? 0) + 1);
  }
  // Children come after their parents in `order`: add each element's sums to its parent, last first.
  for (let i = tree.order.length - 1; i >= 0; i--) {
    const el = tree.order[i];
    const up = tree.parent.get(el);
    const w = total.get(el);
    if (up && w) {
      total.set(up, (total.get(up) ?? 0) + w);
      count.set(up, (count.get(up) ?? 0) + (count.get(el) ?? 0));
    }
  }
  const root = tree.order[0];
  const all = root ? (total.get(root) ?? 0) : 0;
  // Landmarks: an element inside nav/aside/footer (or a named furniture block) is chrome, unless it holds most of the article.
  const inChrome = new Set<T.Element>();
  for (const el of tree.order) {
    const up = tree.parent.get(el);
    if ((up && inChrome.has(up)) || (chromeElement(el) && !(all > 0 && containsWeight(el, total, all)))) inChrome.add(el);
  }
  // Blocks that are chrome wherever they stand: in a landmark, a page-tool line, a link list.
  const furniture = out.map((o) => {
    const text = o.block.kind === 'paragraph' ? o.block.text : '';
    const tool = o.block.kind === 'paragraph' && isPageTool(text);
    const linkList = o.block.kind === 'paragraph' && o.chars > 0 && o.linkChars >= o.chars * 0.6 && !/[。；]/.test(text);
    return (!!o.owner && inChrome.has(o.owner)) || tool || linkList;
  });
  let inside: Set<T.Element> | null = null;
  if (all > 0) {
    let container = root;
    for (;;) {
      // A container holds several blocks: one huge paragraph is not an article without its headings.
      const next = container.childNodes.find((c): c is T.Element => isElement(c) && (total.get(c) ?? 0) >= ARTICLE_SHARE * all && (count.get(c) ?? 0) >= 2);
      if (!next) break;
      container = next;
    }
    inside = subtree(tree, container);
    // The article's own heading often stands just outside its body (<h1> above the editor's <div>): widen
    // the container while what it gains is headings and furniture only (never a table or other text).
    for (let step = 0; step < 3; step++) {
      const up = tree.parent.get(container);
      if (!up) break;
      const wider = subtree(tree, up);
      const gained = out.map((o, i) => [o, i] as const).filter(([o]) => !!o.owner && wider.has(o.owner) && !inside!.has(o.owner));
      const heading = ([o, i]: readonly [Out, number]) => !furniture[i] && o.block.kind === 'paragraph' && o.block.level !== undefined && o.block.level <= 3;
      if (!gained.some(heading) || !gained.every((g) => furniture[g[1]] || heading(g))) break;
      container = up;
      inside = wider;
    }
  }
  out.forEach((o, i) => {
    const outside = inside !== null && (!o.owner || !inside.has(o.owner));
    if (outside || furniture[i]) o.block.chrome = true;
  });
}

/** An element and everything below it (parents come before children in `order`). */
function subtree(tree: Tree, top: T.Element): Set<T.Element> {
  const inside = new Set<T.Element>([top]);
  for (const el of tree.order) {
    const up = tree.parent.get(el);
    if (up && inside.has(up)) inside.add(el);
  }
  return inside;
}

/** Whether a furniture-named element still holds most of the article (a template may call its body "main-bottom"). */
function containsWeight(el: T.Element, total: Map<T.Element, number>, all: number): boolean {
  return (total.get(el) ?? 0) >= 0.5 * all;
}

/** <title>, og:title and similar meta titles, in that order, as printed. */
function declaredTitles(document: T.Document): string[] {
  const out: string[] = [];
  const stack: T.Node[] = [document];
  let title: string | undefined;
  const metas: string[] = [];
  while (stack.length) {
    const n = stack.pop()!;
    if (isElement(n)) {
      if (n.tagName === 'body') continue;
      if (n.tagName === 'title' && title === undefined) title = n.childNodes.map((c) => (c.nodeName === '#text' ? (c as T.TextNode).value : '')).join('');
      if (n.tagName === 'meta') {
        const key = (attrOf(n, 'property') ?? attrOf(n, 'name') ?? '').toLowerCase();
        const content = attrOf(n, 'content');
        if (content && /^(?:og:title|articletitle|title|dc\.title)$/.test(key)) metas.push(content);
      }
    }
    const kids = childrenOf(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  for (const t of [title, ...metas]) {
    const clean = t?.replace(/[ \t\n\r\f\u00a0]+/g, ' ').trim();
    if (clean && !out.includes(clean)) out.push(clean);
  }
  return out;
}
