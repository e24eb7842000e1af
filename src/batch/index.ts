export { runBatch, crossOnly, outputFiles, OutputError, UsageError, DEFAULTS, type BatchOptions } from './run.js';
export { summarizeAndCross, loadCrossYear, fingerprint, normalizeAgency, type Summary, type RunStats, type CrossYear } from './cross.js';
export { WorkerPool, type PoolOptions, type Task, type Outcome } from './pool.js';
export { parseIsolated } from './isolated.js';
export { Journal, repairTail, indexJournal, SYNC_EVERY, SYNC_MS } from './journal.js';
export { expandInputs, inShard, parseList, readList, decide } from './inputs.js';
export { readLines } from './jsonl.js';
export { makeProgress, silentProgress, type Progress } from './progress.js';
export type { BatchRecord, OkRecord, FailedRecord, DuplicateRecord, CrossRecord } from './records.js';
