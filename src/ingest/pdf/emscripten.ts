/**
 * The few host functions PDFium's WebAssembly (the @embedpdf/pdfium build) imports, written here instead of
 * loading the package's Emscripten glue. That glue is a 290 KB debug build: a fresh process spent 25–45 ms
 * parsing it and 35–80 ms in its start-up (a wrapper with assertions per export, a virtual file system),
 * on every cold `parse` and every batch worker, for nothing a text reader uses.
 *
 * What PDFium calls, measured on the samples, the template and fuzz PDFs and the hostile files (rendering
 * included): memcpy, heap growth, setjmp/longjmp (the invoke_* trampolines, from the image decoders), and
 * four `openat` of font folders, which find nothing, as in the glue's empty in-memory file system. The rest
 * is answered as a sandbox without files, environment or time zone would answer: no such file, bad file
 * descriptor, UTC.
 *
 * Semantics follow the glue of Emscripten 3.1 this build was made with (src/library.js there): longjmp
 * throws `Infinity`, an invoke_* trampoline that catches a number restores the stack and sets the
 * threw flag, anything else propagates; abort and failed assertions throw WebAssembly.RuntimeError.
 */

/** The WebAssembly globals used here, typed by hand: the project's lib has no DOM, and @types/node does not declare them. */
export type WasmModule = { readonly __wasmModule: unique symbol };
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmTable {
  get(index: number): ((...args: number[]) => number) | null;
}
type Exported = Record<string, unknown> & { memory: WasmMemory; __indirect_function_table: WasmTable };
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ readonly exports: unknown }>;
  RuntimeError: new (message: string) => Error;
};

/** Compiles the module's bytes (on V8's background threads: the returned promise does not block). */
export function compile(bytes: Uint8Array): Promise<WasmModule> {
  return WebAssembly.compile(bytes);
}

/** Typed views of the module's memory; replaced (by heap growth) when the memory's buffer changes. */
export interface Heaps {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPU32: Uint32Array;
  HEAPF32: Float32Array;
  HEAPF64: Float64Array;
}

export interface Instance {
  /** The module's exported functions, by their C names. */
  readonly functions: Record<string, (...args: number[]) => number>;
  readonly heaps: Heaps;
}

// Emscripten's musl errno values (negated for __syscall_*, positive for WASI calls).
const ENOENT = 44;
const EBADF = 8;
const ENOTTY = 59;
/** The build's maximum memory: one WebAssembly page short of 2 GB. */
const HEAP_MAX = 2147483648;
const PAGE = 65536;

/**
 * Instantiates a compiled PDFium module with these host functions and runs its static constructors. The
 * caller then calls `PDFiumExt_Init`. A trap anywhere (abort included) rejects.
 */
export async function instantiate(module: WasmModule): Promise<Instance> {
  // The exports are needed by imports that run only after instantiation (stack save/restore, threw).
  let fns: Record<string, (...args: number[]) => number> = {};
  let memory: WasmMemory | undefined;
  let table: WasmTable | undefined;
  const heaps = {} as Heaps;
  const views = () => {
    const b = memory!.buffer;
    heaps.HEAPU8 = new Uint8Array(b);
    heaps.HEAP32 = new Int32Array(b);
    heaps.HEAPU32 = new Uint32Array(b);
    heaps.HEAPF32 = new Float32Array(b);
    heaps.HEAPF64 = new Float64Array(b);
  };
  const fail = (what: string): never => {
    throw new WebAssembly.RuntimeError(`Aborted(${what})`);
  };
  const entries: Array<((...args: number[]) => number) | null | undefined> = [];
  const entry = (index: number) => {
    let f = entries[index];
    if (f === undefined) entries[index] = f = table!.get(index);
    if (!f) fail(`call to a null table entry ${index}`);
    return f!;
  };
  // setjmp/longjmp: a longjmp throws a number through the WebAssembly frames up to the trampoline that
  // made the setjmp call, which restores the stack pointer and tells the code a jump happened.
  const invoke = (index: number, ...args: number[]) => {
    const sp = fns.emscripten_stack_get_current();
    try {
      return entry(index)(...args);
    } catch (e) {
      fns._emscripten_stack_restore(sp);
      if (typeof e !== 'number') throw e;
      fns.setThrew(1, 0);
      return 0;
    }
  };
  const resize = (requested: number) => {
    const old = heaps.HEAPU8.length;
    requested >>>= 0;
    if (requested > HEAP_MAX) return 0;
    // As the glue: grow by 20 % (capped at 96 MB over the request), backing off when the grow fails.
    for (let cut = 1; cut <= 4; cut *= 2) {
      const over = Math.min(old * (1 + 0.2 / cut), requested + 100663296);
      const size = Math.min(HEAP_MAX, Math.ceil(Math.max(requested, over) / PAGE) * PAGE);
      try {
        memory!.grow((size - memory!.buffer.byteLength + PAGE - 1) / PAGE | 0);
        views();
        return 1;
      } catch {
        // try a smaller step
      }
    }
    return 0;
  };
  const tm = (time: number, ptr: number) => {
    const d = new Date(time * 1000);
    const i = ptr >> 2;
    const h = heaps.HEAP32;
    h[i] = d.getUTCSeconds();
    h[i + 1] = d.getUTCMinutes();
    h[i + 2] = d.getUTCHours();
    h[i + 3] = d.getUTCDate();
    h[i + 4] = d.getUTCMonth();
    h[i + 5] = d.getUTCFullYear() - 1900;
    h[i + 6] = d.getUTCDay();
    h[i + 7] = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000);
    h[i + 8] = 0; // no daylight saving
    h[i + 9] = 0; // offset from UTC
  };
  const writeCString = (s: string, ptr: number) => {
    for (let k = 0; k < s.length; k++) heaps.HEAPU8[ptr + k] = s.charCodeAt(k);
    heaps.HEAPU8[ptr + s.length] = 0;
  };
  const i53 = (lo: number, hi: number) => (lo >>> 0) + hi * 4294967296;

  const env = {
    invoke_v: invoke,
    invoke_vi: invoke,
    invoke_vii: invoke,
    invoke_viii: invoke,
    invoke_viiii: invoke,
    invoke_viiiiiiiii: invoke,
    invoke_ii: invoke,
    invoke_iii: invoke,
    invoke_iiii: invoke,
    invoke_iiiii: invoke,
    _emscripten_throw_longjmp: () => {
      throw Infinity;
    },
    _emscripten_memcpy_js: (dest: number, src: number, n: number) => heaps.HEAPU8.copyWithin(dest, src, src + n),
    emscripten_resize_heap: resize,
    emscripten_date_now: () => Date.now(),
    _abort_js: () => fail('native code called abort()'),
    __assert_fail: () => fail('assertion failed'),
    _tzset_js: (timezone: number, daylight: number, stdName: number, dstName: number) => {
      heaps.HEAPU32[timezone >> 2] = 0;
      heaps.HEAP32[daylight >> 2] = 0;
      writeCString('UTC', stdName);
      writeCString('UTC', dstName);
    },
    _localtime_js: (lo: number, hi: number, ptr: number) => tm(i53(lo, hi), ptr),
    _gmtime_js: (lo: number, hi: number, ptr: number) => tm(i53(lo, hi), ptr),
    // No files: every path is missing, every descriptor bad.
    __syscall_openat: () => -ENOENT,
    __syscall_stat64: () => -ENOENT,
    __syscall_lstat64: () => -ENOENT,
    __syscall_newfstatat: () => -ENOENT,
    __syscall_unlinkat: () => -ENOENT,
    __syscall_rmdir: () => -ENOENT,
    __syscall_fstat64: () => -EBADF,
    __syscall_fcntl64: () => -EBADF,
    __syscall_getdents64: () => -EBADF,
    __syscall_ftruncate64: () => -EBADF,
    __syscall_ioctl: () => -ENOTTY,
  };
  const wasi = {
    // PDFium's own diagnostics (stdout, stderr) are dropped; the bytes are reported written so libc does not retry.
    fd_write: (_fd: number, iov: number, count: number, written: number) => {
      let n = 0;
      for (let k = 0; k < count; k++) n += heaps.HEAPU32[(iov >> 2) + k * 2 + 1];
      heaps.HEAPU32[written >> 2] = n;
      return 0;
    },
    fd_read: () => EBADF,
    fd_close: () => EBADF,
    fd_seek: () => EBADF,
    fd_sync: () => EBADF,
    environ_sizes_get: (count: number, size: number) => {
      heaps.HEAPU32[count >> 2] = 0;
      heaps.HEAPU32[size >> 2] = 0;
      return 0;
    },
    environ_get: () => 0,
  };

  const instance = await WebAssembly.instantiate(module, { env, wasi_snapshot_preview1: wasi });
  const exported = instance.exports as Exported;
  memory = exported.memory;
  table = exported.__indirect_function_table;
  fns = Object.fromEntries(Object.entries(exported).filter(([, v]) => typeof v === 'function')) as typeof fns;
  views();
  fns.emscripten_stack_init();
  fns.__wasm_call_ctors();
  return { functions: fns, heaps };
}
