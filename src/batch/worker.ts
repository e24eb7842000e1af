/**
 * Worker thread entry: reads, hashes and parses the files the pool sends, one at a
 * time, and serialises the result when asked, so the main thread only journals.
 * Runs from dist/batch/worker.js in production and from this .ts file under
 * vitest/tsx (the pool bootstraps tsx for it, see pool.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseResult } from '../model/index.js';
import type { Lang } from '../audit/types.js';
import type { Digest, ToMain, ToWorker, ToWorkerTask, WorkerInit } from './protocol.js';
import type { ConvertWith } from '../ingest/index.js';
import { factsOf } from './facts.js';

type ParseBytes = (bytes: Uint8Array, opts: { path?: string; lang?: Lang; convertWith?: ConvertWith; deadlineAt?: number }) => Promise<ParseResult>;

const init = (workerData ?? {}) as WorkerInit;
// Compiling PDFium runs on V8's background threads: started before the pipeline's imports, it is done
// by the time the first PDF needs it. A failure here is the first PDF's to report, not the worker's.
if (init.preloadPdf && !init.parser) void import('../ingest/pdf/pdfium.js').then((m) => m.compilePdfium()).catch(() => undefined);
if (init.native) {
  // Shared with the pool, which never terminates this thread while onnxruntime or libvips work is in flight.
  const { setNativeGuard } = await import('../native.js');
  setNativeGuard(new Int32Array(init.native));
}

// A library (pdfjs) can reject a promise nothing awaits, after or beside the parse that
// caused it; Node's default would kill this worker and lose a result that may be complete.
// The parse itself still settles (or hits the pool's deadline), so the stray is dropped.
process.on('unhandledRejection', () => undefined);

// `parser` lets a library user (and the tests) swap the pipeline for another module
// exporting parseBytes; the CLI never sets it.
const mod = (init.parser ? await import(init.parser) : await import('../parse.js')) as { parseBytes: ParseBytes };
const { sniff } = await import('../ingest/detect.js');
if (init.warm && !init.parser) {
  // Every adapter once per worker, before the first file: module loading is not per-file work.
  const { preloadAdapters } = await import('../ingest/index.js');
  await preloadAdapters();
}

const port = parentPort;
if (!port) throw new Error('batch worker started outside a worker thread');

/** Tasks paused after hashing, waiting for the main thread's `go`. */
const paused = new Map<number, (go: boolean) => void>();
/** Converter turns asked of the pool and not granted yet. */
const leases = new Map<number, (profile: string) => void>();

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'task') void handle(msg).then((reply) => reply && port.postMessage(reply, reply.type === 'ok' && reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []));
  else if (msg.type === 'leased') {
    const grant = leases.get(msg.lease);
    // Granted after this worker stopped waiting (its deadline came first): straight back.
    if (grant) grant(msg.profile);
    else port.postMessage({ type: 'unlease', lease: msg.lease, dirty: false } satisfies ToMain);
  } else paused.get(msg.id)?.(msg.type === 'go');
});

// Conversions with LibreOffice take turns across the whole pool, which kills a converter whose worker it ends.
if (!init.parser) {
  const { setConverterHost, tooLate } = await import('../ingest/convert/host.js');
  let next = 1;
  setConverterHost({
    turn: (deadlineAt, what) =>
      new Promise((resolve, reject) => {
        const lease = next++;
        const timer =
          deadlineAt === undefined
            ? undefined
            : setTimeout(() => {
                leases.delete(lease);
                port.postMessage({ type: 'unlease', lease, dirty: false } satisfies ToMain);
                reject(tooLate(what, 'other conversions with LibreOffice held the converter until the deadline'));
              }, Math.max(0, deadlineAt - Date.now()));
        leases.set(lease, (profile) => {
          clearTimeout(timer);
          leases.delete(lease);
          resolve({
            profile,
            started: (pgid) => port.postMessage({ type: 'child', lease, pgid } satisfies ToMain),
            done: (dirty) => port.postMessage({ type: 'unlease', lease, dirty } satisfies ToMain),
          });
        });
        port.postMessage({ type: 'lease', lease } satisfies ToMain);
      }),
  });
}
port.postMessage({ type: 'ready' } satisfies ToMain);

class TaskError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Read synchronously: this thread does one file at a time, so blocking it costs nothing, while the promise
 * API's open/stat/read/close each took a turn through the thread pool (1–10 ms a file in a batch of PDFs
 * that parse in 30).
 */
function bytesOf(msg: ToWorkerTask): Uint8Array {
  if (msg.bytes) return msg.bytes;
  const file = msg.file as string;
  try {
    const st = statSync(file);
    // A FIFO or a device would block the read (or never end it); only a regular file has a size to trust.
    if (!st.isFile()) throw new TaskError('io', st.isDirectory() ? 'is a directory' : 'not a regular file');
    const size = st.size;
    if (msg.maxBytes !== undefined && size > msg.maxBytes) throw new TaskError('too-large', tooLarge(size, msg.maxBytes));
    return readFileSync(file);
  } catch (e) {
    if (e instanceof TaskError) throw e;
    throw new TaskError('io', ioReason(e));
  }
}

const utf8 = new TextEncoder();

async function handle(msg: ToWorkerTask): Promise<ToMain | null> {
  const t0 = performance.now();
  let sha256: string | undefined;
  let detected: string | undefined;
  try {
    const bytes = bytesOf(msg);
    if (msg.maxBytes !== undefined && bytes.length > msg.maxBytes) throw new TaskError('too-large', tooLarge(bytes.length, msg.maxBytes));
    if (msg.pauseAfterHash) {
      sha256 = createHash('sha256').update(bytes).digest('hex');
      detected = sniff(bytes, msg.path);
      const go = await new Promise<boolean>((resolve) => {
        paused.set(msg.id, resolve);
        port!.postMessage({ type: 'hashed', id: msg.id, sha256: sha256!, size: bytes.length, detected: detected! } satisfies ToMain);
      });
      paused.delete(msg.id);
      if (!go) return null;
    }
    const result = await mod.parseBytes(bytes, {
      path: msg.path,
      lang: msg.lang,
      ...(msg.convertWith ? { convertWith: msg.convertWith } : {}),
      ...(msg.deadlineAt !== undefined ? { deadlineAt: msg.deadlineAt } : {}),
    });
    const digest = digestOf(result);
    const base = { type: 'ok' as const, id: msg.id, digest, ...(sha256 ? { sha256 } : {}), ms: performance.now() - t0 };
    if (msg.shape === 'object') return { ...base, result };
    if (msg.shape === 'record') return { ...base, bytes: utf8.encode(JSON.stringify(result)), facts: factsOf(result) };
    return { ...base, json: JSON.stringify(result, null, msg.shape === 'pretty' ? 2 : undefined) };
  } catch (e) {
    return { type: 'error', id: msg.id, ...describe(e), ...(sha256 ? { sha256 } : {}), ...(detected ? { detected } : {}), ms: performance.now() - t0 };
  }
}

function digestOf(r: ParseResult): Digest {
  const d: Digest = { format: r.source.format, errors: 0, warnings: 0, infos: 0 };
  for (const f of r.findings) {
    if (f.severity === 'error') d.errors++;
    else if (f.severity === 'warning') d.warnings++;
    else d.infos++;
  }
  return d;
}

/**
 * Faults of the JavaScript engine that an input provokes, named for what they say
 * about the input: a stack overflow is nesting deeper than a reader can follow, an
 * over-long string is content beyond what one process can hold. Whatever reader hit
 * them, the input is refused as too large, not reported as our bug.
 */
const ENGINE_LIMITS: Array<{ test: RegExp; reason: string }> = [
  { test: /Maximum call stack size exceeded/, reason: 'nested too deeply to read (stack overflow)' },
  { test: /Invalid string length|Array buffer allocation failed|Cannot create a string longer/, reason: 'content too large to hold in memory' },
];

/** Duck-typed rather than instanceof: a custom parser module may bring its own copy of errors.js. */
function describe(e: unknown): { code: string; reason: string } {
  if (e instanceof TaskError) return { code: e.code, reason: e.message };
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof Error && e.name === 'NianbaoError' && typeof code === 'string') {
    return { code, reason: e.message.split('\n')[0] };
  }
  if (e instanceof RangeError) {
    const limit = ENGINE_LIMITS.find((l) => l.test.test(e.message));
    if (limit) return { code: 'too-large', reason: limit.reason };
  }
  if (e instanceof Error) return { code: 'internal', reason: `${e.name}: ${e.message}`.split('\n')[0] };
  return { code: 'internal', reason: String(e).split('\n')[0] };
}

function tooLarge(size: number, max: number): string {
  return `${mb(size)} MB is over the --max-size limit of ${mb(max)} MB`;
}

function mb(n: number): string {
  const v = n / 1048576;
  return v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`;
}
