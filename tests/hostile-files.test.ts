import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BatchRecord } from '../src/batch/records.js';
import { runBatch } from '../src/batch/run.js';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import { ParseResult } from '../src/model/index.js';

/**
 * Every reproducer in shared/hostile/ (mutation-fuzzing finds and hand-built files) is a
 * regression test: through `nianbao parse --timeout 10` each ends in under 15 s with
 * exit 0 or 3, one stderr line at most, no stack trace, no internal error, and a
 * schema-valid result when it is read; batch over the folder gives one clean record each.
 */
const DIR = ['../shared/hostile', '../../shared/hostile'].map((d) => resolve(d)).find((d) => existsSync(d));
const FILES = DIR ? readdirSync(DIR).filter((f) => f !== 'README.md').sort() : [];

async function parse(file: string) {
  let out = '';
  let err = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const t0 = performance.now();
  const code = await main(['parse', '--timeout', '10', file], io);
  return { file, code, out, err, sec: (performance.now() - t0) / 1000 };
}

describe.runIf(!!DIR)('shared/hostile reproducers', () => {
  it('each ends through parse --timeout 10 within 15 s: exit 0 or 3, one line, no stack, no internal error', async () => {
    // Two at a time: several are deadline cases (wall clock), and more would only measure the machine's load.
    const results: Awaited<ReturnType<typeof parse>>[] = [];
    const queue = [...FILES];
    await Promise.all([0, 1].map(async () => {
      for (let f = queue.shift(); f; f = queue.shift()) results.push(await parse(join(DIR!, f)));
    }));
    for (const r of results) {
      const lines = r.err.split('\n').filter(Boolean);
      expect({ file: r.file, code: [0, 3].includes(r.code), lines: lines.length }).toEqual({ file: r.file, code: true, lines: r.code === 3 ? 1 : 0 });
      expect(r.sec, r.file).toBeLessThan(15);
      expect(r.err, r.file).not.toMatch(/\n\s+at |internal error/);
      if (r.code === 3) expect(lines[0].startsWith(`nianbao: ${r.file}: `), r.file).toBe(true);
      if (r.code === 0) expect(ParseResult.safeParse(JSON.parse(r.out)).success, `${r.file} schema`).toBe(true);
    }
  }, 60_000);

  it('batch over the folder gives one record per file and none is a crash or an internal error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nianbao-hostile-batch-'));
    await runBatch({ inputs: [DIR!], out, timeoutMs: 10_000, jobs: 2, cross: false });
    const records = readFileSync(join(out, 'reports.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BatchRecord);
    expect(records.map((r) => r.path).sort()).toEqual(FILES);
    for (const r of records) {
      if (r.status === 'failed') expect(['crash', 'oom', 'internal'], `${r.path}: ${r.reason}`).not.toContain(r.code);
      if (r.status === 'ok') expect(ParseResult.safeParse(r.result).success, `${r.path} schema`).toBe(true);
    }
  }, 120_000);
});
