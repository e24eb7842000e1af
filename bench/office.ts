/**
 * Office adapters, documents per second on one core.
 *
 *   npx tsx bench/office.ts [N]        (default N = 200 per format)
 *
 * Generates N filled 2021 reports per format in memory (different numbers each),
 * warms up, then times each reader over all N. DOCX is timed three ways: the
 * direct word/document.xml reader, mammoth's convertToHtml alone, and mammoth
 * followed by the HTML adapter (what a mammoth-based DOCX adapter would cost).
 */
import mammoth from 'mammoth';
import { read as readDocx } from '../src/ingest/docx.js';
import { read as readHtml } from '../src/ingest/html.js';
import { read as readXlsx } from '../src/ingest/xlsx.js';
import { fillTemplate, renderHtml, renderXlsx, sampleValues, templateBytes } from '../tests/helpers/fill-template.js';

const N = Number(process.argv[2] ?? 200);

async function time(label: string, inputs: Uint8Array[], run: (b: Uint8Array) => Promise<unknown>): Promise<void> {
  for (const b of inputs.slice(0, Math.min(10, inputs.length))) await run(b);
  const start = performance.now();
  for (const b of inputs) await run(b);
  const ms = performance.now() - start;
  const kb = inputs.reduce((s, b) => s + b.length, 0) / inputs.length / 1024;
  console.log(`${label.padEnd(34)} ${(inputs.length / (ms / 1000)).toFixed(1).padStart(8)} docs/s  ${(ms / inputs.length).toFixed(2).padStart(7)} ms/doc  (${kb.toFixed(0)} KB avg)`);
}

const template = templateBytes();
const values = Array.from({ length: N }, (_, i) => sampleValues(i + 1));
const docx = values.map((v) => fillTemplate(v, undefined, template));
const html = values.map((v) => renderHtml(v));
const gbk = values.map((v) => renderHtml(v, { encoding: 'gbk' }));
const xlsx: Uint8Array[] = [];
for (const v of values) xlsx.push(await renderXlsx(v, { formulas: true }));

console.log(`node ${process.version}, ${N} documents per format, one core`);
await time('docx (zip guard + fast-xml-parser)', docx, (b) => readDocx(b, {}));
await time('docx mammoth.convertToHtml only', docx, (b) => mammoth.convertToHtml({ buffer: Buffer.from(b) }));
await time('docx mammoth + html adapter', docx, async (b) => {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(b) });
  return readHtml(new TextEncoder().encode(value), {});
});
await time('html utf-8 (parse5)', html, (b) => readHtml(b, {}));
await time('html gbk (parse5)', gbk, (b) => readHtml(b, {}));
await time('xlsx (zip guard + exceljs)', xlsx, (b) => readXlsx(b, {}));
