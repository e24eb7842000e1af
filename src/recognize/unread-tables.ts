/**
 * Promise 2 at the table level: S-04 ("table missing") is the source's fault only when the table
 * is absent from the source. A table whose labels are printed but whose reading gave nothing (a
 * generic extractor's text, where labels stand in one block and numbers in another, or a table
 * the layout could not follow) is ours to fix: the report gets the table with every cell
 * `unplaced` and one P-UNPLACED warning, so no structure error and no arithmetic runs on it.
 */
import type { Cell, Cells, Finding } from '../model/index.js';
import { COUNT_KEYS, TABLE2_2019, TABLE2_2021, TABLE4_BLOCKS, TABLE4_COLUMNS, table3Rows } from '../model/structure.js';
import type { Line } from './lines.js';
import { normLabel, splitNumbering } from './normalize.js';

export type TableKey = 'proactive' | 'applications' | 'reviewLitigation';

/**
 * What proves a table is printed: enough of its own words that prose does not use together.
 * Table 3: its row labels past the group headings (the denial and non-processing reasons) and its
 * column heads. Table 4: its column and block heads. Table 2: its row labels beside its column heads.
 */
interface Signature {
  words: string[];
  need: number;
}

const T3_WORDS = [
  ...table3Rows('2021')
    .filter((r) => r.group)
    .map((r) => splitNumbering(normLabel(r.label)).rest.replace(/\(.*$/, '')),
  '商业企业',
  '科研机构',
  '社会公益组织',
  '法律服务机构',
  '本年新收政府信息公开申请数量',
  '上年结转政府信息公开申请数量',
  '结转下年度继续办理',
].filter((w) => w.length >= 4);

const SIGNATURES: Record<TableKey, Signature> = {
  applications: { words: T3_WORDS, need: 8 },
  // The halves count too: in narrow columns each head wraps (结果 / 维持), and lines read across the row.
  reviewLitigation: { words: ['结果维持', '结果纠正', '其他结果', '尚未审结', '未经复议直接起诉', '复议后起诉', '维持', '纠正', '审结'], need: 4 },
  proactive: { words: ['规章', '行政规范性文件', '行政许可', '行政处罚', '行政强制', '行政事业性收费', '本年制发件数', '本年废止件数', '现行有效件数', '本年处理决定数量'], need: 5 },
};

/** Whether the lines hold the table's own words (read across line breaks: extractors split headers). */
export function tablePrinted(table: TableKey, lines: readonly Line[]): boolean {
  const text = lines.map((l) => l.norm).join('');
  const sig = SIGNATURES[table];
  return sig.words.filter((w) => text.includes(w)).length >= sig.need;
}

/** Every value path of a table as the report holds it (`proactive.…`, `applications.…`, `reviewLitigation.…`). */
function valuePaths(table: TableKey, format: '2021' | '2019'): string[] {
  if (table === 'proactive') return (format === '2021' ? TABLE2_2021 : TABLE2_2019).map((c) => `proactive.${c.path}`);
  if (table === 'reviewLitigation') return TABLE4_BLOCKS.flatMap((b) => TABLE4_COLUMNS.map((c) => `reviewLitigation.${b.key}.${c.key}`));
  return table3Rows(format).flatMap((r) => COUNT_KEYS.map((k) => `applications.${r.path}.${k}`));
}

/** The nested object the paths describe, every value null. */
function skeleton(paths: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    const segs = p.split('.').slice(1);
    let cur = root;
    for (const s of segs.slice(0, -1)) cur = (cur[s] ??= {}) as Record<string, unknown>;
    cur[segs[segs.length - 1]] = null;
  }
  return root;
}

const NAMES: Record<TableKey, { zh: string; en: string }> = {
  proactive: { zh: '表二（主动公开政府信息情况）', en: 'Table 2 (proactive disclosure)' },
  applications: { zh: '表三（收到和处理政府信息公开申请情况）', en: 'Table 3 (applications received and handled)' },
  reviewLitigation: { zh: '表四（行政复议、行政诉讼情况）', en: 'Table 4 (administrative review and litigation)' },
};

export interface UnreadTable {
  value: Record<string, unknown>;
  cells: Cells;
  finding: Finding;
}

/**
 * The table as "printed, not read": null values, `unplaced` cells (where the table's text begins,
 * when known), one warning. Null when the lines do not prove the table is printed.
 */
export function unreadTable(table: TableKey, lines: readonly Line[], format: '2021' | '2019', lang: 'zh' | 'en' = 'zh'): UnreadTable | null {
  if (!tablePrinted(table, lines)) return null;
  const paths = valuePaths(table, format);
  const first = lines.find((l) => SIGNATURES[table].words.some((w) => l.norm.includes(w))) ?? lines[0];
  const cell: Cell = { raw: '', kind: 'unplaced', inferred: lang === 'en' ? 'the table is printed in the source; its values could not be read' : '表格在来源中，未能读取其数值' };
  if (first?.page) cell.page = first.page;
  if (first?.line) cell.line = first.line;
  const cells: Cells = {};
  for (const p of paths) cells[p] = { ...cell };
  const where = first?.line ? (lang === 'en' ? ` (from line ${first.line})` : `（第${first.line}行起）`) : '';
  return {
    value: skeleton(paths),
    cells,
    finding: {
      rule: 'P-UNPLACED',
      severity: 'warning',
      message:
        lang === 'en'
          ? `${NAMES[table].en} is printed in the source${where} but its values could not be read (our reading, not the report's error)`
          : `${NAMES[table].zh}在来源中${where}，但未能读取其数值（属读取问题，非报告错误）`,
      paths: [table],
    },
  };
}
