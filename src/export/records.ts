import { readLines } from '../batch/jsonl.js';
import type { BatchRecord, CrossRecord } from '../batch/records.js';

/** A line of the input that is not a record: the export stops there and names it. */
export class RecordError extends Error {
  override name = 'RecordError';
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}: line ${line} is not a batch record (${reason})`);
  }
}

function parseLine<T>(file: string, n: number, text: string, check: (v: Record<string, unknown>) => boolean, what: string): T {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new RecordError(file, n, `not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !check(v as Record<string, unknown>)) throw new RecordError(file, n, `JSON, but not ${what}`);
  return v as T;
}

const STATUSES = new Set(['ok', 'failed', 'duplicate']);

/** The records of reports.jsonl, one in memory at a time; a torn last line (an interrupted batch) is skipped. */
export async function* readRecords(file: string): AsyncGenerator<BatchRecord> {
  let n = 0;
  for await (const line of readLines(file)) {
    n++;
    if (!line.terminated || !line.text) continue;
    yield parseLine<BatchRecord>(
      file,
      n,
      line.text,
      (v) => STATUSES.has(v.status as string) && typeof v.path === 'string' && (v.status !== 'ok' || (typeof v.result === 'object' && v.result !== null)),
      'a record with status and path',
    );
  }
}

export async function* readCrossRecords(file: string): AsyncGenerator<CrossRecord> {
  let n = 0;
  for await (const line of readLines(file)) {
    n++;
    if (!line.terminated || !line.text) continue;
    yield parseLine<CrossRecord>(file, n, line.text, (v) => typeof v.path === 'string' && typeof v.finding === 'object' && v.finding !== null, 'a cross-report record');
  }
}
