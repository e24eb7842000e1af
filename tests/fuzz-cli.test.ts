import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formatStats, runFuzz } from '../bench/fuzz-run.js';
import { inputs, mutate, rng } from '../bench/mutate.js';
import * as batchPool from '../src/batch/pool.js';
import * as cliMain from '../src/cli/main.js';
import * as model from '../src/model/index.js';

describe('mutation fuzzing through nianbao parse (quick seeded run)', () => {
  it('mutations are reproducible from seed and index, and differ from their seed', () => {
    const a = [...inputs(3, 10)].map((i) => Buffer.from(i.bytes).toString('base64'));
    const b = [...inputs(3, 10)].map((i) => Buffer.from(i.bytes).toString('base64'));
    expect(a).toEqual(b);
    const seed = new TextEncoder().encode('某某县2024年政府信息公开工作年度报告\n一、总体情况\n');
    expect(Buffer.from(mutate('text', seed, seed, rng(5))).equals(Buffer.from(seed))).toBe(false);
    // A slice of a run (--from) is the same inputs as that part of the whole run.
    expect([...inputs(3, 4, undefined, 6)].map((i) => [i.index, Buffer.from(i.bytes).toString('base64')])).toEqual(
      [...inputs(3, 10)].slice(6).map((i) => [i.index, Buffer.from(i.bytes).toString('base64')]),
    );
  });

  it('a package whose damaged directory declares a huge part is not inflated and re-zipped by the mutator', () => {
    // Seed 7 #2363: a directory cut by one round declared a 2.3 GB part, which the next round inflated and
    // re-zipped for minutes while the runs in flight were charged the time.
    // Now the damaged package only gets byte damage: it stays the size of its seed (a 20 KB workbook),
    // where the re-zipped 2.3 GB part made a 2.3 MB file.
    const [inp] = [...inputs(7, 1, undefined, 2363)];
    let declared = 0;
    try {
      unzipSync(inp.bytes, { filter: (f) => ((declared = Math.max(declared, f.originalSize)), false) });
    } catch {
      // not a readable package any more
    }
    expect(declared).toBeGreaterThan(16 * 1024 * 1024);
    expect(inp.bytes.length).toBeLessThan(200_000);
  });

  it('120 inputs over all formats: no crash, stack trace, internal error, undocumented exit, hang or schema-invalid output', async () => {
    const opts = { seed: 1, timeoutS: 10, jobs: 2 };
    const stats = await runFuzz({ ...opts, n: 120, dir: join(tmpdir(), 'nianbao-fuzz-test'), modules: { main: cliMain, pool: batchPool, model } });
    const report = formatStats(stats, opts);
    expect(stats.n).toBe(120);
    expect(Object.keys(stats.byExit).sort(), report).toEqual(expect.arrayContaining(['0', '3']));
    expect(stats.counts, report).toEqual({ crash: 0, stack: 0, 'undocumented-exit': 0, hang: 0, schema: 0, stderr: 0, internal: 0 });
    // Memory is measured per parse (growth over the warm process, converters included), and under the cap.
    expect(stats.baselineRssMb, report).toBeGreaterThan(0);
    expect(stats.perParseRssBoundMb, report).toBeLessThan(1024);
  }, 240_000);
});
