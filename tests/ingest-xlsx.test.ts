import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../src/document/grid.js';
import type { DocumentModel, Paragraph, Table } from '../src/document/model.js';
import { NianbaoError } from '../src/errors.js';
import { read as readDocx } from '../src/ingest/docx.js';
import { readDocument } from '../src/ingest/index.js';
import { read } from '../src/ingest/xlsx.js';
import { VALUE_CELLS, fillTemplate, rawZip, renderXlsx, sampleValues, zeroBomb } from './helpers/fill-template.js';

const tables = (doc: DocumentModel) => doc.blocks.filter((b): b is Table => b.kind === 'table');
const paragraphs = (doc: DocumentModel) => doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
const at = (t: Table, r: number, c: number) => expandGrid(t)[r]?.[c];
const normalized = (t: Table) => t.rows.map((row) => row.map((c) => ({ text: c.text.replace(/\s+/g, ''), row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan })));

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function refusal(bytes: Uint8Array): Promise<NianbaoError> {
  const start = performance.now();
  const err = await read(bytes, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  // A hang guard, not a speed test: a pathological reader takes tens of seconds; a loaded machine a few.
  expect(performance.now() - start).toBeLessThan(6000);
  expect(err).toBeInstanceOf(NianbaoError);
  expect((err as Error).message).not.toContain('\n');
  return err as NianbaoError;
}

describe('xlsx: statistics workbook of the filled template', async () => {
  const values = sampleValues(5);
  const docx = tables(await readDocx(fillTemplate(values), {}));
  const plain = await read(await renderXlsx(values), {});
  const asText = await read(await renderXlsx(values, { numbersAsText: true }), {});
  const formulas = await read(await renderXlsx(values, { formulas: true }), {});

  it('turns unbordered lone-cell rows into paragraphs and bordered areas into tables', () => {
    expect(plain.format).toBe('xlsx');
    const texts = paragraphs(plain).map((p) => p.text);
    expect(texts[0]).toBe('XX县人民政府办公室2023年政府信息公开工作年度报告');
    expect(texts).toContain('六、其他需要报告的事项');
    expect(tables(plain).map((t) => t.rows.length)).toEqual([14, 28, 4]);
    const order = plain.blocks.map((b) => (b.kind === 'table' ? 'T' : b.text.slice(0, 2)));
    expect(order.join(' ')).toMatch(/^XX 一、 本报 二、 本年 T 三、 本年 T 四、 本年 T 五、 主要 六、 本年 XX 20/);
  });

  it('gives the same grids as the DOCX, with numbers, text numbers and formula results', () => {
    for (const doc of [plain, asText, formulas]) {
      const ts = tables(doc);
      ts.forEach((t, i) => expect(normalized(t)).toEqual(normalized(docx[i])));
      for (const c of VALUE_CELLS) expect([c.path, at(ts[c.table], c.row, c.col)?.text]).toEqual([c.path, String(values[c.path])]);
    }
    expect(formulas.warnings).toEqual([]);
  });

  it('keeps only the master of a merged range', () => {
    const t3 = tables(plain)[1];
    expect(t3.rows[0][0]).toMatchObject({ rowSpan: 3, colSpan: 3, row: 0, col: 0 });
    expect(t3.rows[1].map((c) => c.text)).toEqual(['自然人', '法人或其他组织', '总计']);
    expect(t3.rows.flat().filter((c) => c.text === '三、本年度办理结果')).toHaveLength(1);
  });
});

describe('xlsx: cell values', () => {
  it('reads rich text, dates as ISO, cached formula results (0 too), errors, booleans and float noise', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      const b = { style: 'thin' as const };
      const border = { top: b, left: b, bottom: b, right: b };
      const cells: [string, ExcelJS.CellValue][] = [
        ['A1', { richText: [{ text: '本年' }, { text: '新收', font: { bold: true } }] }],
        ['B1', new Date(Date.UTC(2024, 0, 31))],
        ['C1', new Date(Date.UTC(2024, 0, 31, 9, 30))],
        ['D1', { formula: 'B2-B2', result: 0 }],
        ['A2', 0.1 + 0.2],
        ['B2', '0012'],
        ['C2', { formula: '1/0', result: { error: '#DIV/0!' } }],
        ['D2', true],
      ];
      for (const [addr, v] of cells) {
        ws.getCell(addr).value = v;
        ws.getCell(addr).border = border;
      }
      ws.getCell('B1').numFmt = 'yyyy-mm-dd';
      ws.getCell('C1').numFmt = 'yyyy-mm-dd hh:mm';
    });
    const doc = await read(bytes, {});
    expect(tables(doc)[0].rows.map((r) => r.map((c) => c.text))).toEqual([
      ['本年新收', '2024-01-31', '2024-01-31T09:30:00', '0'],
      ['0.3', '0012', '#DIV/0!', 'TRUE'],
    ]);
  });

  it('skips hidden sheets and reads each visible sheet; borderless sheets keep edge rows as text', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('隐藏', { state: 'hidden' }).getCell('A1').value = 'secret';
      const ws = wb.addWorksheet('表2');
      ws.getCell('A1').value = '主动公开情况统计表';
      ws.addRow([]);
      ws.getRow(3).values = ['信息内容', '本年制发件数', '本年废止件数'];
      ws.getRow(4).values = ['规章', 1, 2];
      ws.getRow(5).values = ['注：数据截至12月31日'];
      const ws2 = wb.addWorksheet('表4');
      ws2.getCell('B2').value = '行政复议';
      ws2.mergeCells('B2:C2');
      ws2.getCell('B3').value = 1;
      ws2.getCell('C3').value = 2;
    });
    const doc = await read(bytes, {});
    expect(doc.warnings).toEqual(['hidden worksheet "隐藏" skipped']);
    expect(doc.blocks.map((b) => (b.kind === 'table' ? b.rows.map((r) => r.map((c) => `${c.text}@${c.col}${c.colSpan > 1 ? `x${c.colSpan}` : ''}`)) : b.text))).toEqual([
      '主动公开情况统计表',
      [['信息内容@0', '本年制发件数@1', '本年废止件数@2'], ['规章@0', '1@1', '2@2']],
      '注：数据截至12月31日',
      // Borderless: the lone merged header is at the top edge, so it is read as a title.
      '行政复议',
      [['1@0', '2@1']],
    ]);
  });

  it('reads the committed statistics sheet (hidden notes sheet, text digits, formulas, a date)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/office/stats-sheet-2024.xlsx', import.meta.url)));
    const doc = await readDocument(bytes, { path: 'stats-sheet-2024.xlsx' });
    expect(doc.format).toBe('xlsx');
    expect(paragraphs(doc).map((p) => p.text)).toEqual(['某某县数据局2024年政府信息公开申请办理情况统计表', '单位：件']);
    const [t3, footer] = tables(doc);
    expect(t3.rows).toHaveLength(28);
    expect(t3.rows[3].map((c) => c.text)).toEqual(['一、本年新收政府信息公开申请数量', '3', '1', '0', '0', '0', '0', '4']);
    expect(at(t3, 26, 9)!.text).toBe('3');
    expect(at(t3, 8, 9)!.text).toBe('0'); // a cached 0 from SUM()
    expect(footer.rows[0].map((c) => c.text)).toEqual(['填报日期：', '2025-01-15']);
  });
});

describe('xlsx: hostile input', () => {
  it('truncated workbook → corrupt', async () => {
    const bytes = await renderXlsx(sampleValues());
    expect((await refusal(bytes.subarray(0, bytes.length >> 1))).code).toBe('corrupt');
  });

  it('zip bomb entries → too-large before exceljs sees them', async () => {
    const files = unzipSync(await renderXlsx(sampleValues()));
    const entries = Object.entries(files).map(([name, data]) => ({ name, data, method: 0 as const, size: data.length }));
    const lying = rawZip([...entries, { name: 'xl/media/image1.png', data: zeroBomb(300), method: 8, size: 1000 }]);
    expect((await refusal(lying)).code).toBe('too-large');
    const honest = rawZip([...entries, { name: 'xl/media/image1.png', data: zeroBomb(300), method: 8, size: 300 * 1024 * 1024 }]);
    expect((await refusal(honest)).code).toBe('too-large');
  });

  it('a DOCTYPE in any part → corrupt', async () => {
    const files = unzipSync(await renderXlsx(sampleValues()));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']).replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>');
    files['xl/worksheets/sheet1.xml'] = strToU8(sheet);
    const e = await refusal(zipSync(files));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/DOCTYPE/);
  });

  it('a zip that is not a workbook → corrupt', async () => {
    expect((await refusal(zipSync({ 'a.txt': strToU8('x') }))).code).toBe('corrupt');
  });
});

describe('a damaged merge over thousands of rows and columns', () => {
  // A mutated .xls converted by LibreOffice kept a merge GEC1:FI9266 (45 million cells): exceljs makes an
  // object of every covered cell while loading, and the worker ran out of memory after 20 s.
  const withMerge = (ref: string) => {
    const files = unzipSync(new Uint8Array(readFileSync('tests/fixtures/office/stats-sheet-2024.xlsx')));
    const sheet = strFromU8(files['xl/worksheets/sheet2.xml']);
    files['xl/worksheets/sheet2.xml'] = strToU8(sheet.replace('</sheetData>', `</sheetData><mergeCells count="1"><mergeCell ref="${ref}"/></mergeCells>`));
    return zipSync(files);
  };

  it('is refused as corrupt, naming the range, before the workbook is loaded', async () => {
    const started = Date.now();
    const err = await read(withMerge('GEC1:FI9266'), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NianbaoError);
    expect((err as NianbaoError).code).toBe('corrupt');
    expect((err as Error).message).toMatch(/GEC1:FI9266/);
    // Refused up front, not after expanding the merge (which took 20 s and a gigabyte).
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a real merge (a title over a row) still reads', async () => {
    const doc = await read(withMerge('A1:H1'), {});
    expect(doc.blocks.length).toBeGreaterThan(0);
  });
});
