/**
 * PDF adapter speed on the sample PDFs, warm process.
 *
 *   taskset -c 0 npx tsx bench/pdf.ts [ROUNDS]      (default 20 rounds per file; taskset pins one core)
 *
 * Reports pages/s and the median parse time per document (pages one at a time, the default, and 4 at
 * a time), where the time goes (open, getOperatorList, text+rulings+grids, layout), what
 * pdfjs' getTextContent would add (the adapter does not call it: it lays text out from the operator
 * list), and, when poppler's pdftotext is installed, `pdftotext -layout` on the same files and the ratio.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { read, type PdfStats } from '../src/ingest/pdf.js';
import { assetDirs, loadPdfJs } from '../src/ingest/pdf/loader.js';

const ROUNDS = Number(process.argv[2] ?? 20);
const FILES = ['samples/huaian-shizhengfu-2024.pdf', 'samples/hongze-quzhengfu-2023.pdf'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const newStats = (): PdfStats => ({ open: 0, textContent: 0, operatorList: 0, tables: 0, layout: 0, pages: 0 });

const t0 = performance.now();
await loadPdfJs();
console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} CPUs`);
console.log(`pdfjs load (once per process): ${(performance.now() - t0).toFixed(0)} ms`);

const docs = FILES.map((f) => ({ name: basename(f, '.pdf'), bytes: readFileSync(f) }));
for (const d of docs) for (let i = 0; i < 3; i++) await read(d.bytes, {}); // warm-up: JIT, cMaps, fonts

async function timeAdapter(concurrency: number): Promise<void> {
  let pages = 0;
  let total = 0;
  const stats = newStats();
  for (const d of docs) {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const s = newStats();
      const start = performance.now();
      const doc = await read(d.bytes, { concurrency, stats: s });
      const ms = performance.now() - start;
      times.push(ms);
      total += ms;
      pages += doc.pages ?? 0;
      for (const k of Object.keys(s) as (keyof PdfStats)[]) stats[k] += s[k];
    }
    console.log(`  ${d.name.padEnd(26)} median ${fmt(median(times))} per document`);
  }
  console.log(`  all: ${(pages / (total / 1000)).toFixed(1)} pages/s`);
  if (concurrency === 1) {
    const per = (ms: number) => `${(ms / (ROUNDS * docs.length)).toFixed(1)} ms/doc (${((100 * ms) / total).toFixed(0)}%)`;
    console.log('  where the time goes (sequential pages, per document):');
    console.log(`    open (getDocument)            ${per(stats.open)}`);
    console.log(`    getOperatorList               ${per(stats.operatorList)}`);
    console.log(`    text + rulings + grids        ${per(stats.tables)}`);
    console.log(`    getTextContent (fallback)     ${per(stats.textContent)}`);
    console.log(`    layout (stitch, paragraphs)   ${per(stats.layout)}`);
  }
}

console.log(`\nadapter, one page at a time (default), ${ROUNDS} rounds per file:`);
await timeAdapter(1);
console.log(`\nadapter, 4 pages at a time:`);
await timeAdapter(4);

// What getTextContent would add on top (for comparison with a getTextContent-based adapter).
{
  const pdfjs = await loadPdfJs();
  const times: number[] = [];
  for (const d of docs) {
    for (let i = 0; i < ROUNDS; i++) {
      const task = pdfjs.getDocument({ data: new Uint8Array(d.bytes), ...assetDirs(), cMapPacked: true, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
      const doc = await task.promise;
      const start = performance.now();
      for (let p = 1; p <= doc.numPages; p++) await (await doc.getPage(p)).getTextContent();
      times.push(performance.now() - start);
      await task.destroy();
    }
  }
  console.log(`\npdfjs getTextContent alone (not used by the adapter): median ${fmt(median(times))} per document`);
}

const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
if (probe.error) {
  console.log('\npdftotext not installed (poppler-utils): comparison skipped');
} else {
  console.log(`\npdftotext -layout (${(probe.stderr || probe.stdout).split('\n')[0].trim()}), one process per file:`);
  for (const [i, f] of FILES.entries()) {
    const times: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const start = performance.now();
      const r = spawnSync('pdftotext', ['-layout', f, '-'], { maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`pdftotext failed on ${f}`);
      times.push(performance.now() - start);
    }
    const ours: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const start = performance.now();
      await read(docs[i].bytes, {});
      ours.push(performance.now() - start);
    }
    const a = median(ours);
    const b = median(times);
    console.log(`  ${docs[i].name.padEnd(26)} pdftotext ${fmt(b)}   adapter ${fmt(a)}   adapter/pdftotext ${(a / b).toFixed(2)}×`);
  }
}
