import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Paragraph, Table } from '../src/document/model.js';
import { sofficePath } from '../src/ingest/convert/soffice.js';
import { detectFormat, readDocument, sniff } from '../src/ingest/index.js';
import { readBinary } from '../src/ingest/xls.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS, sampleValues, type FillValues } from './helpers/fill-template.js';
import { type BiffSheet, biffChars, biffWorkbook, f64, legacyFixture, mutate, oleWith, readOutcome, record, rng, u16, u32, withStream } from './helpers/legacy.js';

/**
 * BIFF8 workbooks: the statistics workbook of the filled template as LibreOffice saves it in Excel 97
 * format (scripts/make-legacy-fixtures.ts; committed with its XLSX), and synthetic workbooks for the record
 * kinds LibreOffice does not write.
 */

function get(obj: unknown, p: string): unknown {
  return p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

const blanks = (): FillValues => {
  const values = sampleValues(12);
  for (const c of VALUE_CELLS.filter((c) => c.path.includes('.denied.'))) values[c.path] = null;
  values['reviewLitigation.litigationAfterReview.total'] = '—';
  values['proactive.fees.amount'] = '7730.28';
  return values;
};
const expected = (v: FillValues[string]): number | null => (v === null || v === undefined || v === '—' ? null : Number(v));

describe.each([
  ['template-full', sampleValues(11)],
  ['template-blanks', blanks()],
] as [string, FillValues][])('%s: .xls made from the XLSX', (name, values) => {
  it('gives the XLSX adapter\'s blocks, cell for cell', async () => {
    const xlsx = await readDocument(legacyFixture(`${name}.xlsx`));
    const xls = await readDocument(legacyFixture(`${name}.xls`), { path: `${name}.xls`, convertWith: 'none' });
    expect(xls.format).toBe('xls');
    expect(xls.blocks).toEqual(xlsx.blocks);
    expect(xls.warnings).toEqual(xlsx.warnings);
  });

  it('gives the same report, every value exact', async () => {
    const [xlsx, xls] = await Promise.all([
      parseBytes(legacyFixture(`${name}.xlsx`), { path: `${name}.xlsx` }),
      parseBytes(legacyFixture(`${name}.xls`), { path: `${name}.xls` }),
    ]);
    expect(xls.source.format).toBe('xls');
    for (const c of VALUE_CELLS) expect([c.path, get(xls.report, c.path)]).toEqual([c.path, expected(values[c.path])]);
    expect(xls.report).toEqual(xlsx.report);
    if (name === 'template-full') expect(xls.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(xls.findings).toEqual(xlsx.findings);
  });
});

describe('detection', () => {
  it('a workbook holding an embedded Word document is a workbook: only root-level streams name the kind', () => {
    const file = oleWith({ Workbook: biffWorkbook([], []), 'MBD00000001/WordDocument': new Uint8Array(600) });
    expect(sniff(file, 'stats.xls')).toBe('xls');
    const doc = oleWith({ WordDocument: new Uint8Array(600), 'ObjectPool/_1234/Workbook': new Uint8Array(600) });
    expect(sniff(doc, 'report.doc')).toBe('doc');
  });
});

describe('.et (BIFF8 under WPS Office\'s name)', () => {
  it('is detected by content and gives the XLSX\'s report', async () => {
    const et = legacyFixture('template-full.et');
    expect(sniff(et, 'stats.et')).toBe('xls');
    expect(detectFormat(et, 'stats.et')).toBe('xls');
    const [xlsx, xls] = await Promise.all([parseBytes(legacyFixture('template-full.xlsx'), { path: 'a.xlsx' }), parseBytes(et, { path: 'stats.et' })]);
    expect(xls.report).toEqual(xlsx.report);
  });
});

// ------------------------------------------------------------------ synthetic workbooks

/** XF records: 0 plain, 1 bordered, 2 bordered with the built-in date format 14. */
const xf = (fmt: number, border: boolean) => record(0x00e0, u16(0), u16(fmt), u16(0), [0, 0, 0, 0], u32(border ? 0x1111 : 0), u32(0), u16(0));
const XFS = [xf(0, false), xf(0, true), xf(14, true)];

/**
 * An SST of five strings over a CONTINUE record: Latin (8-bit), Chinese (UTF-16), a rich-text string
 * (runs to skip), one with phonetic data (to skip), and one whose characters break at the record
 * boundary and go on in UTF-16 after a fresh flags byte.
 */
function sst(): Uint8Array[] {
  const s8 = (t: string) => [...u16(t.length), 0, ...biffChars(t, false)];
  const s16 = (t: string) => [...u16(t.length), 1, ...biffChars(t, true)];
  const rich = [...u16(2), 0x09, ...u16(1), ...biffChars('粗体', true), ...u32(0)]; // one 4-byte run
  const phonetic = [...u16(2), 0x05, ...u32(6), ...biffChars('注音', true), 1, 2, 3, 4, 5, 6];
  const broken = [...u16(5), 0, ...biffChars('ABC', false)];
  return [
    record(0x00fc, u32(5), u32(5), s8('Latin text'), s16('政府信息公开'), rich, phonetic, broken),
    record(0x003c, [1], biffChars('甲乙', true)),
  ];
}

const cell = (type: number, row: number, col: number, xfi: number, ...rest: number[][]) => record(type, u16(row), u16(col), u16(xfi), ...rest);
const rkInt = (n: number) => u32(((n << 2) | 2) >>> 0);

function syntheticSheet(): Uint8Array[] {
  return [
    cell(0x00fd, 0, 0, 0, u32(0)), // a title: 'Latin text'
    cell(0x00fd, 2, 0, 1, u32(1)),
    cell(0x00fd, 2, 1, 1, u32(4)), // 'ABC甲乙' across the CONTINUE
    cell(0x0203, 3, 0, 1, f64(12.5)),
    cell(0x027e, 3, 1, 1, rkInt(42)),
    // MULRK: 1234 / 100 and the double 0.5 (its top 30 bits), then colLast.
    record(0x00bd, u16(4), u16(0), u16(1), u32(((1234 << 2) | 3) >>> 0), u16(1), u32(0x3fe00000), u16(1)),
    cell(0x0006, 5, 0, 1, f64(7), u16(0), u32(0), u16(0)),
    // A formula with a string result: type 0 in the value, 0xFFFF in its top bytes; the text follows in STRING.
    cell(0x0006, 5, 1, 1, [0, 0, 0, 0, 0, 0, 0xff, 0xff], u16(0), u32(0), u16(0)),
    record(0x0207, u16(3), [0], biffChars('abc', false)),
    cell(0x0205, 6, 0, 1, [1, 0]),
    cell(0x0205, 6, 1, 1, [0x07, 1]),
    cell(0x0203, 7, 0, 2, f64(45000)),
    cell(0x0201, 7, 1, 1),
    cell(0x00fd, 8, 0, 1, u32(2)),
    cell(0x00fd, 8, 1, 1, u32(3)),
    // Row 10 is hidden (fDyZero); its cell is not read.
    record(0x0208, u16(9), u16(0), u16(2), u16(255), u16(0), u16(0), u16(0x20 | 0x100), u16(0)),
    record(0x0204, u16(9), u16(0), u16(1), u16(6), [0], biffChars('hidden', false)),
    // A merge over row 11's two cells, then an empty bordered row.
    cell(0x00fd, 10, 0, 1, u32(1)),
    record(0x00be, u16(10), u16(1), u16(1), u16(1)),
    record(0x00e5, u16(1), u16(10), u16(10), u16(0), u16(1)),
  ];
}

const synthetic = (globals: Uint8Array[] = [...XFS, ...sst()], sheets: BiffSheet[] = [{ name: '统计', records: syntheticSheet() }]) => oleWith({ Workbook: biffWorkbook(globals, sheets) });

describe('BIFF8 records', () => {
  it('reads SST strings across CONTINUE, numbers, RK/MULRK, cached formula results, booleans, errors, dates, merges', async () => {
    const doc = await readBinary(synthetic(), {});
    const paras = doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
    expect(paras.map((p) => p.text)).toEqual(['Latin text']);
    const tables = doc.blocks.filter((b): b is Table => b.kind === 'table');
    // Rows 3–9, then the hidden row 10 leaves a gap before row 11.
    expect(tables.map((t) => t.rows.map((r) => r.map((c) => c.text)))).toEqual([
      [
        ['政府信息公开', 'ABC甲乙'],
        ['12.5', '42'],
        ['12.34', '0.5'],
        ['7', 'abc'],
        ['TRUE', '#DIV/0!'],
        ['2023-03-15', ''],
        ['粗体', '注音'],
      ],
      [['政府信息公开']],
    ]);
    expect(tables[1].rows[0][0]).toMatchObject({ colSpan: 2, rowSpan: 1, line: 11 });
  });

  it('skips hidden sheets with a warning, and charts without one', async () => {
    const file = synthetic(undefined, [
      { name: '隐藏', hidden: true, records: syntheticSheet() },
      { name: '统计', records: syntheticSheet() },
    ]);
    const doc = await readBinary(file, {});
    expect(doc.warnings).toEqual(['hidden worksheet "隐藏" skipped']);
    expect(doc.blocks.filter((b) => b.kind === 'table')).toHaveLength(2);
  });

  it('a FILEPASS record means encrypted', async () => {
    const file = synthetic([record(0x002f, u16(1)), ...XFS, ...sst()]);
    await expect(readDocument(file, { path: 'secret.xls', convertWith: 'none' })).rejects.toMatchObject({ code: 'encrypted', message: expect.stringMatching(/^xls: .*password/) });
  });

  it('BIFF5 (Excel 5.0/95) is named as such', async () => {
    const biff5 = oleWith({ Book: record(0x0809, u16(0x0500), u16(5), u16(0), u16(0)) });
    expect(sniff(biff5)).toBe('xls');
    await expect(readDocument(biff5, { path: 'old.xls', convertWith: 'none' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/BIFF5/) });
  });

  it('an SST cut short is corrupt', async () => {
    const cut = [record(0x00fc, u32(2), u32(2), [...u16(40), 0], biffChars('only a few', false))];
    await expect(readBinary(synthetic([...XFS, ...cut]), {})).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/shared string table/) });
  });
});

const outcome = (bytes: Uint8Array) => readOutcome(readBinary, bytes, 'fuzz.xls');

describe('truncated and mutated workbooks (seeded)', () => {
  const file = legacyFixture('template-full.xls');

  it('a truncated file is a clean corrupt error, unless only slack was cut', async () => {
    const whole = await readBinary(file, {});
    for (const frac of [0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95, 0.99]) {
      const cut = readBinary(file.subarray(0, Math.floor(file.length * frac)), {});
      // The last 1% of this file is unused directory entries: nothing of the workbook is lost.
      if (frac === 0.99) expect((await cut).blocks).toEqual(whole.blocks);
      else await expect(cut).rejects.toMatchObject({ code: 'corrupt' });
    }
  });

  it('a Workbook stream cut short of its last EOF is corrupt, not a shorter workbook', async () => {
    for (const keep of [0.3, 0.6, 0.9, 0.999]) {
      const cut = withStream(file, 'Workbook', (s) => {
        const out = new Uint8Array(s.length);
        out.set(s.subarray(0, Math.floor(s.length * keep)));
        return out; // zero-filled, as a sector of a truncated file reads
      });
      await expect(readBinary(cut, {})).rejects.toMatchObject({ code: 'corrupt' });
    }
  });

  it('a Workbook stream cut anywhere, mutated records and raw bytes never crash', async () => {
    const next = rng(1203);
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    for (let i = 0; i < 60; i++) count(await outcome(withStream(file, 'Workbook', (s) => s.subarray(0, Math.floor(next() * s.length)))));
    for (let i = 0; i < 150; i++) count(await outcome(withStream(file, 'Workbook', (s) => mutate(s, next))));
    for (let i = 0; i < 100; i++) count(await outcome(mutate(file, next)));
    expect(seen.get('read')).toBeGreaterThan(0);
    expect(seen.get('corrupt')).toBeGreaterThan(0);
  });
});

describe.skipIf(!sofficePath())('LibreOffice (soffice on the PATH)', () => {
  it('convertWith soffice reads through LibreOffice and the XLSX adapter, naming the converter', async () => {
    const [xlsx, xls] = await Promise.all([
      readDocument(legacyFixture('template-full.xlsx')),
      readDocument(legacyFixture('template-full.xls'), { path: 'template-full.xls', convertWith: 'soffice' }),
    ]);
    expect(xls.format).toBe('xls');
    // A failed conversion falls back to the built-in reader with a warning: show it (soffice without Calc, say).
    expect(xls.warnings).toEqual([]);
    expect(xls.converter).toMatch(/^soffice/);
    expect(xls.blocks).toEqual(xlsx.blocks);
  }, 60_000);

  it('a shared string table over many CONTINUE records, as LibreOffice writes it', async () => {
    // 600 distinct long strings, Chinese and Latin, make an SST of ~50 KB: six or more CONTINUE records.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('长表');
    for (let r = 1; r <= 300; r++) {
      ws.getCell(r, 1).value = `第${r}行：政府信息公开工作年度报告的一段较长文字，用来填满共享字符串表`;
      ws.getCell(r, 2).value = `Row ${r}: a longer Latin string to mix eight-bit and sixteen-bit pieces ${'x'.repeat(r % 50)}`;
      ws.getCell(r, 3).value = r * 1.25;
      for (let c = 1; c <= 3; c++) ws.getCell(r, c).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    }
    const xlsxBytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const work = mkdtempSync(path.join(tmpdir(), 'nianbao-xls-test-'));
    try {
      writeFileSync(path.join(work, 'long.xlsx'), xlsxBytes);
      const r = spawnSync(sofficePath()!, [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'xls:MS Excel 97', '--outdir', work, path.join(work, 'long.xlsx')]);
      expect(r.status).toBe(0);
      const xls = new Uint8Array(readFileSync(path.join(work, 'long.xls')));
      const [a, b] = await Promise.all([readDocument(xlsxBytes), readBinary(xls, {})]);
      expect(b.blocks).toEqual(a.blocks);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
