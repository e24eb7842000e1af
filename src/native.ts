/**
 * Native async work in flight (onnxruntime inference, libvips decoding), counted so a worker thread is
 * never terminated in the middle of it: a native call completing into a torn-down thread throws a C++
 * exception nothing catches, and the whole process aborts ("terminate called after throwing an instance
 * of 'Napi::Error'") — a scanned PDF past its deadline took a whole batch down that way.
 *
 * A worker pool shares the counter with each worker (a SharedArrayBuffer): to end a worker it first sets
 * `closing`, after which no native call starts here, then terminates the thread once none is in flight.
 * Both sides use sequentially consistent atomics (this side adds then reads `closing`; the pool sets
 * `closing` then reads the count), so one of them always sees the other.
 */

/** [0]: native calls in flight; [1]: 1 once the owner wants to end this thread. */
let guard: Int32Array = new Int32Array(new SharedArrayBuffer(8));

export const NATIVE_IN_FLIGHT = 0;
export const NATIVE_CLOSING = 1;

/** Installs the counter a worker pool shares with this thread. */
export function setNativeGuard(shared: Int32Array): void {
  guard = shared;
}

/** Runs `work` (one native async call) counted; refused once the thread is being ended. */
export async function nativeCall<T>(work: () => Promise<T>): Promise<T> {
  Atomics.add(guard, NATIVE_IN_FLIGHT, 1);
  try {
    if (Atomics.load(guard, NATIVE_CLOSING)) throw new Error('this worker is being ended: no native work may start');
    return await work();
  } finally {
    Atomics.sub(guard, NATIVE_IN_FLIGHT, 1);
  }
}
