/**
 * Worker thread entry: parses the files the pool sends, one at a time.
 * Runs from dist/batch/worker.js in production and from this .ts file under
 * vitest/tsx (the pool bootstraps tsx for it, see pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseResult } from '../model/index.js';
import type { Lang } from '../audit/types.js';
import type { ToMain, ToWorker, WorkerInit } from './protocol.js';

type ParseBytes = (bytes: Uint8Array, opts: { path?: string; lang?: Lang }) => Promise<ParseResult>;

const init = (workerData ?? {}) as WorkerInit;
// `parser` lets a library user (and the tests) swap the pipeline for another module
// exporting parseBytes; the CLI never sets it.
const mod = (init.parser ? await import(init.parser) : await import('../parse.js')) as { parseBytes: ParseBytes };

const port = parentPort;
if (!port) throw new Error('batch worker started outside a worker thread');

port.on('message', (msg: ToWorker) => {
  void handle(msg).then((reply) => port.postMessage(reply));
});
port.postMessage({ type: 'ready' } satisfies ToMain);

async function handle(msg: ToWorker): Promise<ToMain> {
  const t0 = performance.now();
  try {
    const result = await mod.parseBytes(msg.bytes, { path: msg.path, lang: msg.lang });
    return { type: 'ok', id: msg.id, result, ms: performance.now() - t0 };
  } catch (e) {
    return { type: 'error', id: msg.id, ...describe(e), ms: performance.now() - t0 };
  }
}

/** Duck-typed rather than instanceof: a custom parser module may bring its own copy of errors.js. */
function describe(e: unknown): { code: string; reason: string } {
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof Error && e.name === 'NianbaoError' && typeof code === 'string') {
    return { code, reason: e.message.split('\n')[0] };
  }
  if (e instanceof Error) return { code: 'internal', reason: `${e.name}: ${e.message}`.split('\n')[0] };
  return { code: 'internal', reason: String(e).split('\n')[0] };
}
