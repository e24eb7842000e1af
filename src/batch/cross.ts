import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { crossYear } from '../audit/cross-year.js';
import type { Lang } from '../audit/types.js';
import type { Cells, Finding, Report, Severity } from '../model/index.js';
import { LineReader, readLines } from './jsonl.js';
import type { BatchRecord, CrossRecord, OkRecord } from './records.js';

/**
 * The second pass over `reports.jsonl`, after the parsing: the summary counts, and
 * the findings that need two reports (cross-report.jsonl). It holds one small
 * index entry per report, not the reports: lines are re-read by byte offset when
 * a pair is compared.
 */

export type CrossYear = (prev: { report: Report; cells: Cells }, next: { report: Report; cells: Cells }, lang: Lang) => Finding[];

/** Tables need at least this many non-zero numbers before identical ones count as copied: many small offices truly report all zeros, year after year. */
export const COPY_MIN_NONZERO = 3;

export interface Summary {
  /** Whole output directory (records of earlier, resumed runs included). */
  records: number;
  byOutcome: { ok: number; failed: number; duplicate: number };
  byFormat: Record<string, { ok: number; failed: number; duplicate: number }>;
  failuresByCode: Record<string, number>;
  findingsBySeverity: Record<Severity, number>;
  findingsByRule: Record<string, number>;
  reportsWithErrors: number;
  reportsWithWarnings: number;
  crossReport: { findings: number; byRule: Record<string, number>; crossYearAvailable: boolean };
  slowest: Array<{ path: string; format: string; ms: number }>;
  badLines: number;
  /** Filled in by the batch run (absent for `--cross-only`). */
  run?: RunStats;
}

export interface RunStats {
  inputs: number;
  processed: number;
  skippedAlreadyRecorded: number;
  skippedIrrelevant: number;
  outsideShard: number;
  elapsedMs: number;
  filesPerSecond: number;
  jobs: number;
  workersStarted: number;
  repairedTailBytes: number;
  shard?: string;
}

interface IndexEntry {
  path: string;
  agency: string;
  agencyRaw: string;
  year: number;
  offset: number;
  length: number;
  fingerprint: string | null;
}

const SLOWEST = 10;

/** The audit's year-to-year rules (T3-XY, T2-XY, …); kept behind a function so tests can inject another. */
export async function loadCrossYear(): Promise<CrossYear | null> {
  return crossYear;
}

export async function summarizeAndCross(
  dir: { reports: string; cross: string },
  opts: { lang: Lang; cross: boolean; crossYear?: CrossYear | null },
): Promise<Summary> {
  const s: Summary = {
    records: 0,
    byOutcome: { ok: 0, failed: 0, duplicate: 0 },
    byFormat: {},
    failuresByCode: {},
    findingsBySeverity: { error: 0, warning: 0, info: 0 },
    findingsByRule: {},
    reportsWithErrors: 0,
    reportsWithWarnings: 0,
    crossReport: { findings: 0, byRule: {}, crossYearAvailable: false },
    slowest: [],
    badLines: 0,
  };
  const entries: IndexEntry[] = [];
  for await (const line of readLines(dir.reports)) {
    if (!line.text || !line.terminated) continue;
    let r: BatchRecord;
    try {
      r = JSON.parse(line.text) as BatchRecord;
    } catch {
      s.badLines++;
      continue;
    }
    s.records++;
    s.byOutcome[r.status]++;
    const fmt = r.status === 'ok' ? r.format : r.status === 'failed' ? (r.format ?? 'unread') : 'duplicate';
    const f = (s.byFormat[fmt] ??= { ok: 0, failed: 0, duplicate: 0 });
    f[r.status]++;
    if (r.status === 'failed') s.failuresByCode[r.code] = (s.failuresByCode[r.code] ?? 0) + 1;
    if (r.status !== 'ok') continue;
    let errors = 0;
    let warnings = 0;
    for (const fd of r.result.findings) {
      s.findingsBySeverity[fd.severity]++;
      s.findingsByRule[fd.rule] = (s.findingsByRule[fd.rule] ?? 0) + 1;
      if (fd.severity === 'error') errors++;
      if (fd.severity === 'warning') warnings++;
    }
    if (errors) s.reportsWithErrors++;
    if (warnings) s.reportsWithWarnings++;
    pushSlowest(s.slowest, { path: r.path, format: r.format, ms: Math.round(r.ms) });
    const rep = r.result.report;
    if (opts.cross && rep.agency && rep.year !== null) {
      entries.push({
        path: r.path,
        agency: normalizeAgency(rep.agency),
        agencyRaw: rep.agency,
        year: rep.year,
        offset: line.offset,
        length: line.length,
        fingerprint: fingerprint(rep),
      });
    }
  }
  if (opts.cross) {
    const crossYear = opts.crossYear === undefined ? await loadCrossYear() : opts.crossYear;
    s.crossReport.crossYearAvailable = crossYear !== null;
    await writeCross(dir, entries, crossYear, opts.lang, s);
  }
  return s;
}

function pushSlowest(list: Summary['slowest'], item: Summary['slowest'][number]): void {
  if (list.length >= SLOWEST && item.ms <= list[list.length - 1].ms) return;
  list.push(item);
  list.sort((a, b) => b.ms - a.ms);
  if (list.length > SLOWEST) list.pop();
}

/** Same office, whatever the spacing or full-width punctuation the title was typeset with. */
export function normalizeAgency(a: string): string {
  return a
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')');
}

/**
 * A hash of the three tables' values, or null when they say too little to call a
 * copy (fewer than COPY_MIN_NONZERO non-zero numbers, or no tables).
 */
export function fingerprint(rep: Report): string | null {
  const tables = { proactive: rep.proactive, applications: rep.applications, reviewLitigation: rep.reviewLitigation };
  if (!rep.applications && !rep.proactive) return null;
  let nonzero = 0;
  const canon = canonical(tables, (v) => {
    if (typeof v === 'number' && v !== 0) nonzero++;
  });
  if (nonzero < COPY_MIN_NONZERO) return null;
  return createHash('sha1').update(canon).digest('hex');
}

function canonical(v: unknown, visit: (v: unknown) => void): string {
  visit(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return '[' + v.map((x) => canonical(x, visit)).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k], visit)).join(',') + '}';
}

async function writeCross(
  dir: { reports: string; cross: string },
  entries: IndexEntry[],
  crossYear: CrossYear | null,
  lang: Lang,
  s: Summary,
): Promise<void> {
  const tmp = dir.cross + '.tmp';
  const out = await open(tmp, 'w');
  const reader = await LineReader.open(dir.reports);
  const emit = async (rec: CrossRecord) => {
    await out.write(JSON.stringify(rec) + '\n');
    s.crossReport.findings++;
    s.crossReport.byRule[rec.finding.rule] = (s.crossReport.byRule[rec.finding.rule] ?? 0) + 1;
  };
  const load = async (e: IndexEntry) => (JSON.parse(await reader.read(e.offset, e.length)) as OkRecord).result;
  try {
    const byAgency = new Map<string, IndexEntry[]>();
    for (const e of entries) {
      const list = byAgency.get(e.agency);
      if (list) list.push(e);
      else byAgency.set(e.agency, [e]);
    }
    const agencies = [...byAgency.keys()].sort();
    for (const agency of agencies) {
      // Same year twice (a republished or corrected report): the first record stands for the year.
      const list = byAgency.get(agency)!.sort((a, b) => a.year - b.year || (a.path < b.path ? -1 : 1));
      const byYear = new Map<number, IndexEntry>();
      for (const e of list) if (!byYear.has(e.year)) byYear.set(e.year, e);
      const years = [...byYear.values()];

      if (crossYear) {
        for (let i = 1; i < years.length; i++) {
          const prev = years[i - 1];
          const next = years[i];
          if (next.year !== prev.year + 1) continue;
          const [p, n] = [await load(prev), await load(next)];
          for (const finding of crossYear({ report: p.report, cells: p.cells }, { report: n.report, cells: n.cells }, lang)) {
            const cell = finding.paths[0] ? n.cells[finding.paths[0]] : undefined;
            await emit({ path: next.path, agency: next.agencyRaw, year: next.year, related: { path: prev.path, year: prev.year }, finding, ...(cell ? { cell } : {}) });
          }
        }
      }

      const firstByPrint = new Map<string, IndexEntry>();
      for (const e of years) {
        if (!e.fingerprint) continue;
        const orig = firstByPrint.get(e.fingerprint);
        if (!orig) {
          firstByPrint.set(e.fingerprint, e);
          continue;
        }
        await emit({
          path: e.path,
          agency: e.agencyRaw,
          year: e.year,
          related: { path: orig.path, year: orig.year },
          finding: copyFinding(e.year, orig.year, lang),
        });
      }
    }
  } finally {
    await reader.close();
    await out.close();
  }
  await rename(tmp, dir.cross);
}

function copyFinding(year: number, origYear: number, lang: Lang): Finding {
  return {
    rule: 'X-COPY',
    severity: 'warning',
    message:
      lang === 'en'
        ? `All table values of the ${year} report are identical to the same office's ${origYear} report: probably copied rather than compiled`
        : `${year}年报告的表格数据与本机关${origYear}年报告完全相同，疑似照搬上年数据`,
    paths: ['proactive', 'applications', 'reviewLitigation'],
  };
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFile(file + '.tmp', JSON.stringify(value, null, 2) + '\n');
  await rename(file + '.tmp', file);
}
