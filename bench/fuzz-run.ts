/**
 * Runs mutated inputs through the CLI's parse command (`main(['parse', '--timeout', T, file])`,
 * the function bin/nianbao.js calls) with one warm worker pool shared by the runs, and
 * checks every promise a hostile input must keep. Used by bench/fuzz.ts (N = 10,000)
 * and tests/fuzz-cli.test.ts (a quick seeded run).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerPool as Pool } from '../src/batch/pool.js';
import type { Io } from '../src/cli/io.js';
import { EXT, inputs, type Format, type FuzzInput } from './mutate.js';

export interface FuzzOptions {
  seed: number;
  n: number;
  /** Index of the first input (a slice of a longer run: the same seed and index give the same input). */
  from?: number;
  formats?: Format[];
  timeoutS: number;
  jobs: number;
  dir: string;
  /** Modules to run: src/ under tsx (tests) or dist/ (the bench, as installed). */
  modules: { main: typeof import('../src/cli/main.js'); pool: typeof import('../src/batch/pool.js'); model: typeof import('../src/model/index.js') };
  onProgress?: (done: number, sofar: FuzzStats) => void;
  /** Stops taking inputs once aborted; the runs in flight finish and the figures cover the inputs done. */
  signal?: AbortSignal;
}

export interface Problem {
  index: number;
  format: Format;
  seedFile: string;
  kind: 'crash' | 'stack' | 'undocumented-exit' | 'hang' | 'schema' | 'stderr' | 'internal';
  detail: string;
  file: string;
}

export interface FuzzStats {
  n: number;
  byExit: Record<string, number>;
  byCode: Record<string, number>;
  byFormat: Record<string, { ok: number; refused: number }>;
  problems: Problem[];
  counts: Record<Problem['kind'], number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The whole process (main thread and every worker), at its peak. */
  peakRssMb: number;
  /** The process once its workers were started and warm, before the first input. */
  baselineRssMb: number;
  /**
   * Bound on the memory of one parse: the peak, over samples, of the process's growth over its baseline
   * plus the converters (LibreOffice) running then. The growth holds every parse in flight at once
   * (`jobs` of them) and whatever the allocator kept, so one parse took at most this much.
   */
  perParseRssBoundMb: number;
  /** Inputs in flight at that peak. */
  perParsePeakAt: number[];
  /**
   * Inputs that were in flight when the growth passed SUSPECT_MB, with the largest growth seen then (MB).
   * The bound charges one parse with all of them, so fuzz.ts measures each again alone in a fresh process.
   */
  suspects: Record<number, number>;
  /** The inputs the process grew most during, largest first (MB): index and growth. */
  topGrowth: Array<{ index: number; mb: number }>;
  /** Converter processes (LibreOffice and its children) at their peak, summed. */
  peakConverterRssMb: number;
  /** Legacy inputs the built-in reader refused that LibreOffice then read (exit 0), their p50/max time; and those it ran out of time on. */
  converter: { rescued: number; p50Ms: number; maxMs: number; timeouts: number };
  /** Longest the harness itself held the event loop (making an input): runs in flight then are charged none of it. */
  maxStallMs: number;
  wallS: number;
}

/** RSS in bytes of every process in the given process groups (a converter and what it started), from /proc. */
function groupRss(pgids: number[]): number {
  if (!pgids.length) return 0;
  const want = new Set(pgids);
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …, with rss (pages) the 22nd of them.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (want.has(Number(f[2]))) total += Number(f[21]) * 4096;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const MB = 1048576;
const TOP_GROWTH = 20;

function noteGrowth(top: FuzzStats['topGrowth'], index: number, mb: number): void {
  if (top.length >= TOP_GROWTH && mb <= top[top.length - 1].mb) return;
  top.push({ index, mb });
  top.sort((a, b) => b.mb - a.mb);
  if (top.length > TOP_GROWTH) top.pop();
}
/** Growth over the baseline past which the inputs in flight are measured again one at a time (FUZZ_SUSPECT_MB). */
export const SUSPECT_MB = Number(process.env.FUZZ_SUSPECT_MB ?? 768);

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  rmSync(o.dir, { recursive: true, force: true });
  mkdirSync(o.dir, { recursive: true });
  const pool: Pool = new o.modules.pool.WorkerPool({ size: o.jobs, timeoutMs: o.timeoutS * 1000, maxMemoryMb: 1024, warm: true });
  const stats: FuzzStats = {
    n: 0,
    byExit: {},
    byCode: {},
    byFormat: {},
    problems: [],
    counts: { crash: 0, stack: 0, 'undocumented-exit': 0, hang: 0, schema: 0, stderr: 0, internal: 0 },
    p50Ms: 0,
    p99Ms: 0,
    maxMs: 0,
    peakRssMb: 0,
    baselineRssMb: 0,
    perParseRssBoundMb: 0,
    perParsePeakAt: [],
    suspects: {},
    topGrowth: [],
    peakConverterRssMb: 0,
    maxStallMs: 0,
    converter: { rescued: 0, p50Ms: 0, maxMs: 0, timeouts: 0 },
    wallS: 0,
  };
  const rescuedMs: number[] = [];
  const times: number[] = [];
  // Every worker started and warm before the first input, so their loading is the baseline, not a parse's memory.
  const warm = join(o.dir, 'warm.txt');
  writeFileSync(warm, 'x');
  await Promise.all(Array.from({ length: o.jobs }, () => pool.run({ file: warm, path: warm, lang: 'zh', shape: 'json' })));
  rmSync(warm, { force: true });
  const baseline = process.memoryUsage().rss;
  const inFlight = new Set<number>();
  /** Per input in flight: the process's RSS when it started, and the most it has been since, plus converters. */
  const growth = new Map<number, { start: number; peak: number }>();
  let peak = baseline;
  let bound = 0;
  let boundAt: number[] = [];
  let converterPeak = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss;
    // Scanned only while a conversion runs: most of the time none does, and /proc is not free.
    const converters = groupRss(pool.converters.running());
    peak = Math.max(peak, rss);
    converterPeak = Math.max(converterPeak, converters);
    const share = rss - baseline + converters;
    if (share > bound) {
      bound = share;
      boundAt = [...inFlight];
    }
    if (share > SUSPECT_MB * MB) for (const i of inFlight) stats.suspects[i] = Math.max(stats.suspects[i] ?? 0, Math.round(share / MB));
    for (const g of growth.values()) g.peak = Math.max(g.peak, rss + converters);
  }, 50);
  /** Harness stalls (making an input), as [start, end] in performance.now() time. */
  const stalls: Array<[number, number]> = [];
  const stalledDuring = (a: number, b: number) => stalls.reduce((t, [s, e]) => t + Math.max(0, Math.min(b, e) - Math.max(a, s)), 0);
  const t0 = performance.now();
  const gen = inputs(o.seed, o.n, o.formats, o.from ?? 0);
  const problem = (inp: FuzzInput, file: string, kind: Problem['kind'], detail: string) => {
    stats.counts[kind]++;
    // Kept (with their input files) for the first few of each kind; the counts carry the rest.
    if (stats.problems.filter((p) => p.kind === kind).length < 20) stats.problems.push({ index: inp.index, format: inp.format, seedFile: inp.seedFile, kind, detail: detail.slice(0, 300), file });
  };

  const one = async (inp: FuzzInput) => {
    const file = join(o.dir, `${String(inp.index).padStart(6, '0')}.${EXT[inp.format]}`);
    writeFileSync(file, inp.bytes);
    let out = '';
    let err = '';
    const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
    let code = 'none';
    inFlight.add(inp.index);
    const rss0 = process.memoryUsage().rss;
    growth.set(inp.index, { start: rss0, peak: rss0 });
    const started = performance.now();
    const exit = await o.modules.main.main(['parse', '--timeout', String(o.timeoutS), file], io, {
      pool,
      observe: (_f, outcome) => {
        code = outcome.kind === 'ok' ? 'ok' : outcome.kind === 'failed' ? outcome.code : 'stopped';
      },
    });
    inFlight.delete(inp.index);
    const g = growth.get(inp.index)!;
    growth.delete(inp.index);
    // What the process grew by while this input ran: its own memory, plus the other parse in flight's growth
    // then (an over-count, the safe side), but not what earlier parses left loaded (OCR models, exceljs).
    noteGrowth(stats.topGrowth, inp.index, Math.round((Math.max(g.peak, process.memoryUsage().rss) - g.start) / MB));
    const ended = performance.now();
    // FUZZ_TRACE=1: the process's RSS after each input, to find which inputs a drift of the figure follows.
    if (process.env.FUZZ_TRACE) process.stderr.write(`trace #${inp.index} ${inp.format} ${code} ${Math.round(process.memoryUsage().rss / MB)} MB\n`);
    // Time the harness held the event loop is not the parse's: its result could not even be received then.
    const ms = ended - started - stalledDuring(started, ended);
    times.push(ms);
    const c0 = performance.now();
    stats.n++;
    stats.byExit[exit] = (stats.byExit[exit] ?? 0) + 1;
    stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
    const f = (stats.byFormat[inp.format] ??= { ok: 0, refused: 0 });
    if (exit === 0) f.ok++;
    else f.refused++;
    let bad = false;
    const flag = (kind: Problem['kind'], detail: string) => {
      bad = true;
      problem(inp, file, kind, detail);
    };
    if (code === 'crash' || code === 'oom') flag('crash', err);
    if (code === 'internal' || /internal error/.test(err)) flag('internal', err);
    if (/\n\s+at \S/.test(err) || /^\s+at \S/m.test(out)) flag('stack', err);
    if (exit !== 0 && exit !== 3) flag('undocumented-exit', `exit ${exit}: ${err}`);
    if (ms > (o.timeoutS + 5) * 1000) flag('hang', `${Math.round(ms)} ms`);
    if (code === 'timeout' && /LibreOffice/.test(err)) stats.converter.timeouts++;
    if (exit === 3) {
      const lines = err.split('\n').filter(Boolean);
      if (lines.length !== 1 || !lines[0].startsWith(`nianbao: ${file}: `) || out !== '') flag('stderr', err);
    }
    if (exit === 0) {
      try {
        const json = JSON.parse(out) as { source?: { converter?: string } };
        if (json.source?.converter) rescuedMs.push(ms);
        const parsed = o.modules.model.ParseResult.safeParse(json);
        if (!parsed.success) flag('schema', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      } catch (e) {
        flag('schema', `stdout is not JSON: ${(e as Error).message}`);
      }
      if (err !== '') flag('stderr', err);
    }
    // Kept only when a listed problem names it; the same seed and index regenerate any other.
    if (!bad || !stats.problems.some((p) => p.file === file)) rmSync(file, { force: true });
    // Checking the output (JSON, schema) holds the event loop too.
    const c1 = performance.now();
    if (c1 - c0 > 50) stalls.push([c0, c1]);
    stats.maxStallMs = Math.max(stats.maxStallMs, Math.round(c1 - c0));
    o.onProgress?.(stats.n, stats);
  };

  try {
    // `jobs` runners over one generator: each input is made when a runner is free, so memory stays flat.
    await Promise.all(
      Array.from({ length: o.jobs }, async () => {
        for (;;) {
          if (o.signal?.aborted) break;
          const g0 = performance.now();
          const next = gen.next();
          const g1 = performance.now();
          if (g1 - g0 > 50) stalls.push([g0, g1]);
          stats.maxStallMs = Math.max(stats.maxStallMs, Math.round(g1 - g0));
          if (next.done) break;
          await one(next.value);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
    await pool.close();
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
  stats.p50Ms = q(0.5);
  stats.p99Ms = q(0.99);
  stats.maxMs = Math.round(times[times.length - 1] ?? 0);
  rescuedMs.sort((a, b) => a - b);
  stats.converter.rescued = rescuedMs.length;
  stats.converter.p50Ms = Math.round(rescuedMs[Math.floor(rescuedMs.length / 2)] ?? 0);
  stats.converter.maxMs = Math.round(rescuedMs[rescuedMs.length - 1] ?? 0);
  stats.peakRssMb = Math.round(Math.max(peak, process.memoryUsage().rss) / MB);
  stats.baselineRssMb = Math.round(baseline / MB);
  stats.perParseRssBoundMb = Math.round(bound / MB);
  stats.perParsePeakAt = boundAt.sort((a, b) => a - b);
  stats.peakConverterRssMb = Math.round(converterPeak / MB);
  stats.wallS = Math.round((performance.now() - t0) / 100) / 10;
  return stats;
}

export function formatStats(s: FuzzStats, o: { seed: number; from?: number; timeoutS: number; jobs: number }): string {
  const kv = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const L = [
    `fuzz: ${s.n} inputs${o.from ? ` from #${o.from}` : ""}, seed ${o.seed}, --timeout ${o.timeoutS}, ${o.jobs} workers, ${s.wallS} s`,
    `exit codes: ${kv(s.byExit)}`,
    `outcomes (error codes): ${kv(s.byCode)}`,
    `by format (exit 0 / exit 3): ${Object.entries(s.byFormat).map(([f, c]) => `${f} ${c.ok}/${c.refused}`).join(', ')}`,
    `crashes ${s.counts.crash}, stack traces ${s.counts.stack}, internal errors ${s.counts.internal}, undocumented exits ${s.counts['undocumented-exit']}, ` +
      `past deadline+5 s ${s.counts.hang}, schema-invalid ${s.counts.schema}, bad stderr ${s.counts.stderr}`,
    `time per input (wall of the command, worker start included): p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms; longest harness stall ${s.maxStallMs} ms (not charged)`,
    `read through LibreOffice after the built-in reader refused them: ${s.converter.rescued} (p50 ${s.converter.p50Ms} ms, max ${s.converter.maxMs} ms); conversions out of time: ${s.converter.timeouts}`,
    `peak RSS per parse ≤ ${s.perParseRssBoundMb} MB (growth of the process over its ${s.baselineRssMb} MB warm baseline with up to ${o.jobs} parses in flight, at #${s.perParsePeakAt.join(', #') || '-'}, plus converters then); ` +
      `converters (LibreOffice) peak ${s.peakConverterRssMb} MB; whole process peak ${s.peakRssMb} MB (${o.jobs} workers)`,
    `growth of the process while one input ran (its parse, the other in flight's growth then, converters): max ${s.topGrowth[0]?.mb ?? 0} MB; largest at ` +
      s.topGrowth.slice(0, 8).map((g) => `#${g.index} ${g.mb} MB`).join(', '),
  ];
  for (const p of s.problems) L.push(`  ${p.kind} #${p.index} (${p.format}, from ${p.seedFile}) ${p.file}: ${p.detail.replace(/\n/g, ' | ')}`);
  return L.join('\n') + '\n';
}
