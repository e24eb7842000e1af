import { rename, writeFile } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { crossYear } from '../audit/cross-year.js';
import type { Lang } from '../audit/types.js';
import type { Cells, Finding, ParseResult, Report, Severity } from '../model/index.js';
import { factsOf, type CrossKey, type ReportFacts } from './facts.js';
import { LineReader, readLines } from './jsonl.js';
import type { BatchRecord, CrossRecord, OkRecord } from './records.js';

/**
 * The summary counts, and the findings that need two reports (cross-report.jsonl).
 * Batch counts each record as it is written (SummaryBuilder); only the pairs the
 * cross-report rules compare are read back, by byte offset, after the parsing.
 * Nothing holds the reports: one small index entry per report.
 */

export type CrossYear = (prev: { report: Report; cells: Cells }, next: { report: Report; cells: Cells }, lang: Lang) => Finding[];

export { COPY_MIN_NONZERO, fingerprint, normalizeAgency } from './facts.js';

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

interface IndexEntry extends CrossKey {
  path: string;
  offset: number;
  length: number;
}

/** One record as the summary counts it: from the worker's digest while a batch runs, or read back from a line. */
export type RecordFacts =
  | { status: 'ok'; path: string; format: string; ms: number; facts: ReportFacts }
  | { status: 'failed'; format?: string; code: string }
  | { status: 'duplicate' };

const SLOWEST = 10;

/** The audit's year-to-year rules (T3-XY, T2-XY, …); kept behind a function so tests can inject another. */
export async function loadCrossYear(): Promise<CrossYear | null> {
  return crossYear;
}

/**
 * The summary counts and the cross-report index, built one record at a time as
 * records are written (or read back), so nothing is held but a small entry per report.
 */
export class SummaryBuilder {
  readonly summary: Summary = {
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
  readonly entries: IndexEntry[] = [];

  /** `at`: where the record's line is in reports.jsonl, for re-reading it when a pair is compared. */
  add(r: RecordFacts, at: { offset: number; length: number }): void {
    const s = this.summary;
    s.records++;
    s.byOutcome[r.status]++;
    const fmt = r.status === 'ok' ? r.format : r.status === 'failed' ? (r.format ?? 'unread') : 'duplicate';
    const f = (s.byFormat[fmt] ??= { ok: 0, failed: 0, duplicate: 0 });
    f[r.status]++;
    if (r.status === 'failed') s.failuresByCode[r.code] = (s.failuresByCode[r.code] ?? 0) + 1;
    if (r.status !== 'ok') return;
    const { facts } = r;
    for (const sev of ['error', 'warning', 'info'] as const) s.findingsBySeverity[sev] += facts.bySeverity[sev];
    for (const [rule, n] of Object.entries(facts.rules)) s.findingsByRule[rule] = (s.findingsByRule[rule] ?? 0) + n;
    if (facts.bySeverity.error) s.reportsWithErrors++;
    if (facts.bySeverity.warning) s.reportsWithWarnings++;
    pushSlowest(s.slowest, { path: r.path, format: r.format, ms: Math.round(r.ms) });
    if (facts.cross) this.entries.push({ path: r.path, ...facts.cross, ...at });
  }

  /** Every complete line of reports.jsonl before byte `end` (default: all of it). */
  async read(file: string, end = Infinity): Promise<void> {
    for await (const line of readLines(file)) {
      if (line.offset >= end) break;
      if (!line.text || !line.terminated) continue;
      let r: BatchRecord;
      try {
        r = JSON.parse(line.text) as BatchRecord;
      } catch {
        this.summary.badLines++;
        continue;
      }
      this.add(factsOfRecord(r), line);
    }
  }
}

export function factsOfRecord(r: BatchRecord): RecordFacts {
  if (r.status === 'ok') return { status: 'ok', path: r.path, format: r.format, ms: r.ms, facts: factsOf(r.result) };
  if (r.status === 'failed') return { status: 'failed', code: r.code, ...(r.format ? { format: r.format } : {}) };
  return { status: 'duplicate' };
}

/** Summary and cross-report of a whole reports.jsonl (`--cross-only`, the local page). */
export async function summarizeAndCross(
  dir: { reports: string; cross: string },
  opts: { lang: Lang; cross: boolean; crossYear?: CrossYear | null },
): Promise<Summary> {
  const b = new SummaryBuilder();
  await b.read(dir.reports);
  return finishSummary(dir, b, opts);
}

/** The cross-report pass over what the builder indexed, then the summary. */
export async function finishSummary(
  dir: { reports: string; cross: string },
  b: SummaryBuilder,
  opts: { lang: Lang; cross: boolean; crossYear?: CrossYear | null },
): Promise<Summary> {
  const s = b.summary;
  if (opts.cross) {
    const crossYear = opts.crossYear === undefined ? await loadCrossYear() : opts.crossYear;
    s.crossReport.crossYearAvailable = crossYear !== null;
    await writeCross(dir, b.entries, crossYear, opts.lang, s);
  }
  return s;
}

function pushSlowest(list: Summary['slowest'], item: Summary['slowest'][number]): void {
  if (list.length >= SLOWEST && item.ms <= list[list.length - 1].ms) return;
  list.push(item);
  list.sort((a, b) => b.ms - a.ms);
  if (list.length > SLOWEST) list.pop();
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
  // Lines go out in chunks: a write per finding was most of this pass's system time.
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async () => {
    if (pending.length) await out.write(pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  const emit = async (rec: CrossRecord) => {
    const line = JSON.stringify(rec) + '\n';
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars > 1 << 20) await flush();
    s.crossReport.findings++;
    s.crossReport.byRule[rec.finding.rule] = (s.crossReport.byRule[rec.finding.rule] ?? 0) + 1;
  };
  // Consecutive pairs share a year (2022–2023, 2023–2024): the later report of one pair is the earlier of the next.
  let last: { e: IndexEntry; r: ParseResult } | undefined;
  const load = async (e: IndexEntry) => {
    if (last?.e !== e) last = { e, r: (JSON.parse(await reader.read(e.offset, e.length)) as OkRecord).result };
    return last.r;
  };
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
          const p = await load(prev);
          const n = await load(next);
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
    await flush();
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
