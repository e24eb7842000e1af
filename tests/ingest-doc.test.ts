import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block } from '../src/document/model.js';
import { readBinary } from '../src/ingest/doc.js';
import { readConverted, sofficePath } from '../src/ingest/convert/soffice.js';
import { detectFormat, readDocument, sniff } from '../src/ingest/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS, sampleValues, type FillValues } from './helpers/fill-template.js';
import { editStreams, legacyFixture, mutate, oleWith, readOutcome, rng, withStream } from './helpers/legacy.js';

/**
 * Word 97-2003 binary files made by LibreOffice from DOCX files (scripts/make-legacy-fixtures.ts; both
 * committed): the built-in reader must give the DOCX adapter's blocks, and the pipeline the DOCX's report.
 */

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

const blanks = (): FillValues => {
  const values = sampleValues(12);
  for (const c of VALUE_CELLS.filter((c) => c.path.includes('.denied.'))) values[c.path] = null;
  values['reviewLitigation.litigationAfterReview.total'] = '—';
  values['proactive.fees.amount'] = '7730.28';
  return values;
};

const VARIANTS: [string, FillValues][] = [
  ['template-full', sampleValues(11)],
  ['template-blanks', blanks()],
];

/** The number a value cell should read as: blanks and dashes are null. */
const expected = (v: FillValues[string]): number | null => (v === null || v === undefined || v === '—' ? null : Number(v));

describe.each(VARIANTS)('%s: .doc made from the DOCX', (name, values) => {
  it('gives the DOCX adapter\'s blocks, cell for cell', async () => {
    const docx = await readDocument(legacyFixture(`${name}.docx`), { path: `${name}.docx` });
    const doc = await readDocument(legacyFixture(`${name}.doc`), { path: `${name}.doc`, convertWith: 'none' });
    expect(doc.format).toBe('doc');
    expect(doc.converter).toBeUndefined();
    expect(doc.blocks).toEqual(docx.blocks);
    expect(doc.warnings).toEqual([]);
  });

  it('gives the same report, every value exact, no error finding', async () => {
    const [docx, doc] = await Promise.all([
      parseBytes(legacyFixture(`${name}.docx`), { path: `${name}.docx` }),
      parseBytes(legacyFixture(`${name}.doc`), { path: `${name}.doc` }),
    ]);
    expect(doc.source.format).toBe('doc');
    for (const c of VALUE_CELLS) expect([c.path, get(doc.report, c.path)]).toEqual([c.path, expected(values[c.path])]);
    expect(doc.report).toEqual(docx.report);
    // The blanks variant leaves the 不予公开 rows empty under unchanged totals: the DOCX has the same errors.
    if (name === 'template-full') expect(doc.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(doc.findings).toEqual(docx.findings);
  });
});

describe('.wps (the Word 97 binary under WPS Office\'s name)', () => {
  it('is detected by content and gives the DOCX\'s report', async () => {
    const wps = legacyFixture('template-full.wps');
    expect(sniff(wps, 'report.wps')).toBe('doc');
    expect(detectFormat(wps, 'report.wps')).toBe('doc');
    const [docx, doc] = await Promise.all([
      parseBytes(legacyFixture('template-full.docx'), { path: 'template-full.docx' }),
      parseBytes(wps, { path: 'template-full.wps' }),
    ]);
    expect(doc.source.format).toBe('doc');
    expect(doc.report).toEqual(docx.report);
  });

  it('names the file as WPS in errors, by its name or by the marks WPS Office leaves', async () => {
    // The official template was saved by WPS Office, whose KSOProductBuildVer property LibreOffice carried over.
    const cut = withStream(legacyFixture('template-full.doc'), 'WordDocument', (s) => s.subarray(0, 0x30));
    await expect(readBinary(cut, { path: 'x.doc' })).rejects.toThrow(/^doc \(WPS Office\): /);
    await expect(readBinary(cut, { path: 'x.wps' })).rejects.toThrow(/^wps \(Word 97 binary\): /);
    const unmarked = withStream(cut, '\u0005DocumentSummaryInformation', (s) => unmark(s));
    await expect(readBinary(unmarked, { path: 'x.doc' })).rejects.toThrow(/^doc: /);
  });
});

describe('structures beyond the template', () => {
  it('fields keep their result, hidden text is dropped, merges and empty cells keep the grid', async () => {
    const docx = await readDocument(legacyFixture('features.docx'));
    const doc = await readBinary(legacyFixture('features.doc'), {});
    const texts = doc.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
    expect(texts).toContain('详见政府信息公开专栏。'); // HYPERLINK field: the code is gone, the result stays
    expect(texts).toContain('可见文字'); // 隐藏的 was hidden
    expect(texts).toContain('Plain Latin text, 1234.5 and a tab:\tafter');
    expect(texts).toContain('符号之后'); // the Wingdings check mark (U+F0FC in the file) is no text
    // The one-cell frame is unwrapped into its paragraphs, as the DOCX adapter does.
    expect(texts).toEqual(expect.arrayContaining(['框内第一段', '框内第二段']));
    const [table] = doc.blocks.filter((b) => b.kind === 'table');
    const [docxTable] = docx.blocks.filter((b) => b.kind === 'table');
    expect(table).toEqual(docxTable);
    expect(table.kind === 'table' && table.rows[0][0]).toMatchObject({ text: '项目', rowSpan: 2, colSpan: 1 });
    expect(table.kind === 'table' && table.rows[2][2]).toMatchObject({ text: '', col: 2 });
  });

  it('a nested table is a table of its own after the outer one, and a layout wrapper is unwrapped, as the DOCX adapter reads them', async () => {
    const docx = await readDocument(legacyFixture('features.docx'));
    const doc = await readBinary(legacyFixture('features.doc'), {});
    const tables = doc.blocks.filter((b) => b.kind === 'table');
    expect(tables.map((t) => t.kind === 'table' && t.rows.map((r) => r.map((c) => c.text)))).toEqual([
      expect.anything(),
      [
        ['外层', '含嵌套表'],
        ['下一行', '7'],
      ],
      [['内1', '内2']],
      // The data table inside a one-cell layout table, in place of the wrapper.
      [
        ['甲', '乙', '丙'],
        ['1', '2', '3'],
      ],
    ]);
    const at = doc.blocks.findIndex((b) => b.kind === 'paragraph' && b.text === '包装内的段落');
    expect(doc.blocks[at - 1]).toMatchObject({ text: '包装之前' });
    expect(doc.blocks[at + 1]).toMatchObject({ kind: 'table' });
    expect(doc.blocks).toEqual(docx.blocks);
  });
});

describe('piece tables', () => {
  it('reads 8-bit (compressed) pieces and text split over several pieces in any order of the stream', async () => {
    const original = legacyFixture('features.doc');
    const before = await readBinary(original, {});
    const file = rewritePieces(original);
    const after = await readBinary(file, {});
    expect(after.blocks).toEqual(before.blocks);
    // The rewrite took effect: the bytes of the old piece no longer hold the first paragraph's text.
    expect(file).not.toEqual(original);
  });
});

/**
 * features.doc with its one UTF-16 piece replaced by three: the first paragraph (Latin) re-encoded as
 * 8-bit text appended to the WordDocument stream, then the rest of the text as two pieces pointing at
 * the original UTF-16 bytes. The moved paragraph loses its properties (they are keyed by file offset),
 * which a paragraph outside a table does not need.
 */
function rewritePieces(file: Uint8Array): Uint8Array {
  const first = 'Plain Latin text, 1234.5 and a tab:\tafter\r';
  const le32 = (v: number) => [...Buffer.from(Uint32Array.of(v >>> 0).buffer)];
  return editStreams(file, (streams) => {
    const word = streams.get('WordDocument')!;
    const w = new DataView(word.buffer, word.byteOffset, word.byteLength);
    const tableName = w.getUint16(0x0a, true) & 0x0200 ? '1Table' : '0Table';
    const t = streams.get(tableName)!;
    const tv = new DataView(t.buffer, t.byteOffset, t.byteLength);
    const clxAt = fcLcbOffset(w, 33);
    let p = w.getUint32(clxAt, true);
    while (t[p] === 1) p += 3 + tv.getInt16(p + 1, true);
    const plc = p + 5;
    expect(tv.getUint32(p + 1, true)).toBe(16); // one piece
    const cpEnd = tv.getUint32(plc + 4, true);
    const fc = tv.getUint32(plc + 8 + 2, true) & 0x3fffffff;
    expect(new TextDecoder('utf-16le').decode(word.subarray(fc, fc + first.length * 2))).toBe(first);
    const n0 = first.length;
    const mid = n0 + Math.floor((cpEnd - n0) / 2);
    const newWord = Uint8Array.from([...word, ...Buffer.from(first, 'latin1')]);
    const movedFc = word.length;
    // Compressed pieces store twice the byte offset, with bit 30 set.
    const pcd = (f: number, compressed: boolean) => [0, 0, ...le32(compressed ? (f * 2) | 0x40000000 : f), 0, 0];
    const body = [...[0, n0, mid, cpEnd].flatMap(le32), ...pcd(movedFc, true), ...pcd(fc + n0 * 2, false), ...pcd(fc + mid * 2, false)];
    const clx = [2, ...le32(body.length), ...body];
    const nw = new DataView(newWord.buffer);
    nw.setUint32(clxAt, t.length, true);
    nw.setUint32(clxAt + 4, clx.length, true);
    streams.set('WordDocument', newWord);
    streams.set(tableName, Uint8Array.from([...t, ...clx]));
  });
}

describe('breaks', () => {
  it('a page break inside a paragraph is a line break (DOCX\'s w:br); only a section mark ends the paragraph', async () => {
    // LibreOffice splits paragraphs at page breaks, so one is written into the text here: 框后的段落 → 框后\x0c段落.
    const file = withStream(legacyFixture('features.doc'), 'WordDocument', (w) => {
      const at = Buffer.from(w).indexOf(Buffer.from('框后的段落', 'utf16le'));
      expect(at).toBeGreaterThan(0);
      w.set([0x0c, 0], at + 4);
      return w;
    });
    const texts = (await readBinary(file, {})).blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));
    expect(texts).toContain('框后\n段落');
    expect(texts).toContain('结束。');
  });
});

describe('symbols', () => {
  /**
   * features.doc with its symbol as Word writes one: the character '(' and a sprmCSymbol in its run's CHPX
   * (LibreOffice writes the font's code U+F0FC instead). The run's 16 bytes of font sprms become two
   * sprmCSymbol and one sprmCRgFtc0, the same size.
   */
  function asWordSymbol(withSprm: boolean): Uint8Array {
    return withStream(legacyFixture('features.doc'), 'WordDocument', (w) => {
      const text = new TextDecoder('utf-16le').decode(w.subarray(0, w.length & ~1));
      const at = text.indexOf('\uf0fc') * 2;
      expect(at).toBeGreaterThan(0);
      w[at] = 0x28;
      w[at + 1] = 0;
      if (withSprm) {
        const old = Uint8Array.from([0x10, 0x4f, 0x4a, 0x05, 0x00, 0x51, 0x4a, 0x05, 0x00, 0x5e, 0x4a, 0x06, 0x00, 0x50, 0x4a, 0x06, 0x00]);
        const chpx = Buffer.from(w).indexOf(Buffer.from(old));
        expect(chpx).toBeGreaterThan(0);
        w.set([0x10, 0x09, 0x6a, 0x05, 0x00, 0xfc, 0xf0, 0x09, 0x6a, 0x05, 0x00, 0xfc, 0xf0, 0x4f, 0x4a, 0x05, 0x00], chpx);
      }
      return w;
    });
  }
  const texts = async (file: Uint8Array) => (await readBinary(file, {})).blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.text] : []));

  it('a sprmCSymbol character is no text, as DOCX\'s w:sym', async () => {
    expect(await texts(asWordSymbol(true))).toContain('符号之后');
    // Without the sprm the same character is a plain parenthesis.
    expect(await texts(asWordSymbol(false))).toContain('符号(之后');
  });
});

describe('without paragraph properties', () => {
  // A fallback only: an empty cell's mark right after a closed cell is taken for the row end (table 3's header shows it).
  it('cell and row ends come from the marks alone: a cell mark right after a closed cell ends the row', async () => {
    // The PAPX bin table emptied: no cell knows its row definition or whether it ends a row.
    const bare = withStream(legacyFixture('template-full.doc'), 'WordDocument', (s) => {
      const v = new DataView(s.buffer, s.byteOffset, s.byteLength);
      v.setUint32(fcLcbOffset(v, 13) + 4, 0, true);
      return s;
    });
    const texts = (b: Block) => (b.kind === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : b.text);
    const [withProps, without] = await Promise.all([readBinary(legacyFixture('template-full.doc'), {}), readBinary(bare, {})]);
    // Table 2 has no empty cell, so its rows come out whole (only the spans are gone).
    const first = (d: typeof without) => d.blocks.find((b) => b.kind === 'table')!;
    expect(texts(first(without))).toEqual(texts(first(withProps)));
    expect(first(without).kind === 'table' && first(without).rows[0][0].colSpan).toBe(1);
    // Every paragraph outside the tables is still read as one, and the multi-line cells of table 3's data rows stay cells.
    expect(without.blocks.filter((b) => b.kind === 'paragraph')).toEqual(expect.arrayContaining(withProps.blocks.filter((b) => b.kind === 'paragraph')));
    const rows = without.blocks.flatMap((b) => (b.kind === 'table' ? b.rows.map((r) => r.map((c) => c.text)) : []));
    expect(rows).toContainEqual(['', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '5', '3', '4', '1', '4', '3', '20']);
  });
});

describe('refusals', () => {
  const FIB_FLAGS = 0x0a;
  const setFlags = (bits: number) =>
    withStream(legacyFixture('features.doc'), 'WordDocument', (s) => {
      s[FIB_FLAGS] |= bits & 0xff;
      s[FIB_FLAGS + 1] |= bits >> 8;
      return s;
    });

  it('an encrypted or obfuscated document is "encrypted", not corrupt', async () => {
    for (const bits of [0x0100, 0x8000]) {
      await expect(readDocument(setFlags(bits), { path: 'secret.doc', convertWith: 'none' })).rejects.toMatchObject({ code: 'encrypted', message: expect.stringMatching(/^doc: .*password/) });
    }
  });

  it('Word 6.0/95 is named as such', async () => {
    const old = withStream(legacyFixture('features.doc'), 'WordDocument', (s) => {
      s[0] = 0xdc;
      s[1] = 0xa5;
      return s;
    });
    await expect(readDocument(old, { path: 'old.doc', convertWith: 'none' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/Word 6\.0\/95/) });
  });

  it('other compound files are refused naming their format', async () => {
    const cases: [Record<string, Uint8Array>, string, RegExp][] = [
      [{ 'PowerPoint Document': new Uint8Array(64) }, 'unsupported', /PowerPoint/],
      [{ EncryptedPackage: new Uint8Array(64), EncryptionInfo: new Uint8Array(64) }, 'encrypted', /password-protected Office/],
      [{ CONTENTS: new Uint8Array(64), SPELLING: new Uint8Array(8) }, 'unsupported', /Microsoft Works/],
      [{ Foo: new Uint8Array(64) }, 'unsupported', /unknown kind \(streams: .*Foo/],
    ];
    for (const [streams, code, message] of cases) {
      const file = oleWith(streams);
      expect(sniff(file)).toBe('ole');
      expect(() => detectFormat(file, 'x.doc')).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
    }
  });

  it('a compound file header without a container is corrupt', () => {
    const head = new Uint8Array(4096);
    head.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(() => detectFormat(head, 'x.doc')).toThrow(expect.objectContaining({ code: 'corrupt', message: expect.stringMatching(/OLE compound file/) }));
  });
});

/** The summary stream with WPS Office's property name overwritten, in either of its encodings. */
function unmark(s: Uint8Array): Uint8Array {
  const out = Uint8Array.from(s);
  for (const enc of ['latin1', 'utf16le'] as const) {
    const needle = Buffer.from('KSOProductBuildVer', enc);
    for (let at = Buffer.from(out).indexOf(needle); at >= 0; at = Buffer.from(out).indexOf(needle, at + 1)) out.fill(0x58, at, at + needle.length);
  }
  return out;
}

const outcome = (bytes: Uint8Array) => readOutcome(readBinary, bytes, 'fuzz.doc');

describe('truncated and mutated files (seeded)', () => {
  const file = legacyFixture('template-full.doc');

  it('a truncated file is a clean corrupt error', async () => {
    for (const frac of [0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95, 0.99]) {
      const cut = file.subarray(0, Math.floor(file.length * frac));
      await expect(readBinary(cut, { path: 'cut.doc' })).rejects.toMatchObject({ code: 'corrupt' });
    }
  });

  it('mutated streams (FIB, piece table, property pages) and raw bytes never crash', async () => {
    const next = rng(20261203);
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    for (let i = 0; i < 150; i++) {
      // The FIB and the first pages of WordDocument (text, FKPs), and the table stream (CLX, bin tables).
      const stream = i % 3 === 0 ? '1Table' : 'WordDocument';
      const mutated = withStream(file, stream, (s) => (stream === 'WordDocument' && i % 2 ? mutate(s, next, 0, 0x200) : mutate(s, next)));
      count(await outcome(mutated));
    }
    for (let i = 0; i < 100; i++) count(await outcome(mutate(file, next)));
    // The run must exercise both outcomes, or it tests nothing.
    expect(seen.get('read')).toBeGreaterThan(0);
    expect(seen.get('corrupt')).toBeGreaterThan(0);
  });
});

describe('the LibreOffice converter, with a stand-in soffice', () => {
  /** Runs `body` with PATH starting at a folder holding a `soffice` shell script. */
  async function withFakeSoffice<T>(script: string | undefined, body: (dir: string) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-fake-soffice-'));
    const saved = process.env.PATH;
    try {
      if (script !== undefined) {
        writeFileSync(path.join(dir, 'soffice'), `#!/bin/sh\n${script}\n`);
        chmodSync(path.join(dir, 'soffice'), 0o755);
        process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
      } else process.env.PATH = dir; // no soffice anywhere
      return await body(dir);
    } finally {
      process.env.PATH = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const doc = () => legacyFixture('features.doc');

  it('without soffice: convertWith soffice says so, and the built-in reader\'s own error stands', async () => {
    await withFakeSoffice(undefined, async () => {
      expect(sofficePath()).toBeUndefined();
      await expect(readDocument(doc(), { path: 'a.doc', convertWith: 'soffice' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/soffice\) is not on the PATH/) });
      const cut = withStream(doc(), 'WordDocument', (s) => s.subarray(0, 0x30));
      await expect(readDocument(cut, { path: 'a.doc' })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/^doc: /) });
    });
  });

  it('a conversion that fails falls back to the built-in reader with a warning, or is corrupt with soffice\'s last message', async () => {
    await withFakeSoffice('echo "Error: source file could not be loaded" >&2; exit 1', async () => {
      const read = await readDocument(doc(), { path: 'a.doc', convertWith: 'soffice' });
      expect(read.converter).toBeUndefined();
      expect(read.blocks).toEqual((await readBinary(doc(), {})).blocks);
      expect(read.warnings).toEqual(['doc: LibreOffice could not convert it (Error: source file could not be loaded); read by the built-in reader instead']);
      const cut = withStream(doc(), 'WordDocument', (s) => s.subarray(0, 0x30));
      await expect(readDocument(cut, { path: 'a.doc', convertWith: 'soffice' })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/LibreOffice could not convert it \(Error: source file could not be loaded\)/) });
      // A password-protected file is named by the built-in reader.
      const locked = withStream(doc(), 'WordDocument', (s) => ((s[0x0b] |= 0x01), s));
      await expect(readDocument(locked, { path: 'a.doc', convertWith: 'soffice' })).rejects.toMatchObject({ code: 'encrypted' });
    });
  });

  it('a conversion that hangs is killed with its children at the timeout', async () => {
    await withFakeSoffice('sleep 60 &\necho $! > "$(dirname "$0")/child.pid"\nwait', async (dir) => {
      const start = performance.now();
      await expect(readConverted('doc', doc(), { path: 'a.doc' }, 'doc', 1)).rejects.toMatchObject({ code: 'timeout', message: 'doc: LibreOffice could not convert it within 1 s' });
      expect(performance.now() - start).toBeLessThan(8000);
      const pid = Number(readFileSync(path.join(dir, 'child.pid'), 'utf8'));
      await new Promise((r) => setTimeout(r, 300));
      expect(processState(pid)).toMatch(/^(gone|Z)$/); // the sleep is killed too (a zombie until someone reaps it)
    });
  }, 20_000);
});

/** A process's state letter from /proc (R, S, Z, …), or 'gone'. */
function processState(pid: number): string {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'gone';
  } catch {
    return 'gone';
  }
}

describe.skipIf(!sofficePath())('LibreOffice (soffice on the PATH)', () => {
  it('convertWith soffice reads through LibreOffice and the DOCX adapter, naming the converter', async () => {
    const [docx, doc] = await Promise.all([
      readDocument(legacyFixture('template-full.docx')),
      readDocument(legacyFixture('template-full.doc'), { path: 'template-full.doc', convertWith: 'soffice' }),
    ]);
    expect(doc.format).toBe('doc');
    expect(doc.converter).toMatch(/^soffice/);
    expect(doc.blocks).toEqual(docx.blocks);
  }, 60_000);

  it('is used automatically when the built-in reader fails, with a warning saying so', async () => {
    // A bin table pointing past its stream: the built-in reader refuses, LibreOffice reads the text regardless.
    const broken = withStream(legacyFixture('template-full.doc'), 'WordDocument', (s) => {
      const view = new DataView(s.buffer, s.byteOffset, s.byteLength);
      const at = fcLcbOffset(view, 13);
      view.setUint32(at + 4, 0x7fffffff, true);
      return s;
    });
    await expect(readBinary(broken, {})).rejects.toMatchObject({ code: 'corrupt' });
    const doc = await readDocument(broken, { path: 'broken.doc' });
    expect(doc.converter).toMatch(/^soffice/);
    expect(doc.warnings[0]).toMatch(/read through LibreOffice instead/);
    // With the paragraph properties gone LibreOffice keeps the text but not the tables.
    expect(doc.blocks.some((b) => b.kind === 'paragraph' && b.text.includes('政府信息公开'))).toBe(true);
  }, 60_000);
});

/** Offset of FibRgFcLcb pair `i` in a Word 97 FIB. */
function fcLcbOffset(v: DataView, i: number): number {
  let at = 0x20;
  at += 2 + v.getUint16(at, true) * 2;
  at += 2 + v.getUint16(at, true) * 4;
  return at + 2 + i * 8;
}
