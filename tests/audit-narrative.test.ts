import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit/index.js';
import { statedLists } from '../src/audit/rules/narrative.js';
import type { Finding } from '../src/model/index.js';
import { make2021, nullify, set, setSection, SECTIONS } from './helpers/report-factory.js';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const fact = (value: number, text = '正文') => ({ value, unit: '件', text });

describe('narrative rules', () => {
  it('N-RECV: new only, new + carried over, or neither', () => {
    const a = make2021();
    a.report.narrative.received = fact(15); // 13 new + 2 carried over: the other real convention
    expect(only(runAudit(a), 'N-RECV')).toEqual([]);
    a.report.narrative.received = fact(16, '共受理16件。');
    const [f] = only(runAudit(a), 'N-RECV');
    expect(f).toMatchObject({ severity: 'warning', expected: 13, actual: 16, text: '共受理16件。' });
    expect(f.message).toContain('15');
    // both stated values are tested
    a.report.narrative.received = fact(13);
    a.report.narrative.received2 = fact(12);
    expect(only(runAudit(a), 'N-RECV').map((x) => x.actual)).toEqual([12]);
  });

  it('N-SPLIT: natural / legal split, and their sum against the stated total', () => {
    const a = make2021();
    a.report.narrative.receivedNaturalPerson = fact(9);
    const fs = only(runAudit(a), 'N-SPLIT');
    expect(fs).toContainEqual(expect.objectContaining({ severity: 'warning', expected: 10, actual: 9 }));
    expect(fs).toContainEqual(expect.objectContaining({ expected: 12, actual: 13 })); // 9 + 3 ≠ 13
    // on the new + carried base (received 15): natural persons are 12
    const b = make2021();
    b.report.narrative.received = fact(15);
    b.report.narrative.receivedNaturalPerson = fact(12);
    expect(only(runAudit(b), 'N-SPLIT')).toEqual([]);
  });

  it('N-DONE and N-CARRY', () => {
    const a = make2021();
    a.report.narrative.concluded = fact(13);
    a.report.narrative.concludedCarriedOver = fact(3);
    a.report.narrative.carriedForward = fact(2);
    const fs = runAudit(a, { lang: 'en' });
    expect(only(fs, 'N-DONE').map((f) => [f.expected, f.actual])).toEqual([
      [14, 13],
      [2, 3],
    ]);
    expect(only(fs, 'N-CARRY')).toEqual([expect.objectContaining({ severity: 'warning', expected: 1, actual: 2 })]);
    expect(only(fs, 'N-CARRY')[0].message).toBe('The text states applications carried forward as 2; the table gives 1');
  });

  it('N-GROUP: group sums on totals, with a hint when the prose quoted a sub-row or one column', () => {
    const a = make2021();
    expect(only(runAudit(a), 'N-GROUP')).toEqual([]);
    a.report.narrative.granted = fact(5); // the 自然人 column of 予以公开
    a.report.narrative.unableToProvide = fact(2); // notHeld's 自然人, not the group
    const fs = only(runAudit(a), 'N-GROUP');
    expect(fs).toHaveLength(2);
    expect(fs[0]).toMatchObject({ expected: 6, actual: 5 });
    expect(fs[0].message).toBe('正文所述予以公开数（5）与表格（6）不一致；所述数字等于自然人列');
    // a sub-row quoted as the group
    a.report.narrative.unableToProvide = fact(3);
    set(a, 'applications.results.unableToProvide.needsCreation.naturalPerson', 1);
    set(a, 'applications.results.unableToProvide.needsCreation.total', 1);
    const g = only(runAudit(a), 'N-GROUP').find((f) => f.expected === 4)!;
    expect(g.message).toContain('所述数字等于子项“1.本机关不掌握相关政府信息”');
  });

  it('N-GROUP uses derived totals when the total column is blank', () => {
    const a = nullify(make2021(), 'applications.results.granted.total', 'blank');
    a.report.narrative.granted = fact(6);
    expect(only(runAudit(a), 'N-GROUP')).toEqual([]);
  });

  it('N-PCT: within 10^-d of the computed share', () => {
    const a = make2021();
    a.report.narrative.grantedPct = { value: 42.86, unit: '%', text: '予以公开6件(42.86%)' }; // 6/14 = 42.857
    expect(only(runAudit(a), 'N-PCT')).toEqual([]);
    a.report.narrative.grantedPct = { value: 42.85, unit: '%', text: '' }; // truncation passes too
    expect(only(runAudit(a), 'N-PCT')).toEqual([]);
    a.report.narrative.grantedPct = { value: 40, unit: '%', text: '' };
    expect(only(runAudit(a), 'N-PCT')).toEqual([expect.objectContaining({ severity: 'warning', actual: 40, expected: 42.8571 })]);
  });

  it('N-LIST: listed items add up to the stated total', () => {
    const gx = '本机关公开信息 731 条,其中主动公开工作动态 412 条,及时公开财经信息 1 条,概况信息 1 条,人事信息 1 条,发布政策文件 233 条,政策解读 81 条,计划总结 2 条。';
    expect(statedLists(gx)).toEqual([expect.objectContaining({ total: 731, unit: '条', items: [412, 1, 1, 1, 233, 81, 2] })]);
    const a = setSection(make2021(), 'proactive', gx);
    expect(only(runAudit(a), 'N-LIST')).toEqual([]);
    setSection(a, 'proactive', gx.replace('731', '730'));
    expect(only(runAudit(a), 'N-LIST')).toEqual([expect.objectContaining({ severity: 'warning', expected: 731, actual: 730 })]);
    // mixed units are not a sum; a single item is not a list
    expect(statedLists('公开信息10条,其中文件5件,动态5条。')).toEqual([]);
    expect(statedLists('受理10件,其中自然人8件。')).toEqual([]);
    // a colon list runs over semicolons
    expect(statedLists('共发布信息20条,其中:政策文件5条;工作动态15条。')[0].items).toEqual([5, 15]);
  });

  it('N-REVIEW: huaian totals and breakdown pass; a wrong stated count fails', () => {
    const a = make2021();
    const huaian =
      '政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25 件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。';
    const t4: Record<string, [number, number, number, number, number]> = {
      review: [72, 64, 178, 37, 351],
      litigationDirect: [13, 4, 8, 1, 26],
      litigationAfterReview: [12, 1, 1, 6, 20],
    };
    for (const [block, vals] of Object.entries(t4)) {
      ['upheld', 'corrected', 'other', 'pending', 'total'].forEach((c, i) => set(a, `reviewLitigation.${block}.${c}`, vals[i]));
    }
    setSection(a, 'reviewLitigation', huaian);
    expect(only(runAudit(a), 'N-REVIEW')).toEqual([]);
    setSection(a, 'reviewLitigation', huaian.replace('行政诉讼 46 件', '行政诉讼 45 件').replace('结果维持 25 件', '结果维持 24 件'));
    const fs = only(runAudit(a), 'N-REVIEW');
    expect(fs.map((f) => [f.expected, f.actual])).toEqual([
      [46, 45],
      [25, 24],
    ]);
    expect(fs[0].paths).toEqual(['reviewLitigation.litigationDirect.total', 'reviewLitigation.litigationAfterReview.total']);
  });

  it('N-CLAIM: "no review/litigation", "all upheld", "no applications"', () => {
    const a = setSection(make2021(), 'reviewLitigation', '本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。');
    const none = only(runAudit(a), 'N-CLAIM');
    expect(none).toEqual([expect.objectContaining({ severity: 'warning', actual: 6, expected: 0 })]);

    const b = setSection(make2021(), 'reviewLitigation', '行政复议案件均获维持。');
    expect(only(runAudit(b), 'N-CLAIM')).toEqual([expect.objectContaining({ severity: 'warning', actual: 1, paths: ['reviewLitigation.review.corrected'] })]);
    set(b, 'reviewLitigation.review.corrected', 0);
    set(b, 'reviewLitigation.review.upheld', 3);
    expect(only(runAudit(b), 'N-CLAIM')).toEqual([expect.objectContaining({ severity: 'info', actual: 1, paths: ['reviewLitigation.review.pending'] })]);

    const c = setSection(make2021(), 'overview', '本年度未收到政府信息公开申请。');
    expect(only(runAudit(c), 'N-CLAIM')).toEqual([expect.objectContaining({ severity: 'warning', actual: 13 })]);
    expect(only(runAudit(make2021()), 'N-CLAIM')).toEqual([]);
  });

  it('X-FEE: unpaid-fee closures need a fee statement; conflicting fee statements', () => {
    const a = make2021();
    set(a, 'applications.results.otherDisposal.unpaidFee.naturalPerson', 1);
    set(a, 'applications.results.otherDisposal.unpaidFee.total', 1);
    setSection(a, 'other', '无。');
    expect(only(runAudit(a), 'X-FEE')).toEqual([expect.objectContaining({ severity: 'info', actual: 1 })]);
    setSection(a, 'other', '本年度发出收费通知1件，收取信息处理费100元。');
    expect(only(runAudit(a), 'X-FEE')).toEqual([]);

    const b = make2021();
    b.report.narrative.infoFeeCollected = { value: 0, unit: '元', text: '未收取信息处理费' };
    b.report.narrative.infoFeeCollected2 = { value: 3940, unit: '元', text: '收取信息处理费3940元' };
    expect(only(runAudit(b), 'X-FEE')).toEqual([expect.objectContaining({ severity: 'info' })]);
    b.report.narrative.infoFeeCollected = { value: 0.394, unit: '万元', text: '' };
    expect(only(runAudit(b), 'X-FEE')).toEqual([]);
  });

  it('huaian prose against huaian totals: N-RECV, N-DONE, N-CARRY pass; a changed figure fails', () => {
    const a = make2021();
    set(a, 'applications.newReceived.total', 3119);
    set(a, 'applications.carriedOver.total', 34);
    set(a, 'applications.results.total.total', 3050);
    set(a, 'applications.carriedForward.total', 103);
    const prose = '2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。';
    setSection(a, 'overview', prose);
    const fs = runAudit(a);
    for (const id of ['N-RECV', 'N-DONE', 'N-CARRY', 'N-LIST']) expect(only(fs, id)).toEqual([]);
    setSection(a, 'overview', prose.replace('103 件', '102 件'));
    expect(only(runAudit(a), 'N-CARRY')).toEqual([expect.objectContaining({ expected: 103, actual: 102, text: expect.stringContaining('顺延到下年度') })]);
  });

  it('narrative rules stay silent when the table is absent (legacy)', () => {
    const a = make2021();
    a.report.formatVersion = 'legacy';
    a.report.year = 2016;
    a.report.applications = null;
    a.report.reviewLitigation = null;
    a.report.proactive = null;
    a.report.narrative.received = fact(99);
    expect(runAudit(a)).toEqual([]);
    expect(SECTIONS.other).toContain('信息处理费');
  });

  it('clause-bound figures: consistent prose gets no narrative warning', () => {
    const a = setSection(make2021(), 'overview', '2024年，本机关共受理政府信息公开申请13件。本年度共办理政府信息公开申请14件，其中12件办结，2件申请人主动撤销。');
    expect(a.report.narrative.concluded2).toBeUndefined();
    expect(runAudit(a).filter((f) => f.rule.startsWith('N-'))).toEqual([]);
    const b = setSection(make2021(), 'overview', '2024年，本机关共受理政府信息公开申请13件，办理上年度结转申请2件。答复14件。');
    expect(runAudit(b).filter((f) => f.rule.startsWith('N-'))).toEqual([]);
    // the carried-over part is still checked against its own cell
    const c = setSection(make2021(), 'overview', '办理上年度结转申请3件。答复14件。');
    expect(only(runAudit(c), 'N-DONE')).toEqual([expect.objectContaining({ expected: 2, actual: 3 })]);
  });

  it('N-LIST over a 150k digit run ends (linear list regex)', () => {
    expect(statedLists('共' + '3'.repeat(150_000) + '件，其中1件，' + '2'.repeat(150_000))).toEqual([]);
  });
});
