import { availableParallelism } from 'node:os';
import type { Lang } from '../audit/types.js';
import { NianbaoError, type ErrorCode } from '../errors.js';
import type { ParseResult } from '../model/index.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { WorkerPool, type Outcome } from './pool.js';
import type { ConvertWith } from '../ingest/index.js';

/**
 * One file at a time in a worker thread, the way batch runs every file: a wall-clock
 * deadline that terminates the worker (a synchronous loop cannot outlast it) and a
 * heap cap. The library's `parseFile`/`parseBytes` come here when given `timeoutMs`;
 * the CLI's parse, audit and summary hold their own pool (see cli/main.ts).
 */

let shared: WorkerPool | null = null;

/** The library's pool: one worker per core, started on first use; idle workers do not keep the process alive. */
function sharedPool(): WorkerPool {
  shared ??= new WorkerPool({
    size: availableParallelism(),
    timeoutMs: DEFAULT_LIMITS.timeoutMs,
    maxMemoryMb: DEFAULT_LIMITS.maxMemoryMb,
    unrefIdle: true,
  });
  return shared;
}

export interface IsolatedInput {
  bytes?: Uint8Array;
  file?: string;
  path: string;
  lang: Lang;
  timeoutMs: number;
  maxBytes: number;
  convertWith?: ConvertWith | undefined;
}

export async function parseIsolated(input: IsolatedInput, pool: WorkerPool = sharedPool()): Promise<ParseResult> {
  const outcome = await pool.run({
    ...(input.bytes ? { bytes: input.bytes, copy: true } : { file: input.file! }),
    path: input.path,
    lang: input.lang,
    maxBytes: input.maxBytes,
    timeoutMs: input.timeoutMs,
    ...(input.convertWith ? { convertWith: input.convertWith } : {}),
    shape: 'object',
  });
  return resultOf(outcome);
}

/** The outcome as the library returns it: the result, or a NianbaoError whose code the pool or worker gave. */
export function resultOf(outcome: Outcome): ParseResult {
  if (outcome.kind === 'ok' && outcome.result) return outcome.result;
  if (outcome.kind === 'failed') throw new NianbaoError(outcome.code as ErrorCode, outcome.reason);
  throw new NianbaoError('internal', 'the worker returned no result');
}
