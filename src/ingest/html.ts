import { parse, type DefaultTreeAdapterTypes as T } from 'parse5';
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';

/**
 * HTML (and MHTML) → document model. parse5 builds the tree the way a browser
 * does, so unclosed <td>/<tr>/<p>, uppercase tags and "</td>" inside scripts
 * behave as on the portal page.
 *
 * Tables: a table that contains tables, or has a single cell, is layout. Its
 * cells' own text becomes paragraphs and its inner tables become blocks, in
 * document order. Every other table is a data table with an exact grid.
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
  void opts;
  const warnings: string[] = [];
  let html: Decoded;
  if (isMhtml(bytes)) {
    const part = mhtmlPart(bytes);
    html = decode(part.bytes, part.charset, warnings);
  } else {
    html = decode(bytes, undefined, warnings);
  }
  let document: T.Document;
  try {
    document = parse(html.text, { sourceCodeLocationInfo: true });
  } catch (e) {
    throw new NianbaoError('corrupt', `html: cannot be parsed (${(e as Error).message.split('\n')[0]})`);
  }
  const reader = new FlowReader();
  reader.walk(document);
  reader.flush();
  return { format: 'html', blocks: reader.out, warnings, encoding: html.encoding };
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

/** The first text/html part of a multipart/related MHTML file, transfer-decoded to bytes. */
function mhtmlPart(bytes: Uint8Array): { bytes: Uint8Array; charset?: string } {
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
  let body = html.body;
  if (cte === 'base64') return { bytes: new Uint8Array(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64')), charset };
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
    return { bytes: out.subarray(0, n), charset };
  }
  return { bytes: Uint8Array.from(body, (ch) => ch.charCodeAt(0) & 0xff), charset };
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

/** Collapse HTML whitespace (and &nbsp;) and split at <br>. */
function lines(raw: string): string[] {
  return raw.split(BR).map((l) => l.replace(/[ \t\n\r\f\u00a0]+/g, ' ').trim());
}

function childrenOf(n: T.Node): T.ChildNode[] {
  if ('content' in n && n.nodeName === 'template') return [];
  return 'childNodes' in n ? n.childNodes : [];
}

function containsTable(el: T.Element): boolean {
  for (const c of el.childNodes) {
    if (!isElement(c) || SKIP.has(c.tagName) || hidden(c)) continue;
    if (c.tagName === 'table' || containsTable(c)) return true;
  }
  return false;
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
  const walk = (n: T.Node) => {
    for (const c of childrenOf(n)) {
      if (c.nodeName === '#text') buf.push((c as T.TextNode).value);
      else if (isElement(c)) {
        if (SKIP.has(c.tagName) || hidden(c)) continue;
        if (c.tagName === 'br') buf.push(BR);
        else if (BLOCK.has(c.tagName)) {
          buf.push(BR);
          walk(c);
          buf.push(BR);
        } else walk(c);
      }
    }
  };
  walk(el);
  return lines(buf.join(''))
    .filter((l) => l !== '')
    .join('\n');
}

class FlowReader {
  readonly out: Block[] = [];
  private buf: string[] = [];
  private line?: number;

  flush(level?: number): void {
    if (this.buf.length === 0) return;
    const line = this.line;
    for (const text of lines(this.buf.join(''))) {
      if (!text) continue;
      const p: Paragraph = { kind: 'paragraph', text };
      if (level !== undefined) p.level = level;
      if (line !== undefined) p.line = line;
      this.out.push(p);
    }
    this.buf = [];
    this.line = undefined;
  }

  walk(n: T.Node): void {
    for (const c of childrenOf(n)) {
      if (c.nodeName === '#text') {
        const v = (c as T.TextNode).value;
        if (this.line === undefined && /\S/.test(v)) this.line = lineOf(c);
        this.buf.push(v);
        continue;
      }
      if (!isElement(c) || SKIP.has(c.tagName) || hidden(c)) continue;
      const tag = c.tagName;
      if (tag === 'br') this.buf.push(BR);
      else if (tag === 'table') {
        this.flush();
        this.table(c);
      } else if (HEADING.test(tag)) {
        this.flush();
        this.walk(c);
        this.flush(Number(HEADING.exec(tag)![1]));
      } else if (BLOCK.has(tag)) {
        this.flush();
        this.walk(c);
        this.flush();
      } else this.walk(c);
    }
  }

  private table(el: T.Element): void {
    const rows = tableRows(el);
    const cells = rows.map(rowCells);
    const count = cells.reduce((s, r) => s + r.length, 0);
    for (const c of el.childNodes) {
      if (isElement(c) && c.tagName === 'caption') {
        this.walk(c);
        this.flush();
      }
    }
    if (count <= 1 || containsTable(el)) {
      for (const row of cells) {
        for (const cell of row) {
          this.walk(cell);
          this.flush();
        }
      }
      return;
    }
    const out: TableCell[][] = rows.map(() => []);
    const taken: boolean[][] = rows.map(() => []);
    for (let r = 0; r < rows.length; r++) {
      let c = 0;
      for (const td of cells[r]) {
        while (taken[r][c]) c++;
        const colSpan = Math.max(1, spanOf(td, 'colspan'));
        const rs = spanOf(td, 'rowspan');
        // rowspan=0 means "to the end of the table"; spans past the end are clipped as browsers do.
        const rowSpan = rs === 0 ? rows.length - r : Math.max(1, Math.min(rs, rows.length - r));
        const cell: TableCell = { text: cellText(td), row: r, col: c, rowSpan, colSpan };
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
    this.out.push(table);
  }
}
