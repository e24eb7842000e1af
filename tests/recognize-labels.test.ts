import { describe, expect, it } from 'vitest';
import { COUNT_KEYS } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { consistentTable3, textReport } from './helpers/text-report.js';

const enc = (s: string) => new TextEncoder().encode(s);
const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);

/** Label variants of format.md §8.2 (and misspellings seen in real reports): path → printed lines. */
const VARIANTS: [string, string[]][] = [
  ['newReceived', ['本年新收']],
  ['newReceived', ['一 、本年新收政府信息公开申请数量']],
  ['carriedOver', ['上年结转']],
  ['results.partiallyGranted', ['(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)']],
  ['results.partiallyGranted', ['（二）部分公开（区分处理的，只计这一情', '形，不计其他情形）']],
  ['results.partiallyGranted', ['部分公开（区分处理）']],
  ['results.denied.stateSecret', ['1. 属于国家秘密']],
  ['results.denied.prohibitedByLaw', ['2.其他法律行政止公开']],
  ['results.denied.safetyStability', ['3.危及"三安全一稳定"']],
  ['results.denied.safetyStability', ['三安全一稳定']],
  ['results.denied.internalAffairs', ['5.属于三类内部事务信', '息']],
  ['results.denied.internalAffairs', ['内部事务信息']],
  ['results.unableToProvide.notHeld', ['1.本机关不掌握相关政', '府信息']],
  ['results.unableToProvide.notHeld', ['不掌握相关政府信息']],
  ['results.unableToProvide.needsCreation', ['（四）无2.没有现成信息需要另', '法提供行制作']],
  ['results.notProcessed.excessive', ['予处理4.无正当理由大量反复', '申请']],
  ['results.notProcessed.excessive', ['4.无正当理由大量反复 申请']],
  ['results.otherDisposal.overdueCorrection', ['1.申请人无正当理由逾期不补正, 行政机关不再处理其政府信息公开申请']],
  ['results.otherDisposal.overdueCorrection', ['逾期不补正']],
  ['results.otherDisposal.unpaidFee', ['逾期未缴费']],
  ['results.otherDisposal.unpaidFee', ['2、申请人逾期未按收费通知要', '求缴纳费用、行政机关不再处理', '其政府信息公开申请']],
  ['results.total', ['七、总计']],
  ['results.total', ['总计(7)']],
  ['results.total', ['办理结果总计']],
  ['results.total', ['合计']],
  ['carriedForward', ['结转下一年度继续办理']],
  ['carriedForward', ['四、结转下年度继续办理']],
];

describe('table 3 label variants', () => {
  it.each(VARIANTS)('%s printed as %j lands on its row', async (path, labels) => {
    const t3 = consistentTable3(3);
    const r = await parseBytes(enc(textReport({ table3: t3, labels: { [path]: labels } })), { path: 'x.txt' });
    const got = COUNT_KEYS.map((k) => get(r.report.applications, `${path}.${k}`));
    expect(got).toEqual(t3[path]);
    // and its neighbours did not move
    expect(COUNT_KEYS.map((k) => get(r.report.applications, `results.granted.${k}`))).toEqual(t3['results.granted']);
    expect(COUNT_KEYS.map((k) => get(r.report.applications, `carriedForward.${k}`))).toEqual(t3['carriedForward']);
  });

  it('reads every row of a consistent report exactly', async () => {
    const t3 = consistentTable3(5);
    const r = await parseBytes(enc(textReport({ table3: t3 })), { path: 'x.txt' });
    for (const [path, values] of Object.entries(t3)) expect(COUNT_KEYS.map((k) => get(r.report.applications, `${path}.${k}`))).toEqual(values);
  });

  it('keeps a non-standard row as an extra row in its group', async () => {
    const t3 = consistentTable3(2);
    const text = textReport({ table3: t3 }).replace(/(\t7\.属于行政执法案卷[^\n]*\n)/, '$1\t9.属于工作秘密\t1\t0\t0\t0\t0\t0\t1\n');
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    expect(r.report.applications?.extraRows).toEqual([
      { label: '9.属于工作秘密', group: 'denied', values: { naturalPerson: 1, commercial: 0, research: 0, publicInterest: 0, legalService: 0, otherOrg: 0, total: 1 } },
    ]);
    expect(COUNT_KEYS.map((k) => get(r.report.applications, `results.denied.administrativeQuery.${k}`))).toEqual(t3['results.denied.administrativeQuery']);
  });

  it('reads a report whose 2019-style single （六） row stands in a 2021 table as the group subtotal', async () => {
    const t3 = consistentTable3(4);
    const six = [0, 1, 2].map((i) => t3[['results.otherDisposal.overdueCorrection', 'results.otherDisposal.unpaidFee', 'results.otherDisposal.other'][i]]);
    const sum = six[0].map((_, c) => six[0][c] + six[1][c] + six[2][c]);
    let text = textReport({ table3: t3 });
    text = text.replace(/\t1\.申请人无正当理由[^\n]*\n\t2\.申请人逾期[^\n]*\n\t3\.其他[^\n]*\n/, `\t（六）其他处理\t${sum.join('\t')}\n`);
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    expect(r.report.applications?.results.otherDisposal.subtotal).toEqual(Object.fromEntries(COUNT_KEYS.map((k, c) => [k, sum[c]])));
    expect(r.report.applications?.results.otherDisposal.overdueCorrection).toBeUndefined();
  });
});

describe('tables 2 and 4', () => {
  it('reads table 2 values, decimals and the 2019 label 规范性文件 in a 2021 table', async () => {
    const text = textReport().replace('行政规范性文件\t3\t1\t20', '规范性文件\t3\t1\t20');
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    expect(r.cells['proactive.normativeDocuments.issued'].label).toBe('规范性文件');
    expect(r.cells['proactive.regulations.issued'].label).toBeUndefined();
    expect(r.findings.filter((f) => f.rule === 'S-10')).toEqual([expect.objectContaining({ severity: 'info', paths: ['proactive.normativeDocuments.issued', 'proactive.normativeDocuments.repealed', 'proactive.normativeDocuments.inForce'] })]);
    expect(r.report.proactive).toEqual({
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 3, repealed: 1, inForce: 20 },
      licensing: { decisions: 120 },
      punishment: { decisions: 45 },
      coercion: { decisions: 2 },
      fees: { amount: 12.5 },
    });
  });

  it('keeps blank and dash cells of table 4 as null with their kind', async () => {
    const r = await parseBytes(enc(textReport({ table4: ['', '', '—', '', '', 1, 0, 0, 0, 1, 0, 0, 0, 0, 0] })), { path: 'x.txt' });
    expect(r.report.reviewLitigation?.review).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: null });
    expect(r.cells['reviewLitigation.review.other'].kind).toBe('dash');
    expect(r.cells['reviewLitigation.review.upheld'].kind).toBe('blank');
    expect(r.report.reviewLitigation?.litigationDirect.total).toBe(1);
  });
});

describe('metadata and refusal', () => {
  it('takes year and agency from a title with spaces', async () => {
    const text = textReport({ agency: '某某市 交通运输局', year: 2022 }).replace('年政府信息公开工作年度报告', ' 年政府信息公开 工作年度报告');
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    expect(r.report.year).toBe(2022);
    expect(r.report.agency).toBe('某某市交通运输局');
    expect(r.report.formatVersion).toBe('2021');
  });

  it('refuses a text that is not a disclosure report with exit-3 error code not-report', async () => {
    await expect(parseBytes(enc('会议纪要\n\n今天开会讨论了食堂菜单。\n'), { path: 'memo.txt' })).rejects.toMatchObject({ code: 'not-report' });
  });
});

describe('numbers split by PDF text extraction', () => {
  it('joins "1 259" back when only that reading satisfies the row total', async () => {
    const t3 = consistentTable3(3);
    t3['results.granted'] = [1259, 3, 0, 0, 2, 1, 1265];
    t3['results.total'] = t3['results.total'].map((v, c) => v + t3['results.granted'][c] - consistentTable3(3)['results.granted'][c]);
    t3['newReceived'] = t3['newReceived'].map((v, c) => v + t3['results.granted'][c] - consistentTable3(3)['results.granted'][c]);
    const text = textReport({ table3: t3 }).replace('\t1259\t', '\t1 259\t').replace('\t1265\n', '\t1 265\n');
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    expect(COUNT_KEYS.map((k) => r.report.applications!.results.granted[k])).toEqual([1259, 3, 0, 0, 2, 1, 1265]);
    expect(r.cells['applications.results.granted.naturalPerson'].inferred).toMatch(/千位/);
  });
});

describe('table 2 row label variants', () => {
  it.each([
    ['1.规章', 'regulations'],
    ['行政许可（件）', 'licensing'],
    ['行政事业性收费（万元）', 'fees'],
  ])('%s is the %s row', async (label, key) => {
    const canonical: Record<string, string> = { regulations: '规章', licensing: '行政许可', fees: '行政事业性收费' };
    const text = textReport().replace(new RegExp(`\\n${canonical[key]}\\t`), `\n${label}\t`);
    expect(text).toContain(`\n${label}\t`);
    const r = await parseBytes(enc(text), { path: 'x.txt' });
    const expected: Record<string, unknown> = { regulations: { issued: 0, repealed: 0, inForce: 0 }, licensing: { decisions: 120 }, fees: { amount: 12.5 } };
    expect((r.report.proactive as Record<string, unknown>)[key]).toEqual(expected[key]);
  });
});
