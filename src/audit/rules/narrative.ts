/**
 * Narrative and cross-table rules (format.md §9.4): figures from `report.narrative`
 * (extracted by recognize/narrative.ts) and claims read from `report.sections`.
 * All warnings except X-FEE (info); a mismatch reports both values and fixes neither.
 */
import type { Finding, Report } from '../../model/index.js';
import { COUNT_KEYS, LEGAL_KEYS, TABLE4_BLOCKS, type CountColumn } from '../../model/structure.js';
import type { NarrativeFact } from '../../model/index.js';
import { isExactFigure, normalizeNarrative, sentenceAt } from '../../text/narrative.js';
import { checkEquations, evaluate, failFinding, notAssessable, round, type Equation } from '../equations.js';
import { msg, type MessageKey } from '../messages.js';
import type { Lang, Rule } from '../types.js';
import { COLUMN_LABELS, groupRows, T4_LABELS, valuesOf, type TableId, type Text, type Values } from '../values.js';
import { defineRule, tableFormat } from './common.js';

const A = 'applications';
const R = 'reviewLitigation';

/** `key`, `key2`, `key3`…: every value the text stated for one quantity. */
export function factsOf(report: Report, key: string): { key: string; fact: NarrativeFact }[] {
  const out: { key: string; fact: NarrativeFact }[] = [];
  for (let n = 1; ; n++) {
    const k = n === 1 ? key : `${key}${n}`;
    const fact = report.narrative?.[k];
    if (!fact) return out;
    out.push({ key: k, fact });
  }
}

/** Table rules need a reported table; narrative rules only compare when there is one. */
function tableUsable(v: Values, table: TableId): boolean {
  return tableFormat(v) && v.tableState(table) === 'filled';
}

const LABELS: Record<string, Text> = {
  receivedNaturalPerson: { zh: '自然人申请数', en: 'applications from natural persons' },
  receivedLegal: { zh: '法人或其他组织申请数', en: 'applications from legal persons' },
  concluded: { zh: '办结（答复）数', en: 'applications concluded' },
  concludedCarriedOver: { zh: '其中上年结转数', en: 'concluded applications carried over' },
  carriedOver: { zh: '上年结转数', en: 'applications carried over' },
  carriedForward: { zh: '结转下年度数', en: 'applications carried forward' },
  granted: { zh: '予以公开数', en: 'granted' },
  partiallyGranted: { zh: '部分公开数', en: 'partially granted' },
  grantedOrPartial: { zh: '予以公开及部分公开数', en: 'granted or partially granted' },
  denied: { zh: '不予公开数', en: 'denied' },
  unableToProvide: { zh: '无法提供数', en: 'unable to provide' },
  notProcessed: { zh: '不予处理数', en: 'not processed' },
  otherDisposal: { zh: '其他处理数', en: 'other disposal' },
  reviewCases: { zh: '行政复议案件数', en: 'review cases' },
  litigationCases: { zh: '行政诉讼案件数', en: 'litigation cases' },
  reviewLitigationCases: { zh: '行政复议和行政诉讼案件数', en: 'review and litigation cases' },
};
for (const [suffix, col] of [
  ['Upheld', 'upheld'],
  ['Corrected', 'corrected'],
  ['Other', 'other'],
  ['Pending', 'pending'],
] as const) {
  LABELS[`review${suffix}`] = { zh: `行政复议${T4_LABELS[col].zh}数`, en: `review cases ${T4_LABELS[col].en}` };
  LABELS[`litigation${suffix}`] = { zh: `行政诉讼${T4_LABELS[col].zh}数`, en: `litigation cases ${T4_LABELS[col].en}` };
}

/** One equation per stated value of `key`: the text (actual) against table cells (expected). */
function statedEquations(report: Report, key: string, cells: string[], expression: string): Equation[] {
  return factsOf(report, key).map(({ key: k, fact }) => ({
    lhs: [{ value: fact.value }],
    rhs: cells.map((path) => ({ path })),
    op: '=',
    where: LABELS[key],
    expression: `narrative.${k} = ${expression}`,
    key: 'N.mismatch',
    text: fact.text,
  }));
}

// ---- N-RECV / N-SPLIT ----------------------------------------------------

type Base = 'new' | 'newPlusCarried';

/** Which convention the text uses for "received" (§9.4: both are real); new-only when unknown. */
export function receivedBase(v: Values): Base {
  const n = v.get(`${A}.newReceived.total`);
  const c = v.get(`${A}.carriedOver.total`);
  for (const { fact } of factsOf(v.report, 'received')) {
    if (n.ok && fact.value === n.value) return 'new';
    if (n.ok && c.ok && fact.value === n.value + c.value) return 'newPlusCarried';
  }
  return 'new';
}

export const N_RECV = defineRule({
  id: 'N-RECV',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文收到申请数等于本年新收（或新收加上年结转）', en: 'Stated applications received = new (or new + carried over)' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableUsable(v, 'table3')) return [];
    const out: Finding[] = [];
    const nPath = `${A}.newReceived.total`;
    const cPath = `${A}.carriedOver.total`;
    for (const { key, fact } of factsOf(v.report, 'received')) {
      const n = v.get(nPath);
      const c = v.get(cPath);
      if (!n.ok) {
        out.push(notAssessable(this, [n], 1, lang));
        continue;
      }
      const withCarried = c.ok ? n.value + c.value : undefined;
      if (fact.value === n.value || fact.value === withCarried) continue;
      out.push({
        rule: this.id,
        severity: 'warning',
        message: msg(lang, 'N-RECV', { actual: fact.value, expected: n.value, withCarried: withCarried ?? '?' }),
        paths: [nPath, cPath],
        expected: n.value,
        actual: fact.value,
        delta: round(fact.value - n.value),
        expression: `narrative.${key} = newReceived.total | newReceived.total + carriedOver.total`,
        text: fact.text,
      });
    }
    return out;
  },
});

export const N_SPLIT = defineRule({
  id: 'N-SPLIT',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文自然人、法人或其他组织申请数与表三一致', en: 'Stated natural / legal person split matches table 3' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableUsable(v, 'table3')) return [];
    const rows = receivedBase(v) === 'new' ? [`${A}.newReceived`] : [`${A}.newReceived`, `${A}.carriedOver`];
    const base = rows.map((r) => r.slice(A.length + 1)).join(' + ');
    const eqs = [
      ...statedEquations(v.report, 'receivedNaturalPerson', rows.map((r) => `${r}.naturalPerson`), `${base} (naturalPerson)`),
      ...statedEquations(v.report, 'receivedLegal', rows.flatMap((r) => LEGAL_KEYS.map((c) => `${r}.${c}`)), `${base} (Σlegal)`),
    ];
    const out = checkEquations(this, eqs, v, lang);
    const np = v.report.narrative?.receivedNaturalPerson;
    const legal = v.report.narrative?.receivedLegal;
    const total = v.report.narrative?.received;
    if (np && legal && total && np.value + legal.value !== total.value) {
      out.push({
        rule: this.id,
        severity: 'warning',
        message: msg(lang, 'N-SPLIT.sum', { n1: np.value, n2: legal.value, expected: np.value + legal.value, actual: total.value }),
        paths: [],
        expected: np.value + legal.value,
        actual: total.value,
        delta: total.value - (np.value + legal.value),
        expression: 'narrative.receivedNaturalPerson + narrative.receivedLegal = narrative.received',
        text: np.text,
      });
    }
    return out;
  },
});

// ---- N-DONE / N-CARRY ----------------------------------------------------

function statedRule(id: string, title: Rule['title'], table: TableId, specs: [string, string[], string][]): Rule {
  return defineRule({
    id,
    family: 'narrative',
    severity: 'warning',
    title,
    check(input, lang) {
      const v = valuesOf(input);
      if (!tableUsable(v, table)) return [];
      const eqs = specs.flatMap(([key, cells, expr]) => statedEquations(v.report, key, cells, expr));
      return checkEquations(this, eqs, v, lang);
    },
  });
}

export const N_DONE = statedRule('N-DONE', { zh: '正文办结数等于（七）总计，所含上年结转数等于上年结转', en: 'Stated concluded = (7) total; stated carried-over part = carried over' }, 'table3', [
  ['concluded', [`${A}.results.total.total`], 'results.total.total'],
  ['concludedCarriedOver', [`${A}.carriedOver.total`], 'carriedOver.total'],
  ['carriedOver', [`${A}.carriedOver.total`], 'carriedOver.total'],
]);

export const N_CARRY = statedRule('N-CARRY', { zh: '正文结转下年度数等于表三结转下年度继续办理', en: 'Stated carried forward = carried forward' }, 'table3', [
  ['carriedForward', [`${A}.carriedForward.total`], 'carriedForward.total'],
]);

// ---- N-GROUP / N-PCT -----------------------------------------------------

/** Narrative key → the table-3 rows whose totals it states. */
function groupRowsFor(report: Report, key: string): { path: string; label: string }[] {
  const granted = { path: `${A}.results.granted`, label: '（一）予以公开' };
  const partial = { path: `${A}.results.partiallyGranted`, label: '（二）部分公开' };
  switch (key) {
    case 'granted':
      return [granted];
    case 'partiallyGranted':
      return [partial];
    case 'grantedOrPartial':
      return [granted, partial];
    case 'denied':
    case 'unableToProvide':
    case 'notProcessed':
    case 'otherDisposal':
      return groupRows(report, key);
    default:
      return [];
  }
}

export const GROUP_KEYS = ['granted', 'partiallyGranted', 'grantedOrPartial', 'denied', 'unableToProvide', 'notProcessed', 'otherDisposal'];

/** How the prose probably went wrong: it quoted one sub-row or one column instead of the group total. */
function groupHint(v: Values, rows: { path: string; label: string }[], stated: number, lang: Lang): string {
  if (rows.length > 1) {
    for (const r of rows) {
      const t = v.get(`${r.path}.total`);
      if (t.ok && t.value === stated) return msg(lang, 'N-GROUP.row', { row: lang === 'zh' ? r.label : r.path });
    }
  }
  for (const c of COUNT_KEYS.filter((k): k is Exclude<CountColumn, 'total'> => k !== 'total')) {
    const s = v.sum(rows.map((r) => `${r.path}.${c}`));
    if (s.ok && s.value === stated) return msg(lang, 'N-GROUP.column', { col: COLUMN_LABELS[c][lang] });
  }
  return '';
}

export const N_GROUP = defineRule({
  id: 'N-GROUP',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文各办理结果数与表三分组合计一致', en: 'Stated outcome counts match the table-3 group sums' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableUsable(v, 'table3')) return [];
    const out: Finding[] = [];
    const na: Equation[] = [];
    for (const key of GROUP_KEYS) {
      const rows = groupRowsFor(v.report, key);
      for (const eq of statedEquations(v.report, key, rows.map((r) => `${r.path}.total`), `Σ${key}.total`)) {
        const res = evaluate(eq, v);
        if (res.status === 'na') na.push(eq);
        if (res.status !== 'fail') continue;
        const hint = groupHint(v, rows, res.actual, lang);
        out.push(failFinding(this, { ...eq, key: 'N-GROUP', params: { hint } }, res, lang));
      }
    }
    return na.length ? [...out, ...checkEquations(this, na, v, lang)] : out;
  },
});

/** A percentage with d decimals passes if |stated − computed| ≤ 10^(−d) (§9). */
function pctTolerance(stated: number): number {
  const d = String(stated).split('.')[1]?.length ?? 0;
  return 10 ** -d;
}

export const N_PCT = defineRule({
  id: 'N-PCT',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文百分比等于对应数量除以（七）总计', en: 'Stated percentages = count / (7) total' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableUsable(v, 'table3')) return [];
    const out: Finding[] = [];
    const basePath = `${A}.results.total.total`;
    const base = v.get(basePath);
    for (const key of GROUP_KEYS) {
      const rows = groupRowsFor(v.report, key);
      for (const { key: pk, fact } of factsOf(v.report, `${key}Pct`)) {
        const statedN = v.report.narrative?.[key]?.value;
        const tableN = v.sum(rows.map((r) => `${r.path}.total`));
        const n = statedN ?? (tableN.ok ? tableN.value : undefined);
        if (!base.ok || n === undefined) {
          out.push(notAssessable(this, base.ok ? [] : [base], 1, lang));
          continue;
        }
        if (base.value === 0) continue;
        const computed = (n / base.value) * 100;
        if (Math.abs(fact.value - computed) <= pctTolerance(fact.value) + 1e-9) continue;
        const expected = round(Number(computed.toFixed(4)));
        out.push({
          rule: this.id,
          severity: 'warning',
          message: msg(lang, 'N-PCT', { where: LABELS[key][lang], actual: fact.value, expected, n, base: base.value }),
          paths: statedN === undefined ? [basePath, ...rows.map((r) => `${r.path}.total`)] : [basePath],
          expected,
          actual: fact.value,
          delta: round(fact.value - expected),
          expression: `narrative.${pk} = ${statedN === undefined ? `Σ${key}.total` : `narrative.${key}`} / results.total.total × 100`,
          text: fact.text,
        });
      }
    }
    return out;
  },
});

// ---- N-LIST ---------------------------------------------------------------

const UNIT = '(条|件|个|篇|项|次|家|起)';
// `(?<![\d.])`: a figure starts where a digit run starts. Without it every position inside a
// long digit run would start a match attempt that scans to the run's end (quadratic time).
const LIST_HEAD = new RegExp(`(?<![\\d.])(\\d+(?:\\.\\d+)?)${UNIT}[,:]?其中(:)?`, 'g');
const ITEM = new RegExp(`(?<![\\d.])(\\d+(?:\\.\\d+)?)${UNIT}`, 'g');

export interface StatedList {
  total: number;
  unit: string;
  items: number[];
  text: string;
}

/**
 * "… T 条，其中 a 条，b 条…": the items run to the end of the clause (；or 。), or to 。
 * when 其中 is followed by a colon (then ；separates items). A piece without a count ends the list.
 */
export function statedLists(text: string): StatedList[] {
  const s = normalizeNarrative(text);
  const out: StatedList[] = [];
  LIST_HEAD.lastIndex = 0;
  for (let m = LIST_HEAD.exec(s); m; m = LIST_HEAD.exec(s)) {
    // A list is one sentence; the bound keeps many list heads in one long text linear.
    const rest = s.slice(m.index + m[0].length, m.index + m[0].length + 2000);
    const body = (m[3] ? /^[^。]*/ : /^[^;。]*/).exec(rest)?.[0] ?? '';
    const items: { value: number; unit: string }[] = [];
    for (const piece of body.split(/[,;、]/)) {
      const hits = [...piece.matchAll(ITEM)];
      if (hits.length !== 1) break;
      items.push({ value: Number(hits[0][1]), unit: hits[0][2] });
    }
    if (items.length < 2 || items.some((i) => i.unit !== m![2])) continue;
    if (!isExactFigure(Number(m[1])) || items.some((i) => !isExactFigure(i.value))) continue;
    out.push({ total: Number(m[1]), unit: m[2], items: items.map((i) => i.value), text: sentenceAt(s, m.index) });
  }
  return out;
}

function sectionTexts(report: Report): string[] {
  return Object.values(report.sections ?? {}).flatMap((sec) => (sec ? [sec.text] : []));
}

export const N_LIST = defineRule({
  id: 'N-LIST',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文“共 T，其中 a、b…”的各项之和等于 T', en: 'Stated lists: items add up to the stated total' },
  check(input, lang) {
    const out: Finding[] = [];
    for (const text of sectionTexts(input.report)) {
      for (const l of statedLists(text)) {
        const sum = round(l.items.reduce((a, b) => a + b, 0));
        if (Math.abs(sum - l.total) < 1e-9) continue;
        out.push({
          rule: this.id,
          severity: 'warning',
          message: msg(lang, 'N-LIST', { expected: sum, actual: l.total }),
          paths: [],
          expected: sum,
          actual: l.total,
          delta: round(l.total - sum),
          expression: `${l.total}${l.unit} = ${l.items.join(' + ')}`,
          text: l.text,
        });
      }
    }
    return out;
  },
});

// ---- N-REVIEW ------------------------------------------------------------

const LITIGATION = ['litigationDirect', 'litigationAfterReview'] as const;

export const N_REVIEW = defineRule({
  id: 'N-REVIEW',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文行政复议、行政诉讼案件数及结果与表四一致', en: 'Stated review / litigation counts and outcomes match table 4' },
  check(input, lang) {
    const v = valuesOf(input);
    if (!tableUsable(v, 'table4')) return [];
    const r = v.report;
    const eqs: Equation[] = [
      ...statedEquations(r, 'reviewCases', [`${R}.review.total`], 'review.total'),
      ...statedEquations(r, 'litigationCases', LITIGATION.map((b) => `${R}.${b}.total`), 'litigationDirect.total + litigationAfterReview.total'),
      ...statedEquations(r, 'reviewLitigationCases', TABLE4_BLOCKS.map((b) => `${R}.${b.key}.total`), 'Σ table 4 totals'),
    ];
    for (const [suffix, col] of [
      ['Upheld', 'upheld'],
      ['Corrected', 'corrected'],
      ['Other', 'other'],
      ['Pending', 'pending'],
    ] as const) {
      eqs.push(...statedEquations(r, `review${suffix}`, [`${R}.review.${col}`], `review.${col}`));
      eqs.push(...statedEquations(r, `litigation${suffix}`, LITIGATION.map((b) => `${R}.${b}.${col}`), `litigationDirect.${col} + litigationAfterReview.${col}`));
    }
    return checkEquations(this, eqs, v, lang);
  },
});

// ---- N-CLAIM -------------------------------------------------------------

type Block = (typeof TABLE4_BLOCKS)[number]['key'];

/** Blocks a sentence talks about: 复议 → review, 诉讼/败诉 → litigation, neither → all. */
function blocksNamed(sentence: string): Block[] {
  const review = /复议/.test(sentence);
  const lit = /诉讼|败诉/.test(sentence);
  if (!review && !lit) return TABLE4_BLOCKS.map((b) => b.key);
  return [...(review ? (['review'] as const) : []), ...(lit ? LITIGATION : [])];
}

const CLAIM_CORRECTED = /均获维持|全部维持|零败诉|无败诉|未被纠错|未被纠正|未发生[^。;]{0,30}?(?:纠错|败诉)/g;
// The optional tail takes in "行政复议、行政诉讼" so both blocks are named.
const CLAIM_NONE = /未(?:发生|出现|有)[^。;\d]{0,30}?(?:行政复议|行政诉讼)(?:(?:、|和|及|与|或者?)(?:被)?(?:提起)?(?:行政复议|行政诉讼))?(?![^。;]{0,12}?(?:纠错|败诉|纠正))/g;
const CLAIM_NO_APPLICATIONS = /未(?:收到|受理)[^。;\d]{0,15}?申请/g;

export const N_CLAIM = defineRule({
  id: 'N-CLAIM',
  family: 'narrative',
  severity: 'warning',
  title: { zh: '正文“未发生复议诉讼”“均获维持”“未收到申请”等说法与表格一致', en: 'Claims such as "no review", "all upheld", "no applications" match the tables' },
  check(input, lang) {
    const v = valuesOf(input);
    const out: Finding[] = [];
    const sum = (blocks: readonly Block[], col: string) => v.sum(blocks.map((b) => `${R}.${b}.${col}`));
    const push = (key: MessageKey, severity: Finding['severity'], params: Record<string, string | number>, paths: string[], actual: number, text: string, expected: number, expression: string) =>
      out.push({ rule: this.id, severity, message: msg(lang, key, params), paths, actual, expected, delta: actual - expected, expression, text });
    for (const raw of sectionTexts(v.report)) {
      const s = normalizeNarrative(raw);
      if (tableUsable(v, 'table4')) {
        for (const m of s.matchAll(CLAIM_CORRECTED)) {
          const text = sentenceAt(s, m.index);
          const blocks = blocksNamed(text);
          const corrected = sum(blocks, 'corrected');
          const pending = sum(blocks, 'pending');
          if (corrected.ok && corrected.value > 0) {
            push('N-CLAIM.corrected', 'warning', { claim: m[0], actual: corrected.value }, blocks.map((b) => `${R}.${b}.corrected`), corrected.value, text, 0, 'corrected = 0');
          } else if (pending.ok && pending.value > 0) {
            push('N-CLAIM.pending', 'info', { claim: m[0], actual: pending.value }, blocks.map((b) => `${R}.${b}.pending`), pending.value, text, 0, 'pending = 0');
          }
        }
        for (const m of s.matchAll(CLAIM_NONE)) {
          const text = sentenceAt(s, m.index);
          const blocks = blocksNamed(m[0]);
          const total = sum(blocks, 'total');
          if (!total.ok || total.value === 0) continue;
          const what = blocks.map((b) => T4_LABELS[b === 'review' ? 'review' : 'litigationDirect'][lang].split('·')[0]);
          push('N-CLAIM.none', 'warning', { what: [...new Set(what)].join(lang === 'zh' ? '、' : ' or '), actual: total.value }, blocks.map((b) => `${R}.${b}.total`), total.value, text, 0, 'Σ totals = 0');
        }
      }
      if (tableUsable(v, 'table3')) {
        for (const m of s.matchAll(CLAIM_NO_APPLICATIONS)) {
          const p = `${A}.newReceived.total`;
          const n = v.get(p);
          if (n.ok && n.value > 0) push('N-CLAIM.received', 'warning', { actual: n.value }, [p], n.value, sentenceAt(s, m.index), 0, 'newReceived.total = 0');
        }
      }
    }
    return out;
  },
});

// ---- X-FEE ---------------------------------------------------------------

const FEE_MENTION = /收费通知|信息处理费/;

export const X_FEE = defineRule({
  id: 'X-FEE',
  family: 'narrative',
  severity: 'info',
  title: { zh: '逾期未缴费与第六部分的信息处理费说明相符', en: 'Unpaid-fee closures and the section-6 fee statement agree' },
  check(input, lang) {
    const v = valuesOf(input);
    const out: Finding[] = [];
    const p = `${A}.results.otherDisposal.unpaidFee.total`;
    const unpaid = v.report.applications?.results.otherDisposal.unpaidFee ? v.get(p) : undefined;
    if (unpaid?.ok && unpaid.value > 0 && tableUsable(v, 'table3') && !FEE_MENTION.test(normalizeNarrative(v.report.sections.other?.text ?? ''))) {
      out.push({ rule: this.id, severity: 'info', message: msg(lang, 'X-FEE.notice', { actual: unpaid.value }), paths: [p], actual: unpaid.value });
    }
    // Compare in 元 so that "0.394万元" and "3940元" agree.
    const fees = factsOf(v.report, 'infoFeeCollected');
    const yuan = new Set(fees.map(({ fact }) => round(fact.unit === '万元' ? fact.value * 10000 : fact.value)));
    if (yuan.size > 1) {
      out.push({
        rule: this.id,
        severity: 'info',
        message: msg(lang, 'X-FEE.conflict', { values: fees.map(({ fact }) => `${fact.value}${fact.unit}`).join(', ') }),
        paths: [],
        text: fees.map(({ fact }) => fact.text).join(' / '),
      });
    }
    return out;
  },
});

export const NARRATIVE_RULES: Rule[] = [N_RECV, N_SPLIT, N_DONE, N_CARRY, N_GROUP, N_PCT, N_LIST, N_REVIEW, N_CLAIM, X_FEE];
