import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { CrossRecord } from '../batch/records.js';
import type { Cell, Severity } from '../model/index.js';
import { readPath } from './columns.js';
import { neutralise } from './csv.js';
import { readCrossRecords, readRecords } from './records.js';

export const SHEETS = { summary: '汇总', findings: '问题清单', failures: '失败文件' } as const;

const SEVERITY_ZH: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };

interface Col {
  header: string;
  width: number;
}

/** Key totals shown per report in 汇总; the full value set is the CSV's job. */
const KEY_TOTALS: Array<{ header: string; path: string }> = [
  { header: '本年新收申请', path: 'applications.newReceived.total' },
  { header: '上年结转', path: 'applications.carriedOver.total' },
  { header: '办理结果总计', path: 'applications.results.total.total' },
  { header: '结转下年度', path: 'applications.carriedForward.total' },
  { header: '行政复议总计', path: 'reviewLitigation.review.total' },
  { header: '行政诉讼（直接起诉）总计', path: 'reviewLitigation.litigationDirect.total' },
  { header: '行政诉讼（复议后起诉）总计', path: 'reviewLitigation.litigationAfterReview.total' },
];

const SUMMARY_COLS: Col[] = [
  { header: '文件', width: 48 },
  { header: '机关', width: 30 },
  { header: '年度', width: 7 },
  { header: '格式', width: 7 },
  { header: '年报格式', width: 9 },
  ...KEY_TOTALS.map((k) => ({ header: k.header, width: 12 })),
  { header: '错误', width: 7 },
  { header: '警告', width: 7 },
  { header: '跨报告问题', width: 10 },
  { header: 'SHA-256', width: 20 },
];

const FINDING_COLS: Col[] = [
  { header: '文件', width: 48 },
  { header: '机关', width: 26 },
  { header: '年度', width: 7 },
  { header: '规则', width: 10 },
  { header: '级别', width: 7 },
  { header: '说明', width: 70 },
  { header: '应为', width: 9 },
  { header: '实为', width: 9 },
  { header: '页', width: 5 },
  { header: '行', width: 5 },
  { header: '列', width: 5 },
  { header: '源行号', width: 7 },
  { header: '原文', width: 10 },
  { header: '数据路径', width: 40 },
  { header: '相关文件', width: 40 },
];

const FAILURE_COLS: Col[] = [
  { header: '文件', width: 60 },
  { header: '错误码', width: 12 },
  { header: '原因', width: 80 },
  { header: '内容类型', width: 10 },
  { header: 'SHA-256', width: 20 },
];

/**
 * The auditors' workbook. exceljs's streaming writer flushes each sheet's rows as
 * they come, but the zip takes one entry at a time, so a sheet written while
 * another is open would buffer whole: hence one pass over the records per sheet,
 * each sheet committed before the next starts. Memory stays at one record plus a
 * per-report count of cross-report findings.
 */
export async function exportXlsx(
  files: { reports: string; cross?: string },
  out: { filename: string } | { stream: Writable },
): Promise<{ summary: number; findings: number; failures: number }> {
  // Loaded here, not at import: exceljs is large and only this export needs it.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.stream.xlsx.WorkbookWriter({ ...out, useStyles: true, useSharedStrings: false });
  const counts = { summary: 0, findings: 0, failures: 0 };

  const crossByPath = new Map<string, number>();
  const crossFile = files.cross && (await exists(files.cross)) ? files.cross : null;
  if (crossFile) {
    for await (const c of readCrossRecords(crossFile)) {
      crossByPath.set(c.path, (crossByPath.get(c.path) ?? 0) + 1);
    }
  }

  // 汇总
  let ws = sheet(wb, SHEETS.summary, SUMMARY_COLS);
  for await (const r of records(files.reports)) {
    if (r.status !== 'ok') continue;
    const rep = r.result.report;
    const n = (s: Severity) => r.result.findings.filter((f) => f.severity === s).length;
    ws.addRow(safe([
      r.path,
      rep.agency,
      rep.year,
      r.format,
      rep.formatVersion,
      ...KEY_TOTALS.map((k) => num(readPath(rep, k.path))),
      n('error'),
      n('warning'),
      crossByPath.get(r.path) ?? 0,
      r.sha256,
    ])).commit();
    counts.summary++;
  }
  finish(ws, SUMMARY_COLS, counts.summary);

  // 问题清单
  ws = sheet(wb, SHEETS.findings, FINDING_COLS);
  for await (const r of records(files.reports)) {
    if (r.status !== 'ok') continue;
    const rep = r.result.report;
    for (const f of r.result.findings) {
      const cell = f.paths[0] ? r.result.cells[f.paths[0]] : undefined;
      ws.addRow(safe(findingRow(r.path, rep.agency, rep.year, f, cell, ''))).commit();
      counts.findings++;
    }
  }
  if (crossFile) {
    for await (const c of readCrossRecords(crossFile)) {
      ws.addRow(safe(findingRow(c.path, c.agency, c.year, c.finding, c.cell, c.related.path))).commit();
      counts.findings++;
    }
  }
  finish(ws, FINDING_COLS, counts.findings);

  // 失败文件
  ws = sheet(wb, SHEETS.failures, FAILURE_COLS);
  for await (const r of records(files.reports)) {
    if (r.status !== 'failed') continue;
    ws.addRow(safe([r.path, r.code, r.reason, r.format ?? '', r.sha256 ?? ''])).commit();
    counts.failures++;
  }
  finish(ws, FAILURE_COLS, counts.failures);

  await wb.commit();
  return counts;
}

function findingRow(
  path: string,
  agency: string | null,
  year: number | null,
  f: CrossRecord['finding'],
  cell: Cell | undefined,
  related: string,
): unknown[] {
  return [
    path,
    agency,
    year,
    f.rule,
    SEVERITY_ZH[f.severity],
    f.message,
    f.expected ?? null,
    f.actual ?? null,
    cell?.page ?? null,
    cell?.row ?? null,
    cell?.col ?? null,
    cell?.line ?? null,
    cell?.raw ?? null,
    f.paths.join(', '),
    related || null,
  ];
}

type Sheet = ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>;

/** Text cells that a spreadsheet would take for a formula become text (see neutralise). */
function safe(values: unknown[]): unknown[] {
  return values.map((v) => (typeof v === 'string' ? neutralise(v) : v));
}

function sheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, cols: Col[]): Sheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({ width: c.width }));
  const header = ws.addRow(cols.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  header.commit();
  return ws;
}

function finish(ws: Sheet, cols: Col[], rows: number): void {
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows + 1), column: cols.length } };
  ws.commit();
}

const records = readRecords;

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

async function exists(f: string): Promise<boolean> {
  return stat(f).then(
    () => true,
    () => false,
  );
}
