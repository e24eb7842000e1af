/**
 * Seeded mutation of sample reports, per format, for bench/fuzz.ts and the quick
 * run in tests/fuzz-cli.test.ts. Plain bytes get flips, inserts, cuts and splices;
 * text and HTML also get the shapes that broke readers before (long digit and
 * whitespace runs, deep nesting, repeated lines); DOCX and XLSX have their inner
 * XML mutated and are re-zipped with fflate so the XML parsers are reached; PDF has
 * its (inflated) content streams and its xref mutated, with /Length kept true so
 * the damage is inside the stream, not only at its frame.
 */
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import CFB from 'cfb';
import { unzipSync, zipSync } from 'fflate';
import { rng } from '../tests/helpers/batch-reports.js';

export type Format = 'text' | 'html' | 'docx' | 'xlsx' | 'pdf' | 'ofd' | 'doc' | 'xls';
export const FORMATS: Format[] = ['text', 'html', 'docx', 'xlsx', 'pdf', 'ofd', 'doc', 'xls'];

/** The seeds: the repository's own samples and fixtures (small, with answer keys elsewhere). */
export const SEEDS: Record<Format, string[]> = {
  text: ['samples/ganxian-gongxin-2024.txt', 'samples/huaian-shizhengfu-2024.layout.txt', 'samples/hongze-quzhengfu-2023.layout.txt', 'tests/fixtures/text/gbk.txt', 'tests/fixtures/text/utf16le-bom.txt'],
  html: ['tests/fixtures/office/portal-gbk-2022.html'],
  docx: ['tests/fixtures/pdf/template-filled.docx', 'tests/fixtures/pdf/template-borderless.docx', 'tests/fixtures/official-template-2021-blank.docx'],
  xlsx: ['tests/fixtures/office/stats-sheet-2024.xlsx'],
  pdf: ['tests/fixtures/pdf/template-filled.pdf', 'tests/fixtures/pdf/template-row-split.pdf', 'samples/huaian-shizhengfu-2024.pdf'],
  ofd: ['tests/fixtures/ofd/template-plain.ofd', 'tests/fixtures/ofd/template-pageblock.ofd'],
  doc: ['tests/fixtures/legacy/template-full.doc', 'tests/fixtures/legacy/template-full.wps', 'tests/fixtures/legacy/features.doc'],
  xls: ['tests/fixtures/legacy/template-full.xls', 'tests/fixtures/legacy/template-blanks.xls'],
};

export const EXT: Record<Format, string> = { text: 'txt', html: 'html', docx: 'docx', xlsx: 'xlsx', pdf: 'pdf', ofd: 'ofd', doc: 'doc', xls: 'xls' };

// mulberry32, shared with the test helpers: the same sequence everywhere for a seed.
export { rng };

type R = () => number;
const int = (r: R, n: number) => Math.floor(r() * n);
const pick = <T>(r: R, xs: readonly T[]): T => xs[int(r, xs.length)];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x0a, 0x0d, 0x09, 0x20, 0x3c, 0x3e, 0x22, 0x26, 0x25, 0x2f, 0x5c, 0x30, 0x39];

/** Byte-level damage, as a transfer or a broken tool leaves it. */
const BYTE_OPS: Array<(b: Uint8Array, r: R, donor: Uint8Array) => Uint8Array> = [
  // flip a few bits
  (b, r) => {
    const out = b.slice();
    for (let k = 1 + int(r, 8); k > 0 && out.length; k--) out[int(r, out.length)] ^= 1 << int(r, 8);
    return out;
  },
  // set bytes to edge values
  (b, r) => {
    const out = b.slice();
    for (let k = 1 + int(r, 16); k > 0 && out.length; k--) out[int(r, out.length)] = pick(r, INTERESTING);
    return out;
  },
  // insert random bytes
  (b, r) => {
    const at = int(r, b.length + 1);
    const ins = Uint8Array.from({ length: 1 + int(r, 64) }, () => int(r, 256));
    return concat(b.subarray(0, at), ins, b.subarray(at));
  },
  // cut a range out
  (b, r) => {
    const at = int(r, b.length);
    const len = 1 + int(r, Math.max(1, b.length / 4));
    return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
  },
  // truncate
  (b, r) => b.subarray(0, int(r, b.length)),
  // splice a range of another sample in
  (b, r, donor) => {
    const at = int(r, b.length);
    const from = int(r, donor.length);
    const len = 1 + int(r, Math.max(1, Math.min(4096, donor.length - from)));
    return concat(b.subarray(0, at), donor.subarray(from, from + len), b.subarray(at + int(r, len + 1)));
  },
  // duplicate a range
  (b, r) => {
    const at = int(r, b.length);
    const len = 1 + int(r, Math.max(1, Math.min(8192, b.length - at)));
    return concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
  },
];

const enc = new TextEncoder();

/** Text-level shapes that cost readers time or stack: long runs, deep nesting, repetition, odd numbers. */
const TEXT_OPS: Array<(s: string, r: R, html: boolean) => string> = [
  (s, r) => insertAt(s, r, '9'.repeat(1 + int(r, 2000))),
  (s, r) => insertAt(s, r, pick(r, ['\t', ' ', '\u3000', '\r', '\n']).repeat(1 + int(r, 5000))),
  (s, r) => insertAt(s, r, Array.from({ length: 1 + int(r, 500) }, () => String(int(r, 100000))).join(pick(r, [' ', '\t', '，', '、']))),
  (s, r, html) => insertAt(s, r, html ? '<div>'.repeat(1 + int(r, 3000)) + 'x' + '</div>'.repeat(int(r, 3000)) : '（'.repeat(1 + int(r, 3000))),
  (s, r) => {
    const lines = s.split('\n');
    const i = int(r, lines.length);
    lines.splice(i, 0, ...Array(1 + int(r, 200)).fill(lines[i]));
    return lines.join('\n');
  },
  // a number replaced by something that is not quite one
  (s, r) => s.replace(/\d+/g, (m) => (r() < 0.1 ? pick(r, ['-' + m, m + '.5', '1e308', '9'.repeat(400), '０１', m + '%', 'NaN', '', '—']) : m)),
  // lines dropped or swapped
  (s, r) => {
    const lines = s.split('\n');
    for (let k = 1 + int(r, 10); k > 0; k--) {
      const i = int(r, lines.length);
      const j = int(r, lines.length);
      if (r() < 0.5) lines.splice(i, 1);
      else [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    return lines.join('\n');
  },
];

function insertAt(s: string, r: R, piece: string): string {
  const at = int(r, s.length + 1);
  return s.slice(0, at) + piece + s.slice(at);
}

function decodeLoose(b: Uint8Array): string {
  return new TextDecoder('utf-8').decode(b);
}

function mutateText(b: Uint8Array, r: R, donor: Uint8Array, html: boolean): Uint8Array {
  if (r() < 0.5) return pick(r, BYTE_OPS)(b, r, donor);
  // Text ops work on UTF-8; a GBK or UTF-16 seed gets byte damage only, as it should.
  const s = decodeLoose(b);
  if (s.includes('\ufffd')) return pick(r, BYTE_OPS)(b, r, donor);
  return enc.encode(pick(r, TEXT_OPS)(s, r, html));
}

/** XML-level damage inside an Office package: tags dropped, elements repeated, text and numbers mutated. */
const XML_OPS: Array<(s: string, r: R) => string> = [
  (s, r) => {
    const tags = [...s.matchAll(/<[^>]+>/g)];
    if (!tags.length) return s;
    const t = pick(r, tags);
    return s.slice(0, t.index) + s.slice(t.index! + t[0].length);
  },
  // an element repeated: its opening tag picked, its end found from there (a lazy match to the closing tag
  // from every opening one was quadratic on self-closing cells, and stalled the harness for minutes)
  (s, r) => {
    const m = [...s.matchAll(/<(w:tr|w:tc|w:p|row|c|si)\b[^>]*>/g)];
    if (!m.length) return s;
    const open = pick(r, m);
    const start = open.index!;
    const close = open[0].endsWith('/>') ? start + open[0].length : s.indexOf(`</${open[1]}>`, start);
    if (close < 0) return s;
    const end = open[0].endsWith('/>') ? close : close + open[1].length + 3;
    // Stacked rounds repeat what earlier ones repeated: the growth stops at MAX_PART.
    const times = Math.min(1 + int(r, 50), Math.floor(MAX_PART / Math.max(1, end - start)));
    return s.slice(0, end) + s.slice(start, end).repeat(times) + s.slice(end);
  },
  (s, r) => {
    const m = [...s.matchAll(/<(w:tbl|w:tc|w:p)\b[^>]*>/g)];
    if (!m.length) return s;
    const e = pick(r, m);
    const depth = 1 + int(r, 2000);
    return s.slice(0, e.index!) + `<${e[1]}>`.repeat(depth) + s.slice(e.index!, s.length) + `</${e[1]}>`.repeat(int(r, depth));
  },
  (s, r) => s.replace(/(<(?:w:t|v|t)\b[^>]*>)([^<]*)/g, (all, open: string, text: string) => (r() < 0.08 ? open + pick(r, ['9'.repeat(400), '-1', '1e999', '', '&amp;', text + text, '＝SUM(A1)', '\t'.repeat(300)]) : all)),
  (s, r) => s.replace(/\b(r|s|t|w:val|w:w|gridSpan|vMerge|w:gridSpan)="([^"]*)"/g, (all, k: string) => (r() < 0.1 ? `${k}="${pick(r, ['-1', '99999999', 'x', '', 'ZZZ99999999'])}"` : all)),
];

/** Largest inner part a mutation leaves (the readers' own inflation cap, 200 MB, is tested by the hostile files). */
const MAX_PART = 16 * 1024 * 1024;

function mutateZip(b: Uint8Array, r: R, donor: Uint8Array, parts: RegExp): Uint8Array {
  let files: Record<string, Uint8Array>;
  // A directory an earlier round damaged can declare a part of gigabytes, which fflate would inflate and
  // the harness then re-zip for minutes (charging the runs in flight): such a package gets byte damage only.
  let huge = false;
  try {
    files = unzipSync(b, { filter: (f) => !(huge ||= f.originalSize > MAX_PART) });
  } catch {
    return pick(r, BYTE_OPS)(b, r, donor);
  }
  if (huge) return pick(r, BYTE_OPS)(b, r, donor);
  // One in five damages the package itself (directory, local headers), the rest reach the XML.
  if (r() < 0.2) return pick(r, BYTE_OPS)(b, r, donor);
  const names = Object.keys(files).filter((n) => parts.test(n));
  const name = names.length ? pick(r, names) : pick(r, Object.keys(files));
  const xml = decodeLoose(files[name]);
  const part = r() < 0.7 ? enc.encode(pick(r, XML_OPS)(xml, r).slice(0, MAX_PART)) : pick(r, BYTE_OPS)(files[name], r, donor);
  // Repeats stacked over rounds grew one part to 2.3 GB, which took the harness minutes to zip (while
  // the runs in flight were charged the time); past MAX_PART the part is cut, another shape worth having.
  files[name] = part.length > MAX_PART ? part.subarray(0, MAX_PART) : part;
  // A fixed date: fflate stamps the current time otherwise, and a mutation must be reproducible from its seed.
  return zipSync(files, { level: 6, mtime: '2020-01-01T00:00:00Z' });
}

/**
 * OLE compound files (.doc/.wps/.xls): the container re-written by cfb around one mutated stream, so the
 * Word and BIFF readers are reached past the container; one in four damages the container itself.
 */
function mutateOle(b: Uint8Array, r: R, donor: Uint8Array): Uint8Array {
  if (r() < 0.25) return pick(r, BYTE_OPS)(b, r, donor);
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(Buffer.from(b), { type: 'buffer' });
  } catch {
    return pick(r, BYTE_OPS)(b, r, donor);
  }
  const streams = cfb.FileIndex.filter((e) => e.type === 2 && e.content && e.content.length > 0 && /^(WordDocument|[01]Table|Workbook|Data)$/.test(e.name));
  if (!streams.length) return pick(r, BYTE_OPS)(b, r, donor);
  const entry = pick(r, streams);
  entry.content = Buffer.from(pick(r, BYTE_OPS)(new Uint8Array(entry.content as Uint8Array), r, donor));
  entry.size = entry.content.length;
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
const fromLatin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

/** Content-stream operators worth repeating or breaking. */
const PDF_STREAM_OPS: Array<(s: string, r: R) => string> = [
  (s, r) => insertAt(s, r, ' q'.repeat(1 + int(r, 5000)) + ' '),
  (s, r) => insertAt(s, r, ` ${int(r, 1e6)} ${int(r, 1e6)} ${-int(r, 1e6)} ${int(r, 1e6)} re f `),
  (s, r) => s.replace(/(-?\d+(?:\.\d+)?)/g, (m) => (r() < 0.05 ? pick(r, ['-' + m, '1e38', 'NaN', '99999999999', '']) : m)),
  (s, r) => s.replace(/\b(Tf|Tj|TJ|Td|Tm|cm|BT|ET|re|l|m)\b/g, (m) => (r() < 0.05 ? pick(r, ['', 'Q', 'Do', m + ' ' + m, 'BI']) : m)),
  (s, r) => insertAt(s, r, '(' + 'x'.repeat(int(r, 10000))),
];

function mutatePdf(b: Uint8Array, r: R, donor: Uint8Array): Uint8Array {
  const s = latin1(b);
  const choice = r();
  if (choice < 0.35) {
    // xref and trailer: offsets off by some, entries blanked, startxref moved, the table cut
    const xref = s.lastIndexOf('xref');
    const start = s.lastIndexOf('startxref');
    if (xref < 0 || start < 0) return pick(r, BYTE_OPS)(b, r, donor);
    const op = int(r, 4);
    if (op === 0) return fromLatin1(s.slice(0, start) + `startxref\n${int(r, s.length * 2)}\n%%EOF\n`);
    if (op === 1) return fromLatin1(s.slice(0, xref) + s.slice(xref).replace(/(\d{10}) (\d{5}) n/g, (all, off: string, gen: string) => (r() < 0.2 ? `${String(Math.max(0, Number(off) + int(r, 200) - 100)).padStart(10, '0')} ${gen} n` : all)));
    if (op === 2) return fromLatin1(s.slice(0, xref) + s.slice(xref).replace(/\/(Size|Root|Prev|Count) (\d+)/g, (all, k: string) => (r() < 0.5 ? `/${k} ${pick(r, ['-1', '0', '999999999'])}` : all)));
    return fromLatin1(s.slice(0, xref + int(r, s.length - xref)));
  }
  if (choice < 0.8) {
    // a content stream: inflate, mutate, deflate, and set /Length to match
    const streams = [...s.matchAll(/\/Length (\d+)([^]*?)>>\s*stream\r?\n/g)];
    if (!streams.length) return pick(r, BYTE_OPS)(b, r, donor);
    const m = pick(r, streams);
    const dataStart = m.index! + m[0].length;
    const len = Number(m[1]);
    const raw = b.subarray(dataStart, dataStart + len);
    let content: string;
    const flate = /FlateDecode/.test(m[2]) || /FlateDecode/.test(s.slice(Math.max(0, m.index! - 200), m.index!));
    try {
      content = flate ? latin1(inflateSync(raw, { maxOutputLength: MAX_PART })) : latin1(raw);
    } catch {
      return pick(r, BYTE_OPS)(b, r, donor);
    }
    const mutated = fromLatin1(pick(r, PDF_STREAM_OPS)(content, r));
    const data = flate ? new Uint8Array(deflateSync(mutated)) : mutated;
    const head = fromLatin1(s.slice(0, m.index!) + m[0].replace(`/Length ${len}`, `/Length ${data.length}`));
    return concat(head, data, b.subarray(dataStart + len));
  }
  return pick(r, BYTE_OPS)(b, r, donor);
}

export function mutate(format: Format, seed: Uint8Array, donor: Uint8Array, r: R): Uint8Array {
  let out = seed;
  // One to three rounds: single faults find most, stacked ones find the rest.
  for (let k = 1 + (r() < 0.3 ? 1 + int(r, 2) : 0); k > 0; k--) {
    switch (format) {
      case 'text':
        out = mutateText(out, r, donor, false);
        break;
      case 'html':
        out = mutateText(out, r, donor, true);
        break;
      case 'docx':
        out = mutateZip(out, r, donor, /^word\/(document|styles|numbering)\.xml$/);
        break;
      case 'xlsx':
        out = mutateZip(out, r, donor, /^xl\/(worksheets\/sheet\d+|sharedStrings|workbook|styles)\.xml$/);
        break;
      case 'pdf':
        out = mutatePdf(out, r, donor);
        break;
      case 'ofd':
        out = mutateZip(out, r, donor, /(^|\/)(OFD|Document|Content|PublicRes|DocumentRes)\.xml$/);
        break;
      case 'doc':
      case 'xls':
        out = mutateOle(out, r, donor);
        break;
    }
  }
  return out;
}

export interface FuzzInput {
  index: number;
  format: Format;
  seedFile: string;
  bytes: Uint8Array;
}

/**
 * Inputs `from` … `from + n − 1` of a run with `seed`: each is made from its seed and index alone, so a
 * finding can be regenerated, and a slice of a long run re-run, by index.
 */
export function* inputs(seed: number, n: number, formats: Format[] = FORMATS, from = 0): Generator<FuzzInput> {
  const cache = new Map<string, Uint8Array>();
  const load = (f: string) => {
    let b = cache.get(f);
    if (!b) cache.set(f, (b = new Uint8Array(readFileSync(f))));
    return b;
  };
  for (let i = from; i < from + n; i++) {
    const r = rng(seed * 100_003 + i);
    const format = formats[i % formats.length];
    const seedFile = pick(r, SEEDS[format]);
    const donorFormat = pick(r, formats);
    const donor = load(pick(r, SEEDS[donorFormat]));
    yield { index: i, format, seedFile, bytes: mutate(format, load(seedFile), donor, r) };
  }
}
