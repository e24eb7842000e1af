import type { Lang } from '../audit/types.js';
import { valueColumns } from '../export/columns.js';
import type { Cell, Finding, ParseResult } from '../model/index.js';

/** Human-readable rendering of findings for `nianbao audit`. */

const HEAD: Record<Lang, Record<Finding['severity'], string>> = {
  zh: { error: '错误', warning: '警告', info: '提示' },
  en: { error: 'errors', warning: 'warnings', info: 'info' },
};

/** Cells listed under a finding; the rest are counted. */
const MAX_CELLS = 8;

/**
 * Where a cell is in the source. `table` counts the document's tables (a CMS
 * metadata table comes first on a web page), so it is said as "the n-th table"
 * to keep it apart from the report's own 表二/表三/表四.
 */
export function where(cell: Cell | undefined, lang: Lang): string {
  if (!cell) return '';
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (cell.page !== undefined) parts.push(zh ? `第${cell.page}页` : `page ${cell.page}`);
  if (cell.table !== undefined) parts.push(zh ? `第${cell.table}个表格` : `table ${cell.table} of the document`);
  if (cell.row !== undefined && cell.col !== undefined) parts.push(zh ? `第${cell.row + 1}行第${cell.col + 1}列` : `row ${cell.row + 1}, col ${cell.col + 1}`);
  else if (cell.row !== undefined) parts.push(zh ? `第${cell.row + 1}行` : `row ${cell.row + 1}`);
  if (cell.line !== undefined) parts.push(zh ? `源文件第${cell.line}行` : `source line ${cell.line}`);
  return parts.join(zh ? ' ' : ', ');
}

let labels: Map<string, string> | null = null;

/**
 * The official Chinese row and column labels of a report path
 * (`applications.newReceived.total` → 一、本年新收政府信息公开申请数量·总计), from the
 * structure tables in src/model/structure.ts; undefined for paths outside the tables.
 */
export function labelOf(path: string): string | undefined {
  labels ??= new Map(valueColumns().map((c) => [c.path, c.label]));
  return labels.get(path);
}

function valueAt(report: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), report);
}

/** One line per cell a finding names: its path, the value read (or its kind), where it is. */
function cellLines(result: ParseResult, f: Finding, lang: Lang): string[] {
  const lines = f.paths.slice(0, MAX_CELLS).map((p) => {
    const cell = result.cells[p];
    const v = valueAt(result.report, p);
    const shown = typeof v === 'number' ? String(v) : cell ? `(${cell.kind}${cell.raw ? ` "${cell.raw}"` : ''})` : '';
    const loc = where(cell, lang);
    const label = labelOf(p);
    const name = label ? (lang === 'zh' ? `${label}（${p}）` : `${p} (${label})`) : p;
    return `        ${name}${shown ? ` = ${shown}` : ''}${loc ? `  @ ${loc}` : ''}`;
  });
  if (f.paths.length > MAX_CELLS) lines.push(lang === 'zh' ? `        …另有 ${f.paths.length - MAX_CELLS} 个单元格` : `        … and ${f.paths.length - MAX_CELLS} more cells`);
  return lines;
}

export function renderAudit(result: ParseResult, lang: Lang): string {
  const out: string[] = [];
  const r = result.report;
  out.push(`${result.source.path}: ${r.agency ?? '?'} ${r.year ?? '?'} (${r.formatVersion}, ${result.source.format})`);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity]++;
  for (const sev of ['error', 'warning', 'info'] as const) {
    const list = result.findings.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    out.push(`  ${HEAD[lang][sev]} (${list.length})`);
    for (const f of list) {
      let line = `    [${f.rule}] ${f.message}`;
      if (f.expected !== undefined || f.actual !== undefined)
        line += lang === 'zh' ? `  应为 ${f.expected ?? '?'}，实为 ${f.actual ?? '?'}` : `  expected ${f.expected ?? '?'}, actual ${f.actual ?? '?'}`;
      out.push(line, ...cellLines(result, f, lang));
    }
  }
  // "No findings" would claim a clean report when nothing could be checked at all.
  const checkable = Object.values(result.cells).some((c) => c.kind === 'number');
  if (!checkable) out.push(lang === 'zh' ? '  无法核验：未读到任何表格数值' : '  not assessable: no table value could be read');
  else if (result.findings.length === 0) out.push(lang === 'zh' ? '  未发现问题' : '  no findings');
  out.push(
    lang === 'zh'
      ? `  合计：错误 ${counts.error}，警告 ${counts.warning}，提示 ${counts.info}`
      : `  total: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`,
  );
  return out.join('\n') + '\n';
}
