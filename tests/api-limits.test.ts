import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nianbao from '../src/index.js';

const GANXIAN = 'samples/ganxian-gongxin-2024.txt';

describe('library entry points and limits', () => {
  it('exports the batch and export entry points docs/batch.md names, and package.json maps their subpaths', () => {
    for (const name of ['runBatch', 'crossOnly', 'exportCsv', 'exportXlsx', 'parseCsv', 'valueColumns', 'readLines', 'parseFile', 'parseBytes'] as const) {
      expect(typeof nianbao[name], name).toBe('function');
    }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { types: string; import: string }> };
    expect(pkg.exports['./batch']).toEqual({ types: './dist/batch/index.d.ts', import: './dist/batch/index.js' });
    expect(pkg.exports['./export']).toEqual({ types: './dist/export/index.d.ts', import: './dist/export/index.js' });
    const doc = readFileSync('docs/batch.md', 'utf8');
    for (const name of ['runBatch', 'crossOnly', 'exportCsv', 'exportXlsx']) expect(doc).toContain(name);
  });

  it('1,000 concurrent parses from one process wait in a bounded queue', async () => {
    const bytes = Buffer.from('关于召开会议的通知\n各科室：定于9月20日召开会议。\n');
    let peak = 0;
    let waitedAtStart = 0;
    const calls = Array.from({ length: 1000 }, (_, i) =>
      nianbao.parseBytes(bytes, { path: `n${i}.txt` }).then(
        () => 'ok',
        (e: unknown) => (nianbao.isNianbaoError(e) ? e.code : 'other'),
      ).finally(() => {
        peak = Math.max(peak, nianbao.parseQueue().running);
      }),
    );
    waitedAtStart = nianbao.parseQueue().waiting;
    const outcomes = await Promise.all(calls);
    expect(new Set(outcomes)).toEqual(new Set(['not-report']));
    expect(waitedAtStart).toBe(1000 - nianbao.MAX_CONCURRENT_PARSES);
    expect(peak).toBeLessThanOrEqual(nianbao.MAX_CONCURRENT_PARSES);
    expect(nianbao.parseQueue()).toEqual({ running: 0, waiting: 0 });
  });

  it('timeoutMs runs the parse in a worker: same result, the caller keeps its bytes, a deadline ends it', async () => {
    const bytes = readFileSync(GANXIAN);
    const inThread = await nianbao.parseBytes(bytes, { path: 'g.txt' });
    const isolated = await nianbao.parseBytes(bytes, { path: 'g.txt', timeoutMs: 60_000 });
    expect(isolated).toEqual(inThread);
    expect(bytes.length).toBeGreaterThan(0);
    expect((await nianbao.parseFile(GANXIAN, { timeoutMs: 60_000 })).report).toEqual(inThread.report);
    await expect(nianbao.parseFile(GANXIAN, { timeoutMs: 1 })).rejects.toMatchObject({ name: 'NianbaoError', code: 'timeout' });
  }, 60_000);

  it('maxBytes refuses larger input as too-large, before reading it', async () => {
    await expect(nianbao.parseFile(GANXIAN, { maxBytes: 100 })).rejects.toMatchObject({ code: 'too-large' });
    await expect(nianbao.parseBytes(new Uint8Array(200), { maxBytes: 100 })).rejects.toMatchObject({ code: 'too-large' });
  });
});
