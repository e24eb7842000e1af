import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Lang } from '../audit/types.js';
import type { ParseResult } from '../model/index.js';
import type { ToMain, ToWorker, WorkerInit } from './protocol.js';

export interface PoolOptions {
  size: number;
  /** Per file, counted from the moment the file is handed to a ready worker. */
  timeoutMs: number;
  /** V8 old-space cap of each worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxMemoryMb: number;
  /** Module URL exporting parseBytes, instead of the real pipeline. */
  parser?: string;
  /** How long a new worker may take to load the pipeline before it counts as crashed. */
  startupTimeoutMs?: number;
}

export interface Task {
  bytes: Uint8Array;
  path: string;
  lang: Lang;
}

export type Outcome =
  | { kind: 'ok'; result: ParseResult; ms: number }
  | { kind: 'failed'; code: string; reason: string; ms: number };

interface Slot {
  worker: Worker | null;
  ready: Promise<void> | null;
  /** Settles the task in flight on this slot, if any. */
  settle: ((m: ToMain | { type: 'dead'; code: string; reason: string }) => void) | null;
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

  constructor(private readonly opts: PoolOptions) {
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

  async close(): Promise<void> {
    for (const slot of this.slots) this.kill(slot);
    await Promise.all([...this.dying]);
  }

  private async runOn(slot: Slot, task: Task): Promise<Outcome> {
    if (!slot.worker) this.spawn(slot);
    try {
      await slot.ready;
    } catch (e) {
      this.kill(slot);
      return { kind: 'failed', code: 'crash', reason: `worker failed to start: ${(e as Error).message}`.split('\n')[0], ms: 0 };
    }
    // Timed from here, so loading the pipeline into a fresh worker counts against neither the timeout nor `ms`.
    const t0 = performance.now();
    const worker = slot.worker as Worker;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        slot.settle = null;
        this.kill(slot);
        resolve({ kind: 'failed', code: 'timeout', reason: `no result within ${Math.round(this.opts.timeoutMs / 100) / 10} s; worker terminated`, ms: performance.now() - t0 });
      }, this.opts.timeoutMs);
      slot.settle = (m) => {
        if ((m.type === 'ok' || m.type === 'error') && m.id !== id) return;
        clearTimeout(timer);
        slot.settle = null;
        const ms = performance.now() - t0;
        if (m.type === 'ok') resolve({ kind: 'ok', result: m.result, ms });
        else if (m.type === 'error') resolve({ kind: 'failed', code: m.code, reason: m.reason, ms });
        else if (m.type === 'dead') {
          this.kill(slot);
          resolve({ kind: 'failed', code: m.code, reason: m.reason, ms });
        }
      };
      const bytes = ownBuffer(task.bytes);
      const msg: ToWorker = { id, bytes, path: task.path, lang: task.lang };
      worker.postMessage(msg, [bytes.buffer as ArrayBuffer]);
    });
  }

  private spawn(slot: Slot): void {
    const { url, bootstrap } = workerEntry();
    const init: WorkerInit = this.opts.parser ? { parser: this.opts.parser } : {};
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
    this.started++;
    slot.worker = worker;
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
      if (m.type === 'ready') {
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
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ready = null;
      slot.settle?.({ type: 'dead', code: 'crash', reason: `worker exited with code ${code} during the parse; worker replaced` });
    });
  }

  private kill(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    slot.ready = null;
    slot.settle = null;
    if (!w) return;
    const p = w.terminate().catch(() => 0);
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
