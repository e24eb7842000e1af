/**
 * Regenerates the committed LibreOffice text exports of filled templates (one cell per line, nothing
 * between cells, blank cells as empty lines): the shape LibreOffice's and many web tools' "save as text"
 * give a table. Seeded values (tests/helpers/fuzz-report.ts), so blank columns, placeholders, zeros
 * left blank and large numbers all occur; tests/recognize-cell-lines.test.ts reads them back.
 *
 *   npx tsx scripts/make-cell-lines-text.ts        (needs LibreOffice: soffice on PATH)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rng } from '../tests/helpers/batch-reports.js';
import { fillTemplate } from '../tests/helpers/fill-template.js';
import { fuzzValues } from '../tests/helpers/fuzz-report.js';
import { CELL_LINE_SEEDS } from '../tests/helpers/cell-lines.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-cells-'));
try {
  const docs = CELL_LINE_SEEDS.map((seed) => {
    const file = path.join(dir, `cells-${seed}.docx`);
    writeFileSync(file, fillTemplate(fuzzValues(rng(seed), [])));
    return file;
  });
  const r = spawnSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'txt:Text (encoded):UTF8', '--outdir', dir, ...docs], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`soffice failed: ${r.error?.message ?? r.stderr}`);
  for (const seed of CELL_LINE_SEEDS) {
    const out = `tests/fixtures/text/cells/cells-${seed}.txt`;
    writeFileSync(out, readFileSync(path.join(dir, `cells-${seed}.txt`)));
    console.log(`wrote ${out}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
