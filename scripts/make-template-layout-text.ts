/**
 * Regenerates the committed `pdftotext -layout` renderings of the template PDFs
 * (tests/fixtures/pdf/template-*.pdf, made by scripts/make-template-pdfs.ts):
 *
 *   npx tsx scripts/make-template-layout-text.ts [--check]
 *
 * Needs poppler-utils (`pdftotext`) on PATH; the tests do not: the texts (~7 KB each) are committed,
 * and tests/recognize-layout-template.test.ts reads them against templatePdfValues(). With --check,
 * exits 1 when a committed text differs from what pdftotext writes now.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { TEMPLATE_VARIANTS } from '../tests/helpers/template-pdf.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const variant of TEMPLATE_VARIANTS) {
  const pdf = `tests/fixtures/pdf/template-${variant}.pdf`;
  const out = `tests/fixtures/text/template-${variant}.layout.txt`;
  const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) throw new Error(`pdftotext failed on ${pdf}: ${r.error?.message ?? r.stderr}`);
  if (check) {
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {
      // a missing file is stale
    }
    if (old !== r.stdout) {
      console.log(`stale: ${out}`);
      stale++;
    }
  } else {
    writeFileSync(out, r.stdout);
    console.log(`wrote ${out}`);
  }
}
if (stale) process.exit(1);
