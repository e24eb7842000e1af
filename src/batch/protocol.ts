import type { Lang } from '../audit/types.js';
import type { ParseResult } from '../model/index.js';
import type { ConvertWith } from '../ingest/index.js';
import type { ReportFacts } from './facts.js';

/** Messages between the pool and its workers. */
export interface WorkerInit {
  /** Module URL exporting `parseBytes`; default the real pipeline (../parse.js). */
  parser?: string;
  /** Load every format adapter before saying ready (batch: the first file of each format pays nothing). */
  warm?: boolean;
  /** Compile PDFium first thing, while the pipeline's modules load. */
  preloadPdf?: boolean;
  /** Native calls in flight and the pool's wish to end the worker (see src/native.ts). */
  native?: SharedArrayBuffer;
}

/**
 * How the worker hands back the result: the object, JSON text it serialised itself (off the main thread),
 * or `record`: the JSON's UTF-8 bytes (transferred, not copied) with the facts the batch summary counts.
 */
export type ResultShape = 'object' | 'json' | 'pretty' | 'record';

export interface ToWorkerTask {
  type: 'task';
  id: number;
  /** The bytes (transferred, not copied), or `file` for the worker to read itself. */
  bytes?: Uint8Array;
  /** Absolute path the worker reads; set instead of `bytes`. */
  file?: string;
  /** Shown in `source.path` and errors. */
  path: string;
  lang: Lang;
  /** Refuse a file larger than this before reading it (too-large). */
  maxBytes?: number;
  /** Legacy .doc/.xls: LibreOffice first ('soffice') or never ('none'); default: only when the built-in reader fails. */
  convertWith?: ConvertWith;
  /** Epoch ms (Date.now()) at which the pool ends this task: an external converter must be over by then. */
  deadlineAt?: number;
  /** Stop after reading and hashing, send `hashed`, and wait for `go` or `drop` (batch's duplicate check). */
  pauseAfterHash?: boolean;
  shape: ResultShape;
}

/**
 * Converter turns (LibreOffice, see ingest/convert/soffice.ts): a worker asks with `lease`, the pool grants
 * with `leased` (one conversion at a time across the pool, each with a profile of its own), the worker says
 * which process group it started (`child`) and gives the turn back (`unlease`, also for a turn it stopped
 * waiting for). The pool kills the group of a worker it ends.
 */
export type ConverterToPool =
  | { type: 'lease'; lease: number }
  | { type: 'child'; lease: number; pgid: number }
  | { type: 'unlease'; lease: number; dirty: boolean };

export type ToWorker = ToWorkerTask | { type: 'go'; id: number } | { type: 'drop'; id: number } | { type: 'leased'; lease: number; profile: string };

/** What batch needs to decide about a file before it is parsed. */
export interface Hashed {
  sha256: string;
  size: number;
  /** `sniff`'s verdict on the content. */
  detected: string;
}

/** Small facts the main thread keeps per record, so it never re-reads a ParseResult to count. */
export interface Digest {
  format: ParseResult['source']['format'];
  errors: number;
  warnings: number;
  infos: number;
}

export type ToMain =
  | { type: 'ready' }
  | ConverterToPool
  | ({ type: 'hashed'; id: number } & Hashed)
  | { type: 'ok'; id: number; result?: ParseResult; json?: string; bytes?: Uint8Array; facts?: ReportFacts; digest: Digest; sha256?: string; ms: number }
  | { type: 'error'; id: number; code: string; reason: string; sha256?: string; detected?: string; ms: number };
