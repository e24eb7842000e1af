import type { Lang } from '../audit/types.js';
import type { ParseResult } from '../model/index.js';

/** Messages between the pool and its workers. */
export interface WorkerInit {
  /** Module URL exporting `parseBytes`; default the real pipeline (../parse.js). */
  parser?: string;
}

export interface ToWorker {
  id: number;
  /** Transferred, not copied: the main thread lets go of the file's bytes. */
  bytes: Uint8Array;
  path: string;
  lang: Lang;
}

export type ToMain =
  | { type: 'ready' }
  | { type: 'ok'; id: number; result: ParseResult; ms: number }
  | { type: 'error'; id: number; code: string; reason: string; ms: number };
