/**
 * Seeded HTML reports printed to PDF by Chromium (its Skia PDF backend, as a portal's "print this page"
 * or a browser's "save as PDF" makes them), in several print styles, each parsed and checked cell by cell:
 *
 *   npx tsx bench/fuzz-print.ts [--n 20] [--from 1] [--styles ruled,a4,borderless,...,soffice] [--2019] [--verbose]
 *
 * --2019: the seeded 2019-format reports (tests/helpers/fuzz-report-2019.ts) instead, scored as there.
 *
 * A wrong value marked `inferred` is counted apart: it said it was not read exactly.
 * Needs Debian's chromium (/usr/bin/chromium, or NIANBAO_CHROMIUM); the style `soffice` is the seeded DOCX
 * (Word-style variants) converted by LibreOffice instead (needs soffice). Prints per style: reports read
 * exactly, cells read as a wrong value (a number presented as read that is not the report's: must be 0),
 * cells not read (missing, unplaced: said, not wrong), and error findings (each one either the source's,
 * such as a column the print cut off, or ours: see --verbose).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sofficePath } from '../src/ingest/convert/soffice.js';
import { parseBytes } from '../src/parse.js';
import { hasChromium, launchBrowser } from '../tests/helpers/browser.js';
import { fuzzCase, mismatches } from '../tests/helpers/fuzz-report.js';
import { fuzzCase2019, score2019 } from '../tests/helpers/fuzz-report-2019.js';

const STYLES: Record<string, string> = {
  ruled: '',
  wide: 'table{width:100%} td{text-align:center}',
  landscape: '@page{size:A4 landscape;margin:15mm} td{padding:4px}',
  // A table wider than the paper: the print cuts it at the margin (总计, part of 其他).
  a4: '@page{size:A4;margin:20mm} body{font-size:12pt}',
  borderless: 'table,tr,td,th{border:none!important} table{border:0!important}',
  'borderless-wide': 'table{width:100%} table,tr,td,th{border:none!important} table{border:0!important} td{text-align:right;padding:0 6px}',
  soffice: '',
};

/** The seeded DOCX as LibreOffice prints it to PDF. */
function sofficePdf(docx: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-fuzz-print-'));
  try {
    writeFileSync(join(dir, 'in.docx'), docx);
    execFileSync(sofficePath()!, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'in.docx')], { stdio: 'ignore', timeout: 120_000 });
    return new Uint8Array(readFileSync(join(dir, 'in.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const n = Number(opt('--n', '20'));
const from = Number(opt('--from', '1'));
const styles = opt('--styles', Object.keys(STYLES).join(',')).split(',');
const verbose = args.includes('--verbose');
const y2019 = args.includes('--2019');
if (!hasChromium) throw new Error('chromium is needed (apt install chromium)');
if (styles.includes('soffice') && !sofficePath()) throw new Error('the style soffice needs LibreOffice (apt install libreoffice-writer-nogui)');
for (const s of styles) if (!(s in STYLES)) throw new Error(`unknown style ${s}; styles: ${Object.keys(STYLES).join(', ')}`);

const browser = await launchBrowser();
const NOT_READ = / → null\/(missing|unplaced)$/;
try {
  for (const style of styles) {
    const t = { exact: 0, wrong: 0, inferredWrong: 0, notRead: 0, errors: 0 };
    const errorRules = new Map<string, number>();
    for (let seed = from; seed < from + n; seed++) {
      const c19 = y2019 ? await fuzzCase2019(seed, style === 'soffice' ? 'docx' : 'html') : null;
      const c21 = c19 ? null : await fuzzCase(seed, style === 'soffice' ? 'docx' : 'html');
      const c = (c19 ?? c21)!;
      let pdf: Uint8Array;
      if (style === 'soffice') pdf = sofficePdf(c.bytes);
      else {
        const page = await browser.context.newPage();
        try {
          await page.setContent(new TextDecoder().decode(c.bytes).replace(/<head>/i, `<head><style>${STYLES[style]}</style>`), { waitUntil: 'load' });
          pdf = new Uint8Array(await page.pdf({ format: 'Letter' }));
        } finally {
          await page.close();
        }
      }
      const r = await parseBytes(pdf, { path: `${style}-${seed}.pdf` });
      const s19 = c19 ? score2019(c19, r) : null;
      const all = s19 ? [...s19.off, ...s19.errors.map((e) => `error ${e}`)] : mismatches(c21!, r);
      const cells = all.filter((m) => !m.startsWith('error '));
      // A wrong value the reader marked inferred said it was not read exactly (promise 1 holds, recall lost).
      const inferred = (m: string) => r.cells[m.slice(0, m.indexOf(':'))]?.inferred !== undefined;
      const wrong = s19 ? s19.wrong : cells.filter((m) => !NOT_READ.test(m) && !inferred(m));
      t.inferredWrong += s19 ? cells.filter((m) => !wrong.includes(m) && / \(inferred\)/.test(m) && !/→ null\//.test(m)).length : cells.filter((m) => !NOT_READ.test(m) && inferred(m)).length;
      const errors = r.findings.filter((f) => f.severity === 'error');
      if (all.length === 0) t.exact++;
      t.wrong += wrong.length;
      t.notRead += cells.length - wrong.length;
      t.errors += errors.length;
      for (const f of errors) errorRules.set(f.rule, (errorRules.get(f.rule) ?? 0) + 1);
      if (verbose && (wrong.length || errors.length)) process.stdout.write(`  ${style} #${seed}: ${[...wrong, ...errors.map((f) => `error ${f.rule}: ${f.message}`)].join(' | ')}\n`);
    }
    const rules = [...errorRules].map(([k, v]) => `${k} ${v}`).join(', ');
    process.stdout.write(`${style.padEnd(16)} exact ${t.exact}/${n}  wrong values ${t.wrong} (+${t.inferredWrong} marked inferred)  not read ${t.notRead}  error findings ${t.errors}${rules ? ` (${rules})` : ''}\n`);
  }
} finally {
  await browser.close();
}
