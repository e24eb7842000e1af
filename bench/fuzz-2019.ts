/**
 * The 2019-format fuzz at scale: seeded consistent reports with the 2019 tables
 * (tests/helpers/fuzz-report-2019.ts) in every rendering, parsed and scored.
 *
 *   npx tsx bench/fuzz-2019.ts [--n 300] [--from 1] [--formats docx,html,…,shape-cell-lines] [--year 2021] [--verbose]
 *
 * Prints per format: reports read back exactly, wrong values presented as read (must be 0), reports with
 * an error finding (must be 0), reports not read as formatVersion 2019, and the cells that were not read
 * exactly but said so (kind, inferred). --verbose lists each failing case's notes and cells.
 */
import { parseBytes } from '../src/parse.js';
import { SHAPE_FORMATS, fuzzCase2019, score2019, type Format2019 } from '../tests/helpers/fuzz-report-2019.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(opt('--n') ?? 300);
const from = Number(opt('--from') ?? 1);
const year = opt('--year') ? Number(opt('--year')) : undefined;
const verbose = args.includes('--verbose');
const FORMATS: Format2019[] = ['docx', 'html', 'xlsx', 'tsv', 'layout', 'layout-display', ...SHAPE_FORMATS];
const formats = (opt('--formats')?.split(',') as Format2019[] | undefined) ?? FORMATS;

interface Tally {
  exact: number;
  wrongCells: number;
  wrongReports: number;
  errorReports: number;
  notFormat: number;
  offCells: number;
  crashes: number;
}

const rows: string[] = [];
const byRule = new Map<string, number>();
for (const format of formats) {
  const t: Tally = { exact: 0, wrongCells: 0, wrongReports: 0, errorReports: 0, notFormat: 0, offCells: 0, crashes: 0 };
  for (let seed = from; seed < from + n; seed++) {
    const c = await fuzzCase2019(seed, format, { year });
    let r;
    try {
      r = await parseBytes(c.bytes, { path: c.path });
    } catch (e) {
      t.crashes++;
      if (verbose) process.stdout.write(`${c.name}: threw ${(e as Error).message}\n`);
      continue;
    }
    const s = score2019(c, r);
    if (s.exact) t.exact++;
    t.offCells += s.off.length;
    t.wrongCells += s.wrong.length;
    if (s.wrong.length) t.wrongReports++;
    if (s.errors.length) t.errorReports++;
    for (const e of s.errors) byRule.set(`${format} ${e.split(':')[0]}`, (byRule.get(`${format} ${e.split(':')[0]}`) ?? 0) + 1);
    if (r.report.formatVersion !== '2019') t.notFormat++;
    if (verbose && (s.wrong.length || s.errors.length || r.report.formatVersion !== '2019' || !s.exact)) {
      process.stdout.write(`\n${c.name} [${c.notes.join('; ')}] format ${r.report.formatVersion}\n`);
      for (const w of s.wrong) process.stdout.write(`  WRONG ${w}\n`);
      for (const e of s.errors) process.stdout.write(`  ERROR ${e}\n`);
      for (const o of s.off.filter((x) => !s.wrong.includes(x)).slice(0, 12)) process.stdout.write(`  off ${o}\n`);
    }
  }
  rows.push(
    `${format.padEnd(21)} exact ${t.exact}/${n}  wrong values ${t.wrongCells} (in ${t.wrongReports} reports)  error findings in ${t.errorReports}  not 2019 ${t.notFormat}  cells not exact ${t.offCells}  crashes ${t.crashes}`,
  );
  process.stderr.write(`${rows.at(-1)}\n`);
}
process.stdout.write(`\n2019 fuzz, seeds ${from}…${from + n - 1}${year ? `, year ${year}` : ''}\n${rows.join('\n')}\n`);
if (byRule.size) process.stdout.write(`error findings by rule: ${[...byRule].map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
