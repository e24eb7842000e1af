import { mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Lang } from '../audit/types.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { Detected } from '../ingest/detect.js';
import type { CrossYear, RunStats, Summary } from './cross.js';
import type { InputFile } from './inputs.js';
import type { Journal } from './journal.js';
import { WorkerPool } from './pool.js';
import type { Hashed } from './protocol.js';
import type { Progress } from './progress.js';
import type { BatchRecord } from './records.js';
import type { ConvertWith } from '../ingest/index.js';

export interface BatchOptions {
  /** Files, directories, globs, and the entries of --from lists, already read. */
  inputs: string[];
  out: string;
  cwd?: string;
  root?: string;
  jobs?: number;
  timeoutMs?: number;
  maxMemoryMb?: number;
  /** Files larger than this are recorded as too-large without being read. */
  maxBytes?: number;
  /** Legacy .doc/.xls: LibreOffice first ('soffice') or never ('none'). */
  convertWith?: ConvertWith;
  resume?: boolean;
  overwrite?: boolean;
  shard?: { k: number; n: number };
  lang?: Lang;
  /** Run the cross-report pass (default true). */
  cross?: boolean;
  progress?: Progress;
  /** Module URL exporting parseBytes, instead of the real pipeline (tests, custom pipelines). */
  parser?: string;
  /** Override the crossYear implementation (tests); default: src/audit/cross-year.js when present. */
  crossYear?: CrossYear | null;
  /** Called for warnings a person should see (empty globs, repaired journal). */
  warn?: (msg: string) => void;
}

export const DEFAULTS = DEFAULT_LIMITS;

/** The output directory cannot be created or written: the CLI's exit 3. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Options that contradict the state of the output directory: the CLI's exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function outputFiles(out: string) {
  return {
    reports: join(out, 'reports.jsonl'),
    cross: join(out, 'cross-report.jsonl'),
    summary: join(out, 'summary.json'),
  };
}

export async function runBatch(opts: BatchOptions): Promise<Summary> {
  const t0 = Date.now();
  const cwd = opts.cwd ?? process.cwd();
  const out = resolve(cwd, opts.out);
  const files = outputFiles(out);
  const lang = opts.lang ?? 'zh';
  const warn = opts.warn ?? (() => {});
  const progress = opts.progress ?? { start() {}, update() {}, stop() {} };
  const jobs = Math.max(1, opts.jobs ?? availableParallelism());
  const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;

  const pool = new WorkerPool({
    size: jobs,
    timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
    maxMemoryMb: opts.maxMemoryMb ?? DEFAULTS.maxMemoryMb,
    // Adapters load on their format's first file: loading all of them (exceljs alone is ~0.3 s) would
    // cost every worker start, even in a batch of PDFs. PDFium compiles beside the worker's start.
    preloadPdf: true,
    ...(opts.parser ? { parser: opts.parser } : {}),
  });
  // Workers start (about 60 ms each) while the inputs are expanded and the journal opened.
  pool.prestart();
  try {
    return await runWith(pool);
  } finally {
    await pool.close();
  }

  async function runWith(pool: WorkerPool): Promise<Summary> {
    // Imported here, once the workers are starting: a batch's first file waits on its worker, not on these.
    const [{ factsOfRecord, finishSummary, SummaryBuilder, writeJsonAtomic }, { decide, expandInputs, inShard, skipUnread }, { Journal }, { PatternError }, { okRecordBytes }] =
      await Promise.all([import('./cross.js'), import('./inputs.js'), import('./journal.js'), import('./glob.js'), import('./records.js')]);
    try {
      await mkdir(out, { recursive: true });
    } catch (e) {
      throw new OutputError(`cannot create output directory ${opts.out}: ${(e as Error).message}`);
    }
    const existing = await stat(files.reports).then((s) => s.size, () => 0);
    if (existing > 0 && !opts.resume && !opts.overwrite) {
      throw new UsageError(`${files.reports} already has records: pass --resume to continue it or --overwrite to start again`);
    }
    let journal: Journal;
    try {
      journal = await Journal.open(files.reports, opts.resume ? 'resume' : opts.overwrite ? 'overwrite' : 'new');
    } catch (e) {
      throw new OutputError(`cannot write ${files.reports}: ${(e as Error).message}`);
    }
    if (journal.repaired) warn(`reports.jsonl ended in a torn line (${journal.repaired} bytes, from an interrupted run): truncated`);
    if (journal.index.badLines) warn(`reports.jsonl has ${journal.index.badLines} lines that are not records; they are ignored`);

    let expansion: Awaited<ReturnType<typeof expandInputs>>;
    try {
      expansion = await expandInputs(opts.inputs, { cwd, ...(opts.root ? { root: opts.root } : {}) });
    } catch (e) {
      journal.close();
      if (e instanceof PatternError) throw new UsageError(e.message);
      throw e;
    }
    for (const g of expansion.emptyGlobs) warn(`no file matches ${g}`);
    const inShardFiles = opts.shard ? expansion.files.filter((f) => inShard(f.rel, opts.shard!.k, opts.shard!.n)) : expansion.files;

    const stats: RunStats = {
      inputs: inShardFiles.length,
      processed: 0,
      skippedAlreadyRecorded: 0,
      skippedIrrelevant: 0,
      outsideShard: expansion.files.length - inShardFiles.length,
      elapsedMs: 0,
      filesPerSecond: 0,
      jobs,
      workersStarted: 0,
      repairedTailBytes: journal.repaired,
      ...(opts.shard ? { shard: `${opts.shard.k}/${opts.shard.n}` } : {}),
    };
    const index = journal.index;
    let done = 0;
    let failed = 0;
    const startedAt = Date.now();
    progress.start(inShardFiles.length);
    // Counted as written: the summary never reads this run's records back, only an earlier run's (--resume).
    const counts = new SummaryBuilder();
    if (journal.startSize > 0) await counts.read(files.reports, journal.startSize);
    const record = (r: BatchRecord) => {
      counts.add(factsOfRecord(r), journal.append(r));
      if (r.status === 'failed') failed++;
    };
    const tick = () => {
      done++;
      progress.update({ done, total: inShardFiles.length, failed, startedAt });
    };

    // Duplicate decisions are taken in input order, whichever worker finishes hashing first,
    // so "the path recorded first" is the same in every run.
    const gate = new OrderGate();
    const handle = async (file: InputFile, turn: number): Promise<void> => {
      try {
        await handleInTurn(file, turn);
      } finally {
        gate.pass(turn);
      }
    };
    const handleInTurn = async (file: InputFile, turn: number): Promise<void> => {
      if (file.missing) {
        if (index.unhashedPaths.has(file.rel)) return void stats.skippedAlreadyRecorded++;
        return record({ status: 'failed', path: file.rel, code: 'io', reason: file.missing });
      }
      if (skipUnread(file)) return void stats.skippedIrrelevant++;
      // The worker reads and hashes the file; the main thread only decides (here, synchronously, so
      // two workers never parse one content) and journals.
      let format: string | undefined;
      let settled = false;
      const onHashed = async (h: Hashed): Promise<boolean> => {
        await gate.wait(turn);
        // Decided synchronously from here to `pass`, so the claim on the hash is atomic.
        try {
          return decideHashed(h);
        } finally {
          gate.pass(turn);
        }
      };
      const decideHashed = (h: Hashed): boolean => {
        const decision = decide(h.detected as Detected, file, h.size);
        settled = true;
        if (decision.action === 'skip') return void stats.skippedIrrelevant++, false;
        const first = index.byHash.get(h.sha256);
        if (first !== undefined) {
          if (index.pathsByHash.get(h.sha256)?.has(file.rel)) stats.skippedAlreadyRecorded++;
          else record({ status: 'duplicate', path: file.rel, sha256: h.sha256, of: first });
          return false;
        }
        index.byHash.set(h.sha256, file.rel);
        if (decision.action === 'fail') {
          record({ status: 'failed', path: file.rel, sha256: h.sha256, format: decision.detected, code: decision.code, reason: decision.reason });
          return false;
        }
        format = decision.format;
        settled = false;
        stats.processed++;
        return true;
      };
      const outcome = await pool.run({ file: file.abs, path: file.rel, lang, maxBytes, shape: 'record', onHashed, ...(opts.convertWith ? { convertWith: opts.convertWith } : {}) });
      if (outcome.kind === 'stopped' || settled) return;
      const ms = Math.round(outcome.ms);
      if (outcome.kind === 'ok') {
        const meta = { status: 'ok' as const, path: file.rel, sha256: outcome.sha256!, format: outcome.digest.format, ms };
        const at = journal.appendLine(okRecordBytes(meta, outcome.bytes!), meta);
        return void counts.add({ status: 'ok', path: file.rel, format: meta.format, ms, facts: outcome.facts! }, at);
      }
      if (!outcome.sha256 && index.unhashedPaths.has(file.rel)) return void stats.skippedAlreadyRecorded++;
      record({
        status: 'failed',
        path: file.rel,
        ...(outcome.sha256 ? { sha256: outcome.sha256 } : {}),
        ...((format ?? outcome.detected) ? { format: format ?? outcome.detected } : {}),
        code: outcome.code,
        reason: outcome.reason,
        ...(outcome.sha256 ? { ms } : {}),
      });
    };

    // `jobs` runners pull from one cursor; each holds at most one file's bytes, so memory stays bounded.
    let cursor = 0;
    const runner = async () => {
      while (cursor < inShardFiles.length) {
        const turn = cursor++;
        const file = inShardFiles[turn];
        try {
          await handle(file, turn);
        } catch (e) {
          if (e instanceof OutputError) throw e;
          const err = e as NodeJS.ErrnoException;
          // A failing append (disk full, revoked permissions) is not the input's fault: stop the batch.
          if (err && typeof err.code === 'string' && err.syscall === 'write') throw new OutputError(`cannot write ${files.reports}: ${err.message}`);
          record({ status: 'failed', path: file.rel, code: 'internal', reason: `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`.split('\n')[0] });
        }
        tick();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, inShardFiles.length)) }, runner));
    } finally {
      progress.stop();
      await pool.close();
      journal.close();
    }
    stats.workersStarted = pool.started;
    stats.elapsedMs = Date.now() - t0;
    stats.filesPerSecond = Math.round((done / Math.max(1, Date.now() - startedAt)) * 1000 * 10) / 10;

    const summary = await finishSummary(files, counts, { lang, cross: opts.cross ?? true, ...(opts.crossYear !== undefined ? { crossYear: opts.crossYear } : {}) });
    summary.run = stats;
    await writeJsonAtomic(files.summary, summary);
    return summary;
  }
}

/** `--cross-only`: summary and cross-report of an existing reports.jsonl (merged shards), nothing parsed. */
export async function crossOnly(opts: { out: string; cwd?: string; lang?: Lang; crossYear?: CrossYear | null }): Promise<Summary> {
  const { summarizeAndCross, writeJsonAtomic } = await import('./cross.js');
  const files = outputFiles(resolve(opts.cwd ?? process.cwd(), opts.out));
  await stat(files.reports).catch(() => {
    throw new UsageError(`${files.reports} does not exist`);
  });
  const summary = await summarizeAndCross(files, { lang: opts.lang ?? 'zh', cross: true, ...(opts.crossYear !== undefined ? { crossYear: opts.crossYear } : {}) });
  await writeJsonAtomic(files.summary, summary);
  return summary;
}

/** Lets turn i go once every turn before it has passed. */
class OrderGate {
  private next = 0;
  private readonly passed = new Set<number>();
  private readonly waiters = new Map<number, () => void>();

  wait(turn: number): Promise<void> {
    if (turn <= this.next) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(turn, resolve));
  }

  /** Idempotent: a turn passes when its file is decided, or at the latest when it is done. */
  pass(turn: number): void {
    if (turn < this.next || this.passed.has(turn)) return;
    this.passed.add(turn);
    while (this.passed.has(this.next)) {
      this.passed.delete(this.next);
      this.next++;
      this.waiters.get(this.next)?.();
      this.waiters.delete(this.next);
    }
  }
}
