/**
 * Legacy binary adapters, documents per second on one core, against LibreOffice in the same run.
 *
 *   npx tsx bench/legacy.ts [N] [M]      (default N = 200 readings per file, M = 3 LibreOffice conversions)
 *
 * Reads the committed fixtures (tests/fixtures/legacy/: the filled template as .doc and its workbook as
 * .xls, LibreOffice 7.4 output) N times with the built-in readers, and the DOCX/XLSX they came from with
 * their adapters, then M times through `convertWith: 'soffice'` (conversion + DOCX/XLSX adapter) when
 * soffice is on the PATH. Ratios are what matters; absolute numbers depend on the machine's load.
 */
import { readFileSync } from 'node:fs';
import type { DocumentModel } from '../src/document/model.js';
import { sofficePath } from '../src/ingest/convert/soffice.js';
import { read as readDoc, readBinary as readDocBinary } from '../src/ingest/doc.js';
import { read as readDocx } from '../src/ingest/docx.js';
import { read as readXls, readBinary as readXlsBinary } from '../src/ingest/xls.js';
import { read as readXlsx } from '../src/ingest/xlsx.js';

const N = Number(process.argv[2] ?? 200);
const M = Number(process.argv[3] ?? 3);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../tests/fixtures/legacy/${name}`, import.meta.url)));

async function time(label: string, bytes: Uint8Array, times: number, run: (b: Uint8Array) => Promise<DocumentModel>): Promise<number> {
  await run(bytes);
  const start = performance.now();
  for (let i = 0; i < times; i++) await run(bytes);
  const ms = (performance.now() - start) / times;
  console.log(`${label.padEnd(36)} ${(1000 / ms).toFixed(1).padStart(8)} docs/s  ${ms.toFixed(2).padStart(9)} ms/doc  (${(bytes.length / 1024).toFixed(0)} KB)`);
  return ms;
}

console.log(`node ${process.version}, ${N} readings per file, ${M} LibreOffice conversions, one core`);
const doc = await time('doc (built-in reader)', fixture('template-full.doc'), N, (b) => readDocBinary(b, {}));
const docx = await time('docx it came from (docx adapter)', fixture('template-full.docx'), N, (b) => readDocx(b, {}));
const xls = await time('xls (built-in reader)', fixture('template-full.xls'), N, (b) => readXlsBinary(b, {}));
const xlsx = await time('xlsx it came from (xlsx adapter)', fixture('template-full.xlsx'), N, (b) => readXlsx(b, {}));
console.log(`ratio doc/docx ${(doc / docx).toFixed(2)}, xls/xlsx ${(xls / xlsx).toFixed(2)}`);
if (sofficePath() && M > 0) {
  const sdoc = await time('doc via soffice + docx adapter', fixture('template-full.doc'), M, (b) => readDoc(b, { convertWith: 'soffice' }));
  const sxls = await time('xls via soffice + xlsx adapter', fixture('template-full.xls'), M, (b) => readXls(b, { convertWith: 'soffice' }));
  console.log(`built-in reader is ${(sdoc / doc).toFixed(0)}× faster than soffice for .doc, ${(sxls / xls).toFixed(0)}× for .xls`);
} else console.log('soffice not on the PATH: no LibreOffice comparison');
