/** Structure and compliance rules (format.md §9.5). */
import type { Finding, Report } from '../../model/index.js';
import { COUNT_KEYS, SECTION_KEYS, SECTION_TITLES, TABLE4_BLOCKS, TABLE4_COLUMNS, GROUP_LABELS } from '../../model/structure.js';
import { normalizeNarrative } from '../../text/narrative.js';
import { evaluate, type Equation } from '../equations.js';
import { listPaths, msg, TABLE_NAMES } from '../messages.js';
import type { Rule } from '../types.js';
import {
  COLUMN_LABELS,
  outcomeRows,
  proactiveCells,
  rowLabel,
  T4_LABELS,
  table3RowsOf,
  valuesOf,
  type TableId,
  type Text,
  type Values,
} from '../values.js';
import { defineRule, tableFormat } from './common.js';

const TABLES: TableId[] = ['table2', 'table3', 'table4'];
const NUMERALS = ['一', '二', '三', '四', '五', '六'];

function isModern(r: Report): boolean {
  return r.formatVersion === '2019' || r.formatVersion === '2021';
}

export const S_01 = defineRule({
  id: 'S-01',
  family: 'structure',
  severity: 'warning',
  title: { zh: '六个部分齐全', en: 'All six sections present' },
  check(input, lang) {
    const r = input.report;
    // Legacy reports follow the 2008 content list, not the six sections.
    if (r.formatVersion === 'legacy') return [];
    return SECTION_KEYS.flatMap((k, i): Finding[] =>
      r.sections?.[k] || sectionBeyondCut(r, i)
        ? []
        : [{ rule: this.id, severity: 'warning', message: msg(lang, 'S-01', { num: NUMERALS[i], title: SECTION_TITLES[k] }), paths: [`sections.${k}`] }],
    );
  },
});

/** The section of each table (二, 三, 四: indices 1, 2, 3 of SECTION_KEYS). */
const TABLE_SECTION: Record<TableId, number> = { table2: 1, table3: 2, table4: 3 };

/**
 * Whether section i lies beyond a cut in the text: after the table a text ends inside, or before the
 * one it begins inside. Not in the source is not missing (P-TRUNC says so once).
 */
function sectionBeyondCut(r: Report, i: number): boolean {
  const cut = r.truncated;
  if (!cut) return false;
  return (cut.end !== undefined && i > TABLE_SECTION[cut.end.table]) || (cut.start !== undefined && i < TABLE_SECTION[cut.start.table]);
}

export const S_03 = defineRule({
  id: 'S-03',
  family: 'structure',
  severity: 'warning',
  title: { zh: '格式与年度相符（未使用最新格式）', en: 'Format matches the year (latest format used)' },
  check(input, lang) {
    const { year, formatVersion } = input.report;
    if (year === null || !isModern(input.report)) return [];
    const wanted = year >= 2021 ? '2021' : year >= 2019 ? '2019' : null;
    if (!wanted || wanted === formatVersion) return [];
    // "未使用最新格式" is wrong about a 2020 report in the 2021 format: that format is newer than its year's.
    const later = formatVersion === '2021' && wanted === '2019';
    return [{ rule: this.id, severity: 'warning', message: msg(lang, later ? 'S-03.later' : 'S-03', { year, format: formatVersion, wanted }), paths: ['formatVersion'] }];
  },
});

const TABLE_KEYS: Record<TableId, 'proactive' | 'applications' | 'reviewLitigation'> = {
  table2: 'proactive',
  table3: 'applications',
  table4: 'reviewLitigation',
};

/** Row id of a value path in its table: `applications.results.granted.total` → `results.granted`. */
function rowOf(table: TableId, path: string): string {
  const parts = path.split('.');
  return table === 'table3' ? parts.slice(1, -1).join('.') : parts[1];
}

function rowOrder(r: Report, table: TableId): string[] {
  if (table === 'table3') return table3RowsOf(r).map((x) => x.path.replace(/^applications\./, ''));
  if (table === 'table4') return TABLE4_BLOCKS.map((b) => b.key);
  return [...new Set((proactiveCells(r) ?? []).map((c) => c.path.split('.')[0]))];
}

/**
 * Whether a table (or one of its rows) lies beyond a cut in the text (`report.truncated`):
 * a text that ends inside table 3 has no table 4 and no rows after the last one read; a
 * page that begins inside it has no table 2 and no rows before the first. Not in the
 * source is not missing from the report: no S-04, no S-05 (one P-TRUNC warning instead).
 */
export function beyondCut(r: Report, table: TableId, row?: string): boolean {
  const cut = r.truncated;
  if (!cut) return false;
  const i = TABLES.indexOf(table);
  const order = row === undefined ? [] : rowOrder(r, table);
  const at = row === undefined ? -1 : order.indexOf(row);
  if (cut.end) {
    const e = TABLES.indexOf(cut.end.table);
    if (i > e) return true;
    if (i === e) {
      if (row === undefined) return r[TABLE_KEYS[table]] == null;
      const last = cut.end.row === null ? -1 : order.indexOf(cut.end.row);
      if (at > last) return true;
    }
  }
  if (cut.start) {
    const b = TABLES.indexOf(cut.start.table);
    if (i < b) return true;
    if (i === b) {
      if (row === undefined) return r[TABLE_KEYS[table]] == null;
      const first = cut.start.row === null ? order.length : order.indexOf(cut.start.row);
      if (at >= 0 && at < first) return true;
    }
  }
  return false;
}

export const P_TRUNC = defineRule({
  id: 'P-TRUNC',
  family: 'structure',
  severity: 'warning',
  title: { zh: '文本不完整：在表格中间开始或结束（其后或其前不报缺失）', en: 'Text cut short: it begins or ends inside a table (nothing beyond the cut is reported missing)' },
  check(input, lang) {
    const cut = input.report.truncated;
    if (!cut) return [];
    const out: Finding[] = [];
    const label = (table: TableId, row: string | null) => {
      if (row === null) return '';
      if (table === 'table3') {
        const hit = table3RowsOf(input.report).find((x) => x.path === `applications.${row}`);
        return hit ? rowLabel(hit, lang) : row;
      }
      if (table === 'table2') return (proactiveCells(input.report) ?? []).find((c) => c.path.startsWith(`${row}.`))?.row ?? row;
      return row;
    };
    for (const side of ['start', 'end'] as const) {
      const c = cut[side];
      if (!c) continue;
      const row = label(c.table, c.row);
      const key = `P-TRUNC.${side}${row ? '' : '.none'}` as const;
      out.push({ rule: this.id, severity: 'warning', message: msg(lang, key, { table: TABLE_NAMES[c.table][lang], row, line: c.line ?? '?' }), paths: [TABLE_KEYS[c.table]] });
    }
    return out;
  },
});

export const S_04 = defineRule({
  id: 'S-04',
  family: 'structure',
  severity: 'error',
  title: { zh: '表二、表三、表四齐全', en: 'Tables 2, 3 and 4 present' },
  check(input, lang) {
    if (!isModern(input.report)) return [];
    return TABLES.flatMap((t): Finding[] =>
      input.report[TABLE_KEYS[t]] == null && !beyondCut(input.report, t)
        ? [{ rule: this.id, severity: 'error', message: msg(lang, 'S-04', { title: TABLE_NAMES[t][lang] }), paths: [TABLE_KEYS[t]] }]
        : [],
    );
  },
});

/** A cell lost without a derived value: `missing`, or null with no provenance at all. */
function lost(v: Values, path: string): boolean {
  if (typeof v.raw(path) === 'number') return false;
  const cell = v.cell(path);
  if (!cell) return true;
  return cell.kind === 'missing' && cell.derived === undefined;
}

interface Element {
  kind: 'row' | 'column';
  where: Text;
  paths: string[];
}

/** The rows and columns of a table as path sets, so S-05 can say which whole element is absent. */
function elements(v: Values, table: TableId): Element[] {
  const r = v.report;
  if (table === 'table3') {
    const rows = table3RowsOf(r);
    return [
      ...rows.map((row): Element => ({ kind: 'row', where: { zh: rowLabel(row, 'zh'), en: rowLabel(row, 'en') }, paths: COUNT_KEYS.map((c) => `${row.path}.${c}`) })),
      ...COUNT_KEYS.map((c): Element => ({ kind: 'column', where: COLUMN_LABELS[c], paths: rows.map((row) => `${row.path}.${c}`) })),
    ];
  }
  if (table === 'table4') {
    return [
      ...TABLE4_BLOCKS.map((b): Element => ({ kind: 'row', where: T4_LABELS[b.key], paths: TABLE4_COLUMNS.map((c) => `reviewLitigation.${b.key}.${c.key}`) })),
      ...TABLE4_COLUMNS.map((c): Element => ({ kind: 'column', where: T4_LABELS[c.key], paths: TABLE4_BLOCKS.map((b) => `reviewLitigation.${b.key}.${c.key}`) })),
    ];
  }
  const cells = proactiveCells(r) ?? [];
  const group = (key: (c: (typeof cells)[number]) => string, kind: Element['kind']): Element[] => {
    const m = new Map<string, string[]>();
    for (const c of cells) m.set(key(c), [...(m.get(key(c)) ?? []), `proactive.${c.path}`]);
    return [...m.entries()].map(([label, paths]) => ({ kind, where: { zh: label, en: label }, paths }));
  };
  // Single-cell columns (本年收费金额) are the row itself; report the row only.
  return [...group((c) => c.row, 'row'), ...group((c) => c.column, 'column').filter((e) => e.paths.length > 1)];
}

export const S_05 = defineRule({
  id: 'S-05',
  family: 'structure',
  severity: 'error',
  title: { zh: '表格行、列齐全（表格漏项）', en: 'Every table row and column present' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableFormat(v)) return [];
    const out: Finding[] = [];
    for (const t of TABLES) {
      if (input.report[TABLE_KEYS[t]] == null) continue;
      for (const e of elements(v, t)) {
        // Rows beyond a cut in the text are not in the source; a column is judged on the rows that are.
        const paths = e.paths.filter((p) => !beyondCut(input.report, t, rowOf(t, p)));
        if (!paths.length || !paths.every((p) => lost(v, p))) continue;
        out.push({
          rule: this.id,
          severity: 'error',
          message: msg(lang, e.kind === 'row' ? 'S-05.row' : 'S-05.column', { table: TABLE_NAMES[t][lang], where: e.where[lang] }),
          paths: e.paths,
        });
      }
    }
    return out;
  },
});

export const S_06 = defineRule({
  id: 'S-06',
  family: 'structure',
  severity: 'warning',
  title: { zh: '应填数字处为空或占位符（每表一条）', en: 'Blank or placeholder cells where a number is required (one per table)' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableFormat(v)) return [];
    const out: Finding[] = [];
    for (const t of TABLES) {
      const paths = v.paths(t).filter((p) => v.isPlaceholder(p));
      if (!paths.length) continue;
      const key = v.tableState(t) === 'blank' ? 'S-06.blankTable' : 'S-06';
      out.push({ rule: this.id, severity: 'warning', message: msg(lang, key, { table: TABLE_NAMES[t][lang], count: paths.length, list: listPaths(paths) }), paths });
    }
    return out;
  },
});

export const S_07 = defineRule({
  id: 'S-07',
  family: 'structure',
  severity: 'warning',
  title: { zh: '数值单元格中填写了文字', en: 'Text in a value cell' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableFormat(v)) return [];
    return TABLES.flatMap((t) =>
      v.paths(t)
        .filter((p) => v.raw(p) == null && v.cell(p)?.kind === 'text')
        .map((p): Finding => ({ rule: this.id, severity: 'warning', message: msg(lang, 'S-07', { where: p, raw: v.cell(p)?.raw ?? '' }), paths: [p] })),
    );
  },
});

const BOILERPLATE = /^(无|没有|暂无|无其他需要报告的事项)[。.]?$/;

export const S_11 = defineRule({
  id: 'S-11',
  family: 'structure',
  severity: 'info',
  title: { zh: '第五部分写明问题和改进情况', en: 'Section 5 states both problems and improvements' },
  check(input, lang) {
    const sec = input.report.sections?.problems;
    // A missing section is S-01's finding; legacy reports have no section 五 of this kind.
    if (!sec || input.report.formatVersion === 'legacy') return [];
    const s = normalizeNarrative(sec.text);
    const f = (key: 'S-11.empty' | 'S-11.problems' | 'S-11.improvements'): Finding => ({ rule: this.id, severity: 'info', message: msg(lang, key), paths: ['sections.problems'] });
    if (s.length < 10 || BOILERPLATE.test(s)) return [f('S-11.empty')];
    const out: Finding[] = [];
    if (!/问题|不足|短板|差距|薄弱/.test(s)) out.push(f('S-11.problems'));
    if (!/改进|整改|措施|下一步|加强|提升|完善/.test(s)) out.push(f('S-11.improvements'));
    return out;
  },
});

const FEE_STATEMENT = /信息处理费|收费通知|收取[^。]{0,10}费/;

export const S_12 = defineRule({
  id: 'S-12',
  family: 'structure',
  severity: 'info',
  title: { zh: '（2021）第六部分报告信息处理费收取情况', en: '(2021) Section 6 reports information-processing fees' },
  check(input, lang) {
    const r = input.report;
    if (r.formatVersion !== '2021') return [];
    // When 六 is missing (numbering shifted), accept the statement anywhere rather than report it twice.
    const text = r.sections?.other ? r.sections.other.text : Object.values(r.sections ?? {}).map((s) => s?.text ?? '').join('');
    if (FEE_STATEMENT.test(normalizeNarrative(text))) return [];
    return [{ rule: this.id, severity: 'info', message: msg(lang, 'S-12'), paths: ['sections.other'] }];
  },
});

/** "2024-01-01", "2024年1月1日" → [2024, 1, 1] */
function ymd(s: string): [number, number, number] | null {
  const m = /(\d{4})\D+(\d{1,2})\D+(\d{1,2})/.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export const S_13 = defineRule({
  id: 'S-13',
  family: 'structure',
  severity: 'info',
  title: { zh: '统计期限为当年 1 月 1 日至 12 月 31 日', en: 'Statistical period is 1 Jan–31 Dec of the year' },
  check(input, lang) {
    const r = input.report;
    if (!isModern(r)) return [];
    const base = { rule: this.id, severity: 'info' as const, paths: ['statisticalPeriod'] };
    const p = r.statisticalPeriod;
    if (!p) return [{ ...base, message: msg(lang, 'S-13.missing') }];
    if (r.year === null) return [];
    const from = ymd(p.from);
    const to = ymd(p.to);
    const ok = from?.join('-') === `${r.year}-1-1` && to?.join('-') === `${r.year}-12-31`;
    return ok ? [] : [{ ...base, message: msg(lang, 'S-13.wrong', { from: p.from, to: p.to, year: r.year }) }];
  },
});

export const S_10 = defineRule({
  id: 'S-10',
  family: 'structure',
  severity: 'info',
  title: { zh: '行标签不是本格式的规范写法（如2021表中的“规范性文件”）', en: 'Non-canonical row label for the format (e.g. 规范性文件 in a 2021 table)' },
  check(input, lang) {
    // The recognizer records `label` on the cells of a row printed with another label; one finding a row.
    const rows = new Map<string, { label: string; paths: string[] }>();
    for (const [path, cell] of Object.entries(input.cells)) {
      if (!cell.label) continue;
      const row = path.split('.').slice(0, -1).join('.');
      const entry = rows.get(row) ?? rows.set(row, { label: cell.label, paths: [] }).get(row)!;
      entry.paths.push(path);
    }
    return [...rows.entries()].map(([row, { label, paths }]) => ({
      rule: this.id,
      severity: 'info' as const,
      paths,
      message: msg(lang, 'S-10', { label, row }),
    }));
  },
});

/**
 * Deadlines of 条例 art. 49 (2019): departments by 31 Jan of Y+1, people's governments at
 * county level and above by 31 Mar; the 2008 条例 (legacy reports): 31 Mar for all.
 * Which kind of agency it is comes from its name: an agency's own name is all we have.
 */
function deadline(r: Report): { date: string; kind: 'government' | 'department' | 'all' } | null {
  if (r.year === null) return null;
  if (r.formatVersion === 'legacy' || r.year <= 2018) return { date: `${r.year + 1}-03-31`, kind: 'all' };
  const government = /人民政府(办公室|办公厅)?$/.test(r.agency ?? '');
  return government ? { date: `${r.year + 1}-03-31`, kind: 'government' } : { date: `${r.year + 1}-01-31`, kind: 'department' };
}

export const S_14 = defineRule({
  id: 'S-14',
  family: 'structure',
  severity: 'info',
  title: { zh: '按期发布（部门1月31日前，县级以上人民政府3月31日前）', en: 'Published on time (departments by 31 Jan, governments by 31 Mar)' },
  check(input, lang) {
    const r = input.report;
    const published = r.publishedAt;
    const due = deadline(r);
    if (!published || !due || published <= due.date) return [];
    return [{ rule: this.id, severity: 'info', paths: ['publishedAt'], message: msg(lang, 'S-14', { published, due: due.date, kind: msg(lang, `S-14.${due.kind}`) }) }];
  },
});

/** Whether (七)总计's total column balances without and with the non-standard rows. */
function extraBalance(v: Values): 'standard' | 'extra' | null {
  const extras = (v.report.applications?.extraRows ?? []).map((x, i) => ({ x, i })).filter(({ x }) => x.group);
  if (!extras.length) return null;
  const eq: Equation = {
    lhs: [{ path: 'applications.results.total.total' }],
    rhs: outcomeRows(v.report).map((r) => ({ path: `${r.path}.total` })),
    op: '=',
    where: { zh: '', en: '' },
    expression: '',
  };
  if (evaluate(eq, v).status === 'pass') return 'standard';
  const withExtra = { ...eq, rhs: [...eq.rhs, ...extras.map(({ i }) => ({ path: `applications.extraRows.${i}.total` }))] };
  return evaluate(withExtra, v).status === 'pass' ? 'extra' : null;
}

export const S_15 = defineRule({
  id: 'S-15',
  family: 'structure',
  severity: 'info',
  title: { zh: '表三有非标准行', en: 'Non-standard rows in table 3' },
  check(input, lang) {
    const v = valuesOf(input);
    const extras = v.report.applications?.extraRows ?? [];
    if (!extras.length) return [];
    const balance = extraBalance(v);
    const note = balance === 'standard' ? msg(lang, 'S-15.standardBalances') : balance === 'extra' ? msg(lang, 'S-15.extraBalances') : '';
    return extras.map((x, i): Finding => ({
      rule: this.id,
      severity: 'info',
      message: msg(lang, 'S-15', { label: x.label, group: x.group ? msg(lang, 'S-15.group', { group: lang === 'zh' ? GROUP_LABELS[x.group] : x.group }) : '' }) + note,
      paths: COUNT_KEYS.map((c) => `applications.extraRows.${i}.${c}`),
    }));
  },
});

export const STRUCTURE_RULES: Rule[] = [S_01, S_03, P_TRUNC, S_04, S_05, S_06, S_07, S_10, S_11, S_12, S_13, S_14, S_15];
