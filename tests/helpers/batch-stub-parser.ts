/**
 * A stand-in for parseBytes that the batch tests load into the worker threads
 * (BatchOptions.parser), so the tests of the batch machinery are fast and do not
 * depend on how far the adapters and the recognizer have got. It also provides the
 * misbehaviour the pool must survive, triggered by markers in the file content —
 * test-only by construction: production workers never load this module.
 *
 *   NIANBAO-TEST:HANG   busy loop forever (timeout)
 *   NIANBAO-TEST:CRASH  uncaught exception outside the task (worker 'error')
 *   NIANBAO-TEST:EXIT   process.exit inside the worker thread
 *   NIANBAO-TEST:OOM    allocate until the heap cap is hit
 *   NIANBAO-TEST:SLOW   take 150 ms (gives the kill -9 test time to strike)
 *   NIANBAO-TEST:NOTREPORT  throw NianbaoError('not-report')
 *   NIANBAO-TEST:ERROR  add one error finding
 */
import { createHash } from 'node:crypto';
import { NianbaoError } from '../../src/errors.js';
import type { ParseResult } from '../../src/model/index.js';
import { makeReport, makeResult } from './batch-reports.js';

export async function parseBytes(bytes: Uint8Array, opts: { path?: string } = {}): Promise<ParseResult> {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.includes('NIANBAO-TEST:HANG')) for (;;);
  if (text.includes('NIANBAO-TEST:CRASH')) {
    setTimeout(() => {
      throw new Error('stub crash');
    }, 0);
    return new Promise(() => {});
  }
  if (text.includes('NIANBAO-TEST:EXIT')) process.exit(9);
  if (text.includes('NIANBAO-TEST:OOM')) {
    const hog: string[][] = [];
    for (;;) hog.push(Array.from({ length: 1e5 }, (_, i) => `x${i}${hog.length}`));
  }
  if (text.includes('NIANBAO-TEST:SLOW')) await new Promise((r) => setTimeout(r, 150));
  if (text.includes('NIANBAO-TEST:NOTREPORT')) throw new NianbaoError('not-report', 'no 政府信息公开 heading');
  const m = /^(.+?)\s*(\d{4})\s*年政府信息公开/m.exec(text);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const report = makeReport({ agency: m ? m[1].trim() : 'unknown', year: m ? Number(m[2]) : 2024, seed: parseInt(sha.slice(0, 8), 16) });
  const findings = text.includes('NIANBAO-TEST:ERROR')
    ? [{ rule: 'T3-BAL', severity: 'error' as const, message: 'stub error', paths: ['applications.newReceived.total'], expected: 1, actual: 2 }]
    : [];
  const result = makeResult(report, { path: opts.path ?? '-', findings });
  result.source.sha256 = sha;
  return result;
}
