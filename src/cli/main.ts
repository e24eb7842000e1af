import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { Lang } from '../audit/types.js';
import type { WorkerPool, Outcome } from '../batch/pool.js';
import { reasonOf } from '../errors.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { ParseResult } from '../model/index.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';
import { renderAudit } from './format.js';
import { EXIT, processIo, type Io } from './io.js';
import { VERSION } from './version.js';
import type { ConvertWith } from '../ingest/index.js';

const LIMIT_HELP = `  --timeout S     give up on a file after S seconds; its worker is terminated
                  (default ${DEFAULT_LIMITS.timeoutMs / 1000})
  --max-size MB   refuse larger files unread (default ${DEFAULT_LIMITS.maxBytes / 1048576})
  --convert-with soffice|none
                  legacy .doc/.wps/.xls/.et: convert with LibreOffice first, or never
                  (default: the built-in reader, LibreOffice only when it fails)`;

const HELP: Record<string, string> = {
  main: `nianbao ${VERSION} — 政府信息公开工作年度报告 → typed JSON, with its arithmetic audited

Usage: nianbao <command> [options]

Commands:
  parse FILE|-          print the ParseResult of one report as JSON
  audit FILE…           print findings for people; exit 1 when any is an error
  summary [PATH…]       one line per report (default: ./samples)
  batch PATH… --out DIR convert whole archives to DIR/reports.jsonl
  export FILE --to csv|xlsx   export batch records
  serve [FILE|DIR…]     a local web page: tables with findings marked, uploads, exports
  schema                print the JSON Schema of the output

Exit codes: 0 ok; 1 audit found errors; 2 bad usage; 3 a file could not be read as a report.
When both 1 and 3 apply, 1 wins: an error in a report outranks a file we could not read.
Every file is parsed in a worker thread under a deadline (--timeout) and a heap cap.
Run 'nianbao <command> --help' for the options of a command; -V prints the version.
`,
  parse: `Usage: nianbao parse FILE|- [--pretty] [--lang zh|en] [--timeout S] [--max-size MB]

Reads one report (PDF, DOCX, HTML, XLSX or text; '-' reads standard input) and prints
its ParseResult as JSON on stdout. Exit 0 whenever the file was read as a report,
whatever the findings; exit 3 with one line on stderr when it could not be (also
when it took longer than --timeout or was larger than --max-size).
  --pretty        indent the JSON
  --lang LANG     language of finding messages: zh (default) or en
${LIMIT_HELP}
`,
  audit: `Usage: nianbao audit FILE… [--lang zh|en] [--json] [--timeout S] [--max-size MB]

Audits each report and prints its findings grouped by severity: rule id, message,
expected vs actual, the cells involved (by their official Chinese row and column
labels and their JSON path) and where they are in the source. A report with no
table value to check says so ("无法核验" / "not assessable") rather than "no findings".
Exit 1 when any finding is an error, even if another file could not be read (for an
auditor an error in a report outranks a file we failed to read); else 3 when any
file could not be read (the other files are still audited); 0 otherwise.
  --lang LANG     zh (default) or en
  --json          print the findings of each file as one JSON line instead
${LIMIT_HELP}
`,
  summary: `Usage: nianbao summary [PATH…] [--lang zh|en] [--timeout S] [--max-size MB]

Parses every report file under the given files or directories (default: ./samples)
and prints one line per report: format, agency, year, key totals and finding counts.
Exit codes as audit: 1 when any report has an error finding, else 3 when any file
could not be read, else 0.
${LIMIT_HELP}
`,
  schema: `Usage: nianbao schema

Prints the JSON Schema (draft 2020-12) of the ParseResult that 'parse' prints.
`,
};

/**
 * What the process has earned so far and the file in hand: a closed stdout pipe
 * (EPIPE) ends the process with the first, a last-resort error names the second.
 * Findings count toward it only once their text reached the reader: what `head -1`
 * never saw earns nothing.
 */
export const progress = { earned: EXIT.ok as number, file: '' };

/** Writes a file's output and, once it is delivered, lets its status count. */
function deliver(io: Io, text: string, delivered: { errors: boolean; unreadable: boolean }, errors: boolean): void {
  io.stdout.write(text, (err) => {
    if (err) return;
    if (errors) delivered.errors = true;
    progress.earned = combinedStatus(delivered);
  });
}

/** Extra context for callers that run many commands in one process (the fuzz harness): a warm pool to reuse. */
export interface Context {
  pool?: WorkerPool;
  /** Sees each file's outcome as the pool gave it (the harness counts error codes). */
  observe?: (file: string, outcome: Outcome) => void;
}

function langOf(args: ParsedArgs): Lang {
  const v = args.flags.get('lang');
  if (v === undefined) return 'zh';
  if (v === 'zh' || v === 'en') return v;
  throw new UsageError(`--lang must be zh or en, not ${String(v)}`);
}

interface Limits {
  timeoutMs: number;
  maxBytes: number;
  convertWith?: ConvertWith;
}

function convertWithOf(v: unknown): ConvertWith | undefined {
  if (v === undefined) return undefined;
  if (v === 'soffice' || v === 'none') return v;
  throw new UsageError(`--convert-with must be soffice or none, not ${String(v)}`);
}

function limitsOf(args: ParsedArgs): Limits {
  const num = (name: string, dflt: number, scale: number, min: number) => {
    const v = args.flags.get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min}, not ${String(v)}`);
    return n * scale;
  };
  const convertWith = convertWithOf(args.flags.get('convert-with'));
  return { timeoutMs: num('timeout', DEFAULT_LIMITS.timeoutMs, 1000, 0.001), maxBytes: num('max-size', DEFAULT_LIMITS.maxBytes, 1048576, 0), ...(convertWith ? { convertWith } : {}) };
}

const LIMIT_OPTIONS = ['lang', 'timeout', 'max-size', 'convert-with'];

async function readStdin(io: Io): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin ?? process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** One line on stderr naming the file and the reason; never a stack trace. */
export function failLine(file: string, code: string, reason: string): string {
  return `nianbao: ${file}: ${reason}${code === 'internal' ? ' (internal error; please report it)' : ''}\n`;
}

/** A pool for one command, or the caller's; `done` closes only what was opened here. */
async function poolFor(ctx: Context, files: readonly string[]): Promise<{ pool: WorkerPool; done: () => Promise<void> }> {
  if (ctx.pool) return { pool: ctx.pool, done: async () => {} };
  const { WorkerPool } = await import('../batch/pool.js');
  const pool = new WorkerPool({
    size: Math.max(1, Math.min(files.length, availableParallelism())),
    timeoutMs: DEFAULT_LIMITS.timeoutMs,
    maxMemoryMb: DEFAULT_LIMITS.maxMemoryMb,
    // A hint only (the content decides the format): PDFium compiles while the worker loads the rest.
    ...(files.some((f) => /\.pdf$/i.test(f)) ? { preloadPdf: true } : {}),
  });
  return { pool, done: () => pool.close() };
}

async function runOne(pool: WorkerPool, io: Io, file: string, lang: Lang, limits: Limits, shape: 'object' | 'json' | 'pretty'): Promise<Outcome> {
  const common = { path: file, lang, maxBytes: limits.maxBytes, timeoutMs: limits.timeoutMs, shape, ...(limits.convertWith ? { convertWith: limits.convertWith } : {}) };
  return file === '-' ? pool.run({ ...common, bytes: await readStdin(io) }) : pool.run({ ...common, file });
}

async function cmdParse(argv: string[], io: Io, ctx: Context): Promise<number> {
  const args = parseArgs(argv, { flags: ['pretty'], options: LIMIT_OPTIONS });
  if (args.flags.has('help')) return help(io, 'parse');
  if (args.positionals.length !== 1) throw new UsageError('parse takes exactly one FILE (or - for standard input)');
  const lang = langOf(args);
  const limits = limitsOf(args);
  const file = args.positionals[0];
  progress.file = file;
  const { pool, done } = await poolFor(ctx, [file]);
  try {
    const o = await runOne(pool, io, file, lang, limits, args.flags.has('pretty') ? 'pretty' : 'json');
    ctx.observe?.(file, o);
    if (o.kind !== 'ok') {
      io.stderr.write(o.kind === 'failed' ? failLine(file, o.code, o.reason) : failLine(file, 'internal', 'no result'));
      return (progress.earned = EXIT.unreadable);
    }
    io.stdout.write(o.json + '\n');
    return EXIT.ok;
  } finally {
    await done();
  }
}

/** Exit status when several files were looked at (audit, summary): errors found outrank files not read. */
export function combinedStatus(s: { errors: boolean; unreadable: boolean }): number {
  return s.errors ? EXIT.findings : s.unreadable ? EXIT.unreadable : EXIT.ok;
}

/**
 * Runs files through the pool with at most `window` results held, yielding them in
 * input order (output stays in the order given, parsing overlaps on every core).
 */
async function* ordered(files: string[], window: number, start: (f: string) => Promise<Outcome>): AsyncGenerator<[string, Outcome]> {
  const inFlight: Array<Promise<Outcome>> = [];
  let next = 0;
  while (next < files.length && inFlight.length < window) inFlight.push(start(files[next++]));
  for (let i = 0; i < files.length; i++) {
    const outcome = await inFlight.shift()!;
    if (next < files.length) inFlight.push(start(files[next++]));
    yield [files[i], outcome];
  }
}

async function cmdAudit(argv: string[], io: Io, ctx: Context): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: LIMIT_OPTIONS });
  if (args.flags.has('help')) return help(io, 'audit');
  if (args.positionals.length === 0) throw new UsageError('audit needs at least one FILE');
  const lang = langOf(args);
  const limits = limitsOf(args);
  const files = args.positionals;
  const state = { errors: false, unreadable: false };
  const delivered = { errors: false, unreadable: false };
  const { pool, done } = await poolFor(ctx, files);
  try {
    for await (const [file, o] of ordered(files, 2 * availableParallelism(), (f) => runOne(pool, io, f, lang, limits, 'object'))) {
      progress.file = file;
      if (o.kind === 'ok' && o.result) {
        const result = o.result as ParseResult;
        const errors = result.findings.some((f) => f.severity === 'error');
        if (errors) state.errors = true;
        deliver(io, args.flags.has('json') ? JSON.stringify({ path: file, assessable: assessable(result), findings: result.findings }) + '\n' : renderAudit(result, lang), delivered, errors);
      } else {
        io.stderr.write(o.kind === 'failed' ? failLine(file, o.code, o.reason) : failLine(file, 'internal', 'no result'));
        state.unreadable = delivered.unreadable = true;
        progress.earned = combinedStatus(delivered);
      }
    }
  } finally {
    await done();
  }
  return combinedStatus(state);
}

/** Whether anything in the report could be checked: at least one table value was read as a number. */
export function assessable(result: ParseResult): boolean {
  return Object.values(result.cells).some((c) => c.kind === 'number');
}

const REPORT_EXT = /\.(pdf|ofd|docx|doc|wps|xlsx|xls|et|html?|shtml|mhtml?|txt|text|md|tiff?)$/i;

/** Files under the given paths; a path that does not exist is kept, to be reported as unreadable. */
async function collect(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (s?.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      out.push(...(await collect(entries.filter((e) => e.isDirectory() || REPORT_EXT.test(e.name)).map((e) => join(p, e.name)))));
    } else out.push(p);
  }
  return out;
}

async function cmdSummary(argv: string[], io: Io, ctx: Context): Promise<number> {
  const args = parseArgs(argv, { options: LIMIT_OPTIONS });
  if (args.flags.has('help')) return help(io, 'summary');
  const lang = langOf(args);
  const limits = limitsOf(args);
  const files = await collect(args.positionals.length ? args.positionals : ['samples']);
  const rows: string[][] = [['file', 'format', 'agency', 'year', 'version', '新收', '办结', '结转', '复议', 'errors', 'warnings', 'ms']];
  const state = { errors: false, unreadable: false };
  let ok = 0;
  const { pool, done } = await poolFor(ctx, files);
  try {
    for await (const [file, o] of ordered(files, 2 * availableParallelism(), (f) => runOne(pool, io, f, lang, limits, 'object'))) {
      progress.file = file;
      const name = relative(process.cwd(), file) || file;
      if (o.kind !== 'ok' || !o.result) {
        rows.push([name, 'FAILED: ' + (o.kind === 'failed' ? o.reason : 'no result')]);
        state.unreadable = true;
        continue;
      }
      const r = o.result;
      const a = r.report.applications;
      const n = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      if (errors) state.errors = true;
      rows.push([
        name,
        r.source.format,
        r.report.agency ?? '?',
        n(r.report.year),
        r.report.formatVersion,
        n(a?.newReceived.total),
        n(a?.results.total.total),
        n(a?.carriedForward.total),
        n(r.report.reviewLitigation?.review.total),
        String(errors),
        String(r.findings.filter((f) => f.severity === 'warning').length),
        String(Math.round(o.ms)),
      ]);
      ok++;
    }
  } finally {
    await done();
  }
  progress.earned = combinedStatus(state);
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uFFFF]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0].map((_, i) => Math.max(...rows.filter((r) => r.length > 2).map((r) => width(r[i] ?? ''))));
  for (const r of rows) io.stdout.write((r.length > 2 ? r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i] - width(c)))).join('  ') : r.join('  ')).trimEnd() + '\n');
  io.stdout.write(`${ok} of ${files.length} files read as reports\n`);
  return combinedStatus(state);
}

async function cmdSchema(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) return help(io, 'schema');
  const { jsonSchema } = await import('../model/index.js');
  io.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n');
  return EXIT.ok;
}

async function cmdVersion(_argv: string[], io: Io): Promise<number> {
  io.stdout.write(VERSION + '\n');
  return EXIT.ok;
}

function help(io: Io, topic: string): number {
  io.stdout.write(HELP[topic] ?? HELP.main);
  return EXIT.ok;
}

type Command = (argv: string[], io: Io, ctx: Context) => Promise<number>;

/** The commands, one line each; modules beyond parse/audit/summary load only when their command runs. */
const COMMANDS: Record<string, Command> = {
  parse: cmdParse,
  audit: cmdAudit,
  summary: cmdSummary,
  schema: cmdSchema,
  batch: async (argv, io) => (await import('./batch-command.js')).batchCommand(argv, io),
  export: async (argv, io) => (await import('./export-command.js')).exportCommand(argv, io),
  serve: async (argv, io) => (await import('./serve-command.js')).serveCommand(argv, io),
  '--version': cmdVersion,
  '-V': cmdVersion,
  '-v': cmdVersion,
};

const HELP_WORDS = new Set([undefined, 'help', '--help', '-h']);

export async function main(argv: string[], io: Io = processIo, ctx: Context = {}): Promise<number> {
  const [command, ...rest] = argv;
  progress.earned = EXIT.ok;
  progress.file = command ?? '';
  try {
    if (HELP_WORDS.has(command)) return help(io, rest[0] ?? 'main');
    const run = Object.hasOwn(COMMANDS, command!) ? COMMANDS[command!] : undefined;
    if (!run) throw new UsageError(`unknown command '${command}'`);
    return await run(rest, io, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`nianbao: ${e.message}\nRun 'nianbao --help' for usage.\n`);
      return EXIT.usage;
    }
    io.stderr.write(failLine(progress.file, 'internal', reasonOf(e)));
    if (process.env.NIANBAO_DEBUG && e instanceof Error) io.stderr.write(`${e.stack}\n`);
    return EXIT.unreadable;
  }
}

/**
 * The process entry (bin/nianbao.js). A reader that closes the pipe early
 * (`nianbao audit * | head -1`) ends the process quietly with the status earned so
 * far, as jq and poppler do; anything that escapes every handler becomes one line
 * naming the file in hand and exit 3, never a stack trace.
 */
export async function run(argv: string[]): Promise<void> {
  const lastResort = (e: unknown) => {
    try {
      process.stderr.write(failLine(progress.file || 'nianbao', 'internal', reasonOf(e)));
      if (process.env.NIANBAO_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    } finally {
      process.exit(EXIT.unreadable);
    }
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(progress.earned) : lastResort(e)));
  process.on('unhandledRejection', lastResort);
  process.on('uncaughtException', lastResort);
  process.exitCode = await main(argv);
}
