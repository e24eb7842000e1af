import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { BatchRecord, CrossRecord } from '../src/batch/records.js';
import { serializeRecord } from '../src/batch/records.js';
import { exportCommand } from '../src/cli/export-command.js';
import { META_COLUMNS, valueColumns } from '../src/export/columns.js';
import { parseCsv } from '../src/export/csv.js';
import { SHEETS } from '../src/export/xlsx.js';
import { makeReport, makeResult, readPath, valuePaths } from './helpers/batch-reports.js';
import { tempDir } from './helpers/batch-tree.js';

function fixture(): { dir: string; records: BatchRecord[] } {
  const dir = tempDir('nianbao-export-');
  const a = makeReport({ agency: '某某县"城管",执法局', year: 2023, seed: 3 });
  const b = makeReport({ agency: '某某县人民政府办公室\n（本级）', year: 2024, seed: 4 });
  // Nulls must come back empty, zeros as "0".
  b.applications!.results.denied.stateSecret.naturalPerson = null;
  b.applications!.results.denied.stateSecret.commercial = 0;
  const c = makeReport({ agency: '某某镇', year: 2024, seed: 5 });
  const errA = { rule: 'T3-BAL', severity: 'error' as const, message: '第一项加第二项之和（1）不等于第三项加第四项之和（2）：自然人', paths: ['applications.newReceived.naturalPerson'], expected: 1, actual: 2 };
  const warnA = { rule: 'S-11', severity: 'warning' as const, message: 'w', paths: [] };
  const records: BatchRecord[] = [
    { status: 'ok', path: 'a/2023.txt', sha256: 'a'.repeat(64), format: 'text', ms: 12, result: makeResult(a, { path: 'a/2023.txt', findings: [errA, warnA] }) },
    { status: 'ok', path: 'b.docx', sha256: 'b'.repeat(64), format: 'docx', ms: 40, result: makeResult(b, { path: 'b.docx', format: 'docx' }) },
    { status: 'failed', path: 'old.doc', sha256: 'c'.repeat(64), format: 'ole', code: 'unsupported', reason: 'legacy binary Word/WPS/Excel file, "convert", please' },
    { status: 'duplicate', path: 'copy/b.docx', sha256: 'b'.repeat(64), of: 'b.docx' },
    { status: 'ok', path: 'c.pdf', sha256: 'd'.repeat(64), format: 'pdf', ms: 300, result: makeResult(c, { path: 'c.pdf', format: 'pdf' }) },
    { status: 'failed', path: 'gone.pdf', code: 'io', reason: 'no such file' },
  ];
  writeFileSync(join(dir, 'reports.jsonl'), records.map((r) => serializeRecord(r) + '\n').join(''));
  const cross: CrossRecord = {
    path: 'c.pdf',
    agency: '某某镇',
    year: 2024,
    related: { path: 'c-2023.pdf', year: 2023 },
    finding: { rule: 'T3-XY', severity: 'warning', message: '上年结转不等于上年报告的结转下年度继续办理', paths: ['applications.carriedOver.total'], expected: 3, actual: 4 },
    cell: { raw: '4', kind: 'number', page: 3, row: 5, col: 8 },
  };
  writeFileSync(join(dir, 'cross-report.jsonl'), JSON.stringify(cross) + '\n');
  return { dir, records };
}

function io(cwd: string) {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd },
    out: () => out,
    err: () => err,
  };
}

describe('CSV export', () => {
  it('has a stable column order derived from the structure tables', () => {
    const cols = valueColumns().map((c) => c.path);
    expect(new Set(cols).size).toBe(cols.length);
    // Every value path of a 2021 report is a column, in printed order.
    const paths = valuePaths();
    expect(paths.every((p) => cols.includes(p))).toBe(true);
    const idx = paths.map((p) => cols.indexOf(p));
    expect([...idx].sort((x, y) => x - y)).toEqual(idx);
    expect(cols[0]).toBe('proactive.regulations.issued');
    expect(cols.indexOf('applications.results.denied.subtotal.naturalPerson')).toBe(cols.indexOf('applications.results.denied.administrativeQuery.total') + 1);
    expect(cols.at(-1)).toBe('reviewLitigation.litigationAfterReview.total');
  });

  it('round-trips the values of every report (UTF-8 BOM, RFC 4180)', async () => {
    const { dir, records } = fixture();
    const c = io(dir);
    expect(await exportCommand(['reports.jsonl', '--to', 'csv'], c.io)).toBe(0);
    const raw = readFileSync(join(dir, 'reports.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    expect(text.includes('\r\n')).toBe(true);
    const rows = parseCsv(text);
    const header = rows[0];
    expect(header).toEqual([...META_COLUMNS, ...valueColumns().map((v) => v.path)]);
    expect(rows).toHaveLength(1 + records.length);
    const col = (name: string) => header.indexOf(name);
    for (const [i, r] of records.entries()) {
      const row = rows[i + 1];
      expect(row).toHaveLength(header.length);
      expect(row[col('path')]).toBe(r.path);
      expect(row[col('status')]).toBe(r.status);
      if (r.status !== 'ok') continue;
      expect(row[col('agency')]).toBe(r.result.report.agency);
      for (const v of valueColumns()) {
        const value = readPath(r.result.report, v.path);
        expect(row[col(v.path)], `${r.path} ${v.path}`).toBe(value === null || value === undefined ? '' : String(value));
      }
    }
    const b = rows[2];
    expect(b[col('applications.results.denied.stateSecret.naturalPerson')]).toBe('');
    expect(b[col('applications.results.denied.stateSecret.commercial')]).toBe('0');
    expect(rows[1][col('errors')]).toBe('1');
    expect(rows[3][col('reason')]).toBe(records[2].status === 'failed' ? records[2].reason : '');
    expect(rows[4][col('duplicateOf')]).toBe('b.docx');

    // --out - streams to stdout, same bytes.
    const s = io(dir);
    expect(await exportCommand([join(dir), '--to', 'csv', '--out', '-'], s.io)).toBe(0);
    expect(s.out()).toBe(text);
  });
});

describe('XLSX export', () => {
  it('writes 汇总, 问题清单 and 失败文件 with the right rows, frozen headers and filters', async () => {
    const { dir, records } = fixture();
    const c = io(dir);
    expect(await exportCommand(['reports.jsonl', '--to', 'xlsx', '--out', 'audit.xlsx'], c.io)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'audit.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEETS.summary, SHEETS.findings, SHEETS.failures]);
    const ok = records.filter((r) => r.status === 'ok');
    const findings = ok.reduce((n, r) => n + (r.status === 'ok' ? r.result.findings.length : 0), 0) + 1;
    const sum = wb.getWorksheet(SHEETS.summary)!;
    const iss = wb.getWorksheet(SHEETS.findings)!;
    const fail = wb.getWorksheet(SHEETS.failures)!;
    expect(sum.actualRowCount).toBe(1 + ok.length);
    expect(iss.actualRowCount).toBe(1 + findings);
    expect(fail.actualRowCount).toBe(1 + 2);
    for (const ws of [sum, iss, fail]) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.autoFilter).toBeTruthy();
      expect(ws.getColumn(1).width).toBeGreaterThan(20);
    }
    expect(sum.getRow(1).getCell(1).value).toBe('文件');
    expect(sum.getRow(2).getCell(1).value).toBe('a/2023.txt');
    expect(sum.getRow(2).getCell(2).value).toBe('某某县"城管",执法局');
    const header = (iss.getRow(1).values as unknown[]).slice(1);
    const cellOf = (row: number, name: string) => iss.getRow(row).getCell(header.indexOf(name) + 1).value;
    expect(cellOf(2, '规则')).toBe('T3-BAL');
    expect(cellOf(2, '级别')).toBe('错误');
    expect(cellOf(2, '应为')).toBe(1);
    expect(cellOf(2, '页')).toBe(1);
    const last = iss.actualRowCount;
    expect(cellOf(last, '规则')).toBe('T3-XY');
    expect(cellOf(last, '页')).toBe(3);
    expect(cellOf(last, '相关文件')).toBe('c-2023.pdf');
    expect(fail.getRow(2).getCell(2).value).toBe('unsupported');
    // 跨报告问题 count on the summary row of c.pdf
    const sh = (sum.getRow(1).values as unknown[]).slice(1);
    expect(sum.getRow(3 + 0).getCell(1).value).toBe('b.docx');
    expect(sum.getRow(4).getCell(sh.indexOf('跨报告问题') + 1).value).toBe(1);
  });

  it('rejects bad usage with 2 and unreadable records with 3', async () => {
    const dir = tempDir('nianbao-export-');
    expect(await exportCommand(['--help'], io(dir).io)).toBe(0);
    expect(await exportCommand(['x.jsonl'], io(dir).io)).toBe(2);
    expect(await exportCommand(['x.jsonl', '--to', 'pdf'], io(dir).io)).toBe(2);
    expect(await exportCommand(['x.jsonl', '--to', 'xlsx', '--out', '-'], io(dir).io)).toBe(2);
    expect(await exportCommand(['x.jsonl', '--to', 'csv'], io(dir).io)).toBe(3);
  });
});

describe('hostile records', () => {
  function formulaFixture(): string {
    const dir = tempDir('nianbao-export-formula-');
    const rep = makeReport({ agency: '=HYPERLINK("http://x","点击")', year: 2024, seed: 7 });
    rep.title = '@SUM(1+1)';
    const f = { rule: 'T3-BAL', severity: 'error' as const, message: '+cmd|calc', paths: ['applications.newReceived.naturalPerson'], expected: 1, actual: 2 };
    const records: BatchRecord[] = [
      { status: 'ok', path: '-x.txt', sha256: 'a'.repeat(64), format: 'text', ms: 1, result: makeResult(rep, { path: '-x.txt', findings: [f] }) },
      { status: 'failed', path: '\tinj.pdf', code: 'corrupt', reason: '=1+1' },
    ];
    writeFileSync(join(dir, 'reports.jsonl'), records.map((r) => serializeRecord(r) + '\n').join(''));
    return dir;
  }
  const dangerous = /^[=+\-@\t\r]/;

  it('CSV: no text cell starts with = + - @ tab or CR; numbers stay numbers', async () => {
    const dir = formulaFixture();
    expect(await exportCommand(['reports.jsonl', '--to', 'csv'], io(dir).io)).toBe(0);
    const rows = parseCsv(readFileSync(join(dir, 'reports.csv'), 'utf8'));
    const header = rows[0];
    const agency = header.indexOf('agency');
    expect(rows[1][agency]).toBe(`'=HYPERLINK("http://x","点击")`);
    expect(rows[1][header.indexOf('title')]).toBe("'@SUM(1+1)");
    expect(rows[1][header.indexOf('path')]).toBe("'-x.txt");
    expect(rows[2][header.indexOf('reason')]).toBe("'=1+1");
    expect(rows[2][header.indexOf('path')]).toBe("'\tinj.pdf");
    for (const row of rows.slice(1)) for (const cell of row) if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(cell).not.toMatch(dangerous);
  });

  it('XLSX: the same cells are text with a leading apostrophe', async () => {
    const dir = formulaFixture();
    expect(await exportCommand(['reports.jsonl', '--to', 'xlsx', '--out', 'a.xlsx'], io(dir).io)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'a.xlsx'));
    const cells: unknown[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(c.value))));
    expect(cells).toContain(`'=HYPERLINK("http://x","点击")`);
    expect(cells).toContain("'+cmd|calc");
    expect(cells).toContain("'=1+1");
    for (const v of cells) if (typeof v === 'string') expect(v).not.toMatch(dangerous);
    for (const v of cells) expect(typeof v === 'object' && v !== null && 'formula' in v).toBe(false);
  });

  it('a file that is not JSONL: one line naming the line, exit 3, no output left behind', async () => {
    const dir = tempDir('nianbao-export-bad-');
    const good = serializeRecord({ status: 'failed', path: 'a.pdf', code: 'io', reason: 'no such file' });
    writeFileSync(join(dir, 'reports.jsonl'), `${good}\n${good}\nthis is not json\n${good}\n`);
    writeFileSync(join(dir, 'other.jsonl'), `${good}\n[1,2]\n`);
    for (const [input, to, line] of [['reports.jsonl', 'csv', 3], ['reports.jsonl', 'xlsx', 3], ['other.jsonl', 'csv', 2]] as const) {
      const c = io(dir);
      expect(await exportCommand([input, '--to', to, '--out', `out.${to}`], c.io)).toBe(3);
      const lines = c.err().split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`line ${line} is not a batch record`);
      expect(lines[0]).toContain(input);
      expect(readdirSync(dir).filter((f) => f.startsWith('out') || f.endsWith('.tmp'))).toEqual([]);
    }
  });
});
