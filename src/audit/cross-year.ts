/**
 * Cross-report rules for the batch (format.md §9.1 T3-XY, §9.2 T2-XY and the
 * cross-year half of T2-19-ITEMS). Pure: two audited inputs in, findings out.
 * Paths of the previous report carry the `prev:` prefix.
 */
import type { Finding } from '../model/index.js';
import { COUNT_KEYS } from '../model/structure.js';
import { checkEquations, type Equation } from './equations.js';
import type { AuditInput, Lang, Rule } from './types.js';
import { TABLE2_2019, TABLE2_2021 } from '../model/structure.js';
import { COLUMN_LABELS, proactiveCells, valuesOf, type Values } from './values.js';
import { ITEM_ROWS } from './rules/table2.js';

type CrossRule = Omit<Rule, 'check'> & { check(prev: Values, next: Values, lang: Lang): Finding[] };

const usable = (v: Values, t: 'table2' | 'table3') =>
  (v.report.formatVersion === '2021' || v.report.formatVersion === '2019') && v.tableState(t) === 'filled';

export const T3_XY: CrossRule = {
  id: 'T3-XY',
  family: 'table3',
  severity: 'warning',
  title: { zh: '上年结转等于上年报告的结转下年度继续办理', en: 'Carried over = last report\'s carried forward' },
  check(prev, next, lang) {
    if (!usable(prev, 'table3') || !usable(next, 'table3')) return [];
    const eqs: Equation[] = COUNT_KEYS.map((c) => ({
      lhs: [{ path: `applications.carriedOver.${c}` }],
      rhs: [{ path: `applications.carriedForward.${c}`, prev: true }],
      op: '=',
      where: COLUMN_LABELS[c],
      expression: `carriedOver(Y).${c} = carriedForward(Y−1).${c}`,
    }));
    return checkEquations(this, eqs, next, lang, prev);
  },
};

const shape = (v: Values) => {
  const cells = proactiveCells(v.report);
  return cells === TABLE2_2021 ? '2021' : cells === TABLE2_2019 ? '2019' : null;
};

export const T2_XY: CrossRule = {
  id: 'T2-XY',
  family: 'table2',
  severity: 'warning',
  title: { zh: '现行有效件数等于上年现行有效加本年制发减本年废止', en: 'In force = last year\'s in force + issued − repealed' },
  check(prev, next, lang) {
    if (!usable(prev, 'table2') || !usable(next, 'table2') || shape(prev) !== '2021' || shape(next) !== '2021') return [];
    const eqs: Equation[] = (['regulations', 'normativeDocuments'] as const).map((k) => ({
      lhs: [{ path: `proactive.${k}.inForce` }],
      rhs: [
        { path: `proactive.${k}.inForce`, prev: true },
        { path: `proactive.${k}.issued` },
        { path: `proactive.${k}.repealed`, sign: -1 },
      ],
      op: '=',
      where: k === 'regulations' ? { zh: '规章', en: k } : { zh: '行政规范性文件', en: k },
      expression: `${k}.inForce(Y) = ${k}.inForce(Y−1) + ${k}.issued(Y) − ${k}.repealed(Y)`,
    }));
    return checkEquations(this, eqs, next, lang, prev);
  },
};

export const T2_19_ITEMS_XY: CrossRule = {
  id: 'T2-19-ITEMS',
  family: 'table2',
  severity: 'warning',
  title: { zh: '（2019）上一年项目数量等于上年报告的项目数量加增减', en: '(2019) previous items = last report\'s previous items + change' },
  check(prev, next, lang) {
    if (!usable(prev, 'table2') || !usable(next, 'table2') || shape(prev) !== '2019' || shape(next) !== '2019') return [];
    const eqs: Equation[] = ITEM_ROWS.map((r) => ({
      lhs: [{ path: `proactive.${r.key}.previousItems` }],
      rhs: [
        { path: `proactive.${r.key}.previousItems`, prev: true },
        { path: `proactive.${r.key}.change`, prev: true },
      ],
      op: '=',
      where: { zh: r.row, en: r.key },
      expression: `${r.key}.previousItems(Y) = ${r.key}.previousItems(Y−1) + ${r.key}.change(Y−1)`,
      key: 'T2-19-ITEMS.xy',
    }));
    return checkEquations(this, eqs, next, lang, prev);
  },
};

export const CROSS_YEAR_RULES: CrossRule[] = [T3_XY, T2_XY, T2_19_ITEMS_XY];

/**
 * Compares an agency's consecutive reports. When both years are known and are not
 * consecutive the pair is not comparable and nothing is reported.
 */
export function crossYear(prev: AuditInput, next: AuditInput, lang: Lang = 'zh'): Finding[] {
  const py = prev.report.year;
  const ny = next.report.year;
  if (py !== null && ny !== null && ny - py !== 1) return [];
  // Fresh wrappers, so the value cache never outlives this call (see runAudit).
  const p = valuesOf({ report: prev.report, cells: prev.cells });
  const n = valuesOf({ report: next.report, cells: next.cells });
  return CROSS_YEAR_RULES.flatMap((r) => r.check(p, n, lang));
}
