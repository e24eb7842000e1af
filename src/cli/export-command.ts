import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { exportCsv } from '../export/csv.js';
import { RecordError } from '../export/records.js';
import { exportXlsx } from '../export/xlsx.js';
import { EXIT, type Io } from './io.js';

export const EXPORT_HELP = `Usage: nianbao export DIR/reports.jsonl --to csv|xlsx [--out FILE]

Turns the records of a batch into a table, streaming (any number of reports).
  csv   one row per record, one column per value path (order: docs/batch.md),
        UTF-8 with BOM, RFC 4180 quoting; empty cell = null, never 0
  xlsx  for auditors: sheets 汇总 (one row per report), 问题清单 (every finding,
        including DIR/cross-report.jsonl), 失败文件 (failures)

Options:
  --to csv|xlsx   output format (required)
  --out FILE      output file (default: reports.csv / reports.xlsx next to the
                  records; '-' writes CSV to stdout)
  --cross FILE    cross-report findings to include in xlsx (default:
                  cross-report.jsonl next to the records, when present)
  -h, --help      this text

Text cells starting with = + - @ (or a tab or CR) get a leading ' so that no
spreadsheet runs them as formulas. The output is written to a temporary file and
renamed into place when complete: a line that is not a record stops the export with
one line naming it and leaves no partial file.

Exit status: 0 ok, 2 bad usage, 3 records unreadable or output not writable.
`;

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        to: { type: 'string' },
        out: { type: 'string', short: 'o' },
        cross: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(EXPORT_HELP);
    return EXIT.ok;
  }
  if (parsed.positionals.length !== 1) return usage(io, 'give exactly one reports.jsonl');
  if (v.to !== 'csv' && v.to !== 'xlsx') return usage(io, '--to must be csv or xlsx');
  if (v.to === 'xlsx' && v.out === '-') return usage(io, 'xlsx cannot go to stdout: give --out FILE');
  const cwd = io.cwd ?? process.cwd();
  let reports = resolve(cwd, parsed.positionals[0]);
  try {
    // Accept the batch output directory itself.
    if ((await stat(reports)).isDirectory()) reports = join(reports, 'reports.jsonl');
    await stat(reports);
  } catch (e) {
    io.stderr.write(`nianbao export: cannot read ${parsed.positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT.unreadable;
  }
  const out = v.out === '-' ? '-' : resolve(cwd, v.out ?? join(dirname(reports), `reports.${v.to}`));

  // Written beside the target and renamed into place only when complete: a bad line
  // halfway leaves no partial export behind (and no half-overwritten older one).
  const tmp = out === '-' ? null : join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    if (v.to === 'csv') {
      if (tmp === null) {
        await exportCsv(reports, io.stdout);
      } else {
        const stream = createWriteStream(tmp);
        const failed = once(stream, 'error').then(([e]) => Promise.reject(e as Error));
        failed.catch(() => undefined);
        const rows = await Promise.race([exportCsv(reports, stream), failed]);
        stream.end();
        await finished(stream);
        await rename(tmp, out);
        io.stderr.write(`nianbao export: ${rows} rows → ${out}\n`);
      }
    } else {
      const cross = v.cross ? resolve(cwd, v.cross) : join(dirname(reports), 'cross-report.jsonl');
      const n = await exportXlsx({ reports, cross }, { filename: tmp! });
      await rename(tmp!, out);
      io.stderr.write(`nianbao export: ${n.summary} reports, ${n.findings} findings, ${n.failures} failures → ${out}\n`);
    }
  } catch (e) {
    if (tmp) await rm(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    if (e instanceof RecordError || err.code || e instanceof SyntaxError) {
      io.stderr.write(`nianbao export: ${err.message.split('\n')[0]}\n`);
      return EXIT.unreadable;
    }
    throw e;
  }
  return EXIT.ok;
}

function usage(io: Io, msg: string): number {
  io.stderr.write(`nianbao export: ${msg}\nTry 'nianbao export --help'.\n`);
  return EXIT.usage;
}
