/**
 * Regenerates the PDF fixture of the OCR tests that the template PDFs do not cover:
 *
 *   npx tsx scripts/make-ocr-fixtures.ts [OUT_DIR]      (default tests/fixtures/ocr; not in tests/fixtures/pdf, whose files the PDF engine parity recording covers)
 *
 *   template-injected   the filled template with one 自然人 cell's digits transposed (112 → 121), a real
 *                       error of the source that a scan of it must still show, located at that cell
 *
 * Needs LibreOffice (`soffice`) and a CJK font, as scripts/make-template-pdfs.ts; the tests rasterise
 * the committed PDF with pdftoppm and need neither.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fillTemplate } from '../tests/helpers/fill-template.js';
import { INJECTED, injectedValues } from '../tests/helpers/ocr-raster.js';

const outDir = path.resolve(process.argv[2] ?? 'tests/fixtures/ocr');
const work = mkdtempSync(path.join(tmpdir(), 'nianbao-ocr-fixture-'));
try {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(work, 'template-injected.docx');
  writeFileSync(file, fillTemplate(injectedValues()));
  const r = spawnSync('soffice', [`-env:UserInstallation=file://${path.join(work, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`soffice failed: ${r.error?.message ?? r.stderr}`);
  const target = path.join(outDir, 'template-injected.pdf');
  copyFileSync(path.join(work, 'template-injected.pdf'), target);
  console.log(`${path.relative(process.cwd(), target)}: ${INJECTED.path} printed as ${INJECTED.printed}, ${(statSync(target).size / 1024).toFixed(0)} KB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
