/**
 * The filled template as OFD (tests/helpers/ofd-writer.ts, plain and PageBlock styles), committed as
 * seeds for the mutation fuzzer (bench/mutate.ts); the OFD tests themselves generate theirs at run time.
 *   npx tsx scripts/make-ofd-fixtures.ts [OUT_DIR]      (default tests/fixtures/ofd)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readDocument } from '../src/ingest/index.js';
import { blocksToOfd } from '../tests/helpers/ofd-writer.js';

const outDir = path.resolve(process.argv[2] ?? 'tests/fixtures/ofd');
mkdirSync(outDir, { recursive: true });
const model = await readDocument(readFileSync('tests/fixtures/pdf/template-filled.docx'), { path: 'template-filled.docx' });
for (const variant of ['plain', 'pageblock'] as const) {
  const file = path.join(outDir, `template-${variant}.ofd`);
  writeFileSync(file, blocksToOfd(model.blocks, variant));
  console.log(file);
}
