/** Shared by the .doc and .xls tests: fixtures, CFB stream surgery and a seeded byte mutator. */
import { readFileSync } from 'node:fs';
import CFB from 'cfb';
import { expect } from 'vitest';
import type { DocumentModel } from '../../src/document/model.js';
import { NianbaoError } from '../../src/errors.js';
import type { IngestOptions } from '../../src/ingest/index.js';

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

/** The suite's seeded PRNG, so a failing mutation replays from its seed. */
export { rng } from './batch-reports.js';

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

// ------------------------------------------------------------------ a tiny BIFF8 writer

/** One BIFF record: type, then its body. */
export function record(type: number, ...parts: (Uint8Array | number[])[]): Uint8Array {
  const body = Uint8Array.from(parts.flatMap((p) => [...p]));
  return Uint8Array.from([type & 0xff, type >> 8, body.length & 0xff, body.length >> 8, ...body]);
}

export const u16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
export const u32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
export const f64 = (v: number): number[] => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v, true);
  return [...new Uint8Array(b.buffer)];
};
/** Characters as BIFF8 stores them: 8-bit when every one fits (flag 0), else UTF-16 (flag 1). */
export const biffChars = (s: string, wide = /[^\x00-\xff]/.test(s)): number[] =>
  wide ? [...Buffer.from(s, 'utf16le')] : [...s].map((c) => c.charCodeAt(0));

export interface BiffSheet {
  name: string;
  hidden?: boolean;
  /** Sheet-substream records between its BOF and EOF. */
  records: Uint8Array[];
}

/** A Workbook stream: globals (BOF, the given records, BOUNDSHEETs, EOF), then each sheet's substream. */
export function biffWorkbook(globals: Uint8Array[], sheets: BiffSheet[]): Uint8Array {
  const bof = (dt: number) => record(0x0809, u16(0x0600), u16(dt), u16(0), u16(0), u32(0), u32(0));
  const eof = record(0x000a);
  const boundsheet = (s: BiffSheet, offset: number) => record(0x0085, u32(offset), [s.hidden ? 1 : 0, 0], [s.name.length, 1], biffChars(s.name, true));
  const size = (parts: Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);
  const head = [bof(0x0005), ...globals];
  // BOUNDSHEET sizes do not depend on offsets, so the offsets can be computed from a first pass.
  let offset = size(head) + size(sheets.map((s) => boundsheet(s, 0))) + eof.length;
  const bodies = sheets.map((s) => [bof(0x0010), ...s.records, eof]);
  const bound = sheets.map((s, i) => {
    const r = boundsheet(s, offset);
    offset += size(bodies[i]);
    return r;
  });
  const all = [...head, ...bound, eof, ...bodies.flat()];
  const out = new Uint8Array(size(all));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Edits several streams of a compound file at once (streams by name; set a new array to replace one). */
export function editStreams(file: Uint8Array, edit: (streams: Map<string, Uint8Array>) => void): Uint8Array {
  const cfb = CFB.read(file, { type: 'buffer' });
  const streams = new Map<string, Uint8Array>();
  for (const e of cfb.FileIndex) if (e.type === 2) streams.set(e.name, Uint8Array.from(e.content as Uint8Array));
  edit(streams);
  for (const e of cfb.FileIndex) {
    const s = e.type === 2 ? streams.get(e.name) : undefined;
    if (s) {
      e.content = s;
      e.size = s.length;
    }
  }
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
}

/** Any outcome of a legacy reader but a crash: 'read', or the code of a NianbaoError with a one-line reason. */
export async function readOutcome(reader: (bytes: Uint8Array, opts: IngestOptions) => Promise<DocumentModel>, bytes: Uint8Array, path: string): Promise<string> {
  try {
    const doc = await reader(bytes, { path });
    expect(Array.isArray(doc.blocks)).toBe(true);
    return 'read';
  } catch (e) {
    if (!(e instanceof NianbaoError)) throw new Error(`not a NianbaoError: ${String((e as Error)?.stack ?? e)}`);
    expect(e.message).not.toContain('\n');
    return e.code;
  }
}
