/**
 * Mutation fuzzing of the whole CLI path:
 *   npx tsx bench/fuzz.ts [N=1000] [--seed S] [--from K] [--formats text,html,docx,xlsx,pdf,ofd,doc,xls] [--timeout S] [--jobs J] [--dir D]
 *
 * Seeded mutations of the samples per format (bench/mutate.ts) go through
 * `nianbao parse --timeout S` (the compiled dist/ when built, as installed), and the
 * run prints exit-code and error-code counts, crashes, stack traces, internal errors,
 * undocumented exits, runs past the deadline + 5 s, schema-invalid outputs, p50/p99
 * time and the peak RSS. Inputs that showed a problem are kept in --dir with their
 * index (the same seed and index regenerate them). Exit 1 when any problem was seen.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatStats, runFuzz, SUSPECT_MB, type FuzzOptions, type FuzzStats } from './fuzz-run.js';
import { FORMATS, type Format } from './mutate.js';

const run = promisify(execFile);
/** Inputs measured again alone at most (each a fresh process of a few seconds). */
const MAX_ALONE = 40;
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(args.find((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')) ?? 1000);
// Inputs from index K on (a slice of a longer run, e.g. around a problem it reported).
const from = Number(opt('--from') ?? 0);
const seed = Number(opt('--seed') ?? 1);
const timeoutS = Number(opt('--timeout') ?? 10);
const jobs = Number(opt('--jobs') ?? 2);
const formats = (opt('--formats')?.split(',') as Format[] | undefined) ?? FORMATS;
const dir = opt('--dir') ?? join(tmpdir(), 'nianbao-fuzz');

const dist = new URL('../dist/cli/main.js', import.meta.url);
const useDist = existsSync(dist) && !args.includes('--src');
const load = async (rel: string) => import(new URL(useDist ? `../dist/${rel}.js` : `../src/${rel}.ts`, import.meta.url).href);
const modules = { main: await load('cli/main'), pool: await load('batch/pool'), model: await load('model/index') } as FuzzOptions['modules'];
process.stderr.write(`pipeline: ${useDist ? 'dist/ (compiled; run npm run build after changes)' : 'src/ via tsx'}; inputs in ${dir}\n`);

// SIGINT/SIGTERM end the run early with the figures of the inputs done so far.
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());
let last = 0;
const stats = await runFuzz({
  signal: stop.signal,
  seed,
  n,
  from,
  formats,
  timeoutS,
  jobs,
  dir,
  modules,
  onProgress: (done, sofar) => {
    if (Date.now() - last > 10_000) {
      last = Date.now();
      const problems = Object.entries(sofar.counts).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ') || 'no problems';
      process.stderr.write(`  ${done}/${n} ${new Date().toISOString().slice(11, 19)} (${problems})\n`);
    }
  },
});
if (args.includes('--json')) {
  process.stdout.write(JSON.stringify(stats) + '\n');
  process.exit(0);
}
if (stop.signal.aborted) process.stdout.write(`stopped early: ${stats.n} of ${n} inputs run\n`);
process.stdout.write(formatStats(stats, { seed, from, timeoutS, jobs }));
process.stdout.write(await remeasureAlone(stats));

/**
 * The bound above charges one parse with everything in flight and whatever the allocator kept. Inputs that
 * were in flight when it passed SUSPECT_MB run again here one at a time, each in a fresh process with one
 * worker, so the growth measured is that parse's alone (the same seed and index regenerate the input).
 */
async function remeasureAlone(s: FuzzStats): Promise<string> {
  // The inputs the process grew most during, and any in flight when it grew past SUSPECT_MB over its baseline.
  const suspects = [...new Set([...s.topGrowth.map((g) => g.index), ...Object.entries(s.suspects).sort((a, b) => b[1] - a[1]).map(([i]) => Number(i))])].slice(0, MAX_ALONE);
  if (!suspects.length) return 'peak RSS per parse: no input to measure\n';
  const one = async (i: number) => {
    const argv = [...process.execArgv, fileURLToPath(import.meta.url), '1', '--from', String(i), '--seed', String(seed), '--timeout', String(timeoutS), '--jobs', '1', '--formats', formats.join(','), '--dir', join(dir, `alone-${i}`), '--json', ...(useDist ? [] : ['--src'])];
    const { stdout } = await run(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
    return { i, mb: (JSON.parse(stdout.trim().split('\n').pop()!) as FuzzStats).perParseRssBoundMb };
  };
  // Two at a time: each is a process of its own, so their RSS figures do not mix.
  const alone: Array<{ i: number; mb: number }> = [];
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < suspects.length) alone.push(await one(suspects[next++]));
  }));
  alone.sort((a, b) => b.mb - a.mb);
  const top = alone[0];
  const during = s.topGrowth[0]?.mb ?? 0;
  return (
    `peak RSS per parse: at most ${Math.max(top.mb, during)} MB: no input ran while the process grew by more than ${during} MB, ` +
    `and the ${alone.length} largest, each run again alone in a fresh one-worker process, took at most ${top.mb} MB (#${top.i}; ` +
    alone.slice(0, 10).map((a) => `#${a.i} ${a.mb} MB`).join(', ') +
    ')\n'
  );
}
const problems = Object.values(stats.counts).reduce((a, b) => a + b, 0);
process.exitCode = problems ? 1 : 0;
