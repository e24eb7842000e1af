import { constants, inflateRawSync } from 'node:zlib';
import { NianbaoError } from '../errors.js';

/**
 * A guarded reader for the zip containers of DOCX and XLSX. Office files come
 * from the open web, so the directory is read by hand (fflate's unzipSync trusts
 * declared sizes and inflates everything) and every inflate is capped twice:
 * against what the directory declares and against a running total.
 *
 * Inflation uses node:zlib rather than fflate: `maxOutputLength` stops a bomb
 * inside the native loop (checked per 16 KB of output), and it is 3–20× faster
 * than fflate's streaming Inflate fed in slices small enough to be safe.
 */

export interface ZipLimits {
  /** Sum of uncompressed sizes, declared and actually inflated. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotalBytes: 200 * 1024 * 1024, maxEntries: 5000 };

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  flags: number;
}

export interface GuardedZip {
  entries: ZipEntry[];
  has(name: string): boolean;
  /** Inflates one entry; undefined when absent. */
  read(name: string): Uint8Array | undefined;
  /** Inflates one entry as UTF-8 text, refusing DTDs (external entities, entity expansion). */
  readXml(name: string): string | undefined;
  /** The first bytes of an entry's content, at most `max`, without inflating the rest (a look before a costly read). */
  head(name: string, max: number): Uint8Array | undefined;
}

const MB = 1024 * 1024;

export function openZip(bytes: Uint8Array, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): GuardedZip {
  const entries = readDirectory(bytes, what, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  let inflated = 0;

  const read = (name: string): Uint8Array | undefined => {
    const e = byName.get(name);
    if (!e) return undefined;
    const out = inflateEntry(bytes, e, what, limits.maxTotalBytes - inflated);
    inflated += out.length;
    return out;
  };
  return {
    entries,
    has: (name) => byName.has(name),
    read,
    head(name, max) {
      const e = byName.get(name);
      return e ? headOf(bytes, e, what, max) : undefined;
    },
    readXml(name) {
      const raw = read(name);
      if (!raw) return undefined;
      refuseDtd(raw, `${what}: ${name}`);
      return decodeXml(raw, `${what}: ${name}`);
    },
  };
}

/** Inflate every entry once under the caps (for handing the file to a library that would not cap). */
export function checkAllEntries(zip: GuardedZip, xml: (name: string) => boolean, what: string): void {
  for (const e of zip.entries) {
    if (e.name.endsWith('/')) continue;
    const data = zip.read(e.name)!;
    if (xml(e.name)) refuseDtd(data, `${what}: ${e.name}`);
  }
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 2 ** 32;
}

function corrupt(what: string, reason: string): NianbaoError {
  return new NianbaoError('corrupt', `${what}: ${reason}`);
}

function readDirectory(b: Uint8Array, what: string, limits: ZipLimits): ZipEntry[] {
  // The end-of-central-directory record sits in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt(what, 'truncated or damaged zip container (no end-of-central-directory record)');
  let count = u16(b, eocd + 10);
  let dirSize = u32(b, eocd + 12);
  let dirOffset = u32(b, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(b, loc) !== 0x07064b50) throw corrupt(what, 'damaged ZIP64 directory locator');
    const z = u64(b, loc + 8);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) throw corrupt(what, 'damaged ZIP64 directory');
    count = u64(b, z + 32);
    dirSize = u64(b, z + 40);
    dirOffset = u64(b, z + 48);
  }
  if (count > limits.maxEntries) throw new NianbaoError('too-large', `${what}: zip has ${count} entries (limit ${limits.maxEntries})`);
  if (dirOffset + dirSize > b.length) throw corrupt(what, 'truncated zip container (central directory beyond end of file)');

  const entries: ZipEntry[] = [];
  let declared = 0;
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) throw corrupt(what, 'damaged zip central directory');
    const flags = u16(b, p + 8);
    const method = u16(b, p + 10);
    let compressedSize = u32(b, p + 20);
    let size = u32(b, p + 24);
    const nameLen = u16(b, p + 28);
    const extraLen = u16(b, p + 30);
    const commentLen = u16(b, p + 32);
    let localOffset = u32(b, p + 42);
    if (p + 46 + nameLen + extraLen > b.length) throw corrupt(what, 'damaged zip central directory');
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen));
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64 extra field: the 8-byte values appear only for the fields that overflowed, in this order.
      let x = p + 46 + nameLen;
      const end = x + extraLen;
      while (x + 4 <= end) {
        const id = u16(b, x);
        const len = u16(b, x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (size === 0xffffffff) { size = u64(b, q); q += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = u64(b, q); q += 8; }
          if (localOffset === 0xffffffff) { localOffset = u64(b, q); q += 8; }
          break;
        }
        x += 4 + len;
      }
    }
    if (flags & 1) throw new NianbaoError('encrypted', `${what}: zip entry ${name} is encrypted`);
    declared += size;
    if (declared > limits.maxTotalBytes) {
      throw new NianbaoError('too-large', `${what}: declared uncompressed size exceeds ${Math.round(limits.maxTotalBytes / MB)} MB (zip bomb?)`);
    }
    entries.push({ name, method, compressedSize, size, localOffset, flags });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function inflateEntry(b: Uint8Array, e: ZipEntry, what: string, budget: number): Uint8Array {
  const h = e.localOffset;
  if (h + 30 > b.length || u32(b, h) !== 0x04034b50) throw corrupt(what, `truncated zip container (${e.name} missing)`);
  const start = h + 30 + u16(b, h + 26) + u16(b, h + 28);
  const end = start + e.compressedSize;
  if (end > b.length) throw corrupt(what, `truncated zip container (${e.name} cut short)`);
  const data = b.subarray(start, end);
  const tooLarge = () =>
    new NianbaoError('too-large', `${what}: ${e.name} inflates beyond its declared size or the ${Math.round(budget / MB)} MB budget (zip bomb?)`);
  if (e.method === 0) {
    if (data.length !== e.size) throw corrupt(what, `${e.name}: stored size mismatch`);
    if (data.length > budget) throw tooLarge();
    return data;
  }
  if (e.method !== 8) throw new NianbaoError('unsupported', `${what}: ${e.name} uses zip compression method ${e.method}`);

  // Declared size is the cap: an honest writer never exceeds it, and a bomb
  // that lies about it is stopped as soon as its output passes it.
  if (e.size === 0 && data.length === 0) return new Uint8Array(0);
  const cap = Math.min(e.size, budget);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, cap) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw tooLarge();
    throw corrupt(what, `${e.name} cannot be inflated (${String((err as Error).message).split('\n')[0]})`);
  }
  if (out.length !== e.size) {
    if (e.size > budget) throw tooLarge();
    throw corrupt(what, `${e.name} is truncated or damaged (inflated ${out.length} of ${e.size} bytes)`);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Inflates only enough of an entry for its first `max` bytes: the compressed stream
 * is cut (deflate reaches at most ~1032:1, so `max / 64` compressed bytes give `max`
 * or more of any real text) and flushed as far as it goes.
 */
function headOf(b: Uint8Array, e: ZipEntry, what: string, max: number): Uint8Array {
  const h = e.localOffset;
  if (h + 30 > b.length || u32(b, h) !== 0x04034b50) throw corrupt(what, `truncated zip container (${e.name} missing)`);
  const start = h + 30 + u16(b, h + 26) + u16(b, h + 28);
  const data = b.subarray(start, Math.min(b.length, start + e.compressedSize));
  if (e.method === 0) return data.subarray(0, max);
  if (e.method !== 8) throw new NianbaoError('unsupported', `${what}: ${e.name} uses zip compression method ${e.method}`);
  const cut = data.subarray(0, Math.max(4096, Math.ceil(max / 64)));
  try {
    const out = inflateRawSync(cut, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1032 * cut.length + 1024 });
    return new Uint8Array(out.buffer, out.byteOffset, Math.min(max, out.length));
  } catch (err) {
    throw corrupt(what, `${e.name} cannot be inflated (${String((err as Error).message).split('\n')[0]})`);
  }
}

const DTD = [0x3c, 0x21]; // "<!"

/** Refuses `<!DOCTYPE` / `<!ENTITY`: OOXML never needs them, and they are how XXE and entity bombs arrive. */
export function refuseDtd(raw: Uint8Array, where: string): void {
  const utf16 = raw.length > 1 && ((raw[0] === 0xff && raw[1] === 0xfe) || (raw[0] === 0xfe && raw[1] === 0xff) || raw[1] === 0 || raw[0] === 0);
  const text = utf16 ? decodeXml(raw, where) : null;
  if (text !== null) {
    if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw new NianbaoError('corrupt', `${where}: XML with a DOCTYPE/ENTITY declaration is refused (external entities)`);
    return;
  }
  for (let i = raw.indexOf(DTD[0]); i >= 0 && i < raw.length - 8; i = raw.indexOf(DTD[0], i + 1)) {
    if (raw[i + 1] !== DTD[1]) continue;
    const word = String.fromCharCode(...raw.subarray(i + 2, i + 9)).toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) {
      throw new NianbaoError('corrupt', `${where}: XML with a DOCTYPE/ENTITY declaration is refused (external entities)`);
    }
  }
}

export function decodeXml(raw: Uint8Array, where: string): string {
  try {
    if (raw[0] === 0xff && raw[1] === 0xfe) return new TextDecoder('utf-16le').decode(raw);
    if (raw[0] === 0xfe && raw[1] === 0xff) return new TextDecoder('utf-16be').decode(raw);
    if (raw[0] === 0x3c && raw[1] === 0) return new TextDecoder('utf-16le').decode(raw);
    if (raw[0] === 0 && raw[1] === 0x3c) return new TextDecoder('utf-16be').decode(raw);
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new NianbaoError('corrupt', `${where}: XML is not valid UTF-8`);
  }
}
