import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Lang } from '../audit/types.js';
import { isNianbaoError, reasonOf } from '../errors.js';
import { jsonSchema, type ParseResult } from '../model/index.js';
import { parseBytes, parseFile } from '../parse.js';
import { parseArgs, UsageError, type ParsedArgs } from './args.js';
import { renderAudit } from './format.js';
import { EXIT, processIo, type Io } from './io.js';

const VERSION = '0.1.0';

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
Run 'nianbao <command> --help' for the options of a command.
`,
  parse: `Usage: nianbao parse FILE|- [--pretty] [--lang zh|en]

Reads one report (PDF, DOCX, HTML, XLSX or text; '-' reads standard input) and prints
its ParseResult as JSON on stdout. Exit 0 whenever the file was read as a report,
whatever the findings; exit 3 with one line on stderr when it could not be.
  --pretty      indent the JSON
  --lang LANG   language of finding messages: zh (default) or en
`,
  audit: `Usage: nianbao audit FILE… [--lang zh|en] [--json]

Audits each report and prints its findings grouped by severity: rule id, message,
expected vs actual, the cells involved and where they are in the source.
Exit 1 when any finding is an error; 3 when any file could not be read (the other
files are still audited); 0 otherwise.
  --lang LANG   zh (default) or en
  --json        print the findings of each file as one JSON line instead
`,
  summary: `Usage: nianbao summary [PATH…] [--lang zh|en]

Parses every report file under the given files or directories (default: ./samples)
and prints one line per report: format, agency, year, key totals and finding counts.
`,
  schema: `Usage: nianbao schema

Prints the JSON Schema (draft 2020-12) of the ParseResult that 'parse' prints.
`,
};

function langOf(args: ParsedArgs): Lang {
  const v = args.flags.get('lang');
  if (v === undefined) return 'zh';
  if (v === 'zh' || v === 'en') return v;
  throw new UsageError(`--lang must be zh or en, not ${String(v)}`);
}

async function readStdin(io: Io): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin ?? process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** One line on stderr naming the file and the reason; never a stack trace. */
function fail(io: Io, file: string, e: unknown): void {
  const code = isNianbaoError(e) ? e.code : 'internal';
  io.stderr.write(`nianbao: ${file}: ${reasonOf(e)}${code === 'internal' ? ' (internal error; please report it)' : ''}\n`);
  if (process.env.NIANBAO_DEBUG && e instanceof Error) io.stderr.write(`${e.stack}\n`);
}

async function load(file: string, lang: Lang, io: Io): Promise<ParseResult> {
  return file === '-' ? parseBytes(await readStdin(io), { path: '-', lang }) : parseFile(file, { lang });
}

async function cmdParse(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: ['pretty'], options: ['lang'] });
  if (args.flags.has('help')) return help(io, 'parse');
  if (args.positionals.length !== 1) throw new UsageError('parse takes exactly one FILE (or - for standard input)');
  const lang = langOf(args);
  const file = args.positionals[0];
  try {
    const result = await load(file, lang, io);
    io.stdout.write(JSON.stringify(result, null, args.flags.has('pretty') ? 2 : undefined) + '\n');
    return EXIT.ok;
  } catch (e) {
    fail(io, file, e);
    return EXIT.unreadable;
  }
}

async function cmdAudit(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: ['lang'] });
  if (args.flags.has('help')) return help(io, 'audit');
  if (args.positionals.length === 0) throw new UsageError('audit needs at least one FILE');
  const lang = langOf(args);
  let errors = false;
  let unreadable = false;
  for (const file of args.positionals) {
    try {
      const result = await load(file, lang, io);
      if (result.findings.some((f) => f.severity === 'error')) errors = true;
      io.stdout.write(args.flags.has('json') ? JSON.stringify({ path: file, findings: result.findings }) + '\n' : renderAudit(result, lang));
    } catch (e) {
      fail(io, file, e);
      unreadable = true;
    }
  }
  return unreadable ? EXIT.unreadable : errors ? EXIT.findings : EXIT.ok;
}

const REPORT_EXT = /\.(pdf|docx|xlsx|html?|shtml|mhtml?|txt|text|md)$/i;

async function collect(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) throw new UsageError(`no such file or directory: ${p}`);
    if (s.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      out.push(...(await collect(entries.filter((e) => e.isDirectory() || REPORT_EXT.test(e.name)).map((e) => join(p, e.name)))));
    } else out.push(p);
  }
  return out;
}

async function cmdSummary(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { options: ['lang'] });
  if (args.flags.has('help')) return help(io, 'summary');
  const lang = langOf(args);
  const files = await collect(args.positionals.length ? args.positionals : ['samples']);
  const rows: string[][] = [['file', 'format', 'agency', 'year', 'version', '新收', '办结', '结转', '复议', 'errors', 'warnings', 'ms']];
  let ok = 0;
  for (const file of files) {
    const t0 = performance.now();
    try {
      const r = await parseFile(file, { lang });
      const a = r.report.applications;
      const n = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));
      rows.push([
        relative(process.cwd(), file),
        r.source.format,
        r.report.agency ?? '?',
        n(r.report.year),
        r.report.formatVersion,
        n(a?.newReceived.total),
        n(a?.results.total.total),
        n(a?.carriedForward.total),
        n(r.report.reviewLitigation?.review.total),
        String(r.findings.filter((f) => f.severity === 'error').length),
        String(r.findings.filter((f) => f.severity === 'warning').length),
        String(Math.round(performance.now() - t0)),
      ]);
      ok++;
    } catch (e) {
      rows.push([relative(process.cwd(), file), 'FAILED: ' + reasonOf(e)]);
    }
  }
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uFFFF]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0].map((_, i) => Math.max(...rows.filter((r) => r.length > 1).map((r) => width(r[i] ?? ''))));
  for (const r of rows) io.stdout.write((r.length > 2 ? r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i] - width(c)))).join('  ') : r.join('  ')).trimEnd() + '\n');
  io.stdout.write(`${ok} of ${files.length} files read as reports\n`);
  return EXIT.ok;
}

function help(io: Io, topic: string): number {
  io.stdout.write(HELP[topic] ?? HELP.main);
  return EXIT.ok;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'parse':
        return await cmdParse(rest, io);
      case 'audit':
        return await cmdAudit(rest, io);
      case 'summary':
        return await cmdSummary(rest, io);
      case 'schema':
        if (rest.includes('--help') || rest.includes('-h')) return help(io, 'schema');
        io.stdout.write(JSON.stringify(jsonSchema(), null, 2) + '\n');
        return EXIT.ok;
      case 'batch':
        return await (await import('./batch-command.js')).batchCommand(rest, io);
      case 'export':
        return await (await import('./export-command.js')).exportCommand(rest, io);
      case 'serve':
        return await (await import('./serve-command.js')).serveCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(VERSION + '\n');
        return EXIT.ok;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        return help(io, rest[0] ?? 'main');
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`nianbao: ${e.message}\nRun 'nianbao --help' for usage.\n`);
      return EXIT.usage;
    }
    fail(io, command ?? '', e);
    return EXIT.unreadable;
  }
}

