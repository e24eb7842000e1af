/**
 * Records what the pdfjs engine read from every PDF fixture (tests/fixtures/pdf/pdfjs-parity.json), so that
 * tests/pdf-engine-parity.test.ts keeps holding PDFium to it once pdfjs is gone. Run while both engines exist:
 *   npx tsx scripts/record-pdfjs-parity.ts
 */
import { writeFileSync } from 'node:fs';
import { FILES, SYNTHETIC, documentOf, outcome } from '../tests/helpers/pdf-parity.js';

const out: Record<string, unknown> = {};
for (const f of FILES) out[f] = await outcome(await import('node:fs').then((fs) => fs.readFileSync(f)), 'pdfjs');
for (const [name, bytes] of SYNTHETIC) out[`synthetic: ${name}`] = await documentOf(bytes, 'pdfjs');
const lines = Object.entries(out).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync('tests/fixtures/pdf/pdfjs-parity.json', `{\n${lines.join(',\n')}\n}\n`);
console.log(`${lines.length} entries`);
