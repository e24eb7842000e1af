import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { crossOnly, DEFAULTS, OutputError, runBatch, UsageError } from '../batch/run.js';
import { makeProgress } from '../batch/progress.js';
import type { Summary } from '../batch/cross.js';
import { EXIT, type Io } from './io.js';

export const BATCH_HELP = `Usage: nianbao batch PATH... --out DIR [options]

Parses every report under PATH (files, directories walked recursively, quoted
globs such as 'archive/**/*.pdf') in worker threads and appends one JSON record
per input to DIR/reports.jsonl (ok / failed / duplicate). Then writes
DIR/cross-report.jsonl (year-to-year checks, copied reports) and DIR/summary.json.
Images, other archives and non-report files found while walking are skipped;
report-like files that cannot be read (a truncated .docx, an encrypted .doc) are
recorded as failures with the reason.

Options:
  --out DIR          output directory (required)
  --from FILE        read more paths/globs from FILE, one per line ('-' = stdin);
                     repeatable
  --jobs N           worker threads (default: CPU count, here ${availableParallelism()})
  --timeout SEC      per-file time limit; the worker is killed and replaced
                     (default ${DEFAULTS.timeoutMs / 1000})
  --max-memory MB    heap cap of each worker (default ${DEFAULTS.maxMemoryMb})
  --max-size MB      record larger files as too-large without reading them
                     (default ${DEFAULTS.maxBytes / 1048576})
  --convert-with soffice|none
                     legacy .doc/.wps/.xls/.et: convert with LibreOffice first, or
                     never (default: built-in reader, LibreOffice when it fails)
  --resume           keep DIR/reports.jsonl and skip inputs whose content already
                     has a record (repairs a torn last line from a killed run)
  --overwrite        start DIR/reports.jsonl afresh
  --shard K/N        only the inputs whose path hash falls in shard K of N (1-based)
  --root DIR         make record paths relative to DIR (default: the deepest
                     directory holding all inputs)
  --lang zh|en       language of finding messages (default zh)
  --no-cross         skip the cross-report pass
  --cross-only       no parsing: redo summary.json and cross-report.jsonl from an
                     existing DIR/reports.jsonl (e.g. after merging shards)
  --quiet            no progress and no summary on stderr
  -h, --help         this text

Exit status: 0 when the batch completed (failed files are data, see the records),
2 on bad usage, 3 when the output directory cannot be written.
`;

export async function batchCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        from: { type: 'string', multiple: true },
        jobs: { type: 'string' },
        timeout: { type: 'string' },
        'max-memory': { type: 'string' },
        'max-size': { type: 'string' },
        'convert-with': { type: 'string' },
        resume: { type: 'boolean' },
        overwrite: { type: 'boolean' },
        shard: { type: 'string' },
        root: { type: 'string' },
        lang: { type: 'string' },
        'no-cross': { type: 'boolean' },
        'cross-only': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(BATCH_HELP);
    return EXIT.ok;
  }
  if (!v.out) return usage(io, '--out DIR is required');
  const lang = v.lang ?? 'zh';
  if (lang !== 'zh' && lang !== 'en') return usage(io, `--lang must be zh or en, not ${lang}`);
  const cwd = io.cwd ?? process.cwd();

  if (v['cross-only']) {
    try {
      const summary = await crossOnly({ out: v.out, cwd, lang });
      if (!v.quiet) io.stderr.write(formatSummary(summary));
      return EXIT.ok;
    } catch (e) {
      return e instanceof UsageError ? usage(io, e.message) : failOutput(io, e);
    }
  }

  const num = (name: string, raw: string | undefined, min: number): number | undefined | Error => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n >= min ? n : new Error(`--${name} must be a number ≥ ${min}, not ${raw}`);
  };
  const jobs = num('jobs', v.jobs, 1);
  const timeout = num('timeout', v.timeout, 0.001);
  const maxMemory = num('max-memory', v['max-memory'], 16);
  const maxSize = num('max-size', v['max-size'], 0);
  for (const x of [jobs, timeout, maxMemory, maxSize]) if (x instanceof Error) return usage(io, x.message);
  let shard: { k: number; n: number } | undefined;
  if (v.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(v.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) return usage(io, `--shard must be K/N with 1 ≤ K ≤ N, not ${v.shard}`);
    shard = { k: Number(m[1]), n: Number(m[2]) };
  }
  const convertWith = v['convert-with'];
  if (convertWith !== undefined && convertWith !== 'soffice' && convertWith !== 'none') return usage(io, `--convert-with must be soffice or none, not ${convertWith}`);
  if (v.resume && v.overwrite) return usage(io, '--resume and --overwrite contradict each other');

  const inputs = [...parsed.positionals];
  for (const list of v.from ?? []) {
    try {
      const { readList, parseList } = await import('../batch/inputs.js');
      inputs.push(...(list === '-' ? parseList(await readStdin(io)) : await readList(list, cwd)));
    } catch (e) {
      return usage(io, `cannot read --from ${list}: ${(e as Error).message}`);
    }
  }
  if (inputs.length === 0) return usage(io, 'no input: give files, directories or globs, or --from FILE');

  try {
    const summary = await runBatch({
      inputs,
      out: v.out,
      cwd,
      ...(v.root ? { root: v.root } : {}),
      ...(jobs !== undefined ? { jobs: jobs as number } : {}),
      ...(timeout !== undefined ? { timeoutMs: (timeout as number) * 1000 } : {}),
      ...(maxMemory !== undefined ? { maxMemoryMb: Math.round(maxMemory as number) } : {}),
      ...(maxSize !== undefined ? { maxBytes: (maxSize as number) * 1048576 } : {}),
      ...(convertWith ? { convertWith } : {}),
      resume: !!v.resume,
      overwrite: !!v.overwrite,
      ...(shard ? { shard } : {}),
      lang,
      cross: !v['no-cross'],
      progress: makeProgress(io.stderr, { quiet: !!v.quiet }),
      warn: (m) => {
        if (!v.quiet) io.stderr.write(`nianbao batch: ${m}\n`);
      },
    });
    if (!v.quiet) io.stderr.write(formatSummary(summary));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    return failOutput(io, e);
  }
}

function usage(io: Io, msg: string): number {
  io.stderr.write(`nianbao batch: ${msg}\nTry 'nianbao batch --help'.\n`);
  return EXIT.usage;
}

function failOutput(io: Io, e: unknown): number {
  if (e instanceof OutputError) {
    io.stderr.write(`nianbao batch: ${e.message}\n`);
    return EXIT.unreadable;
  }
  throw e;
}

async function readStdin(io: Io): Promise<string> {
  const input = io.stdin ?? process.stdin;
  const chunks: Buffer[] = [];
  for await (const c of input as AsyncIterable<Buffer | string>) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}

/** The end-of-batch report on stderr (summary.json has the same and more). */
export function formatSummary(s: Summary): string {
  const L: string[] = [];
  const run = s.run;
  if (run) {
    L.push(
      `batch: ${run.inputs} inputs${run.shard ? ` (shard ${run.shard}, ${run.outsideShard} in other shards)` : ''}, ${run.processed} parsed, ` +
        `${run.skippedAlreadyRecorded} already recorded, ${run.skippedIrrelevant} skipped as not reports; ` +
        `${(run.elapsedMs / 1000).toFixed(1)} s, ${run.filesPerSecond} files/s, ${run.jobs} jobs`,
    );
  }
  L.push(`records: ${s.records} (ok ${s.byOutcome.ok}, failed ${s.byOutcome.failed}, duplicate ${s.byOutcome.duplicate})`);
  const fmts = Object.entries(s.byFormat)
    .sort()
    .map(([f, c]) => `${f} ${c.ok}/${c.failed}/${c.duplicate}`);
  if (fmts.length) L.push(`by format (ok/failed/duplicate): ${fmts.join(', ')}`);
  const codes = Object.entries(s.failuresByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length) L.push(`failures: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  L.push(
    `findings: ${s.findingsBySeverity.error} errors, ${s.findingsBySeverity.warning} warnings, ${s.findingsBySeverity.info} info; ` +
      `${s.reportsWithErrors} reports with errors`,
  );
  const xr = Object.entries(s.crossReport.byRule).map(([r, n]) => `${r} ${n}`);
  L.push(`cross-report: ${s.crossReport.findings} findings${xr.length ? ` (${xr.join(', ')})` : ''}${s.crossReport.crossYearAvailable ? '' : '; year-to-year rules not available in this build'}`);
  if (s.slowest.length) L.push(`slowest: ${s.slowest.slice(0, 5).map((x) => `${x.path} ${(x.ms / 1000).toFixed(1)} s`).join(', ')}`);
  return L.join('\n') + '\n';
}
