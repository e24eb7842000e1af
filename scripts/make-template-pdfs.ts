/**
 * Regenerates the committed PDF fixtures of the filled official template:
 *
 *   npx tsx scripts/make-template-pdfs.ts [OUT_DIR]      (default tests/fixtures/pdf)
 *
 * Needs LibreOffice (`soffice`) and poppler-utils (`pdftotext`) on PATH, and a CJK font (the committed
 * files were made with LibreOffice 7.4 and Noto Sans CJK). Neither CI nor the tests need them: each PDF
 * is committed with the DOCX it was made from (~20 KB, built by tests/helpers/template-pdf.ts), and
 * tests/e2e-pdf-template.test.ts compares the reports of the two.
 *
 *   template-filled       the template filled with templatePdfValues(), converted as is
 *   template-row-split    table 3 crosses a page break inside a row (searched for and checked below)
 *   template-borderless   every table and cell border removed
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MULTILINE_ROWS, TEMPLATE_VARIANTS, templateVariantDocx } from '../tests/helpers/template-pdf.js';

const outDir = path.resolve(process.argv[2] ?? 'tests/fixtures/pdf');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`${cmd} not available: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * Whether a page break cuts one of the multi-line rows of table 3: its label is on no single page, its
 * start ends one page and its end opens the next. pdftotext -raw keeps LibreOffice's cell-by-cell order,
 * so a cell's lines stay together.
 */
function cutRow(pdf: string): string | undefined {
  const pages = run('pdftotext', ['-raw', pdf, '-']).split('\f').map((p) => p.replace(/\s+/g, ''));
  for (const label of MULTILINE_ROWS) {
    if (pages.some((p) => p.includes(label))) continue;
    for (let k = 0; k + 1 < pages.length; k++) {
      if (pages[k].includes(label.slice(0, 8)) && pages[k + 1].includes(label.slice(-6))) return label;
    }
  }
  return undefined;
}

const work = mkdtempSync(path.join(tmpdir(), 'nianbao-template-pdf-'));
// A private profile: a desktop LibreOffice already running would otherwise take the request over.
const profile = `-env:UserInstallation=file://${path.join(work, 'profile')}`;

function convert(name: string, docx: Uint8Array): string {
  const file = path.join(work, `${name}.docx`);
  writeFileSync(file, docx);
  run('soffice', [profile, '--headless', '--convert-to', 'pdf', '--outdir', work, file]);
  return path.join(work, `${name}.pdf`);
}

try {
  mkdirSync(outDir, { recursive: true });
  for (const variant of TEMPLATE_VARIANTS) {
    const name = `template-${variant}`;
    let docx = templateVariantDocx(variant);
    let pdf = convert(name, docx);
    if (variant === 'row-split') {
      // Where rows fall depends on LibreOffice's version and fonts: search for a space above table 3 that cuts one.
      let found: string | undefined;
      for (let space = 0; space <= 4000 && !(found = cutRow(pdf)); space += 100) {
        docx = templateVariantDocx(variant, { rowSplitSpace: space + 100 });
        pdf = convert(name, docx);
      }
      if (!found) throw new Error('row-split: no space above table 3 made a page break cut a row');
      console.log(`row-split: the page break cuts "${found}"`);
    }
    for (const [ext, from] of [['docx', path.join(work, `${name}.docx`)], ['pdf', pdf]] as const) {
      const target = path.join(outDir, `${name}.${ext}`);
      copyFileSync(from, target);
      console.log(`${path.relative(process.cwd(), target)}: ${(statSync(target).size / 1024).toFixed(0)} KB`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
