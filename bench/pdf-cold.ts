/**
 * The CLI's cold paths against poppler, as a user runs them (compiled dist/, a fresh process each):
 *   npx tsx bench/pdf-cold.ts [ROUNDS=5] [--dir D]
 *
 * - one cold `nianbao parse F.pdf` against `pdftotext -layout F.pdf` (issue target ≤ 10×), per sample PDF;
 * - `nianbao batch DIR --jobs 1` over 20 copies of the sample PDFs, each made unique by an appended byte,
 *   against a shell loop of `pdftotext -layout` over the same 20 files (target ≤ 3×).
 *
 * Rounds interleave the two tools so a noisy shared machine slows both alike; each round's ratio is
 * printed, then the median ratio. A bare `node -e 0` is timed too: it is the floor of any Node CLI.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const args = process.argv.slice(2);
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const dirArg = args.indexOf('--dir');
const dir = dirArg >= 0 ? args[dirArg + 1] : join(tmpdir(), 'nianbao-pdf-cold');
const cli = new URL('../bin/nianbao.js', import.meta.url).pathname;
if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) throw new Error('run npm run build first: this times the compiled CLI');
if (spawnSync('pdftotext', ['-v']).error) throw new Error('pdftotext (poppler-utils) is needed as the reference');

const samples = readdirSync('samples').filter((f) => f.endsWith('.pdf')).map((f) => join('samples', f));
const copies = join(dir, 'in');
rmSync(dir, { recursive: true, force: true });
mkdirSync(copies, { recursive: true });
for (let i = 0; i < 20; i++) {
  const src = samples[i % samples.length];
  const dst = join(copies, `${basename(src, '.pdf')}-${i}.pdf`);
  copyFileSync(src, dst);
  appendFileSync(dst, `\n%${i}\n`);
}
const files = readdirSync(copies).map((f) => join(copies, f));

/** Wall time of one command in ms; a failure is fatal (a timing of an error is no timing). */
function ms(cmd: string, argv: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const t = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (x: number) => x.toFixed(0);

const lines: string[] = [];
for (const sample of samples) {
  const ratios: number[] = [];
  const row: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const ours = ms(process.execPath, [cli, 'parse', sample]);
    const ref = ms('pdftotext', ['-layout', sample, '/dev/null']);
    const node = ms(process.execPath, ['-e', '0']);
    ratios.push(ours / ref);
    row.push(`${f0(ours)}/${f0(ref)}/${f0(node)}`);
  }
  lines.push(`cold parse ${basename(sample)} (nianbao/pdftotext/node -e 0, ms): ${row.join('  ')}; ratio median ${median(ratios).toFixed(1)}× (target ≤ 10×)`);
}
const ratios: number[] = [];
const row: string[] = [];
for (let r = 0; r < Math.max(1, Math.ceil(rounds / 2)); r++) {
  const out = join(dir, `out-${r}`);
  const ours = ms(process.execPath, [cli, 'batch', copies, '--out', out, '--jobs', '1', '--quiet']);
  const ref = ms('sh', ['-c', `for f in ${files.map((f) => `'${f}'`).join(' ')}; do pdftotext -layout "$f" /dev/null; done`]);
  ratios.push(ours / ref);
  row.push(`${f0(ours)}/${f0(ref)}`);
}
lines.push(`batch --jobs 1 over ${files.length} PDFs (nianbao/pdftotext loop, ms): ${row.join('  ')}; ratio median ${median(ratios).toFixed(2)}× (target ≤ 3×)`);
lines.push(`machine load when done (1/5/15 min): ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
process.stdout.write(lines.join('\n') + '\n');
