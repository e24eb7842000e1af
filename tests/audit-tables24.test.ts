import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit/index.js';
import type { Finding } from '../src/model/index.js';
import { make2019, make2021, set } from './helpers/report-factory.js';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('table 4', () => {
  it.each([
    ['T4-REV', 'review', 4],
    ['T4-DIR', 'litigationDirect', 1],
    ['T4-AFT', 'litigationAfterReview', 1],
  ])('%s: total must equal the four outcomes', (rule, block, parts) => {
    const a = set(make2021(), `reviewLitigation.${block}.total`, 0);
    const fs = only(runAudit(a), rule);
    expect(fs).toEqual([expect.objectContaining({ severity: 'error', expected: parts, actual: 0, delta: -parts })]);
    expect(fs[0].paths).toHaveLength(5);
    expect(fs[0].expression).toBe(`${block}.total = upheld + corrected + other + pending`);
  });

  it('hongze-like error: 复议 维持10+纠正1 but 总计 0', () => {
    const a = make2021();
    set(a, 'reviewLitigation.review.upheld', 10);
    set(a, 'reviewLitigation.review.corrected', 1);
    set(a, 'reviewLitigation.review.other', 0);
    set(a, 'reviewLitigation.review.pending', 0);
    set(a, 'reviewLitigation.review.total', 0);
    const [f] = only(runAudit(a, { lang: 'en' }), 'T4-REV');
    expect(f.message).toBe('administrative review: total (0) does not equal upheld + corrected + other + pending (11)');
  });

  it('T4-INT', () => {
    const a = set(make2021(), 'reviewLitigation.litigationDirect.other', -1);
    set(a, 'reviewLitigation.litigationDirect.upheld', 2);
    expect(only(runAudit(a), 'T4-INT')).toEqual([expect.objectContaining({ severity: 'error', actual: -1 })]);
  });

  it('T4-NOTE: a note that counts include carried-over cases is info', () => {
    const a = make2021();
    expect(only(runAudit(a), 'T4-NOTE')).toEqual([]);
    a.report.reviewLitigation!.note = '注：行政复议、行政诉讼数量含上年度结转数量。';
    a.report.reviewLitigation!.includesCarryover = true;
    const [f] = only(runAudit(a), 'T4-NOTE');
    expect(f).toMatchObject({ severity: 'info' });
    expect(f.message).toContain('含上年度结转');
  });
});

describe('table 2', () => {
  it('T2-INT: fractional or negative counts (2021)', () => {
    const a = set(make2021(), 'proactive.licensing.decisions', 1.5);
    set(a, 'proactive.regulations.repealed', -1);
    const fs = only(runAudit(a), 'T2-INT');
    expect(fs.map((f) => f.paths[0]).sort()).toEqual(['proactive.licensing.decisions', 'proactive.regulations.repealed']);
    expect(fs.every((f) => f.severity === 'error')).toBe(true);
    expect(fs.find((f) => f.actual === 1.5)!.message).toBe('行政许可·本年处理决定数量：1.5 不是非负整数');
  });

  it('T2-INT (2019): signed changes may be negative, not fractional; amounts may be decimal', () => {
    const a = make2019();
    expect(only(runAudit(a), 'T2-INT')).toEqual([]); // licensing.change is −2
    set(a, 'proactive.punishment.change', 0.5);
    set(a, 'proactive.procurement.amount', -3);
    expect(only(runAudit(a), 'T2-INT').map((f) => f.actual).sort()).toEqual([-3, 0.5]);
  });

  it('T2-FEE: negative is an error; a 元 unit or an implausible size is info', () => {
    const a = set(make2021(), 'proactive.fees.amount', -1);
    expect(only(runAudit(a), 'T2-FEE')).toEqual([expect.objectContaining({ severity: 'error', actual: -1 })]);
    const b = set(make2021(), 'proactive.fees.amount', 25.1);
    b.cells['proactive.fees.amount'] = { raw: '251000元', kind: 'number', unit: '元', unitConverted: true };
    expect(only(runAudit(b), 'T2-FEE')).toEqual([expect.objectContaining({ severity: 'info' })]);
    const c = set(make2021(), 'proactive.fees.amount', 251000000);
    expect(only(runAudit(c), 'T2-FEE')).toEqual([expect.objectContaining({ severity: 'info' })]);
    expect(only(runAudit(set(make2021(), 'proactive.fees.amount', 96171.6)), 'T2-FEE')).toEqual([]);
  });

  it('T2-STOCK: in force below issued − repealed is a warning', () => {
    const a = set(make2021(), 'proactive.normativeDocuments.inForce', 5);
    set(a, 'proactive.normativeDocuments.issued', 8);
    set(a, 'proactive.normativeDocuments.repealed', 2);
    expect(only(runAudit(a), 'T2-STOCK')).toEqual([expect.objectContaining({ severity: 'warning', expected: 6, actual: 5 })]);
  });

  it('T2-19-PUB and T2-19-ITEMS (2019 only)', () => {
    const a = set(make2019(), 'proactive.regulations.newlyPublished', 11);
    set(a, 'proactive.coercion.change', -5);
    const fs = runAudit(a);
    expect(only(fs, 'T2-19-PUB')).toEqual([expect.objectContaining({ severity: 'warning', expected: 10, actual: 11 })]);
    expect(only(fs, 'T2-19-ITEMS')).toEqual([expect.objectContaining({ severity: 'warning', actual: -1 })]);
    // 2021 rules do not run on a 2019 table and vice versa
    expect(only(fs, 'T2-STOCK')).toEqual([]);
    expect(only(runAudit(make2021()), 'T2-19-PUB')).toEqual([]);
  });
});

describe('T2-19-UNIT', () => {
  it('notes a 2019 procurement amount printed without a unit, not one printed in 元 or 万元', async () => {
    const { make2019 } = await import('./helpers/report-factory.js');
    const { runAudit } = await import('../src/audit/index.js');
    const a = make2019();
    a.cells['proactive.procurement.amount'] = { raw: '25.1', kind: 'number' };
    const found = runAudit(a).filter((f) => f.rule === 'T2-19-UNIT');
    expect(found).toEqual([expect.objectContaining({ severity: 'info', paths: ['proactive.procurement.amount'] })]);
    a.cells['proactive.procurement.amount'] = { raw: '251000元', kind: 'number', unit: '元', unitConverted: true };
    expect(runAudit(a).filter((f) => f.rule === 'T2-19-UNIT')).toEqual([]);
  });
});
