import type { DocumentModel, OcrReading } from '../document/model.js';
import { isScanned, ocrReadings } from './ocr-readings.js';
import { recoverUnreadRows, recoverUnreadTable2Rows } from './unread-rows.js';
import { unreadTable, type TableKey } from './unread-tables.js';
import { NianbaoError } from '../errors.js';
import type { Cells, Finding, FormatVersion, Report, ReviewLitigation, SectionKey, TextCut, Truncation } from '../model/index.js';
import { SECTION_KEYS, SECTION_TITLES, TABLE3_ROWS } from '../model/structure.js';
import { SIGNATURES } from './labels.js';
import { toLines, type Line } from './lines.js';
import { readMetadata } from './metadata.js';
import { extractNarrative } from './narrative.js';
import { findSections, recoverSections, sectionOrderProblem, sectionTexts, type SectionHit } from './sections.js';
import { readTable2, type Table2Read } from './table2.js';
import { readTable3, type Table3Read } from './table3.js';
import { readTable4, type Table4Read } from './table4.js';
import { sourceNotes } from './source-notes.js';

export interface Recognition {
  report: Report;
  cells: Cells;
  /** Parse-quality findings (alignment inferred, layout notes); the audit adds the rest. */
  findings: Finding[];
  /** Scanned documents: the OCR reading behind each cell (confidence, runner-up characters), for the audit. */
  readings?: Map<string, OcrReading>;
}

/** Format by signature counts (§2.1): most hits wins, ties by year; tables decide, not prose. */
export function detectFormat(tableText: string, allText: string, year: number | null): FormatVersion {
  const hits = (list: string[], text: string) => list.filter((s) => text.includes(s)).length;
  const y21 = hits(SIGNATURES['2021'], tableText);
  const y19 = hits(SIGNATURES['2019'], tableText);
  const both = hits(SIGNATURES.both, tableText);
  if (y21 || y19) {
    if (y21 === y19) return year !== null && year <= 2020 ? '2019' : '2021';
    return y21 > y19 ? '2021' : '2019';
  }
  if (both) return year !== null && year <= 2020 ? '2019' : '2021';
  if (hits(SIGNATURES.legacy, allText) > 0 || (year !== null && year <= 2018)) return year !== null && year >= 2019 ? 'unknown' : 'legacy';
  return year !== null && year <= 2018 ? 'legacy' : 'unknown';
}

/** Table 4's header words; labels split over lines ("行 / 政复议") still leave one of them whole. */
const T4_HEADER = /行政复议|行政诉讼|未经复议|复议后起诉|结果维持/;

/** Labels only table 3 prints: a row of numbers beside one is table 3, wherever the text begins. */
const T3_ROW_WORDS = /本年新收|上年结转|予以公开|部分公开|不予公开|属于国家秘密|无法提供|不予处理|其他处理|结转下年度|结转下一年度|办理结果总计/;

function isT3Row(l: Line): boolean {
  return l.kind === 'row' && l.cells.filter((c) => c.numeric).length >= 2 && T3_ROW_WORDS.test(l.cells.filter((c) => !c.numeric).map((c) => c.norm).join(''));
}

/** Where each table lies in the line sequence, found by signature, bounded by the section headings. */
function regions(lines: Line[], sections: SectionHit[]) {
  const at = (k: string) => sections.find((s) => s.key === k)?.index;
  const find = (from: number, to: number, test: (l: Line) => boolean) => {
    for (let i = from; i < to; i++) if (test(lines[i])) return i;
    return -1;
  };
  const n = lines.length;
  // Its header (corner note, 申请人情况), else its first rows: 本年新收 / 予以公开 beside numbers.
  // Prose in section 一 may speak of 申请人情况 too: a header is a table row or a short line, and the
  // search starts at the 三 heading when there is one.
  const sec3 = at('applications');
  const isT3Start = (l: Line) =>
    (/勾稽关系|申请人情况/.test(l.norm) && (l.kind === 'row' || l.norm.length < 60)) ||
    (l.kind === 'row' && (/本年新收|上年结转/.test(l.norm) || (l.norm.includes('予以公开') && l.cells.some((c) => c.numeric)))) ||
    isT3Row(l);
  const t3 = (sec3 !== undefined ? find(sec3, n, isT3Start) : -1) >= 0 ? find(sec3!, n, isT3Start) : find(0, n, isT3Start);
  const t3Start = t3 >= 0 ? (sec3 !== undefined && sec3 < t3 && t3 - sec3 < 12 ? sec3 + 1 : t3) : -1;
  const sec4 = at('reviewLitigation');
  const sec5 = at('problems') ?? at('other');
  // Table 4 starts at its header (行政复议 … 行政诉讼) after table 3.
  const t4 = t3Start >= 0 ? find(t3Start, n, (l) => T4_HEADER.test(l.norm) && l.norm.length < 80 && !/勾稽/.test(l.norm)) : find(0, n, (l) => T4_HEADER.test(l.norm) && l.kind === 'row');
  const t3End = [t4, sec4 !== undefined && sec4 > t3Start ? sec4 : -1, sec5 ?? -1].filter((v) => v > t3Start).reduce((a, b) => Math.min(a, b), n);
  // Table 4 is one row of figures under its header: it ends at the first prose after a line of figures
  // (the heading of 五 may be lost, and its prose must not be read as table furniture).
  const afterT4 = t4 >= 0 ? proseAfterFigures(lines, t4, Math.min(n, t4 + 40)) : -1;
  const t4End = [sec5 ?? -1, afterT4].filter((v) => v > t4).reduce((a, b) => Math.min(a, b), Math.min(n, t4 + 40));
  const sec2 = at('proactive');
  // Prose may cite 第二十条 in section 一: search from the 二 heading when there is one.
  const t2 = find(sec2 !== undefined && (t3Start < 0 || sec2 < t3Start) ? sec2 : 0, t3Start >= 0 ? t3Start : n, (l) => /第二十条|本年制发件数|本年新制作数量|信息内容/.test(l.norm));
  const t2Start = t2 >= 0 ? t2 : sec2 !== undefined ? sec2 + 1 : -1;
  const t2End = t3Start >= 0 ? t3Start : sec3 !== undefined && sec3 > t2Start ? sec3 : Math.min(n, t2Start + 40);
  return {
    anchors: { t2: t2Start, t3: t3Start, t4, afterT4 },
    t2: t2Start >= 0 ? lines.slice(t2Start, t2End) : [],
    t3: t3Start >= 0 ? lines.slice(t3Start, t3End) : [],
    t4: t4 >= 0 ? lines.slice(t4, t4End) : [],
    bounds: { t2: [t2Start, t2End], t3: [t3Start, t3End], t4: [t4, t4End] } as Record<'t2' | 't3' | 't4', [number, number]>,
  };
}

/** A line of running prose: a paragraph long enough to be a sentence, with clause punctuation. */
function isProse(l: Line): boolean {
  return l.kind === 'paragraph' && l.norm.length >= 16 && /[，,。；;]/.test(l.text) && !/^注[:：]/.test(l.text.trim());
}

/** The first prose line in (from, to) that follows a line holding figures, or -1. */
function proseAfterFigures(lines: Line[], from: number, to: number): number {
  let figures = false;
  for (let i = from + 1; i < to; i++) {
    const l = lines[i];
    if (figures && isProse(l)) return i;
    if (l.cells.filter((c) => c.numeric).length >= 3 || /^(?:\d+\s+){4,}\d+$/.test(l.text.trim())) figures = true;
  }
  return -1;
}

type Regions = ReturnType<typeof regions>;

/** The last official row of table 3 read (subtotal rows are not in the official sequence). */
function officialRows(t3: Table3Read): string[] {
  const official = new Set(TABLE3_ROWS.map((r) => r.path));
  return t3.rows.filter((r) => official.has(r));
}

/**
 * A crawled page or a damaged file ends inside a table; a flipbook page begins inside one.
 * What lies beyond the cut is not in the source, so it is no missing table or row (S-04,
 * S-05): the report says where the text stops, and the audit warns once.
 */
function detectTruncation(lines: Line[], sections: SectionHit[], r: Regions, t2: Table2Read | null, t3: Table3Read | null, t4: Table4Read | null): Truncation | undefined {
  const n = lines.length;
  const out: Truncation = {};
  const after = (index: number, keys: SectionKey[]) => sections.some((s) => s.index > index && keys.includes(s.key));
  const lineOf = (index: number) => lines[Math.min(index, n - 1)]?.line;
  const [t3s, t3e] = r.bounds.t3;
  const [t4s] = r.bounds.t4;
  // End: the table's region runs to the end of the text and its last rows are not there.
  if (t3s >= 0 && t4s < 0 && t3e === n && !after(t3s, ['reviewLitigation', 'problems', 'other'])) {
    // The text stops in table 3, or right after it: table 4 and the sections after it are not in it.
    const rows = t3 ? officialRows(t3) : [];
    out.end = { table: 'table3', row: rows.at(-1) ?? null, line: lineOf(t3 ? t3.lastLine : n - 1) };
  } else if (t3s < 0 && t4s < 0 && r.bounds.t2[0] >= 0 && !after(r.bounds.t2[0], ['applications', 'reviewLitigation', 'problems', 'other'])) {
    const keys = t2 ? Object.keys(t2.proactive) : [];
    const readKeys = t2 ? keys.filter((k) => Object.entries(t2.cells).some(([p, c]) => p.startsWith(`proactive.${k}.`) && c.kind !== 'missing')) : [];
    out.end = { table: 'table2', row: readKeys.at(-1) ?? null, line: lineOf(n - 1) };
  } else if (t4s >= 0 && !after(t4s, ['problems', 'other']) && r.bounds.t4[1] >= n - 1) {
    const read = t4 ? Object.values(t4.cells).filter((c) => c.kind !== 'missing').length : 0;
    if (read < 15) out.end = { table: 'table4', row: null, line: lineOf(n - 1) };
  }
  // Or the text stops after the heading of the section whose table never comes.
  const last = sections.length ? sections.reduce((a, b) => (b.index > a.index ? b : a)) : undefined;
  const tableOf: Partial<Record<SectionKey, [TextCut['table'], boolean]>> = {
    proactive: ['table2', !t2 && r.bounds.t2[0] < 0],
    applications: ['table3', t3s < 0],
    reviewLitigation: ['table4', t4s < 0],
  };
  const pending = last ? tableOf[last.key] : undefined;
  if (!out.end && pending?.[1] && last) out.end = { table: pending[0], row: null, line: lineOf(n - 1) };
  // Start: nothing of the report before the first table read, and that table's first rows absent.
  const before = (index: number) => sections.some((s) => s.index < index);
  if (t3 && !t2 && t3s >= 0 && !before(t3s)) {
    const rows = officialRows(t3);
    if (rows.length && rows[0] !== 'newReceived') out.start = { table: 'table3', row: rows[0], line: lineOf(t3s) };
  } else if (t4 && !t2 && !t3 && t4s >= 0 && !before(t4s) && !sections.some((s) => s.key === 'reviewLitigation' && s.index < t4s)) {
    out.start = { table: 'table4', row: null, line: lineOf(t4s) };
  }
  return out.start || out.end ? out : undefined;
}

const TABLE_SECTION: Record<TableKey, { section: SectionKey; region: 't2' | 't3' | 't4' }> = {
  proactive: { section: 'proactive', region: 't2' },
  applications: { section: 'applications', region: 't3' },
  reviewLitigation: { section: 'reviewLitigation', region: 't4' },
};

/**
 * Where a table that gave no reading is looked for: its region when one was found, else its section
 * (heading to the next heading), else nowhere: without a section the words could be anyone's.
 */
function tableSearchLines(lines: Line[], sections: SectionHit[], r: Regions, table: TableKey): Line[] {
  const { section, region } = TABLE_SECTION[table];
  if (r[region].length) return r[region];
  const at = sections.find((s) => s.key === section);
  if (!at) return [];
  const next = sections.filter((s) => s.index > at.index).reduce((a, s) => Math.min(a, s.index), lines.length);
  return lines.slice(at.index, next);
}

/** Numbers (1-based) of the tables behind these lines that a PDF drew without ruling lines. */
function unruledTables(doc: DocumentModel, lines: Line[]): number[] {
  const tables = doc.blocks.filter((b) => b.kind === 'table');
  const used = new Set(lines.flatMap((l) => (l.table !== undefined ? [l.table] : [])));
  return [...used].filter((t) => tables[t - 1]?.kind === 'table' && (tables[t - 1] as { ruled?: boolean }).ruled === false);
}

export async function recognize(source: DocumentModel, opts: { lang?: 'zh' | 'en' } = {}): Promise<Recognition> {
  // Page chrome (navigation, footer, sidebars) is never content; it may still carry page metadata.
  const doc = source.blocks.some((b) => b.chrome) ? { ...source, blocks: source.blocks.filter((b) => !b.chrome) } : source;
  const chromeBlocks = source.blocks.filter((b) => b.chrome);
  const lines = toLines(doc);
  if (lines.length === 0) throw new NianbaoError('not-report', 'empty document: no text found');
  const allText = lines.map((l) => l.text).join('\n');
  const sections = findSections(lines);
  const chrome = chromeBlocks.length ? toLines({ ...source, blocks: chromeBlocks }) : [];
  const meta = readMetadata(lines, allText, { chrome, declaredTitles: doc.declaredTitles });
  const r = regions(lines, sections);
  const tableText = [...r.t2, ...r.t3, ...r.t4].map((l) => l.norm).join('\n');
  const formatVersion = detectFormat(tableText, lines.map((l) => l.norm).join('\n'), meta.year);

  const findings: Finding[] = sourceNotes(doc.warnings, opts.lang === 'en' ? 'en' : 'zh');
  const cells: Cells = {};
  const tableLines = new Set<number>();
  const modern = formatVersion === '2021' || formatVersion === '2019';
  const t2 = modern ? readTable2(r.t2, formatVersion, opts.lang) : null;
  const t3 = modern ? readTable3(r.t3, opts.lang, { endsText: r.bounds.t3[1] >= lines.length }) : null;
  const t4 = modern ? readTable4(r.t4, opts.lang) : null;
  for (const t of [t2, t3, t4]) if (t) Object.assign(cells, t.cells);
  if (t2) findings.push(...t2.findings, ...recoverUnreadTable2Rows(r.t2, cells, t2.format, opts.lang));
  if (t3) findings.push(...t3.findings, ...recoverUnreadRows(r.t3, cells, opts.lang));
  if (t4?.finding) findings.push(t4.finding);
  // A table printed in the source that gave no reading at all: unplaced, never "missing" (S-04).
  const unread = (table: TableKey, read: unknown): Record<string, unknown> | null => {
    if (read || !modern) return null;
    const u = unreadTable(table, tableSearchLines(lines, sections, r, table), formatVersion as '2021' | '2019', opts.lang);
    if (!u) return null;
    Object.assign(cells, u.cells);
    findings.push(u.finding);
    return u.value;
  };
  const unreadT2 = unread('proactive', t2);
  const unreadT3 = unread('applications', t3);
  const unreadT4 = unread('reviewLitigation', t4);
  const order = modern ? sectionOrderProblem(sections) : null;
  if (order) findings.push({ rule: 'S-02', severity: 'info', message: opts.lang === 'en' ? order.en : order.zh, paths: order.keys.map((k) => `sections.${k}`) });
  const unruled = unruledTables(doc, [r.t2, r.t3, r.t4].flat());
  if (unruled.length && (t2 || t3 || t4))
    findings.push({
      rule: 'S-08',
      severity: 'info',
      message: opts.lang === 'en' ? 'The report tables have no borders (no ruling lines): columns were aligned by position' : '报告表格无边框线（无表格线），已按位置对齐各列',
      paths: [],
    });
  // Table rows never count as section prose; neither does anything inside a table that was read
  // (header fragments and wrapped labels land in paragraphs in text layouts).
  // But a region starts at its section heading (or, for table 4, at the first line naming 行政复议), so a
  // sentence such as "本年度…情况见下表。" before the table is the section's prose, not table furniture.
  const sentence = (l: Line) => l.kind === 'paragraph' && l.norm.length >= 10 && /[。！？]$/.test(l.text.trim());
  ([[r.t2, t2], [r.t3, t3], [r.t4, t4]] as const).forEach(([reg, read]) => {
    if (read) for (const l of reg) if (!sentence(l)) tableLines.add(l.index);
  });
  // A row outside the tables that is one sentence is prose a text layout took for a table line.
  const proseRow = (l: Line) => l.cells.filter((c) => !c.spanned && c.norm !== '').length === 1 && l.norm.length >= 10 && /[。！？；]$/.test(l.text.trim());
  for (const l of lines) if (l.kind === 'row' && !proseRow(l)) tableLines.add(l.index);

  if (!meta.title && sections.length < 2 && !t3 && !t2 && !t4) {
    throw new NianbaoError('not-report', 'not a government information-disclosure annual report: no report title, sections or tables found');
  }

  const recovered = modern || t3 ? recoverSections(lines, sections, { ...r.anchors, title: meta.titleLine }, tableLines) : [];
  const byNumber = recovered.filter((h) => h.recovered === 'number');
  const byPosition = recovered.filter((h) => h.recovered === 'position');
  const cn = (h: SectionHit) => SECTION_TITLES[h.key].slice(0, 1);
  if (byNumber.length)
    findings.push({
      rule: 'P-SECTION',
      severity: 'info',
      message:
        opts.lang === 'en'
          ? `Section headings in other words, placed by their number: ${byNumber.map((h) => `"${h.heading}" as section ${SECTION_KEYS.indexOf(h.key) + 1}`).join(', ')}`
          : `以下标题与规定格式的写法不同，已按编号确定所属部分：${byNumber.map((h) => `“${h.heading}”为第${cn(h)}部分`).join('，')}`,
      paths: byNumber.map((h) => `sections.${h.key}`),
    });
  if (byPosition.length)
    findings.push({
      rule: 'P-SECTION',
      severity: 'info',
      message:
        opts.lang === 'en'
          ? `No heading found for ${byPosition.map((h) => `section ${SECTION_KEYS.indexOf(h.key) + 1}`).join(', ')}: placed by position`
          : `未找到${byPosition.map((h) => `“${SECTION_TITLES[h.key]}”`).join('、')}的标题，已按其在报告中的位置确定该部分正文`,
      paths: byPosition.map((h) => `sections.${h.key}`),
    });
  const sectionMap = sectionTexts(lines, [...sections, ...recovered], tableLines);
  const prose = Object.values(sectionMap)
    .filter((s): s is { heading: string; text: string } => s !== null)
    .map((s) => s.text)
    .join('\n');
  const narrativeText = prose || lines.filter((l) => l.kind === 'paragraph').map((l) => l.text).join('\n');

  let reviewLitigation = t4?.reviewLitigation ?? (unreadT4 as ReviewLitigation | null);
  if (reviewLitigation) {
    const note = lines.find((l) => /注[:：]?.*行政复议.*(含|包括).*上年/.test(l.norm));
    if (note) reviewLitigation = { ...reviewLitigation, note: note.text.trim(), includesCarryover: true };
  }

  const report: Report = {
    title: meta.title,
    agency: meta.agency,
    year: meta.year,
    formatVersion,
    publishedAt: meta.publishedAt,
    formatBasisCited: meta.formatBasisCited,
    statisticalPeriod: meta.statisticalPeriod,
    sections: sectionMap,
    proactive: t2?.proactive ?? (unreadT2 as Report['proactive']),
    applications: t3?.applications ?? (unreadT3 as Report['applications']),
    reviewLitigation,
    narrative: extractNarrative(narrativeText),
  };
  const truncated = modern ? detectTruncation(lines, sections, r, t2, t3, t4) : undefined;
  if (truncated) report.truncated = truncated;
  return { report, cells, findings, ...(isScanned(doc) ? { readings: ocrReadings(doc, cells) } : {}) };
}
