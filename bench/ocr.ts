/**
 * OCR speed on scans made from the committed PDFs (the filled template and the two samples, rasterised
 * by pdftoppm at 200 dpi, JPEG quality 80), warm process, sessions reused.
 *
 *   npx tsx bench/ocr.ts [ROUNDS]      (default 2 rounds per file)
 *
 * Prints the load average first (timings are wall clock: run it on a quiet machine), then per file the
 * median seconds per page of the whole parse (OCR, layout, recognizer, audit), pages/s, and where the OCR
 * time goes: grid (levelling, binarising, rulings, grids), detection, recognition. The median over all
 * pages is the figure to hold against the 3 s/page target.
 */
import { availableParallelism, loadavg } from 'node:os';
import { basename } from 'node:path';
import { getEngine } from '../src/ingest/ocr/engine.js';
import { pageImages, parseImages, rasterise } from '../tests/helpers/ocr-raster.js';

const FILES = ['tests/fixtures/pdf/template-filled.pdf', 'samples/huaian-shizhengfu-2024.pdf', 'samples/hongze-quzhengfu-2023.pdf'];
const ROUNDS = Number(process.argv[2] ?? 2);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs, ${ROUNDS} rounds per file`);
let t = performance.now();
await getEngine();
console.log(`engine load (once per process): ${(performance.now() - t).toFixed(0)} ms\n`);

const docs = await Promise.all(FILES.map(async (f) => ({ name: basename(f, '.pdf'), images: await pageImages(rasterise(f, { dpi: 200, jpeg: 80 }), 200) })));
await parseImages(docs[0].images.slice(0, 1)); // warm-up

const perPage: number[] = [];
console.log(`${'file'.padEnd(26)} pages   s/page (median)   pages/s   grid  detection  recognition (s/page)`);
for (const d of docs) {
  const runs: { total: number; grid: number; detection: number; recognition: number }[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    t = performance.now();
    const { ocr } = await parseImages(d.images);
    runs.push({ total: performance.now() - t, ...ocr.timings });
  }
  const n = d.images.length;
  const s = (xs: number[]) => median(xs) / 1000 / n;
  const total = s(runs.map((r) => r.total));
  for (const r of runs) perPage.push(r.total / 1000 / n);
  console.log(
    `${d.name.padEnd(26)} ${String(n).padStart(5)}   ${total.toFixed(2).padStart(15)}   ${(1 / total).toFixed(2).padStart(7)}   ${s(runs.map((r) => r.grid)).toFixed(2).padStart(4)}  ${s(runs.map((r) => r.detection)).toFixed(2).padStart(9)}  ${s(runs.map((r) => r.recognition)).toFixed(2).padStart(11)}`,
  );
}
console.log(`\nmedian over all runs: ${median(perPage).toFixed(2)} s/page (target ≤ 3 s/page)`);
