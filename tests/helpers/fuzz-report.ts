/**
 * Seeded variants of one consistent 2021 report for the recognizer fuzz test:
 * values (zeros, large counts, blank legal-person columns, dashes, slashes,
 * decimal fees), label variants (format.md §8.2) and layout noise, rendered
 * through the fill-template helpers and then rewritten as bytes or strings.
 * Every case knows what each of the 200 value cells must read back as.
 */
import { rng } from './batch-reports.js';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { TABLE3_ROWS, type ParseResult } from '../../src/model/index.js';
import {
  COUNTS,
  DEFAULT_META,
  OUTCOMES,
  VALUE_CELLS,
  fillTemplate,
  narrative,
  renderHtml,
  renderText,
  renderXlsx,
  type FillValues,
  type ReportMeta,
  type Spec,
} from './fill-template.js';

export type FuzzFormat = 'docx' | 'html' | 'xlsx' | 'tsv' | 'layout' | 'layout-display';
export type ExpectedKind = 'number' | 'blank' | 'dash' | 'slash';

export interface Expected {
  value: number | null;
  kind: ExpectedKind;
}

export interface FuzzCase {
  name: string;
  format: FuzzFormat;
  bytes: Uint8Array;
  path: string;
  expected: Record<string, Expected>;
  /** What was varied, for the failure message. */
  notes: string[];
}

/** mulberry32 (shared with the batch helpers): picks variants reproducibly. */
export const prng = rng;

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];
const chance = (r: Rand, p: number) => r() < p;

// ------------------------------------------------------------------ values

const T3_ROWS = [...new Set(VALUE_CELLS.filter((c) => c.table === 1).map((c) => c.path.slice(0, c.path.lastIndexOf('.'))))];
const RESULT_ROWS = T3_ROWS.filter((p) => p.includes('.results.') && !p.endsWith('results.total'));
const LEGAL = COUNTS.slice(1, 6);

function expectedOf(v: FillValues[string]): Expected {
  if (v === null || v === undefined || v === '') return { value: null, kind: 'blank' };
  if (typeof v === 'number') return { value: v, kind: 'number' };
  if (/^[\d,.]+$/.test(v)) return { value: Number(v.replace(/,/g, '')), kind: 'number' };
  if (/^[—－-]+$/.test(v)) return { value: null, kind: 'dash' };
  if (/^[/／]$/.test(v)) return { value: null, kind: 'slash' };
  return { value: Number(v), kind: 'number' };
}

/**
 * A consistent set of numbers (T3-ROW, T3-OUT, T3-BAL, T4 row totals) with the
 * variation real reports show. Placeholders only ever stand for a zero, so the
 * arithmetic holds with them read as 0.
 */
export function fuzzValues(r: Rand, notes: string[]): FillValues {
  const v: FillValues = {};
  const placeholder = chance(r, 0.5) ? pick(r, ['—', '/', '-', '——']) : null;
  const blankLegal = chance(r, 0.3) ? LEGAL.filter(() => chance(r, 0.5)) : [];
  const large = chance(r, 0.35);
  const zeroHeavy = chance(r, 0.3);
  const scattered = chance(r, 0.3);
  if (scattered) notes.push('zeros left blank');
  if (placeholder) notes.push(`placeholder ${placeholder}`);
  if (blankLegal.length) notes.push(`blank columns ${blankLegal.join(',')}`);
  if (large) notes.push('large numbers');
  if (zeroHeavy) notes.push('mostly zeros');

  // Table 2: counts, now and then a large one; the fee with decimals.
  for (const c of VALUE_CELLS.filter((x) => x.table === 0)) {
    v[c.path] = large && chance(r, 0.3) ? 100000 + int(r, 3900000) : zeroHeavy && chance(r, 0.6) ? 0 : int(r, 500);
    if (placeholder && v[c.path] === 0 && chance(r, 0.5)) v[c.path] = placeholder;
  }
  v['proactive.fees.amount'] = pick(r, ['0', '12.5', '0.35', '96171.6', '3.08', '0.0']);
  // Large counts now and then with thousands separators (1,295), as some typists write them.
  if (large && chance(r, 0.4)) {
    v['proactive.punishment.decisions'] = '3,985,758';
    notes.push('thousands separators');
  }

  // Table 3: result rows per column, then totals, carried-over and new-received.
  const t3: Record<string, number> = {};
  for (const k of COUNTS.slice(0, 6)) {
    let sum = 0;
    const blank = (LEGAL as readonly string[]).includes(k) && blankLegal.includes(k as (typeof LEGAL)[number]);
    for (const row of RESULT_ROWS) {
      let n = 0;
      if (!blank && !(zeroHeavy && chance(r, 0.8))) {
        n = chance(r, 0.1) ? int(r, 400) : int(r, 6);
        // Five digits: the sums stay within six, which the layout's seven-glyph columns print apart.
        if (large && k === 'naturalPerson' && chance(r, 0.15)) n = 10000 + int(r, 90000);
      }
      t3[`${row}.${k}`] = n;
      sum += n;
    }
    t3[`applications.results.total.${k}`] = sum;
    const co = blank ? 0 : int(r, 3);
    const cf = blank ? 0 : int(r, 3) + Math.max(0, co - sum);
    t3[`applications.carriedOver.${k}`] = co;
    t3[`applications.carriedForward.${k}`] = cf;
    t3[`applications.newReceived.${k}`] = sum + cf - co;
  }
  for (const row of T3_ROWS) t3[`${row}.total`] = COUNTS.slice(0, 6).reduce((s, k) => s + t3[`${row}.${k}`], 0);
  for (const [path, n] of Object.entries(t3)) {
    const col = path.slice(path.lastIndexOf('.') + 1);
    if (blankLegal.includes(col as (typeof LEGAL)[number])) v[path] = null;
    else if (placeholder && n === 0 && col !== 'total' && chance(r, 0.3)) v[path] = placeholder;
    // Zeros not typed: an empty cell here and there in rows that have numbers.
    else if (scattered && n === 0 && col !== 'total' && chance(r, 0.25)) v[path] = null;
    else v[path] = n;
  }

  // A row printing its 总计 alone, on a line of its own between the halves of a wrapped label, cannot be
  // told from a bare page number in laid-out text; the generator keeps its 自然人 cell printed then.
  for (const row of T3_ROWS)
    if (COUNTS.slice(0, 6).every((k) => v[`${row}.${k}`] === null)) v[`${row}.naturalPerson`] = t3[`${row}.naturalPerson`];

  // Table 4.
  for (const block of ['review', 'litigationDirect', 'litigationAfterReview']) {
    let sum = 0;
    for (const k of OUTCOMES.slice(0, 4)) {
      const n = zeroHeavy ? 0 : int(r, 3);
      v[`reviewLitigation.${block}.${k}`] = placeholder && n === 0 && chance(r, 0.2) ? placeholder : n;
      sum += n;
    }
    v[`reviewLitigation.${block}.total`] = sum;
  }
  return v;
}

// ------------------------------------------------------------------ label variants

/** A rewrite of table-3 label text; `from` is short enough to sit on one line of a wrapped layout. */
export interface Subst {
  from: string;
  to: string;
  what: string;
}

const T3_LABELS = TABLE3_ROWS.filter((x) => x.formats.includes('2021')).map((x) => x.label);
const MISSPELL_POOL = '的了在是我有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长';

/** Substrings of the template's table-3 labels that fit one layout line (depth-2 labels wrap at 15 glyphs). */
const SPELLABLE = ['本年新收政府信息', '上年结转政府信息', '予以公开', '属于国家秘密', '保护第三方合法', '属于四类过程性', '属于行政执法案卷', '属于行政查询事项', '补正后申请内容', '信访举报投诉类', '要求提供公开出版'];

export function labelVariants(r: Rand): Subst[] {
  const all: (() => Subst[])[] = [
    () => [{ from: '（七）总计', to: pick(r, ['（七）合计', '七、总计', '总计']), what: '合计/numbering for 总计' }],
    () => [{ from: '结转下年度继续办理', to: '结转下一年度继续办理', what: '结转下一年度' }],
    () => [{ from: '危及“三安全一稳定”', to: pick(r, ['危及"三安全一稳定"', '危及「三安全一稳定」', '危及三安全一稳定', '危及‘三安全一稳定’']), what: 'quotes' }],
    () => {
      // Word list numbering is not text: the numbers vanish from the sub-rows.
      const n = pick(r, ['1.属于国家秘密', '4.保护第三方合法权益', '2.重复申请', '1.本机关不掌握', '7.属于行政执法案卷']);
      return [{ from: n, to: n.replace(/^\d\./, ''), what: `no numbering ${n}` }];
    },
    () => [
      { from: '（一）予以公开', to: '(一)予以公开', what: 'half-width' },
      { from: '（二）部分公开', to: '(二)部分公开', what: 'half-width' },
      { from: '1.属于国家秘密', to: '1、属于国家秘密', what: 'half-width' },
    ],
    () => [{ from: '（区分处理的，只计这一情形，不计其他情形）', to: '(区分处理的,只计这一情形,不计其他情形)', what: 'half-width note' }],
    () => {
      // Any row label: a window of its first line, one character replaced or a space put in.
      const row = pick(r, T3_LABELS);
      const body = row.slice(0, 12);
      const at = 1 + int(r, body.length - 2);
      const to = chance(r, 0.5) ? `${body.slice(0, at)} ${body.slice(at)}` : body.slice(0, at) + pick(r, [...MISSPELL_POOL]) + body.slice(at + 1);
      return to === body ? [] : [{ from: body, to, what: `rewritten ${body}→${to}` }];
    },
    () => {
      // Numbering punctuation: （一） → (一), 1. → 1、 or 1．, 一、 → 一.
      const style = pick(r, ['paren', 'dot', 'cn']);
      return T3_LABELS.flatMap((l) => {
        const from = l.slice(0, 4);
        const to = style === 'paren' ? from.replace(/^（(.)）/, '($1)') : style === 'dot' ? from.replace(/^(\d)\./, pick(r, ['$1、', '$1．', '$1 .'])) : from.replace(/^([一二三四])、/, '$1.');
        return to === from ? [] : [{ from, to, what: `numbering ${style}` }];
      });
    },
    () => {
      const s = pick(r, SPELLABLE);
      const at = 1 + int(r, s.length - 2);
      let ch = pick(r, [...MISSPELL_POOL]);
      if (ch === s[at]) ch = '口';
      return [{ from: s, to: s.slice(0, at) + ch + s.slice(at + 1), what: `misspelt ${s}` }];
    },
    () => {
      const s = pick(r, ['一、本年新收', '二、上年结转', '（一）予以公开', '2.其他法律', '3.补正后申请', '5.属于三类内部']);
      const at = 1 + int(r, s.length - 1);
      return [{ from: s, to: `${s.slice(0, at)} ${s.slice(at)}`, what: `space in ${s}` }];
    },
    () => [{ from: '三、本年度办理结果', to: '三 、本 年 度办 理 结果', what: 'letter-spaced group' }],
    () => [
      { from: '（三）不予公开', to: '(三) 不予公开', what: 'group labels' },
      { from: '（六）其他处理', to: pick(r, ['（六）其他处理情况', '(六) 其他处理']), what: 'group labels' },
    ],
    // Word list numbering is not text: every row loses it. The first glyphs after the number are
    // part of the substitution so that it stays on the label's first line in a wrapped layout.
    () => TABLE3_ROWS.filter((x) => x.formats.includes('2021') && /^(\d\.|（[一二三四五六七]）|[一二三四]、)/.test(x.label)).map((x) => {
      const n = /^(\d\.|（[一二三四五六七]）|[一二三四]、)/.exec(x.label)![0];
      const from = x.label.slice(0, n.length + 2);
      return { from, to: from.slice(n.length), what: 'all numbering lost' };
    }),
  ];
  const out: Subst[] = [];
  for (const make of all) if (chance(r, 0.35)) out.push(...make());
  return out;
}

/** Applies the substitutions to the part of `s` between the two markers (table 3 in every rendering). */
export function inRegion(s: string, start: string, end: string, f: (part: string) => string): string {
  const a = s.indexOf(start);
  const b = s.indexOf(end, a + start.length);
  if (a < 0 || b < 0) throw new Error(`region ${start} … ${end} not found`);
  return s.slice(0, a) + f(s.slice(a, b)) + s.slice(b);
}

export const replaceAll = (s: string, subs: Subst[], wrap: (x: string) => string = (x) => x) =>
  subs.reduce((acc, x) => acc.split(wrap(x.from)).join(wrap(x.to)), s);

// ------------------------------------------------------------------ noise

export interface Noise {
  footer: string | null;
  blankLine: boolean;
  table4OneRow: boolean;
  intro: string | null;
  /** After a footer inside table 3, the next page repeats the table's header. */
  repeatHeader: boolean;
}

export function noiseOf(r: Rand): Noise {
  return {
    footer: chance(r, 0.4) ? pick(r, ['-3-', '— 3 —', '- 3 -', '－3－']) : null,
    blankLine: chance(r, 0.35),
    intro: chance(r, 0.35) ? pick(r, INTROS) : null,
    table4OneRow: chance(r, 0.35),
    repeatHeader: chance(r, 0.4),
  };
}

const INTROS = ['（单位：件）', '单位：件', '具体情况如下表：', '本机关本年度相关数据统计如下。'];

// ------------------------------------------------------------------ text renderings

const meta = { ...DEFAULT_META, longProse: true };
const N = narrative(meta);
const H3 = N.sections[2].heading;
const H4 = N.sections[3].heading;
const H5 = N.sections[4].heading;

const WIDE = /[\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/**
 * A substitution inside a space-aligned line changes the label's width; the
 * cells after it must stay in their columns, so the gap that follows absorbs
 * the difference (keeping at least two spaces, else the variant is skipped).
 */
function substLayoutLine(line: string, x: Subst, unit: 'char' | 'display'): string {
  const at = line.indexOf(x.from);
  if (at < 0) return line;
  const w = (s: string) => [...s].reduce((n, ch) => n + (unit === 'display' && WIDE.test(ch) ? 2 : 1), 0);
  const delta = w(x.to) - w(x.from);
  const head = line.slice(0, at) + x.to;
  let tail = line.slice(at + x.from.length);
  const gap = /^.*?( {2,})/.exec(tail);
  if (gap && delta !== 0) {
    const spaces = gap[1].length - delta;
    if (spaces < 2) return line;
    const g = gap.index + gap[0].length - gap[1].length;
    tail = tail.slice(0, g) + ' '.repeat(spaces) + tail.slice(g + gap[1].length);
  }
  return head + tail;
}

/** What a rendering prints: the tables (default 2021) and the report's metadata. */
export interface RenderWith {
  tables?: Spec[][][];
  meta?: ReportMeta;
}

export function textCase(values: FillValues, style: 'tsv' | 'layout', unit: 'char' | 'display', subs: Subst[], noise: Noise, r: Rand, notes: string[], w: RenderWith = {}): Uint8Array {
  let s = new TextDecoder().decode(renderText(values, { style, unit, meta: w.meta ?? meta, tables: w.tables }));
  const tsv = style === 'tsv';
  s = inRegion(s, H3, H4, (part) => {
    let lines = part.split('\n');
    lines = tsv ? lines.map((l) => replaceAll(l, subs)) : lines.map((l) => subs.reduce((acc, x) => substLayoutLine(acc, x, unit), l));
    // Rows of table 3: the lines that carry numbers after a label.
    // Rows of table 3: lines with label text and a number in a cell of its own.
    const dataIdx = lines.flatMap((l, i) => (/(\t|\s{2})\d/.test(l) && /[\u4e00-\u9fff]/.test(l) ? [i] : []));
    const inner = dataIdx.slice(2, -2);
    if (noise.footer && inner.length) {
      const i = pick(r, inner);
      const header = lines.findIndex((l) => l.includes('申请人情况'));
      const repeat = noise.repeatHeader && header >= 0 ? lines.slice(header, dataIdx[0]).filter((l) => !/^[\s\u3000]*(一、|一 、)/.test(l)) : [];
      if (repeat.length) {
        lines.splice(i + 1, 0, ...repeat);
        notes.push('header repeated');
      }
      if (tsv) lines.splice(i + 1, 0, noise.footer);
      else {
        // pdftotext: a blank line, the footer, then a form feed that joins the next page's first line.
        lines.splice(i + 1, 0, '', `${' '.repeat(40)}${noise.footer}`);
        lines[i + 3] = `\f${lines[i + 3] ?? ''}`;
      }
      notes.push(`footer ${noise.footer} after line ${i}`);
    }
    if (noise.blankLine && inner.length) {
      const i = pick(r, inner);
      lines.splice(i + 1, 0, '');
      notes.push(`blank line after ${i}`);
    }
    return lines.join('\n');
  });
  if (noise.intro) {
    for (const i of [1, 2, 3]) s = s.replace(`${N.sections[i].text}\n`, `${N.sections[i].text}\n\n${noise.intro}\n`);
  }
  if (noise.table4OneRow) {
    const nums = VALUE_CELLS.filter((c) => c.table === 2)
      .sort((a, b) => a.col - b.col)
      .map((c) => (values[c.path] === null || values[c.path] === undefined ? '' : String(values[c.path])));
    const flat = chance(r, 0.5) ? `| ${nums.join(' | ')} |` : nums.join(tsv ? '\t' : '  ');
    s = inRegion(s, H4, H5, (part) => {
      const head = part.slice(0, part.indexOf(N.sections[3].text) + N.sections[3].text.length);
      return `${head}\n\n行政复议、行政诉讼（结果维持、结果纠正、其他结果、尚未审结、总计）\n${flat}\n\n`;
    });
    notes.push(`table 4 one row: ${flat.slice(0, 12)}…`);
  }
  return new TextEncoder().encode(s);
}

// ------------------------------------------------------------------ office renderings

function docxCase(values: FillValues, subs: Subst[], noise: Noise): Uint8Array {
  const files = unzipSync(fillTemplate(values, meta));
  let xml = strFromU8(files['word/document.xml']);
  const tbl = [...xml.matchAll(/<w:tbl>/g)].map((m) => m.index!);
  // Label text sits in runs of table 3; markup never contains these strings.
  const end = xml.indexOf('</w:tbl>', tbl[1]);
  xml = xml.slice(0, tbl[1]) + replaceAll(xml.slice(tbl[1], end), subs, esc) + xml.slice(end);
  if (noise.intro) {
    const p = `<w:p><w:r><w:t>${noise.intro}</w:t></w:r></w:p>`;
    for (const at of [...xml.matchAll(/<w:tbl>/g)].map((m) => m.index!).reverse()) xml = xml.slice(0, at) + p + xml.slice(at);
  }
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = name === 'word/document.xml' ? strToU8(xml) : data;
  return zipSync(out, { level: 1 });
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function htmlCase(values: FillValues, subs: Subst[], noise: Noise, w: RenderWith = {}): Uint8Array {
  let s = new TextDecoder().decode(renderHtml(values, { meta: w.meta ?? meta, tables: w.tables }));
  s = inRegion(s, `<P>${H3}`, `<p>${H4}`, (part) => {
    let out = replaceAll(part, subs.map((x) => ({ ...x, from: esc(x.from), to: esc(x.to) })));
    // An empty spacer row between 办理结果 rows, as CMS editors leave them.
    // The group cell's rowspan covers the spacer, as the editor's table would.
    if (noise.blankLine) out = out.replace(/\n(<TR><TD[^>]*>[^<]*部分公开)/, '\n<TR><TD colspan=9>&nbsp;\n$1').replace(/rowspan="(2[02])"/, (_, n: string) => `rowspan="${Number(n) + 1}"`);
    return out;
  });
  if (noise.intro) s = s.replace(/(<table class="MsoNormalTable"|<TABLE )/g, `<p>${noise.intro}</p>\n$1`);
  return new TextEncoder().encode(s);
}

// ------------------------------------------------------------------ cases

export async function fuzzCase(seed: number, format: FuzzFormat): Promise<FuzzCase> {
  const r = prng(seed * 7919 + format.length);
  const notes: string[] = [];
  const values = fuzzValues(r, notes);
  const subs = format === 'xlsx' ? [] : labelVariants(r);
  const noise = noiseOf(r);
  if (subs.length) notes.push(...new Set(subs.map((x) => x.what)));
  for (const [k, on] of Object.entries(noise)) if (on && (k === 'intro' || (k === 'blankLine' && format === 'html'))) notes.push(`${k} ${on}`);
  let bytes: Uint8Array;
  let ext: string;
  switch (format) {
    case 'docx':
      bytes = docxCase(values, subs, noise);
      ext = 'docx';
      break;
    case 'html':
      bytes = htmlCase(values, subs, noise);
      ext = 'html';
      break;
    case 'xlsx':
      bytes = await renderXlsx(values, { meta, numbersAsText: chance(r, 0.5) });
      ext = 'xlsx';
      break;
    case 'tsv':
      bytes = textCase(values, 'tsv', 'char', subs, noise, r, notes);
      ext = 'txt';
      break;
    default:
      bytes = textCase(values, 'layout', format === 'layout' ? 'char' : 'display', subs, noise, r, notes);
      ext = 'txt';
  }
  const expected = Object.fromEntries(VALUE_CELLS.map((c) => [c.path, expectedOf(values[c.path])]));
  return { name: `#${seed} ${format}`, format, bytes, path: `fuzz-${seed}.${ext}`, expected, notes };
}

export function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Every cell that reads back differently, as "path: expected → got", plus the audit's errors. */
export function mismatches(c: FuzzCase, r: ParseResult): string[] {
  const out: string[] = [];
  for (const [path, want] of Object.entries(c.expected)) {
    const value = get(r.report, path) ?? null;
    const kind = r.cells[path]?.kind;
    if (value !== want.value || kind !== want.kind) out.push(`${path}: ${want.value}/${want.kind} → ${String(value)}/${kind}`);
  }
  for (const f of r.findings) if (f.severity === 'error') out.push(`error ${f.rule}: ${f.message}`);
  return out;
}
