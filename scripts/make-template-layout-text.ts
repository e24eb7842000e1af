/**
 * Regenerates the committed pdftotext renderings of the template PDFs (tests/fixtures/pdf/template-*.pdf,
 * made by scripts/make-template-pdfs.ts) and of the sample PDFs: `-layout` (columns kept by spaces) for
 * the templates, and for templates and samples alike the two modes of a generic extractor, plain
 * (reading order: a table's labels in one block, its numbers in another) and `-raw` (content-stream order):
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
const SAMPLES = ['huaian-shizhengfu-2024', 'hongze-quzhengfu-2023'];
const MODES = { layout: ['-layout'], plain: [], raw: ['-raw'] } as const;
const jobs: { pdf: string; out: string; flags: readonly string[] }[] = [
  ...TEMPLATE_VARIANTS.flatMap((v) =>
    Object.entries(MODES).map(([mode, flags]) => ({ pdf: `tests/fixtures/pdf/template-${v}.pdf`, out: `tests/fixtures/text/template-${v}.${mode}.txt`, flags })),
  ),
  ...SAMPLES.flatMap((s) => (['plain', 'raw'] as const).map((mode) => ({ pdf: `samples/${s}.pdf`, out: `tests/fixtures/text/${s}.${mode}.txt`, flags: MODES[mode] }))),
];
for (const { pdf, out, flags } of jobs) {
  const r = spawnSync('pdftotext', [...flags, '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 1 << 24 });
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
