import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { runAudit } from './audit/index.js';
import { auditScanned } from './audit/ocr.js';
import type { Lang } from './audit/types.js';
import { readDocument, type ConvertWith, type IngestOptions } from './ingest/index.js';
import { recognize } from './recognize/index.js';
import { NianbaoError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { ParseResult } from './model/index.js';
import { sortFindings } from './model/order.js';
import { SCHEMA_VERSION } from './model/version.js';

export interface ParseOptions {
  /** Shown in `source.path` and in error messages. */
  path?: string;
  lang?: Lang;
  /**
   * Parse in a worker thread that is terminated after this many milliseconds
   * (NianbaoError `timeout`), under a heap cap (`oom`); what the CLI does with
   * `--timeout`. Without it the parse runs in this thread, unbounded in time.
   */
  timeoutMs?: number;
  /** Larger inputs are refused unread (`too-large`); default 200 MB, as `--max-size`. */
  maxBytes?: number;
  /** Legacy .doc/.wps/.xls/.et: 'soffice' converts with LibreOffice first, 'none' never; as `--convert-with`. */
  convertWith?: ConvertWith;
  /**
   * Epoch ms (as Date.now()) by which an in-thread parse must be over: an external converter (LibreOffice)
   * is killed before it (`timeout`). A worker sets it from what its file has left of `timeoutMs`.
   */
  deadlineAt?: number;
}

/**
 * At most this many parses run in this thread at once; further calls wait in order.
 * A parse holds its document and layout (tens of MB for a long PDF) while it awaits,
 * so a thousand concurrent calls must not all be in flight; parseFile does not even
 * read its file before its turn.
 */
export const MAX_CONCURRENT_PARSES = 4;

let running = 0;
const queue: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_PARSES) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Parses in flight and waiting (for tests and for callers that want to apply back-pressure). */
export function parseQueue(): { running: number; waiting: number } {
  return { running, waiting: queue.length };
}

function refuseSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
    throw new NianbaoError('too-large', `${mb(size)} MB is over the --max-size limit of ${mb(maxBytes)} MB`);
  }
}

/** bytes → document → report → findings: the whole pipeline for one file. */
export async function parseBytes(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  const path = opts.path ?? '-';
  refuseSize(bytes.length, opts.maxBytes ?? DEFAULT_LIMITS.maxBytes);
  if (opts.timeoutMs !== undefined) {
    // Loaded on demand: the isolation machinery is not part of a plain in-thread parse.
    const { parseIsolated } = await import('./batch/isolated.js');
    return parseIsolated({ bytes, path, lang: opts.lang ?? 'zh', timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes ?? DEFAULT_LIMITS.maxBytes, convertWith: opts.convertWith });
  }
  return inTurn(() => parseInThread(bytes, path, opts.lang, ingestOptions(opts)));
}

/** What of the parse options the adapters see. */
function ingestOptions(opts: Pick<ParseOptions, 'convertWith' | 'deadlineAt'>): Omit<IngestOptions, 'path'> {
  return { ...(opts.convertWith ? { convertWith: opts.convertWith } : {}), ...(opts.deadlineAt !== undefined ? { deadlineAt: opts.deadlineAt } : {}) };
}

async function parseInThread(bytes: Uint8Array, path: string, lang: Lang | undefined, ingest: Omit<IngestOptions, 'path'>): Promise<ParseResult> {
  const doc = await readDocument(bytes, { path, ...ingest });
  let recognition = await recognize(doc, { lang: lang });
  let findings: ParseResult['findings'];
  if (recognition.readings) {
    // Scanned pages: misreadings corrected by the arithmetic and told apart from the source's errors.
    recognition = auditScanned(recognition, lang ?? 'zh');
    findings = [];
  } else findings = runAudit({ report: recognition.report, cells: recognition.cells }, { lang: lang ?? 'zh' });
  return {
    schemaVersion: SCHEMA_VERSION,
    source: {
      path,
      format: doc.format,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
      ...(doc.encoding ? { encoding: doc.encoding } : {}),
      ...(doc.converter ? { converter: doc.converter } : {}),
    },
    report: recognition.report,
    findings: sortFindings([...recognition.findings, ...findings]),
    cells: recognition.cells,
  };
}

export async function parseFile(path: string, opts: Omit<ParseOptions, 'path'> = {}): Promise<ParseResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw ioError(e);
  }
  refuseSize(size, maxBytes);
  if (opts.timeoutMs !== undefined) {
    const { parseIsolated } = await import('./batch/isolated.js');
    return parseIsolated({ file: path, path, lang: opts.lang ?? 'zh', timeoutMs: opts.timeoutMs, maxBytes, convertWith: opts.convertWith });
  }
  return inTurn(async () => {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw ioError(e);
    }
    refuseSize(bytes.length, maxBytes);
    return parseInThread(bytes, path, opts.lang, ingestOptions(opts));
  });
}

function ioError(e: unknown): NianbaoError {
  const code = (e as NodeJS.ErrnoException).code;
  return new NianbaoError('io', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`);
}
