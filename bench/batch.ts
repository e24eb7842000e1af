/**
 * Times `nianbao batch` over generated reports:
 *   tsx bench/batch.ts [N=2000] [--formats text,docx,html,xlsx,pdf] [--jobs 1,2] [--dir /tmp/nianbao-bench]
 *
 * Reports wall-clock reports/s with 1 and 2 jobs (the speed-up), per-format parse
 * rate (reports per worker-second, from the records' `ms`), outcome counts, and the
 * peak RSS of the process (sampled every 20 ms; worker threads share the process,
 * so it includes their heaps) and the main thread's heap peak, which must stay flat
 * however many files there are, since records go to disk as they come.
 */
import { join } from 'node:path';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readLines } from '../src/batch/jsonl.js';
import type { BatchRecord } from '../src/batch/records.js';
import type { runBatch as RunBatch } from '../src/batch/run.js';
import { generate } from './generate.js';

// Time the compiled pipeline (dist/, built by `npm install`) as the CLI runs it: workers
// started from TypeScript sources carry the tsx loader, which costs time and hundreds of MB.
const distRun = new URL('../dist/batch/run.js', import.meta.url);
const { runBatch } = (await import(existsSync(distRun) ? distRun.href : '../src/batch/run.js')) as { runBatch: typeof RunBatch };
process.stderr.write(`pipeline: ${existsSync(distRun) ? 'dist/ (compiled)' : 'src/ via tsx (run npm run build for production figures)'}\n`);

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const formats = (opt('--formats') ?? 'text').split(',') as Array<'text' | 'docx' | 'html' | 'xlsx' | 'pdf'>;
const dir = opt('--dir') ?? join(tmpdir(), 'nianbao-bench');
const input = join(dir, 'in');

const gen = await generate(input, n, formats);
process.stderr.write(`generated ${gen.files} files (${JSON.stringify(gen.byFormat)}, ${gen.hostile} hostile, ${gen.injected} with injected errors) in ${input}\n`);

/**
 * CPU seconds of each thread of this process (Linux /proc; empty elsewhere). Worker threads are the ones
 * born during the run; the threads there before it, other than the main one, are V8's platform threads
 * (its JIT compilers and concurrent GC) and libuv's pool. Each isolate JIT-compiles the pipeline for itself,
 * so what those threads do grows with the number of workers: it is the part of the speed-up that more
 * jobs cannot buy.
 */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync('/proc/self/task')) return out;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 a second).
      const rest = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      out.set(Number(tid), (Number(rest[11]) + Number(rest[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

async function timed(jobs: number) {
  let peak = 0;
  let heap = 0;
  const before = threadCpu();
  const seen = new Map<number, number>();
  // RSS covers the whole process, worker isolates included; heapUsed is the main thread's own share.
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heap = Math.max(heap, m.heapUsed);
    for (const [tid, sec] of threadCpu()) seen.set(tid, Math.max(seen.get(tid) ?? 0, sec));
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  // How busy the main thread was: near 100 % would make it the bottleneck that caps the speed-up.
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const summary = await runBatch({ inputs: [input], out: join(dir, `out-${jobs}`), jobs, overwrite: true });
  const sec = (performance.now() - t0) / 1000;
  const mainBusy = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  sample();
  // A worker's last 20 ms before it ended may be missed; the figures are a split, not an account.
  const threads = { main: 0, workers: 0, background: 0 };
  for (const [tid, sec] of seen) {
    const was = before.get(tid);
    if (tid === process.pid) threads.main = sec - (was ?? 0);
    else if (was === undefined) threads.workers += sec;
    else threads.background += sec - was;
  }
  const perFormat: Record<string, { n: number; ms: number }> = {};
  const paths = new Set<string>();
  let lines = 0;
  for await (const line of readLines(join(dir, `out-${jobs}`, 'reports.jsonl'))) {
    const r = JSON.parse(line.text) as BatchRecord;
    lines++;
    paths.add(r.path);
    if (r.status === 'duplicate') continue;
    const f = r.status === 'ok' ? r.format : `${r.format ?? 'unread'} (failed)`;
    const e = (perFormat[f] ??= { n: 0, ms: 0 });
    e.n++;
    e.ms += r.ms ?? 0;
  }
  // The issue's check: exactly one record per input, and the summary's counts add up.
  const oneEach = lines === gen.files && paths.size === gen.files;
  const addsUp = Object.values(summary.byOutcome).reduce((a, b) => a + b, 0) === summary.records && summary.records === lines;
  const passSec = sec - (summary.run?.elapsedMs ?? 0) / 1000;
  const workerSec = Object.values(perFormat).reduce((a, e) => a + e.ms, 0) / 1000;
  return { jobs, sec, mainBusy, cpuSec, threads, passSec, workerSec, perSec: summary.records / sec, peakRssMb: peak / 1048576, heapMb: heap / 1048576, summary, perFormat, oneEach, addsUp, lines };
}

// `--jobs 2` times one setting only (the 10,000-file memory run); the default compares 1 and 2.
const jobList = (opt('--jobs') ?? '1,2').split(',').map(Number);
const results = [];
for (const jobs of jobList) results.push(await timed(jobs));
const one = results[0];
const two = results[1] ?? results[0];
const lines = [
  `files: ${n}  (records ${one.summary.records}: ok ${one.summary.byOutcome.ok}, failed ${one.summary.byOutcome.failed}, duplicate ${one.summary.byOutcome.duplicate})`,
  ...results.map((r) => `jobs=${r.jobs}: ${r.lines} records for ${gen.files} inputs (one per input: ${r.oneEach ? 'yes' : 'NO'}; summary adds up: ${r.addsUp ? 'yes' : 'NO'})`),
  ...results.map((r) => `jobs=${r.jobs}: ${r.sec.toFixed(1)} s, ${r.perSec.toFixed(1)} reports/s overall, peak RSS of the process ${r.peakRssMb.toFixed(0)} MB (workers included), main-thread heap peak ${r.heapMb.toFixed(0)} MB`),
  ...results.map(
    (r) =>
      `jobs=${r.jobs}: CPU by thread: workers ${r.threads.workers.toFixed(1)} s, V8 platform threads (JIT compilers, concurrent GC) and libuv ${r.threads.background.toFixed(1)} s, main ${r.threads.main.toFixed(1)} s`,
  ),
  ...results.map((r) => `jobs=${r.jobs}: main thread busy ${(r.mainBusy * 100).toFixed(0)} % of the run; CPU of the process ${r.cpuSec.toFixed(1)} s (${(r.cpuSec / r.sec).toFixed(2)} cores used); summary + cross-report pass ${r.passSec.toFixed(1)} s`),
  `machine load when done (1/5/15 min): ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
  ...(results.length > 1 ? [`speed-up ${one.jobs} → ${two.jobs} jobs: ${(one.sec / two.sec).toFixed(2)}×`] : []),
  // The same files cost each worker more when several run at once (cores shared with the main thread,
  // V8's GC and compiler threads and other tenants; caches and memory bandwidth): the speed-up is at most
  // jobs / this factor.
  ...(results.length > 1
    ? [`worker time summed over the files: ${results.map((r) => `jobs=${r.jobs} ${r.workerSec.toFixed(1)} s`).join(', ')} (×${(two.workerSec / one.workerSec).toFixed(2)} per file with ${two.jobs} jobs)`]
    : []),
  `per format (jobs=${one.jobs}; parse time inside the worker):`,
  ...Object.entries(one.perFormat).map(([f, e]) => `  ${f}: ${e.n} files, ${(e.ms / e.n).toFixed(1)} ms/file, ${(e.n / (e.ms / 1000 || 1)).toFixed(1)} reports per worker-second`),
  `findings: ${JSON.stringify(one.summary.findingsBySeverity)}; reports with errors: ${one.summary.reportsWithErrors}; cross-report: ${JSON.stringify(one.summary.crossReport.byRule)}`,
  `failures: ${JSON.stringify(one.summary.failuresByCode)}`,
];
process.stdout.write(lines.join('\n') + '\n');
