/**
 * A small OFD writer for tests: lays out a document model (the filled template's DOCX, read by the DOCX
 * adapter) on A4 pages the way OFD producers write them: one TextObject per line of text with a DeltaX
 * per glyph, table borders as PathObjects, millimetres throughout. Variants exercise what producers vary:
 *
 * - `plain`: `ofd:` prefixes, explicit DeltaX lists, borders as stroked lines (M…L in a thin Boundary);
 * - `pageblock`: every object inside nested PageBlocks, DeltaX in the `g n d` notation, text drawn
 *   through a CTM (Size and positions in units of half a millimetre), borders as thin filled rectangles;
 * - `template`: no namespace prefix; each page's table borders and table labels drawn from its own
 *   TemplatePage (ZOrder Background), only values and running text on the page; line colour and width
 *   from a DrawParam resource;
 * - `glyphs`: as PDF-to-OFD converters write: one TextObject per glyph (spaces not drawn) sized in points
 *   through a CTM, borders in PDF-like points from the page's bottom through a y-flipping CTM.
 */
import { zipSync, strToU8, type Zippable } from 'fflate';
import type { Block, Table } from '../../src/document/model.js';

export type OfdVariant = 'plain' | 'pageblock' | 'template' | 'glyphs';
export const OFD_VARIANTS: readonly OfdVariant[] = ['plain', 'pageblock', 'template', 'glyphs'];

const PAGE_W = 210;
const PAGE_H = 297;
const LEFT = 25;
const WIDTH = 160;
const TOP = 25;
const BOTTOM = PAGE_H - 25;
const BODY = 4.2333; // 12 pt
const TITLE = 5.6444; // 16 pt
const CELL = 3.175; // 9 pt
const PITCH = 1.5;
const PAD = 1;
/** One point in millimetres (CTM scale of the glyphs variant). */
const PT = 0.3528;

const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/u;
const em = (ch: string) => (CJK.test(ch) ? 1 : 0.5);
const widthOf = (s: string, size: number) => [...s].reduce((w, ch) => w + em(ch) * size, 0);

interface TextItem {
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  str: string;
  /** Drawn from the template page (template variant): table labels. */
  fixed: boolean;
  group: number;
}

interface Rule {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  group: number;
}

interface Page {
  texts: TextItem[];
  rules: Rule[];
}

/** Greedy line breaking: CJK characters break anywhere, runs of Latin letters and digits never. */
function wrap(text: string, width: number, size: number, indent = 0): string[] {
  const tokens = text.match(/[A-Za-z0-9.,%+\-/:()]+|\s+|./gu) ?? [];
  const lines: string[] = [];
  let cur = '';
  let w = indent;
  for (const t of tokens) {
    const tw = widthOf(t, size);
    if (cur && w + tw > width + 1e-6) {
      lines.push(cur.trimEnd());
      cur = '';
      w = 0;
      if (!t.trim()) continue;
    }
    cur += t;
    w += tw;
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines;
}

class Layout {
  pages: Page[] = [{ texts: [], rules: [] }];
  y = TOP;
  group = 0;

  get page(): Page {
    return this.pages[this.pages.length - 1];
  }

  newPage(): void {
    this.pages.push({ texts: [], rules: [] });
    this.y = TOP;
  }

  paragraph(text: string, size: number, first: boolean): void {
    const indent = first ? 0 : 2 * size;
    const lines = wrap(text, WIDTH, size, indent);
    const g = ++this.group;
    lines.forEach((line, i) => {
      if (this.y + size * PITCH > BOTTOM) this.newPage();
      this.y += size * PITCH;
      const x = first ? LEFT + (WIDTH - widthOf(line, size)) / 2 : LEFT + (i === 0 ? indent : 0);
      this.page.texts.push({ x, y: this.y - 0.3 * size, size, str: line, fixed: false, group: g });
    });
  }

  table(t: Table): void {
    const cells = t.rows.flat();
    const ncols = Math.max(...cells.map((c) => c.col + c.colSpan));
    const nrows = t.rows.length;
    const want = new Array<number>(ncols).fill(8);
    for (const c of cells) {
      if (c.colSpan !== 1) continue;
      const natural = Math.max(0, ...c.text.split('\n').map((s) => widthOf(s, CELL))) + 2 * PAD + 1;
      want[c.col] = Math.max(want[c.col], Math.min(natural, 40));
    }
    const total = want.reduce((a, b) => a + b, 0);
    const xs = [LEFT];
    for (const w of want) xs.push(xs[xs.length - 1] + (w * WIDTH) / total);

    const linesOf = (c: (typeof cells)[number]) => c.text.split('\n').flatMap((p) => (p ? wrap(p, xs[c.col + c.colSpan] - xs[c.col] - 2 * PAD, CELL) : []));
    const lineH = CELL * 1.3;
    const rowH = new Array<number>(nrows).fill(CELL * 1.3 + 2 * PAD + 1);
    for (const c of cells) if (c.rowSpan === 1) rowH[c.row] = Math.max(rowH[c.row], linesOf(c).length * lineH + 2 * PAD);
    for (const c of cells) {
      if (c.rowSpan === 1) continue;
      const need = linesOf(c).length * lineH + 2 * PAD;
      let have = 0;
      for (let r = c.row; r < c.row + c.rowSpan; r++) have += rowH[r];
      if (need > have) rowH[c.row + c.rowSpan - 1] += need - have;
    }

    // Tables start on a new page when they would fit on one; longer ones break between rows.
    const height = rowH.reduce((a, b) => a + b, 0);
    this.y += 2;
    if (this.y + height > BOTTOM && height <= BOTTOM - TOP) this.newPage();
    const at: { page: number; y: number }[] = [];
    for (let r = 0; r < nrows; r++) {
      if (this.y + rowH[r] > BOTTOM) this.newPage();
      at.push({ page: this.pages.length - 1, y: this.y });
      this.y += rowH[r];
    }
    this.y += 2;

    const g = ++this.group;
    const seen = new Set<string>();
    const rule = (page: number, x1: number, y1: number, x2: number, y2: number) => {
      const key = `${page}:${x1.toFixed(2)},${y1.toFixed(2)},${x2.toFixed(2)},${y2.toFixed(2)}`;
      if (seen.has(key)) return;
      seen.add(key);
      this.pages[page].rules.push({ x1, y1, x2, y2, group: g });
    };
    for (const c of cells) {
      const x0 = xs[c.col];
      const x1 = xs[c.col + c.colSpan];
      // The cell's part on each page it reaches.
      const parts: { page: number; top: number; bottom: number }[] = [];
      for (let r = c.row; r < c.row + c.rowSpan; r++) {
        const last = parts[parts.length - 1];
        if (last && last.page === at[r].page) last.bottom = at[r].y + rowH[r];
        else parts.push({ page: at[r].page, top: at[r].y, bottom: at[r].y + rowH[r] });
      }
      for (const p of parts) {
        rule(p.page, x0, p.top, x1, p.top);
        rule(p.page, x0, p.bottom, x1, p.bottom);
        rule(p.page, x0, p.top, x0, p.bottom);
        rule(p.page, x1, p.top, x1, p.bottom);
      }
      const lines = linesOf(c);
      const p = parts[0];
      let y = Math.max(p.top + PAD, (p.top + p.bottom - lines.length * lineH) / 2);
      const fixed = !/^\s*[-+]?\d[\d,.]*\s*$/.test(c.text);
      for (const line of lines) {
        y += lineH;
        const x = (x0 + x1 - widthOf(line, CELL)) / 2;
        this.pages[p.page].texts.push({ x, y: y - 0.35 * lineH, size: CELL, str: line, fixed, group: g });
      }
    }
  }

  footers(): void {
    this.pages.forEach((p, i) => {
      const s = `- ${i + 1} -`;
      p.texts.push({ x: (PAGE_W - widthOf(s, BODY)) / 2, y: PAGE_H - 12, size: BODY, str: s, fixed: false, group: ++this.group });
    });
  }
}

/** Blocks → pages of positioned text lines and table borders (millimetres). */
export function layoutBlocks(blocks: readonly Block[]): Page[] {
  const l = new Layout();
  blocks.forEach((b, i) => {
    if (b.kind === 'table') l.table(b);
    else if (b.text.trim()) l.paragraph(b.text, i === 0 ? TITLE : BODY, i === 0);
  });
  l.footers();
  return l.pages;
}

// ------------------------------------------------------------------ serialisation

const NS = 'http://www.ofdspec.org/2016';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (v: number) => String(Math.round(v * 1000) / 1000);

/** Deltas in the `g n d` notation wherever a value repeats. */
function compress(ds: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ds.length; ) {
    let j = i;
    while (j < ds.length && f(ds[j]) === f(ds[i])) j++;
    out.push(j - i > 1 ? `g ${j - i} ${f(ds[i])}` : f(ds[i]));
    i = j;
  }
  return out.join(' ');
}

class Writer {
  private id = 0;
  constructor(
    readonly variant: OfdVariant,
    readonly p: string,
  ) {}

  nextId(): number {
    return ++this.id;
  }

  text(t: TextItem): string {
    const p = this.p;
    if (this.variant === 'glyphs') {
      let x = t.x;
      const out: string[] = [];
      for (const ch of t.str) {
        const adv = em(ch) * t.size;
        if (ch.trim()) {
          const s = t.size / PT;
          out.push(`<${p}TextObject ID="${this.nextId()}" Boundary="${f(x)} ${f(t.y - t.size)} ${f(adv)} ${f(t.size * 1.3)}" CTM="${PT} 0 0 ${PT} 0 0" Font="1" Size="${f(s)}"><${p}TextCode X="0" Y="${f(s)}">${esc(ch)}</${p}TextCode></${p}TextObject>`);
        }
        x += adv;
      }
      return out.join('');
    }
    const chars = [...t.str];
    const deltas = chars.slice(0, -1).map((ch) => em(ch) * t.size);
    const w = widthOf(t.str, t.size);
    const boundary = `${f(t.x)} ${f(t.y - t.size)} ${f(w)} ${f(t.size * 1.3)}`;
    if (this.variant === 'pageblock') {
      // Coordinates in half millimetres, scaled back by the CTM.
      return `<${p}TextObject ID="${this.nextId()}" Boundary="${boundary}" CTM="0.5 0 0 0.5 0 0" Font="1" Size="${f(t.size * 2)}"><${p}FillColor Value="0 0 0"/><${p}TextCode X="0" Y="${f(t.size * 2)}" DeltaX="${compress(deltas.map((d) => d * 2))}">${esc(t.str)}</${p}TextCode></${p}TextObject>`;
    }
    return `<${p}TextObject ID="${this.nextId()}" Boundary="${boundary}" Font="1" Size="${f(t.size)}"><${p}TextCode X="0" Y="${f(t.size)}" DeltaX="${deltas.map(f).join(' ')}">${esc(t.str)}</${p}TextCode></${p}TextObject>`;
  }

  rule(r: Rule): string {
    const p = this.p;
    if (this.variant === 'glyphs') {
      const X = (v: number) => f(v / PT);
      const Y = (v: number) => f((PAGE_H - v) / PT);
      return `<${p}PathObject ID="${this.nextId()}" Boundary="0 0 ${PAGE_W} ${PAGE_H}" CTM="${PT} 0 0 -${PT} 0 ${PAGE_H}" LineWidth="0.25"><${p}AbbreviatedData>M ${X(r.x1)} ${Y(r.y1)} L ${X(r.x2)} ${Y(r.y2)}</${p}AbbreviatedData></${p}PathObject>`;
    }
    const horizontal = Math.abs(r.y1 - r.y2) < 1e-6;
    const x = Math.min(r.x1, r.x2);
    const y = Math.min(r.y1, r.y2);
    const len = horizontal ? Math.abs(r.x2 - r.x1) : Math.abs(r.y2 - r.y1);
    if (this.variant === 'pageblock') {
      const t = 0.3;
      const box = horizontal ? `${f(x)} ${f(y - t / 2)} ${f(len)} ${f(t)}` : `${f(x - t / 2)} ${f(y)} ${f(t)} ${f(len)}`;
      const d = horizontal ? `M 0 0 L ${f(len)} 0 L ${f(len)} ${t} L 0 ${t} C` : `M 0 0 L ${t} 0 L ${t} ${f(len)} L 0 ${f(len)} C`;
      return `<${p}PathObject ID="${this.nextId()}" Boundary="${box}" Stroke="false" Fill="true"><${p}FillColor Value="0 0 0"/><${p}AbbreviatedData>${d}</${p}AbbreviatedData></${p}PathObject>`;
    }
    const box = horizontal ? `${f(x)} ${f(y - 0.2)} ${f(len)} 0.4` : `${f(x - 0.2)} ${f(y)} 0.4 ${f(len)}`;
    const d = horizontal ? `M 0 0.2 L ${f(len)} 0.2` : `M 0.2 0 L 0.2 ${f(len)}`;
    const style = this.variant === 'template' ? ' DrawParam="2"' : ' LineWidth="0.25"';
    const color = this.variant === 'template' ? '' : `<${p}StrokeColor Value="0 0 0"/>`;
    return `<${p}PathObject ID="${this.nextId()}" Boundary="${box}"${style}>${color}<${p}AbbreviatedData>${d}</${p}AbbreviatedData></${p}PathObject>`;
  }

  /** Objects of one layer; in the pageblock variant grouped per paragraph or table, two PageBlocks deep. */
  objects(texts: TextItem[], rules: Rule[]): string {
    const items = [...texts.map((t) => ({ g: t.group, xml: this.text(t) })), ...rules.map((r) => ({ g: r.group, xml: this.rule(r) }))];
    if (this.variant !== 'pageblock') return items.map((i) => i.xml).join('');
    const p = this.p;
    const groups = new Map<number, string[]>();
    for (const i of items) (groups.get(i.g) ?? groups.set(i.g, []).get(i.g)!).push(i.xml);
    return [...groups.values()]
      .map((xs) => `<${p}PageBlock ID="${this.nextId()}">${xs.map((x) => `<${p}PageBlock ID="${this.nextId()}">${x}</${p}PageBlock>`).join('')}</${p}PageBlock>`)
      .join('');
  }

  page(content: string, template?: number): string {
    const p = this.p;
    const decl = this.p ? `xmlns:ofd="${NS}"` : `xmlns="${NS}"`;
    const tpl = template !== undefined ? `<${p}Template TemplateID="${template}" ZOrder="Background"/>` : '';
    return `<?xml version="1.0" encoding="UTF-8"?><${p}Page ${decl}><${p}Area><${p}PhysicalBox>0 0 ${PAGE_W} ${PAGE_H}</${p}PhysicalBox></${p}Area>${tpl}<${p}Content><${p}Layer ID="${this.nextId()}">${content}</${p}Layer></${p}Content></${p}Page>`;
  }
}

/** The OFD package of laid-out pages. */
export function writeOfd(pages: readonly Page[], variant: OfdVariant): Uint8Array {
  const p = variant === 'template' ? '' : 'ofd:';
  const decl = p ? `xmlns:ofd="${NS}"` : `xmlns="${NS}"`;
  const w = new Writer(variant, p);
  const files: Zippable = {};
  const templates: string[] = [];
  const pageRefs: string[] = [];
  pages.forEach((pg, i) => {
    if (variant === 'template') {
      const tplId = 1000 + i;
      files[`Doc_0/Tpls/Tpl_${i}/Content.xml`] = strToU8(w.page(w.objects(pg.texts.filter((t) => t.fixed), pg.rules)));
      templates.push(`<${p}TemplatePage ID="${tplId}" BaseLoc="Tpls/Tpl_${i}/Content.xml"/>`);
      files[`Doc_0/Pages/Page_${i}/Content.xml`] = strToU8(w.page(w.objects(pg.texts.filter((t) => !t.fixed), []), tplId));
    } else {
      files[`Doc_0/Pages/Page_${i}/Content.xml`] = strToU8(w.page(w.objects(pg.texts, pg.rules)));
    }
    pageRefs.push(`<${p}Page ID="${2000 + i}" BaseLoc="Pages/Page_${i}/Content.xml"/>`);
  });
  files['OFD.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><${p}OFD ${decl} DocType="OFD" Version="1.0"><${p}DocBody><${p}DocInfo><${p}DocID>0123456789abcdef</${p}DocID><${p}Creator>nianbao tests</${p}Creator></${p}DocInfo><${p}DocRoot>Doc_0/Document.xml</${p}DocRoot></${p}DocBody></${p}OFD>`,
  );
  files['Doc_0/Document.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><${p}Document ${decl}><${p}CommonData><${p}MaxUnitID>${w.nextId()}</${p}MaxUnitID><${p}PageArea><${p}PhysicalBox>0 0 ${PAGE_W} ${PAGE_H}</${p}PhysicalBox></${p}PageArea><${p}PublicRes>PublicRes.xml</${p}PublicRes>${templates.join('')}</${p}CommonData><${p}Pages>${pageRefs.join('')}</${p}Pages></${p}Document>`,
  );
  files['Doc_0/PublicRes.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8"?><${p}Res ${decl} BaseLoc="Res"><${p}DrawParams><${p}DrawParam ID="2" LineWidth="0.25"><${p}StrokeColor Value="0 0 0"/></${p}DrawParam></${p}DrawParams><${p}Fonts><${p}Font ID="1" FontName="宋体" FamilyName="宋体"/></${p}Fonts></${p}Res>`,
  );
  return zipSync(files, { level: 6 });
}

/** A document model written as an OFD of the given variant. */
export function blocksToOfd(blocks: readonly Block[], variant: OfdVariant = 'plain'): Uint8Array {
  return writeOfd(layoutBlocks(blocks), variant);
}

export interface MinimalOfd {
  /** Each page's Layer content (objects), `ofd:`-prefixed. */
  pages: string[];
  /** Extra or replacing entries (e.g. Signs/, an Encryptions.xml, a broken Document.xml). */
  files?: Record<string, string | Uint8Array>;
  /** Extra elements inside DocBody of OFD.xml. */
  docBody?: string;
  /** Extra elements inside CommonData of Document.xml (TemplatePage …). */
  commonData?: string;
  /** Elements before Content in each page (Template …). */
  pageHead?: string;
  /** Attributes of each page's Layer (` DrawParam="5"`). */
  layerAttrs?: string;
  /** Elements inside PublicRes.xml besides the fonts (DrawParams, CompositeGraphicUnits …). */
  res?: string;
}

/** A hand-made OFD package of the given page contents, for unit tests of single features. */
export function minimalOfd(o: MinimalOfd): Uint8Array {
  const d = `xmlns:ofd="${NS}"`;
  const files: Zippable = {
    'OFD.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${d} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>${o.docBody ?? ''}</ofd:DocBody></ofd:OFD>`),
    'Doc_0/Document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${d}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>${o.commonData ?? ''}</ofd:CommonData><ofd:Pages>${o.pages.map((_, i) => `<ofd:Page ID="${i + 10}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('')}</ofd:Pages></ofd:Document>`,
    ),
    'Doc_0/PublicRes.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${d} BaseLoc="Res">${o.res ?? ''}<ofd:Fonts><ofd:Font ID="1" FontName="宋体"/><ofd:Font ID="2" FontName="Courier New"/></ofd:Fonts></ofd:Res>`),
  };
  o.pages.forEach((content, i) => {
    files[`Doc_0/Pages/Page_${i}/Content.xml`] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${d}>${o.pageHead ?? ''}<ofd:Content><ofd:Layer ID="1"${o.layerAttrs ?? ''}>${content}</ofd:Layer></ofd:Content></ofd:Page>`);
  });
  for (const [name, data] of Object.entries(o.files ?? {})) files[name] = typeof data === 'string' ? strToU8(data) : data;
  return zipSync(files, { level: 6 });
}

/** One TextObject line: `text` with its baseline at (x, y) mm, one em per CJK glyph and half an em for others. */
export function textObject(text: string, x: number, y: number, size = 4.2333, extra = ''): string {
  const deltas = [...text].slice(0, -1).map((ch) => f(em(ch) * size));
  return `<ofd:TextObject ID="1" Boundary="${f(x)} ${f(y - size)} ${f(widthOf(text, size))} ${f(size * 1.3)}" Font="1" Size="${f(size)}"${extra}><ofd:TextCode X="0" Y="${f(size)}" DeltaX="${deltas.join(' ')}">${esc(text)}</ofd:TextCode></ofd:TextObject>`;
}

/** A stroked line from (x1, y1) to (x2, y2) mm as producers write it: a PathObject whose Boundary starts at the line. */
export function lineObject(x1: number, y1: number, x2: number, y2: number, color = '0 0 0'): string {
  const x = Math.min(x1, x2);
  const y = Math.min(y1, y2);
  return `<ofd:PathObject ID="1" Boundary="${f(x)} ${f(y)} ${f(Math.abs(x2 - x1) || 0.1)} ${f(Math.abs(y2 - y1) || 0.1)}" LineWidth="0.25"><ofd:StrokeColor Value="${color}"/><ofd:AbbreviatedData>M ${f(x1 - x)} ${f(y1 - y)} L ${f(x2 - x)} ${f(y2 - y)}</ofd:AbbreviatedData></ofd:PathObject>`;
}
