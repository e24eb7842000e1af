/** Table 4 identities (format.md §9.3). */
import { TABLE4_BLOCKS, TABLE4_COLUMNS, type Table4Block } from '../../model/structure.js';
import { checkEquations, type Equation } from '../equations.js';
import { msg } from '../messages.js';
import type { Rule } from '../types.js';
import { T4_LABELS, valuesOf } from '../values.js';
import { defineRule, tableFormat, tableGate } from './common.js';
import { integerFindings } from './table3.js';

function blockEquation(block: Table4Block): Equation {
  const p = `reviewLitigation.${block}`;
  return {
    lhs: [{ path: `${p}.total` }],
    rhs: TABLE4_COLUMNS.filter((c) => c.key !== 'total').map((c) => ({ path: `${p}.${c.key}` })),
    op: '=',
    where: T4_LABELS[block],
    expression: `${block}.total = upheld + corrected + other + pending`,
    key: 'T4',
  };
}

const BLOCK_RULES: { id: string; block: Table4Block; title: Rule['title'] }[] = [
  { id: 'T4-REV', block: 'review', title: { zh: '行政复议总计等于各结果之和', en: 'Review: total = sum of outcomes' } },
  { id: 'T4-DIR', block: 'litigationDirect', title: { zh: '未经复议直接起诉总计等于各结果之和', en: 'Direct litigation: total = sum of outcomes' } },
  { id: 'T4-AFT', block: 'litigationAfterReview', title: { zh: '复议后起诉总计等于各结果之和', en: 'Litigation after review: total = sum of outcomes' } },
];

export const T4_BLOCK_RULES: Rule[] = BLOCK_RULES.map(({ id, block, title }) =>
  defineRule({
    id,
    family: 'table4',
    severity: 'error',
    title,
    check(input, lang) {
      const v = valuesOf(input);
      return tableGate(this, v, 'table4', lang) ?? checkEquations(this, [blockEquation(block)], v, lang);
    },
  }),
);

export const T4_INT = defineRule({
  id: 'T4-INT',
  family: 'table4',
  severity: 'error',
  title: { zh: '表四数值为非负整数', en: 'Table 4 values are non-negative integers' },
  check(input, lang) {
    const v = valuesOf(input);
    return tableGate(this, v, 'table4', lang) ?? integerFindings(this, v, v.paths('table4'), lang);
  },
});

export const T4_NOTE = defineRule({
  id: 'T4-NOTE',
  family: 'table4',
  severity: 'info',
  title: { zh: '表注说明数量含上年度结转', en: 'Table note: counts include carried-over cases' },
  check(input, lang) {
    const v = valuesOf(input);
    const rl = v.report.reviewLitigation;
    if (!rl || !tableFormat(v)) return [];
    const noteSaysSo = rl.note !== undefined && /含[^。]{0,8}结转/.test(rl.note);
    if (!rl.includesCarryover && !noteSaysSo) return [];
    return [
      {
        rule: this.id,
        severity: 'info',
        message: msg(lang, 'T4-NOTE', { note: rl.note ?? '' }),
        paths: TABLE4_BLOCKS.map((b) => `reviewLitigation.${b.key}.total`),
      },
    ];
  },
});

export const TABLE4_RULES: Rule[] = [...T4_BLOCK_RULES, T4_INT, T4_NOTE];
