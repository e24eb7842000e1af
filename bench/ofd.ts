/**
 * The OFD reader, documents per second on one core, beside the DOCX and PDF readers on the same report.
 *
 *   npx tsx bench/ofd.ts [N]        (default N = 100)
 *
 * Generates N filled 2021 reports (different numbers each) as DOCX and, through tests/helpers/ofd-writer.ts,
 * as OFD in each producer style; times each reader over all N after a warm-up. No other JavaScript tool
 * reads OFD text (ofd.js only renders to a canvas), so the reference is our own DOCX reader on the same
 * documents, and the committed template PDF (tests/fixtures/pdf/template-filled.pdf) for a fixed-layout one.
 */
import { readFileSync } from 'node:fs';
import { read as readDocx } from '../src/ingest/docx.js';
import { read as readOfd } from '../src/ingest/ofd.js';
import { read as readPdf } from '../src/ingest/pdf.js';
import { fillTemplate, sampleValues, templateBytes } from '../tests/helpers/fill-template.js';
import { OFD_VARIANTS, blocksToOfd } from '../tests/helpers/ofd-writer.js';

const N = Number(process.argv[2] ?? 100);

async function time(label: string, inputs: Uint8Array[], run: (b: Uint8Array) => Promise<unknown>): Promise<number> {
  for (const b of inputs.slice(0, Math.min(5, inputs.length))) await run(b);
  const start = performance.now();
  for (const b of inputs) await run(b);
  const ms = (performance.now() - start) / inputs.length;
  const kb = inputs.reduce((s, b) => s + b.length, 0) / inputs.length / 1024;
  console.log(`${label.padEnd(28)} ${(1000 / ms).toFixed(1).padStart(8)} docs/s  ${ms.toFixed(2).padStart(7)} ms/doc  (${kb.toFixed(0)} KB avg)`);
  return ms;
}

const template = templateBytes();
const docx = Array.from({ length: N }, (_, i) => fillTemplate(sampleValues(i + 1), undefined, template));
const models = await Promise.all(docx.map((b) => readDocx(b, {})));

console.log(`node ${process.version}, ${N} documents, one core`);
const docxMs = await time('docx', docx, (b) => readDocx(b, {}));
const pdf = readFileSync('tests/fixtures/pdf/template-filled.pdf');
const pdfMs = await time('pdf (template-filled, pdfjs)', Array.from({ length: Math.min(N, 30) }, () => pdf), (b) => readPdf(b, {}));
for (const v of OFD_VARIANTS) {
  const ofd = models.map((m) => blocksToOfd(m.blocks, v));
  const ms = await time(`ofd ${v}`, ofd, (b) => readOfd(b, {}));
  console.log(`${''.padEnd(28)} ${(ms / docxMs).toFixed(2)}× docx time, ${(ms / pdfMs).toFixed(2)}× pdf time`);
}
