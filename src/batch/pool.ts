import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Lang } from '../audit/types.js';
import type { ConvertWith } from '../ingest/index.js';
import type { ParseResult } from '../model/index.js';
import { NATIVE_CLOSING, NATIVE_IN_FLIGHT } from '../native.js';
import { ConverterGate } from './converter-gate.js';
import type { ReportFacts } from './facts.js';
import type { ConverterToPool, Digest, Hashed, ResultShape, ToMain, ToWorker, WorkerInit } from './protocol.js';

export interface PoolOptions {
  size: number;
  /** Per file, counted from the moment the file is handed to its worker (a fresh worker's start included). */
  timeoutMs: number;
  /** V8 old-space cap of each worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxMemoryMb: number;
  /** Module URL exporting parseBytes, instead of the real pipeline. */
  parser?: string;
  /** Load every adapter when a worker starts (batch), rather than the one the first file needs (one-file commands). */
  warm?: boolean;
  /** Start compiling PDFium when a worker starts, beside its module loading (implied by `warm`). */
  preloadPdf?: boolean;
  /** Idle workers do not keep the process alive (library use: a script ends when its work does). */
  unrefIdle?: boolean;
  /** How long a new worker may take to load the pipeline before it counts as crashed. */
  startupTimeoutMs?: number;
  /** LibreOffice conversions running at once across the workers (default 1: each takes a few hundred MB). */
  maxConversions?: number;
}

export interface Task {
  /** The content, or `file` for the worker to read (and stat against `maxBytes`) itself. */
  bytes?: Uint8Array;
  file?: string;
  path: string;
  lang: Lang;
  maxBytes?: number;
  convertWith?: ConvertWith;
  /** Result as an object (default) or as JSON text serialised in the worker. */
  shape?: ResultShape;
  /** Overrides the pool's deadline for this file. */
  timeoutMs?: number;
  /** Copy the bytes rather than transfer them (the caller keeps using its buffer). */
  copy?: boolean;
  /** Called with the hash once the worker has read the file; false stops there (a duplicate). */
  onHashed?: (h: Hashed) => boolean | Promise<boolean>;
}

export type Outcome =
  | { kind: 'ok'; result?: ParseResult; json?: string; bytes?: Uint8Array; facts?: ReportFacts; digest: Digest; sha256?: string; ms: number }
  | { kind: 'failed'; code: string; reason: string; sha256?: string; detected?: string; ms: number }
  | { kind: 'stopped'; ms: number };

interface Slot {
  worker: Worker | null;
  ready: Promise<void> | null;
  /** Settles the task in flight on this slot, if any. */
  settle: ((m: Exclude<ToMain, { type: 'ready' } | ConverterToPool> | { type: 'dead'; code: string; reason: string }) => void) | null;
}

/**
 * A fixed number of worker threads, each parsing one file at a time. A worker that
 * exceeds the timeout is terminated; one that throws outside a task, exits or runs
 * out of memory is discarded. Either way the file is reported failed and the slot
 * gets a fresh worker for its next file, so one bad file costs one file.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(s: Slot) => void> = [];
  private readonly dying = new Set<Promise<number>>();
  private nextId = 1;
  /** Workers started, including replacements (the summary reports restarts). */
  started = 0;
  /** Each worker's native-call guard (src/native.ts). */
  private readonly native = new WeakMap<Worker, Int32Array>();
  private closed = false;
  /** Converter turns (LibreOffice) of all the workers; it kills the converter of a worker ended here. */
  readonly converters: ConverterGate;

  constructor(private readonly opts: PoolOptions) {
    this.converters = new ConverterGate(opts.maxConversions ?? 1);
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      const slot: Slot = { worker: null, ready: null, settle: null };
      this.slots.push(slot);
      this.idle.push(slot);
    }
  }

  async run(task: Task): Promise<Outcome> {
    const slot = this.idle.pop() ?? (await new Promise<Slot>((resolve) => this.waiting.push(resolve)));
    try {
      return await this.runOn(slot, task);
    } finally {
      const next = this.waiting.shift();
      if (next) next(slot);
      else this.idle.push(slot);
    }
  }

  /**
   * Starts every slot's worker now rather than on its first file, so their start overlaps what the caller
   * does before it has files to give (a batch expands its inputs and opens its journal meanwhile).
   */
  prestart(): void {
    for (const slot of this.slots) if (!slot.worker && !this.closed) this.spawn(slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) this.kill(slot);
    await Promise.all([...this.dying, this.converters.close()]);
  }

  private async runOn(slot: Slot, task: Task): Promise<Outcome> {
    // Timed from the moment the file is handed to its worker, a fresh worker's start included: `--timeout`
    // bounds the wall clock the caller waits, and a start slowed by a loaded machine is part of it.
    const t0 = performance.now();
    const timeoutMs = task.timeoutMs ?? this.opts.timeoutMs;
    // The same moment on the worker's clock: what it runs outside itself (a converter) must end by then.
    const deadlineAt = Date.now() + timeoutMs;
    const timedOut = (starting: boolean): Outcome => ({
      kind: 'failed',
      code: 'timeout',
      reason: `no result within ${Math.round(timeoutMs / 100) / 10} s${starting ? ' (the worker was still starting)' : ''}; worker terminated`,
      ms: performance.now() - t0,
    });
    if (!slot.worker) this.spawn(slot);
    // Held while starting and working; only an idle worker is unref'd.
    slot.worker?.ref();
    let startTimer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<'late'>((resolve) => (startTimer = setTimeout(() => resolve('late'), timeoutMs)));
      if ((await Promise.race([slot.ready, late])) === 'late') {
        this.replace(slot);
        return timedOut(true);
      }
    } catch (e) {
      this.kill(slot);
      return { kind: 'failed', code: 'crash', reason: `worker failed to start: ${(e as Error).message}`.split('\n')[0], ms: 0 };
    } finally {
      clearTimeout(startTimer);
    }
    const worker = slot.worker as Worker;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      // Kept so a timeout or a crash after hashing is still recorded with the content's hash.
      let sha256: string | undefined;
      const done = (o: Outcome) => {
        if (this.opts.unrefIdle) slot.worker?.unref();
        resolve(o);
      };
      const timer = setTimeout(() => {
        slot.settle = null;
        this.replace(slot);
        done({ ...timedOut(false), ...(sha256 ? { sha256 } : {}) });
      }, Math.max(0, t0 + timeoutMs - performance.now()));
      const settle: NonNullable<Slot['settle']> = (m) => {
        if ((m.type === 'ok' || m.type === 'error' || m.type === 'hashed') && m.id !== id) return;
        const ms = performance.now() - t0;
        if (m.type === 'hashed') {
          sha256 = m.sha256;
          void Promise.resolve(task.onHashed ? task.onHashed(m) : true).then((go) => {
            if (slot.settle !== settle) return; // timed out or died meanwhile
            worker.postMessage({ type: go ? 'go' : 'drop', id } satisfies ToWorker);
            if (go) return;
            // The worker drops the file and is idle again before it reads its next message.
            clearTimeout(timer);
            slot.settle = null;
            done({ kind: 'stopped', ms: performance.now() - t0 });
          });
          return;
        }
        clearTimeout(timer);
        slot.settle = null;
        if (m.type === 'ok') {
          done({
            kind: 'ok',
            ...(m.result ? { result: m.result } : {}),
            ...(m.json !== undefined ? { json: m.json } : {}),
            ...(m.bytes ? { bytes: m.bytes } : {}),
            ...(m.facts ? { facts: m.facts } : {}),
            digest: m.digest,
            ...(m.sha256 ? { sha256: m.sha256 } : {}),
            ms,
          });
        } else if (m.type === 'error') {
          done({ kind: 'failed', code: m.code, reason: m.reason, ...(m.sha256 ? { sha256: m.sha256 } : {}), ...(m.detected ? { detected: m.detected } : {}), ms });
        } else if (m.type === 'dead') {
          this.replace(slot);
          done({ kind: 'failed', code: m.code, reason: m.reason, ...(sha256 ? { sha256 } : {}), ms });
        }
      };
      slot.settle = settle;
      const msg: ToWorker = {
        type: 'task',
        id,
        path: task.path,
        lang: task.lang,
        shape: task.shape ?? 'object',
        deadlineAt,
        ...(task.file !== undefined ? { file: task.file } : {}),
        ...(task.maxBytes !== undefined ? { maxBytes: task.maxBytes } : {}),
        ...(task.convertWith ? { convertWith: task.convertWith } : {}),
        ...(task.onHashed ? { pauseAfterHash: true } : {}),
      };
      if (task.bytes) {
        const bytes = task.copy ? new Uint8Array(task.bytes) : ownBuffer(task.bytes);
        worker.postMessage({ ...msg, bytes }, [bytes.buffer as ArrayBuffer]);
      } else worker.postMessage(msg);
    });
  }

  private spawn(slot: Slot): void {
    const { url, bootstrap } = workerEntry();
    const native = new SharedArrayBuffer(8);
    const init: WorkerInit = { ...(this.opts.parser ? { parser: this.opts.parser } : {}), ...(this.opts.warm ? { warm: true } : {}), ...(this.opts.warm || this.opts.preloadPdf ? { preloadPdf: true } : {}), native };
    const options = {
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb },
      // The worker's console output would interleave with the progress bar; parse errors travel as messages.
      stdout: true,
      stderr: true,
    };
    const worker = bootstrap ? new Worker(bootstrap, { ...options, eval: true }) : new Worker(url, options);
    // Drained so a chatty parser cannot fill the pipe and block.
    worker.stdout.resume();
    worker.stderr.resume();
    if (this.opts.unrefIdle) worker.unref();
    this.started++;
    slot.worker = worker;
    this.native.set(worker, new Int32Array(native));
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    let isReady = false;
    slot.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // Nobody may be awaiting `ready` when a worker dies idle; keep that from being an unhandled rejection.
    slot.ready.catch(() => undefined);
    const startupTimer = setTimeout(() => {
      if (!isReady) failStart(new Error(`not ready within ${(this.opts.startupTimeoutMs ?? 60_000) / 1000} s`));
    }, this.opts.startupTimeoutMs ?? 60_000);
    startupTimer.unref();

    worker.on('message', (m: ToMain) => {
      if (m.type === 'lease' || m.type === 'child' || m.type === 'unlease') {
        if (slot.worker === worker) this.converter(worker, m);
      } else if (m.type === 'ready') {
        isReady = true;
        clearTimeout(startupTimer);
        markReady();
      } else if (slot.worker === worker) slot.settle?.(m);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (!isReady) {
        clearTimeout(startupTimer);
        failStart(err);
        return;
      }
      if (slot.worker !== worker) return;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      slot.settle?.({
        type: 'dead',
        code: oom ? 'oom' : 'crash',
        reason: oom ? `worker ran out of memory (cap ${this.opts.maxMemoryMb} MB); worker replaced` : `worker crashed: ${err.name}: ${err.message}`.split('\n')[0],
      });
    });
    worker.on('exit', (code) => {
      if (!isReady) {
        clearTimeout(startupTimer);
        failStart(new Error(`worker exited with code ${code} while starting`));
      }
      this.converters.drop(worker);
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ready = null;
      slot.settle?.({ type: 'dead', code: 'crash', reason: `worker exited with code ${code} during the parse; worker replaced` });
    });
  }

  /**
   * Terminates a worker once no native call (onnxruntime, libvips) is in flight in it: one completing
   * into a terminated thread aborts the whole process. No new one starts once `closing` is set, so the
   * wait is at most the calls already running; the file's outcome was reported already.
   */
  private async terminateSafely(w: Worker): Promise<number> {
    const guard = this.native.get(w);
    if (guard) {
      Atomics.store(guard, NATIVE_CLOSING, 1);
      while (Atomics.load(guard, NATIVE_IN_FLIGHT) > 0) await new Promise((r) => setTimeout(r, 20));
    }
    return w.terminate().catch(() => 0);
  }

  private converter(worker: Worker, m: ConverterToPool): void {
    if (m.type === 'lease') this.converters.request(worker, m.lease, (profile) => worker.postMessage({ type: 'leased', lease: m.lease, profile } satisfies ToWorker));
    else if (m.type === 'child') this.converters.started(worker, m.lease, m.pgid);
    else this.converters.release(worker, m.lease, m.dirty);
  }

  /**
   * Ends the slot's worker and starts its successor at once: the next file then finds it loaded (or
   * loading), instead of paying the start — seconds on a loaded machine — inside its own deadline.
   */
  private replace(slot: Slot): void {
    this.kill(slot);
    if (!this.closed) this.spawn(slot);
  }

  private kill(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    slot.ready = null;
    slot.settle = null;
    if (!w) return;
    // A converter the worker started is a process of its own: it would outlive the terminated thread.
    this.converters.drop(w);
    const p = this.terminateSafely(w);
    this.dying.add(p);
    void p.finally(() => this.dying.delete(p));
  }
}

/** Copies only when the bytes are a view into a larger buffer (transferring that would hand over more than the file). */
function ownBuffer(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b;
  return new Uint8Array(b);
}

/**
 * The worker file next to this module: worker.js in dist/, worker.ts under vitest
 * or tsx. Node 20 ignores `execArgv: ['--import', 'tsx']` for a worker's own entry
 * (the loader hooks are registered too late), so a .ts worker starts from a tiny
 * eval'd script that registers tsx's ESM hooks and then imports it.
 */
export function workerEntry(): { url: URL; bootstrap?: string } {
  const self = import.meta.url;
  const ts = /\.ts$/.test(new URL(self).pathname);
  const url = new URL(ts ? './worker.ts' : './worker.js', self);
  if (!ts) return { url };
  // The ESM build of tsx's API, located through package.json: its CJS build cannot be import()ed.
  const tsxRoot = dirname(createRequire(self).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return { url, bootstrap };
}
