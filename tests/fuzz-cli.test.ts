import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  });

  it('120 inputs over all formats: no crash, stack trace, internal error, undocumented exit, hang or schema-invalid output', async () => {
    const opts = { seed: 1, timeoutS: 10, jobs: 2 };
    const stats = await runFuzz({ ...opts, n: 120, dir: join(tmpdir(), 'nianbao-fuzz-test'), modules: { main: cliMain, pool: batchPool, model } });
    const report = formatStats(stats, opts);
    expect(stats.n).toBe(120);
    expect(Object.keys(stats.byExit).sort(), report).toEqual(expect.arrayContaining(['0', '3']));
    expect(stats.counts, report).toEqual({ crash: 0, stack: 0, 'undocumented-exit': 0, hang: 0, schema: 0, stderr: 0, internal: 0 });
  }, 240_000);
});
