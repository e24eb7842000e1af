import { XMLParser } from 'fast-xml-parser';
import { NianbaoError } from '../../errors.js';

/**
 * OFD parts as small element trees. Producers write `ofd:`-prefixed elements (the usual case), other
 * prefixes or none at all: local names are what count, so prefixes are removed.
 */
export interface El {
  name: string;
  attrs: Record<string, string>;
  kids: El[];
  /** The element's own text, its text children joined. */
  text: string;
}

/**
 * fast-xml-parser refuses more than 100 nested elements (its default maxNestedTags), which also
 * bounds every recursive walk over these trees: deeper PageBlock nesting is a malformed part.
 */
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Element prefixes are stripped beforehand (see parseXml): the parser's own removal costs a third of a parse.
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
});

/** A node of fast-xml-parser's preserveOrder output: `{ tag: children, ':@': attrs }` or `{ '#text': s }`. */
type XNode = Record<string, unknown>;

function toEl(n: XNode): El | undefined {
  let name = '';
  for (const k in n) if (k !== ':@') name = k;
  if (!name || name === '#text' || name === '#comment' || name === '__cdata') return undefined;
  const attrs = (n[':@'] as Record<string, string> | undefined) ?? {};
  const kids: El[] = [];
  let text = '';
  const raw = n[name];
  for (const c of Array.isArray(raw) ? (raw as XNode[]) : []) {
    if ('#text' in c) text += String(c['#text']);
    else if ('__cdata' in c) {
      for (const t of (c.__cdata as XNode[]) ?? []) if ('#text' in t) text += String(t['#text']);
    } else {
      const el = toEl(c);
      if (el) kids.push(el);
    }
  }
  return { name, attrs, kids, text };
}

/** `<ofd:X …>` → `<X …>`, `</ofd:X>` → `</X>`, for any prefix (attributes keep theirs; OFD's carry none). */
function stripPrefixes(xml: string): string {
  return xml.replace(/<(\/?)[A-Za-z_][\w.-]*:(?=[A-Za-z_])/g, '<$1');
}

/** The root element of an XML part; `where` names the part in errors. */
export function parseXml(xml: string, where: string): El {
  let nodes: XNode[];
  try {
    nodes = parser.parse(stripPrefixes(xml)) as XNode[];
  } catch (e) {
    throw new NianbaoError('corrupt', `${where}: malformed XML (${String((e as Error).message).split('\n')[0]})`);
  }
  for (const n of nodes) {
    const el = toEl(n);
    if (el) return el;
  }
  throw new NianbaoError('corrupt', `${where}: no XML element`);
}

export function child(el: El | undefined, name: string): El | undefined {
  return el?.kids.find((k) => k.name === name);
}

export function children(el: El | undefined, name: string): El[] {
  return el ? el.kids.filter((k) => k.name === name) : [];
}

/** The whitespace-separated numbers of an attribute or element text ("0 0 210 297"); NaN-free. */
export function numbers(s: string | undefined): number[] {
  if (!s) return [];
  const out: number[] = [];
  for (const t of s.trim().split(/[\s,]+/)) {
    const v = Number(t);
    if (t !== '' && Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function num(s: string | undefined, fallback: number): number {
  if (s === undefined || s.trim() === '') return fallback;
  const v = Number(s);
  return Number.isFinite(v) ? v : fallback;
}

export function bool(s: string | undefined, fallback: boolean): boolean {
  if (s === undefined) return fallback;
  const v = s.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fallback;
}
