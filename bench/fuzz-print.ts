/**
 * Seeded HTML reports printed to PDF by Chromium (its Skia PDF backend, as a portal's "print this page"
 * or a browser's "save as PDF" makes them), in several print styles, each parsed and checked cell by cell:
 *
 *   npx tsx bench/fuzz-print.ts [--n 20] [--from 1] [--styles ruled,a4,borderless,...] [--verbose]
 *
 * Needs Debian's chromium (/usr/bin/chromium, or NIANBAO_CHROMIUM). Prints per style: reports read
 * exactly, cells read as a wrong value (a number presented as read that is not the report's: must be 0),
 * cells not read (missing, unplaced: said, not wrong), and error findings (each one either the source's,
 * such as a column the print cut off, or ours: see --verbose).
 */
import { parseBytes } from '../src/parse.js';
import { hasChromium, launchBrowser } from '../tests/helpers/browser.js';
import { fuzzCase, mismatches } from '../tests/helpers/fuzz-report.js';

const STYLES: Record<string, string> = {
  ruled: '',
  wide: 'table{width:100%} td{text-align:center}',
  landscape: '@page{size:A4 landscape;margin:15mm} td{padding:4px}',
  // A table wider than the paper: the print cuts it at the margin (总计, part of 其他).
  a4: '@page{size:A4;margin:20mm} body{font-size:12pt}',
  borderless: 'table,tr,td,th{border:none!important} table{border:0!important}',
  'borderless-wide': 'table{width:100%} table,tr,td,th{border:none!important} table{border:0!important} td{text-align:right;padding:0 6px}',
};

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const n = Number(opt('--n', '20'));
const from = Number(opt('--from', '1'));
const styles = opt('--styles', Object.keys(STYLES).join(',')).split(',');
const verbose = args.includes('--verbose');
if (!hasChromium) throw new Error('chromium is needed (apt install chromium)');
for (const s of styles) if (!(s in STYLES)) throw new Error(`unknown style ${s}; styles: ${Object.keys(STYLES).join(', ')}`);

const browser = await launchBrowser();
const NOT_READ = / → null\/(missing|unplaced)$/;
try {
  for (const style of styles) {
    const t = { exact: 0, wrong: 0, notRead: 0, errors: 0 };
    const errorRules = new Map<string, number>();
    for (let seed = from; seed < from + n; seed++) {
      const c = await fuzzCase(seed, 'html');
      const page = await browser.context.newPage();
      let pdf: Uint8Array;
      try {
        await page.setContent(new TextDecoder().decode(c.bytes).replace(/<head>/i, `<head><style>${STYLES[style]}</style>`), { waitUntil: 'load' });
        pdf = new Uint8Array(await page.pdf({ format: 'Letter' }));
      } finally {
        await page.close();
      }
      const r = await parseBytes(pdf, { path: `${style}-${seed}.pdf` });
      const all = mismatches(c, r);
      const cells = all.filter((m) => !m.startsWith('error '));
      const wrong = cells.filter((m) => !NOT_READ.test(m));
      const errors = r.findings.filter((f) => f.severity === 'error');
      if (all.length === 0) t.exact++;
      t.wrong += wrong.length;
      t.notRead += cells.length - wrong.length;
      t.errors += errors.length;
      for (const f of errors) errorRules.set(f.rule, (errorRules.get(f.rule) ?? 0) + 1);
      if (verbose && (wrong.length || errors.length)) process.stdout.write(`  ${style} #${seed}: ${[...wrong, ...errors.map((f) => `error ${f.rule}: ${f.message}`)].join(' | ')}\n`);
    }
    const rules = [...errorRules].map(([k, v]) => `${k} ${v}`).join(', ');
    process.stdout.write(`${style.padEnd(16)} exact ${t.exact}/${n}  wrong values ${t.wrong}  not read ${t.notRead}  error findings ${t.errors}${rules ? ` (${rules})` : ''}\n`);
  }
} finally {
  await browser.close();
}
