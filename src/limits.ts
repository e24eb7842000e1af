/**
 * The limits every entry point applies to one input, so `timeout` and `too-large`
 * mean the same in `parse`, `audit`, `summary`, `batch` and the library.
 */
export const DEFAULT_LIMITS = {
  /** Wall clock per file, from handing it to its worker, the worker's start included (`--timeout`, seconds on the command line). */
  timeoutMs: 60_000,
  /** V8 old-space cap of each worker (`--max-memory`). */
  maxMemoryMb: 1024,
  /** Larger files are refused unread (`--max-size`, MB on the command line). */
  maxBytes: 200 * 1024 * 1024,
} as const;
