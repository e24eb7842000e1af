/**
 * Promise 2 at the row level: S-05 ("row missing") is the source's fault only when the row's label is
 * absent from the source. When the table's own reading lost a row whose label the table's text does hold
 * (a sparse row the anchoring could not place, a label split oddly by an extractor), the row's cells are
 * `unplaced` (ours to fix) with one P-UNPLACED warning, never a missing row.
 */
import type { Cells, Finding } from '../model/index.js';
import { COUNT_KEYS, TABLE2_2019, TABLE2_2021, TABLE3_ROWS } from '../model/structure.js';
import type { Line } from './lines.js';
import { normLabel, splitNumbering } from './normalize.js';

/** Shorter cores (其他) occur in too many labels to prove their own row is printed. */
const MIN_CORE = 4;

/** The label without its numbering and notes, as it is searched for in the table's text. */
function core(label: string): string {
  return splitNumbering(normLabel(label)).rest.replace(/[（(].*$/, '');
}

/** A long label wraps and may be broken by cells set beside it: its head alone is distinctive enough. */
const HEAD = 10;

/** Whether the label is printed in the table's text: whole, or (long labels) its first HEAD characters. */
function printed(label: string, text: string): boolean {
  return text.includes(label) || (label.length >= HEAD + 2 && text.includes(label.slice(0, HEAD)));
}

/** The row's cells become `unplaced` (ours to fix), and one P-UNPLACED warning says so. */
function markUnread(cells: Cells, paths: string[], table: { zh: string; en: string }, label: string, lang: 'zh' | 'en'): Finding {
  for (const p of paths) cells[p] = { ...cells[p], kind: 'unplaced', inferred: '行标签在来源中，未能读取该行数值' };
  return {
    rule: 'P-UNPLACED',
    severity: 'warning',
    message:
      lang === 'en'
        ? `${table.en} row “${label}” is printed in the source but its values could not be read (our reading, not the report's error)`
        : `${table.zh}“${label}”行在来源中，但未能读取其数值（属读取问题，非报告错误）`,
    paths,
  };
}

export function recoverUnreadRows(region: readonly Line[], cells: Cells, lang: 'zh' | 'en' = 'zh'): Finding[] {
  const text = region.map((l) => normLabel(l.text)).join('');
  const findings: Finding[] = [];
  for (const row of TABLE3_ROWS) {
    const paths = COUNT_KEYS.map((k) => `applications.${row.path}.${k}`);
    const lost = paths.every((p) => cells[p] !== undefined && cells[p].kind === 'missing' && cells[p].derived === undefined);
    const label = core(row.label);
    if (!lost || label.length < MIN_CORE || !printed(label, text)) continue;
    findings.push(markUnread(cells, paths, { zh: '表三', en: 'Table 3' }, row.label, lang));
  }
  return findings;
}

/** The same for table 2, whose row labels (规章, 行政许可, …) are distinct words of their own. */
export function recoverUnreadTable2Rows(region: readonly Line[], cells: Cells, format: '2021' | '2019', lang: 'zh' | 'en' = 'zh'): Finding[] {
  const text = region.map((l) => normLabel(l.text)).join('');
  const rows = new Map<string, string[]>();
  for (const c of format === '2021' ? TABLE2_2021 : TABLE2_2019) {
    const paths = rows.get(c.row) ?? rows.set(c.row, []).get(c.row)!;
    paths.push(`proactive.${c.path}`);
  }
  const findings: Finding[] = [];
  for (const [label, paths] of rows) {
    const lost = paths.every((p) => cells[p] !== undefined && cells[p].kind === 'missing');
    if (!lost || !text.includes(core(label))) continue;
    findings.push(markUnread(cells, paths, { zh: '表二', en: 'Table 2' }, label, lang));
  }
  return findings;
}
