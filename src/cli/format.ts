import type { Lang } from '../audit/types.js';
import type { Cell, Finding, ParseResult } from '../model/index.js';

/** Human-readable rendering of findings for `nianbao audit`. */

const HEAD: Record<Lang, Record<Finding['severity'], string>> = {
  zh: { error: '错误', warning: '警告', info: '提示' },
  en: { error: 'errors', warning: 'warnings', info: 'info' },
};

export function where(cell: Cell | undefined, lang: Lang): string {
  if (!cell) return '';
  const parts: string[] = [];
  if (cell.page !== undefined) parts.push(lang === 'zh' ? `第${cell.page}页` : `page ${cell.page}`);
  if (cell.table !== undefined) parts.push(lang === 'zh' ? `表${cell.table}` : `table ${cell.table}`);
  if (cell.row !== undefined) parts.push(lang === 'zh' ? `行${cell.row + 1}` : `row ${cell.row + 1}`);
  if (cell.col !== undefined) parts.push(lang === 'zh' ? `列${cell.col + 1}` : `col ${cell.col + 1}`);
  if (cell.line !== undefined) parts.push(lang === 'zh' ? `源第${cell.line}行` : `line ${cell.line}`);
  return parts.join(' ');
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
      out.push(line);
      const loc = where(result.cells[f.paths[0]], lang);
      if (f.paths.length) out.push(`        ${f.paths.slice(0, 4).join(', ')}${f.paths.length > 4 ? ` …(+${f.paths.length - 4})` : ''}${loc ? `  @ ${loc}` : ''}`);
    }
  }
  if (result.findings.length === 0) out.push(lang === 'zh' ? '  未发现问题' : '  no findings');
  out.push(
    lang === 'zh'
      ? `  合计：错误 ${counts.error}，警告 ${counts.warning}，提示 ${counts.info}`
      : `  total: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`,
  );
  return out.join('\n') + '\n';
}
