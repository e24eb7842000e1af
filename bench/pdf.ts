/**
 * PDF speed on the sample PDFs, warm process, against poppler's `pdftotext -layout`.
 *
 *   taskset -c 0 npx tsx bench/pdf.ts [ROUNDS]      (default 20 rounds per file; taskset pins one core)
 *
 * Prints, per file and overall: the median whole parse + audit (`parseBytes`: adapter, recognizer,
 * audit) per report, pages/s, `pdftotext -layout` on the same file (one process per run, when poppler is
 * installed) and the ratio; where the time goes (adapter phases, recognize + audit); and the peak RSS of
 * a fresh node process that parses one report, on sources compiled into node_modules/.cache (the
 * baseline, the same process without parsing, beside it).
 * Timings are wall clock: run it on a quiet machine (the load average is printed first).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import path, { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runAudit } from '../src/audit/index.js';
import { read, type PdfStats } from '../src/ingest/pdf.js';
import { loadPdfium } from '../src/ingest/pdf/pdfium.js';
import { parseBytes } from '../src/parse.js';
import { recognize } from '../src/recognize/index.js';

const FILES = ['samples/huaian-shizhengfu-2024.pdf', 'samples/hongze-quzhengfu-2023.pdf'];

const ROUNDS = Number(process.argv[2] ?? 20);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const newStats = (): PdfStats => ({ engine: 0, tables: 0, layout: 0, pages: 0 });

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs, ${ROUNDS} rounds per file`);
const t0 = performance.now();
await loadPdfium();
console.log(`PDFium WebAssembly load (once per process): ${(performance.now() - t0).toFixed(0)} ms\n`);

const docs = FILES.map((f) => ({ file: f, name: basename(f, '.pdf'), bytes: readFileSync(f) }));
for (const d of docs) for (let i = 0; i < 3; i++) await parseBytes(d.bytes, { path: d.file }); // warm-up: JIT, cMaps

const probe = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' });
const havePdftotext = !probe.error;
if (!havePdftotext) console.log('pdftotext not installed (poppler-utils): no comparison\n');

const ratios: number[] = [];
let allPages = 0;
let allMs = 0;
const phases = { ...newStats(), recognize: 0, audit: 0, runs: 0 };
console.log(`${'file'.padEnd(26)} pages   parse+audit (median)   pages/s   pdftotext -layout   ratio`);
for (const d of docs) {
  // Interleaved, so that a burst of load elsewhere hits both sides alike.
  const ours: number[] = [];
  const theirs: number[] = [];
  let pages = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const start = performance.now();
    const r = await parseBytes(d.bytes, { path: d.file });
    ours.push(performance.now() - start);
    pages = r.source.pages ?? 0;
    if (havePdftotext) {
      const s = performance.now();
      const p = spawnSync('pdftotext', ['-layout', d.file, '-'], { maxBuffer: 1 << 26 });
      if (p.status !== 0) throw new Error(`pdftotext failed on ${d.file}`);
      theirs.push(performance.now() - s);
    }
    // The same pipeline in its parts, for the breakdown.
    const stats = newStats();
    const doc = await read(d.bytes, { stats });
    const a = performance.now();
    const rec = await recognize(doc, {});
    const b = performance.now();
    runAudit({ report: rec.report, cells: rec.cells }, { lang: 'zh' });
    phases.audit += performance.now() - b;
    phases.recognize += b - a;
    for (const key of Object.keys(stats) as (keyof PdfStats)[]) phases[key] += stats[key];
    phases.runs++;
  }
  const ms = median(ours);
  allPages += pages * ROUNDS;
  allMs += ours.reduce((s, x) => s + x, 0);
  const ref = havePdftotext ? median(theirs) : NaN;
  if (havePdftotext) ratios.push(ms / ref);
  console.log(
    `${d.name.padEnd(26)} ${String(pages).padStart(5)}   ${fmt(ms)}             ${(pages / (ms / 1000)).toFixed(1).padStart(7)}   ${havePdftotext ? fmt(ref) : '      —'}         ${havePdftotext ? `${(ms / ref).toFixed(2)}×` : '—'}`,
  );
}
console.log(`all: ${(allPages / (allMs / 1000)).toFixed(1)} pages/s${ratios.length ? `, ratio to pdftotext: median of files ${median(ratios).toFixed(2)}× (target ≤ 2×)` : ''}`);

const per = (ms: number) => `${(ms / phases.runs).toFixed(1).padStart(6)} ms`;
const total = phases.engine + phases.tables + phases.layout + phases.recognize + phases.audit;
const share = (ms: number) => `${((100 * ms) / total).toFixed(0).padStart(3)}%`;
console.log('\nwhere the time goes, per report (mean):');
console.log(`  PDFium: open, glyphs, paths    ${per(phases.engine)} ${share(phases.engine)}`);
console.log(`  rulings + grids + lines         ${per(phases.tables)} ${share(phases.tables)}`);
console.log(`  layout (stitch, paragraphs)     ${per(phases.layout)} ${share(phases.layout)}`);
console.log(`  recognize                       ${per(phases.recognize)} ${share(phases.recognize)}`);
console.log(`  audit                           ${per(phases.audit)} ${share(phases.audit)}`);

// Peak RSS in a fresh plain-node process on the compiled sources, as the CLI runs.
console.log('\npeak RSS of a fresh node process (compiled sources, PDFium loaded) parsing one report:');
const out = path.resolve('node_modules/.cache/nianbao-bench-pdf');
const tsc = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], { encoding: 'utf8' });
if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
const rss = (file?: string) => {
  const code = `const { loadPdfium } = await import(${JSON.stringify(pathToFileURL(path.join(out, 'ingest/pdf/pdfium.js')).href)});
    const { parseBytes } = await import(${JSON.stringify(pathToFileURL(path.join(out, 'parse.js')).href)});
    await loadPdfium();
    const file = ${JSON.stringify(file ?? null)};
    if (file) await parseBytes((await import('node:fs')).readFileSync(file), { path: file });
    console.log(process.resourceUsage().maxRSS);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`RSS child failed: ${r.stderr}`);
  return Number(r.stdout.trim().split('\n').pop()) / 1024;
};
console.log(`  baseline (PDFium loaded, no parse) ${rss().toFixed(0).padStart(5)} MB`);
for (const d of docs) console.log(`  ${d.name.padEnd(33)} ${rss(d.file).toFixed(0).padStart(5)} MB`);
