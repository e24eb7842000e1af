/** Table 2 checks (format.md §9.2); the 2021 and 2019 tables have different shapes, so each rule names its format. */
import type { Finding } from '../../model/index.js';
import { TABLE2_2019, TABLE2_2021, type Table2Cell } from '../../model/structure.js';
import { checkEquations, type Equation } from '../equations.js';
import { msg } from '../messages.js';
import type { Rule } from '../types.js';
import { proactiveCells, valuesOf, type Text, type Values } from '../values.js';
import { defineRule, tableGate } from './common.js';

const P = 'proactive';

export function t2Where(c: Pick<Table2Cell, 'row' | 'column' | 'path'>): Text {
  return { zh: `${c.row}·${c.column}`, en: c.path };
}

function rowWhere(row: string, key: string): Text {
  return { zh: row, en: key };
}

/** Which table-2 shape the report carries, or null when there is none to check. */
function shape(v: Values): '2021' | '2019' | null {
  const cells = proactiveCells(v.report);
  if (!cells) return null;
  return cells === TABLE2_2021 ? '2021' : '2019';
}

export const T2_INT = defineRule({
  id: 'T2-INT',
  family: 'table2',
  severity: 'error',
  title: { zh: '表二数值为非负整数（金额、增减除外）', en: 'Table 2 counts are non-negative integers (amounts and changes excepted)' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table2', lang);
    if (gate) return gate;
    const out: Finding[] = [];
    for (const c of proactiveCells(v.report) ?? []) {
      const path = `${P}.${c.path}`;
      const val = v.get(path);
      if (!val.ok || val.source === 'placeholder') continue;
      // 2021 fees.amount is T2-FEE's; decimals may have fractions, signed changes may be negative.
      if (c.decimal && shape(v) === '2021') continue;
      const bad = c.decimal ? val.value < 0 : c.signed ? !Number.isInteger(val.value) : !Number.isInteger(val.value) || val.value < 0;
      if (!bad) continue;
      const key = c.decimal ? 'negative' : c.signed ? 'notInt' : 'notInteger';
      out.push({ rule: this.id, severity: 'error', message: msg(lang, key, { where: t2Where(c)[lang], actual: val.value }), paths: [path], actual: val.value });
    }
    return out;
  },
});

/** 万元 figures above this (1000 亿元) are almost surely 元 printed in the 万元 column. */
const IMPLAUSIBLE_WAN = 1e7;

export const T2_FEE = defineRule({
  id: 'T2-FEE',
  family: 'table2',
  severity: 'error',
  title: { zh: '行政事业性收费金额为非负数，单位万元', en: 'Administrative fee amount ≥ 0, in 万元' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table2', lang);
    if (gate) return gate;
    if (shape(v) !== '2021') return [];
    const path = `${P}.fees.amount`;
    const val = v.get(path);
    if (!val.ok || val.source === 'placeholder') return [];
    const where = t2Where(TABLE2_2021.find((c) => c.path === 'fees.amount')!)[lang];
    if (val.value < 0) {
      return [{ rule: this.id, severity: 'error', message: msg(lang, 'negative', { where, actual: val.value }), paths: [path], actual: val.value }];
    }
    const cell = v.cell(path);
    const yuan = cell?.unitConverted === true || (cell?.unit !== undefined && /元/.test(cell.unit) && !/万元/.test(cell.unit));
    if (yuan || val.value > IMPLAUSIBLE_WAN) {
      const detail = yuan ? ` (${cell?.unit ?? '元'})` : '';
      return [{ rule: this.id, severity: 'info', message: msg(lang, 'T2-FEE.unit', { actual: val.value, detail }), paths: [path], actual: val.value }];
    }
    return [];
  },
});

const DOC_ROWS = [
  { key: 'regulations', zh: '规章' },
  { key: 'normativeDocuments', zh: '行政规范性文件' },
] as const;

export const T2_STOCK = defineRule({
  id: 'T2-STOCK',
  family: 'table2',
  severity: 'warning',
  title: { zh: '现行有效件数不小于本年制发件数减本年废止件数', en: 'In force ≥ issued − repealed' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table2', lang);
    if (gate) return gate;
    if (shape(v) !== '2021') return [];
    const eqs: Equation[] = DOC_ROWS.map((r) => ({
      lhs: [{ path: `${P}.${r.key}.inForce` }],
      rhs: [{ path: `${P}.${r.key}.issued` }, { path: `${P}.${r.key}.repealed`, sign: -1 }],
      op: '>=',
      where: rowWhere(r.zh, r.key),
      expression: `${r.key}.inForce ≥ ${r.key}.issued − ${r.key}.repealed`,
    }));
    return checkEquations(this, eqs, v, lang);
  },
});

export const T2_19_PUB = defineRule({
  id: 'T2-19-PUB',
  family: 'table2',
  severity: 'warning',
  title: { zh: '（2019）本年新公开数量不大于对外公开总数量', en: '(2019) newly published ≤ total published' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table2', lang);
    if (gate) return gate;
    if (shape(v) !== '2019') return [];
    const eqs: Equation[] = [
      { key: 'regulations', zh: '规章' },
      { key: 'normativeDocuments', zh: '规范性文件' },
    ].map((r) => ({
      lhs: [{ path: `${P}.${r.key}.newlyPublished` }],
      rhs: [{ path: `${P}.${r.key}.totalPublished` }],
      op: '<=',
      where: rowWhere(r.zh, r.key),
      expression: `${r.key}.newlyPublished ≤ ${r.key}.totalPublished`,
    }));
    return checkEquations(this, eqs, v, lang);
  },
});

/** 2019 rows with 上一年项目数量 / 本年增/减, derived from the structure table. */
export const ITEM_ROWS = [...new Map(TABLE2_2019.filter((c) => c.path.endsWith('.change')).map((c) => [c.path.split('.')[0], c.row])).entries()].map(
  ([key, row]) => ({ key, row }),
);

export const T2_19_ITEMS = defineRule({
  id: 'T2-19-ITEMS',
  family: 'table2',
  severity: 'warning',
  title: { zh: '（2019）上一年项目数量加本年增/减不小于 0', en: '(2019) previous items + change ≥ 0' },
  check(input, lang) {
    const v = valuesOf(input);
    const gate = tableGate(this, v, 'table2', lang);
    if (gate) return gate;
    if (shape(v) !== '2019') return [];
    const eqs: Equation[] = ITEM_ROWS.map((r) => ({
      lhs: [{ path: `${P}.${r.key}.previousItems` }, { path: `${P}.${r.key}.change` }],
      rhs: [],
      op: '>=',
      where: rowWhere(r.row, r.key),
      expression: `${r.key}.previousItems + ${r.key}.change ≥ 0`,
    }));
    return checkEquations(this, eqs, v, lang);
  },
});

/**
 * The 2019 table gives 采购总金额 no unit. A printed unit is kept (元 converted to 万元, see
 * cells[].unit); a bare number is kept as printed, and that it may not be 万元 is worth a note.
 */
export const T2_19_UNIT = defineRule({
  id: 'T2-19-UNIT',
  family: 'table2',
  severity: 'info',
  title: { zh: '（2019）采购总金额未注明单位', en: '(2019) procurement amount printed without a unit' },
  check(input, lang) {
    const v = valuesOf(input);
    if (shape(v) !== '2019') return [];
    const path = `${P}.procurement.amount`;
    const cell = input.cells[path];
    if (!cell || cell.kind !== 'number' || cell.unit) return [];
    return [{ rule: this.id, severity: 'info', paths: [path], message: msg(lang, 'T2-19-UNIT', { raw: cell.raw }) }];
  },
});

export const TABLE2_RULES: Rule[] = [T2_INT, T2_FEE, T2_STOCK, T2_19_PUB, T2_19_ITEMS, T2_19_UNIT];
