import { describe, expect, it } from 'vitest';
import { crossYear, CROSS_YEAR_RULES, RULES, runAudit } from '../src/audit/index.js';
import type { Finding } from '../src/model/index.js';
import { make2019, make2021, set, setSection } from './helpers/report-factory.js';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('structure rules', () => {
  it('S-01: one warning per missing section', () => {
    const a = setSection(make2021(), 'problems', null);
    const fs = only(runAudit(a), 'S-01');
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning', paths: ['sections.problems'] })]);
    expect(fs[0].message).toBe('缺少第五部分“五、存在的主要问题及改进情况”');
    expect(only(runAudit(a, { lang: 'en' }), 'S-01')[0].message).toBe('Section 五 "五、存在的主要问题及改进情况" is missing');
  });

  it('S-03: a 2024 report in the 2019 format', () => {
    const a = make2019();
    a.report.year = 2024;
    a.report.statisticalPeriod = { from: '2024-01-01', to: '2024-12-31' };
    expect(only(runAudit(a), 'S-03')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(only(runAudit(make2019()), 'S-03')).toEqual([]);
  });

  it('S-04: missing tables are errors in 2019/2021 formats, not in legacy', () => {
    const a = make2021();
    a.report.reviewLitigation = null;
    a.report.proactive = null;
    const fs = only(runAudit(a), 'S-04');
    expect(fs.map((f) => f.paths[0])).toEqual(['proactive', 'reviewLitigation']);
    expect(fs.every((f) => f.severity === 'error')).toBe(true);
    // narrative rules over table 4 stay silent, table rules do not crash
    expect(only(runAudit(a), 'N-REVIEW')).toEqual([]);
    a.report.formatVersion = 'unknown';
    expect(only(runAudit(a), 'S-04')).toEqual([]);
  });

  it('S-11: section 五 empty, or lacking problems or improvements', () => {
    const a = setSection(make2021(), 'problems', '无。');
    expect(only(runAudit(a), 'S-11')).toEqual([expect.objectContaining({ severity: 'info', message: '第五部分内容为空或为套话' })]);
    setSection(a, 'problems', '本年度工作中存在公开不及时的问题，部分栏目更新较慢。');
    expect(only(runAudit(a), 'S-11').map((f) => f.message)).toEqual(['第五部分未说明改进情况']);
  });

  it('S-12: a 2021 section 六 without the fee statement', () => {
    const a = setSection(make2021(), 'other', '无其他需要报告的事项。');
    expect(only(runAudit(a), 'S-12')).toEqual([expect.objectContaining({ severity: 'info' })]);
    expect(only(runAudit(make2019()), 'S-12')).toEqual([]);
  });

  it('S-13: statistical period missing or not the calendar year', () => {
    const a = make2021();
    a.report.statisticalPeriod = null;
    expect(only(runAudit(a), 'S-13')).toEqual([expect.objectContaining({ severity: 'info', message: '未说明统计期限' })]);
    a.report.statisticalPeriod = { from: '2024年1月1日', to: '2024年12月31日' };
    expect(only(runAudit(a), 'S-13')).toEqual([]);
    a.report.statisticalPeriod = { from: '2023-12-01', to: '2024-11-30' };
    expect(only(runAudit(a), 'S-13')).toHaveLength(1);
  });

  it('findings come errors first, then warnings, then infos', () => {
    const a = set(make2021(), 'reviewLitigation.review.total', 9);
    a.report.statisticalPeriod = null;
    setSection(a, 'problems', null);
    const sev = runAudit(a).map((f) => f.severity);
    expect(sev).toEqual([...sev].sort((x, y) => ['error', 'warning', 'info'].indexOf(x) - ['error', 'warning', 'info'].indexOf(y)));
    expect(new Set(sev)).toEqual(new Set(['error', 'warning', 'info']));
  });

  it('the registry lists unique ids with the spec severities', () => {
    const sev = Object.fromEntries([...RULES, ...CROSS_YEAR_RULES].map((r) => [r.id, r.severity]));
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(sev).toMatchObject({
      'T3-BAL': 'error', 'T3-OUT': 'error', 'T3-ROW': 'error', 'T3-SUB': 'error', 'T3-INT': 'error', 'T3-BOUND': 'error', 'T3-LAYOUT': 'warning',
      'T4-REV': 'error', 'T4-DIR': 'error', 'T4-AFT': 'error', 'T4-INT': 'error', 'T4-NOTE': 'info',
      'T2-INT': 'error', 'T2-FEE': 'error', 'T2-STOCK': 'warning', 'T2-19-PUB': 'warning', 'T2-19-ITEMS': 'warning',
      'N-RECV': 'warning', 'N-SPLIT': 'warning', 'N-DONE': 'warning', 'N-CARRY': 'warning', 'N-GROUP': 'warning', 'N-PCT': 'warning',
      'N-LIST': 'warning', 'N-REVIEW': 'warning', 'N-CLAIM': 'warning', 'X-FEE': 'info',
      'S-01': 'warning', 'S-03': 'warning', 'S-04': 'error', 'S-05': 'error', 'S-06': 'warning', 'S-07': 'warning',
      'S-11': 'info', 'S-12': 'info', 'S-13': 'info', 'S-15': 'info', 'T3-XY': 'warning', 'T2-XY': 'warning',
    });
  });
});

describe('cross-year rules', () => {
  function pair() {
    const prev = make2021();
    prev.report.year = 2023;
    // last year's stock, so that this year's issued/repealed lead to the factory's in-force counts
    set(prev, 'proactive.regulations.inForce', 10);
    set(prev, 'proactive.normativeDocuments.inForce', 60);
    const next = make2021();
    return { prev, next };
  }

  it('T3-XY: carried over must equal last year\'s carried forward', () => {
    const { prev, next } = pair();
    set(prev, 'applications.carriedForward.naturalPerson', 2);
    set(prev, 'applications.carriedForward.total', 2);
    expect(crossYear(prev, next, 'zh')).toEqual([]);
    set(prev, 'applications.carriedForward.naturalPerson', 3);
    set(prev, 'applications.carriedForward.total', 3);
    const fs = crossYear(prev, next, 'zh');
    expect(fs.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([
      ['T3-XY', 'warning', 3, 2],
      ['T3-XY', 'warning', 3, 2],
    ]);
    expect(fs[0].paths).toEqual(['applications.carriedOver.naturalPerson', 'prev:applications.carriedForward.naturalPerson']);
  });

  it('T2-XY: in force = last in force + issued − repealed (2021 only)', () => {
    const { prev, next } = pair();
    set(prev, 'applications.carriedForward.naturalPerson', 2);
    set(prev, 'applications.carriedForward.total', 2);
    expect(crossYear(prev, next, 'en')).toEqual([]); // 10 + 1 − 0 = 11, 60 + 8 − 2 = 66
    set(prev, 'proactive.normativeDocuments.inForce', 61); // 61 + 8 − 2 = 67 ≠ 66
    const fs = crossYear(prev, next, 'en');
    expect(fs).toEqual([expect.objectContaining({ rule: 'T2-XY', severity: 'warning', expected: 67, actual: 66, delta: -1 })]);
    expect(fs[0].paths).toContain('prev:proactive.normativeDocuments.inForce');
    expect(fs[0].message).toContain('normativeDocuments');
  });

  it('non-consecutive years are not compared', () => {
    const { prev, next } = pair();
    prev.report.year = 2021;
    set(prev, 'applications.carriedForward.total', 9);
    expect(crossYear(prev, next, 'zh')).toEqual([]);
  });

  it('2019 items: previous items follow last year\'s previous items + change', () => {
    const prev = make2019();
    prev.report.year = 2019;
    set(prev, 'applications.carriedForward.naturalPerson', 2);
    set(prev, 'applications.carriedForward.total', 2);
    const next = make2019();
    set(prev, 'proactive.licensing.previousItems', 22);
    set(prev, 'proactive.licensing.change', -2); // 20 ✓
    set(prev, 'proactive.otherServices.previousItems', 4); // 4 + 1 = 5 ✓
    expect(crossYear(prev, next, 'zh')).toEqual([]);
    set(prev, 'proactive.punishment.change', 1); // 30 + 1 = 31 ≠ 30
    const fs = crossYear(prev, next, 'zh');
    expect(fs.map((f) => [f.rule, f.severity, f.expected, f.actual])).toEqual([['T2-19-ITEMS', 'warning', 31, 30]]);
    expect(fs[0].paths).toEqual(['proactive.punishment.previousItems', 'prev:proactive.punishment.previousItems', 'prev:proactive.punishment.change']);
  });
});

describe('S-14 publication deadline', () => {
  it('a department publishing after 31 Jan, a government after 31 Mar, nothing when on time or undated', () => {
    const a = make2021();
    a.report.year = 2023;
    a.report.agency = '某某县教育局';
    a.report.publishedAt = '2024-02-05';
    expect(only(runAudit(a), 'S-14')).toEqual([expect.objectContaining({ severity: 'info', paths: ['publishedAt'] })]);
    expect(only(runAudit(a), 'S-14')[0].message).toBe('发布日期 2024-02-05 晚于政府部门的期限 2024-01-31');
    a.report.agency = '某某县人民政府';
    expect(only(runAudit(a), 'S-14')).toEqual([]);
    a.report.publishedAt = '2024-04-01';
    expect(only(runAudit(a, { lang: 'en' }), 'S-14')[0].message).toBe('Published 2024-04-01, after the deadline for governments at county level and above (2024-03-31)');
    a.report.publishedAt = null;
    expect(only(runAudit(a), 'S-14')).toEqual([]);
  });
});
