/** Table 3 identities (format.md §9.1); equations are generated from the row tables in model/structure.ts. */
import type { Finding } from '../../model/index.js';
import { COUNT_KEYS, GROUP_LABELS, LEGAL_KEYS, type CountColumn } from '../../model/structure.js';
import { checkEquations, evaluate, failFinding, round, type Equation, type Term } from '../equations.js';
import { msg } from '../messages.js';
import type { Lang } from '../types.js';
import {
  COLUMN_LABELS,
  RESULT_GROUPS,
  groupRows,
  otherDisposalSingle,
  outcomeRows,
  rowLabel,
  table3RowsOf,
  valuesOf,
  type Text,
  type Values,
} from '../values.js';
import { defineRule, tableFormat, tableGate } from './common.js';

const A = 'applications';
const col = (c: CountColumn): Text => COLUMN_LABELS[c];
const at = (row: { path: string; label: string }, c: CountColumn): Text => ({
  zh: `${rowLabel(row, 'zh')}·${COLUMN_LABELS[c].zh}`,
  en: `${rowLabel(row, 'en')}, ${COLUMN_LABELS[c].en}`,
});
const terms = (rows: { path: string }[], c: CountColumn): Term[] => rows.map((r) => ({ path: `${r.path}.${c}` }));

function balance(c: CountColumn): Equation {
  return {
    lhs: [{ path: `${A}.results.total.${c}` }, { path: `${A}.carriedForward.${c}` }],
    rhs: [{ path: `${A}.newReceived.${c}` }, { path: `${A}.carriedOver.${c}` }],
    op: '=',
    where: col(c),
    expression: `newReceived.${c} + carriedOver.${c} = results.total.${c} + carriedForward.${c}`,
  };
}

function outcomes(v: Values, c: CountColumn): Equation {
  const rows = outcomeRows(v.report);
  const od = otherDisposalSingle(v.report) ? 'otherDisposal' : 'ΣotherDisposal';
  return {
    lhs: [{ path: `${A}.results.total.${c}` }],
    rhs: terms(rows, c),
    op: '=',
    where: col(c),
    expression: `results.total.${c} = granted + partiallyGranted + Σdenied + Σunable + ΣnotProcessed + ${od} (.${c})`,
  };
}

function rowSum(row: { path: string; label: string }): Equation {
  return {
    lhs: [{ path: `${row.path}.total` }],
    rhs: terms([row], 'naturalPerson').concat(LEGAL_KEYS.map((c) => ({ path: `${row.path}.${c}` }))),
    op: '=',
    where: { zh: rowLabel(row, 'zh'), en: rowLabel(row, 'en') },
    expression: `${row.path.slice(A.length + 1)}.total = naturalPerson + Σlegal`,
  };
}

export const T3_BAL = defineRule({
  id: 'T3-BAL',
  family: 'table3',
  severity: 'error',
  title: { zh: '第一项加第二项之和等于第三项加第四项之和（每列）', en: 'New + carried over = concluded + carried forward (per column)' },
  check(input, lang) {
    const v = valuesOf(input);
    return tableGate(this, v, 'table3', lang) ?? checkEquations(this, COUNT_KEYS.map(balance), v, lang);
  },
});

export const T3_OUT = defineRule({
  id: 'T3-OUT',
  family: 'table3',
  severity: 'error',
  title: { zh: '（七）总计等于各项办理结果之和（每列）', en: '(7) total = sum of the outcome rows (per column)' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table3', lang);
    if (gate) return gate;
    const extras = (v.report.applications?.extraRows ?? [])
      .map((r, i) => ({ path: `${A}.extraRows.${i}`, label: r.label, group: r.group }))
      .filter((r) => r.group !== undefined);
    const findings: Finding[] = [];
    const naEqs: Equation[] = [];
    for (const c of COUNT_KEYS) {
      const eq = outcomes(v, c);
      const out = evaluate(eq, v);
      if (out.status === 'na') naEqs.push(eq);
      if (out.status !== 'fail') continue;
      if (!extras.length) {
        findings.push(failFinding(this, eq, out, lang));
        continue;
      }
      // §11: say whether the table balances once the non-standard rows are counted in their groups.
      const withExtra: Equation = { ...eq, rhs: [...eq.rhs, ...terms(extras, c)] };
      const out2 = evaluate(withExtra, v);
      if (out2.status === 'pass') {
        findings.push(failFinding(this, { ...withExtra, key: 'T3-OUT.extraBalances' }, { ...out, paths: [...out.paths, ...extras.map((e) => `${e.path}.${c}`)] }, lang, 'warning'));
      } else {
        const f = failFinding(this, { ...eq, key: 'T3-OUT.extraFails', params: { withExtra: out2.status === 'fail' ? round(out2.expected) : '?' } }, out, lang);
        findings.push(f);
      }
    }
    if (naEqs.length) findings.push(...checkEquations(this, naEqs, v, lang));
    return findings;
  },
});

export const T3_ROW = defineRule({
  id: 'T3-ROW',
  family: 'table3',
  severity: 'error',
  title: { zh: '每行总计等于自然人与法人或其他组织之和', en: 'Each row: total = natural persons + legal persons' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table3', lang);
    if (gate) return gate;
    const rows = [
      ...table3RowsOf(v.report),
      ...(v.report.applications?.extraRows ?? []).map((r, i) => ({ path: `${A}.extraRows.${i}`, label: r.label })),
    ];
    const findings: Finding[] = [];
    const eqs: Equation[] = [];
    for (const row of rows) {
      const total = `${row.path}.total`;
      const eq = rowSum(row);
      if (v.isBlankTotalOfFilledRow(total)) {
        const derived = v.get(total);
        if (derived.ok) {
          findings.push({
            rule: this.id,
            severity: 'info',
            message: msg(lang, 'T3-ROW.blank', { where: eq.where[lang], expected: derived.value }),
            paths: [total, ...COUNT_KEYS.filter((c) => c !== 'total').map((c) => `${row.path}.${c}`)],
            expected: derived.value,
            expression: eq.expression,
          });
          continue;
        }
      }
      eqs.push(eq);
    }
    return [...findings, ...checkEquations(this, eqs, v, lang)];
  },
});

export const T3_SUB = defineRule({
  id: 'T3-SUB',
  family: 'table3',
  severity: 'error',
  title: { zh: '印出的小计等于各子项之和', en: 'Printed subtotals = sum of their rows' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table3', lang);
    if (gate) return gate;
    const results = v.report.applications?.results;
    const eqs: Equation[] = [];
    for (const g of RESULT_GROUPS) {
      if (!results?.[g]?.subtotal) continue;
      // The 2019 （六） row is the group itself, not a subtotal of anything (§5.2).
      if (g === 'otherDisposal' && (otherDisposalSingle(v.report) || v.report.formatVersion === '2019')) continue;
      const rows = groupRows(v.report, g);
      for (const c of COUNT_KEYS) {
        eqs.push({
          lhs: [{ path: `${A}.results.${g}.subtotal.${c}` }],
          rhs: terms(rows, c),
          op: '=',
          where: { zh: `${GROUP_LABELS[g]}·${COLUMN_LABELS[c].zh}`, en: `${g}, ${COLUMN_LABELS[c].en}` },
          expression: `results.${g}.subtotal.${c} = Σ${g}.${c}`,
        });
      }
    }
    return checkEquations(this, eqs, v, lang);
  },
});

/** Integer ≥ 0 check shared by tables 3 and 4. */
export function integerFindings(rule: { id: string }, v: Values, paths: string[], lang: Lang): Finding[] {
  const out: Finding[] = [];
  for (const p of paths) {
    const val = v.get(p);
    if (!val.ok || val.source === 'placeholder' || val.source === 'rowSum') continue;
    if (Number.isInteger(val.value) && val.value >= 0) continue;
    out.push({
      rule: rule.id,
      severity: 'error',
      message: msg(lang, 'notInteger', { where: p, actual: val.value }),
      paths: [p],
      actual: val.value,
    });
  }
  return out;
}

export const T3_INT = defineRule({
  id: 'T3-INT',
  family: 'table3',
  severity: 'error',
  title: { zh: '表三数值为非负整数', en: 'Table 3 values are non-negative integers' },
  check(input, lang) {
    const v = valuesOf(input);
    return tableGate(this, v, 'table3', lang) ?? integerFindings(this, v, v.paths('table3'), lang);
  },
});

export const T3_BOUND = defineRule({
  id: 'T3-BOUND',
  family: 'table3',
  severity: 'error',
  title: { zh: '（七）总计、结转下年度均不大于第一项加第二项之和', en: '(7) total and carried forward ≤ new + carried over' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table3', lang);
    if (gate) return gate;
    const avail = (c: CountColumn): Term[] => [{ path: `${A}.newReceived.${c}` }, { path: `${A}.carriedOver.${c}` }];
    const eqs = COUNT_KEYS.flatMap((c): Equation[] =>
      (['results.total', 'carriedForward'] as const).map((row) => ({
        lhs: [{ path: `${A}.${row}.${c}` }],
        rhs: avail(c),
        op: '<=',
        where: at({ path: `${A}.${row}`, label: row === 'results.total' ? '（七）总计' : '四、结转下年度继续办理' }, c),
        expression: `${row}.${c} ≤ newReceived.${c} + carriedOver.${c}`,
      })),
    );
    return checkEquations(this, eqs, v, lang);
  },
});

export const T3_LAYOUT = defineRule({
  id: 'T3-LAYOUT',
  family: 'table3',
  severity: 'warning',
  title: { zh: '（六）其他处理的行数与年度格式一致', en: '(6) other disposal rows match the format of the year' },
  check(input, lang) {
    const v = valuesOf(input);
    const r = v.report;
    const od = r.applications?.results.otherDisposal;
    if (!od || !tableFormat(v)) return [];
    const single = otherDisposalSingle(r);
    const split = !single && (od.overdueCorrection != null || od.unpaidFee != null || od.other != null);
    const base = { rule: this.id, severity: 'warning' as const };
    if (single && r.year !== null && r.year >= 2021) {
      return [{ ...base, message: msg(lang, 'T3-LAYOUT.single', { year: r.year }), paths: [`${A}.results.otherDisposal.subtotal.total`] }];
    }
    if (split && (r.formatVersion === '2019' || (r.year !== null && r.year <= 2020))) {
      const rows = ['overdueCorrection', 'unpaidFee', 'other'].map((k) => `${A}.results.otherDisposal.${k}.total`);
      return [{ ...base, message: msg(lang, 'T3-LAYOUT.split'), paths: rows }];
    }
    return [];
  },
});

export const TABLE3_RULES = [T3_BAL, T3_OUT, T3_ROW, T3_SUB, T3_INT, T3_BOUND, T3_LAYOUT];
