import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, textReport, writeTree } from './helpers/batch-tree.js';

const CHILD = join(import.meta.dirname, 'helpers/batch-child.ts');

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
}

function runChild(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: 'ignore', env: { ...process.env } });
}

describe('batch killed with SIGKILL', () => {
  it('resumes to exactly one record per input, with no torn line', async () => {
    const dir = tempDir();
    const files: Record<string, string> = {};
    // SLOW makes each parse take 150 ms, so the kill lands well inside the run.
    for (let i = 0; i < 60; i++) files[`in/r${String(i).padStart(2, '0')}.txt`] = textReport(`机关${i}`, 2024, 'NIANBAO-TEST:SLOW');
    writeTree(dir, files);
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    const reports = join(out, 'reports.jsonl');

    const child = runChild([input, out]);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const t0 = Date.now();
    while (lines(reports).filter(Boolean).length < 5) {
      if (Date.now() - t0 > 15000) throw new Error('child made no progress');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const before = lines(reports).filter(Boolean).length;
    expect(before).toBeGreaterThanOrEqual(5);
    expect(before).toBeLessThan(60);
    // The worst a kill can leave: half a record at the end.
    appendFileSync(reports, '{"status":"ok","path":"r59.txt","sha256":"00');

    const resumed = runChild([input, out, '--resume']);
    const code = await new Promise<number | null>((resolve) => resumed.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const text = readFileSync(reports, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const recs = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { path: string; status: string });
    expect(recs).toHaveLength(60);
    expect(new Set(recs.map((r) => r.path)).size).toBe(60);
    expect(recs.every((r) => r.status === 'ok')).toBe(true);
  }, 60000);
});
