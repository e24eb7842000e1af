/** Shared by the .doc and .xls tests: fixtures, CFB stream surgery and a seeded byte mutator. */
import { readFileSync } from 'node:fs';
import CFB from 'cfb';

export const legacyFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/legacy/${name}`, import.meta.url)));

/** Rewrites one stream of a compound file (the container stays valid, so the format reader is what is tested). */
export function withStream(file: Uint8Array, name: string, edit: (s: Uint8Array) => Uint8Array): Uint8Array {
  const cfb = CFB.read(file, { type: 'buffer' });
  const entry = CFB.find(cfb, name);
  if (!entry) throw new Error(`no stream ${name}`);
  entry.content = edit(Uint8Array.from(entry.content as Uint8Array));
  entry.size = entry.content.length;
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
}

/** A compound file with the given streams, for the detection of other OLE formats. */
export function oleWith(streams: Record<string, Uint8Array>): Uint8Array {
  const cfb = CFB.utils.cfb_new();
  for (const [name, data] of Object.entries(streams)) CFB.utils.cfb_add(cfb, `/${name}`, data);
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
}

/** A deterministic PRNG (mulberry32), so a failing mutation can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Overwrites 1–8 bytes of a copy: random values, 0x00 or 0xFF (the values that break lengths and counts). */
export function mutate(bytes: Uint8Array, next: () => number, from = 0, to = bytes.length): Uint8Array {
  const out = Uint8Array.from(bytes);
  const n = 1 + Math.floor(next() * 8);
  for (let k = 0; k < n; k++) {
    const at = from + Math.floor(next() * (to - from));
    const pick = next();
    out[at] = pick < 0.2 ? 0 : pick < 0.4 ? 0xff : Math.floor(next() * 256);
  }
  return out;
}
