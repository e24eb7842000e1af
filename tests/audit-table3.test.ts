import { describe, expect, it } from 'vitest';
import { RULES, runAudit } from '../src/audit/index.js';
import type { Finding } from '../src/model/index.js';
import { counts, make2019, make2021, nullify, rowPaths, set } from './helpers/report-factory.js';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);

describe('table 3 identities', () => {
  it('a consistent report has no findings at all (2021 and 2019)', () => {
    expect(runAudit(make2021())).toEqual([]);
    expect(runAudit(make2019())).toEqual([]);
  });

  it('T3-BAL and T3-OUT: the brief example (七)总计 自然人 2 with 一=1, 二=0, 四=0', () => {
    const a = make2021();
    // rebuild the natural-person column: 1 new, 0 carried, 1 granted, 0 forward, but total printed 2
    for (const row of ['newReceived', 'carriedOver', 'carriedForward', 'results.granted', 'results.partiallyGranted', 'results.denied.stateSecret', 'results.unableToProvide.notHeld', 'results.notProcessed.duplicate']) {
      set(a, `applications.${row}.naturalPerson`, 0);
    }
    set(a, 'applications.newReceived.naturalPerson', 1);
    set(a, 'applications.results.granted.naturalPerson', 1);
    set(a, 'applications.results.total.naturalPerson', 2);
    const fs = runAudit(a);
    const bal = only(fs, 'T3-BAL').find((f) => f.paths.includes('applications.newReceived.naturalPerson'))!;
    expect(bal).toMatchObject({ severity: 'error', expected: 1, actual: 2, delta: 1 });
    expect(bal.message).toBe('第一项加第二项之和（1）不等于第三项加第四项之和（2）：自然人');
    expect(bal.expression).toBe('newReceived.naturalPerson + carriedOver.naturalPerson = results.total.naturalPerson + carriedForward.naturalPerson');
    expect(bal.paths).toEqual([
      'applications.results.total.naturalPerson',
      'applications.carriedForward.naturalPerson',
      'applications.newReceived.naturalPerson',
      'applications.carriedOver.naturalPerson',
    ]);
    const out = only(fs, 'T3-OUT').find((f) => f.paths[0] === 'applications.results.total.naturalPerson')!;
    expect(out).toMatchObject({ severity: 'error', expected: 1, actual: 2 });
    expect(out.paths).toHaveLength(1 + 2 + 8 + 3 + 5 + 3);
  });

  it('T3-BAL in English', () => {
    const a = set(make2021(), 'applications.carriedForward.naturalPerson', 3);
    const bal = only(runAudit(a, { lang: 'en' }), 'T3-BAL');
    expect(bal.map((f) => f.message)).toContain('Item 1 + item 2 (12) does not equal item 3 + item 4 (14): natural persons');
  });

  it('T3-ROW: a wrong row total is an error with expected/actual', () => {
    const a = set(make2021(), 'applications.results.granted.total', 7);
    const fs = runAudit(a);
    const row = only(fs, 'T3-ROW');
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({ severity: 'error', expected: 6, actual: 7, delta: 1 });
    expect(row[0].message).toContain('（一）予以公开');
    // the same cell also breaks T3-OUT's total column
    expect(only(fs, 'T3-OUT')).toHaveLength(1);
  });

  it('T3-ROW: a blank total in a filled row is info with the derived expected; other rules use the derived value', () => {
    const a = nullify(make2021(), 'applications.results.granted.total', 'blank');
    const fs = runAudit(a);
    const row = only(fs, 'T3-ROW');
    expect(row).toEqual([expect.objectContaining({ severity: 'info', expected: 6 })]);
    expect(row[0].actual).toBeUndefined();
    expect(only(fs, 'T3-OUT')).toEqual([]);
    expect(fs.filter((f) => f.severity === 'error')).toEqual([]);
    expect(only(fs, 'S-06')).toHaveLength(1);
  });

  it('T3-SUB: printed subtotals are checked against their rows', () => {
    const a = make2021();
    a.report.applications!.results.denied.subtotal = counts(1);
    for (const p of rowPaths('results.denied.subtotal')) a.cells[p] = { raw: '0', kind: 'number' };
    expect(only(runAudit(a), 'T3-SUB')).toEqual([]);
    set(a, 'applications.results.denied.subtotal.total', 2);
    const sub = only(runAudit(a), 'T3-SUB');
    expect(sub).toEqual([expect.objectContaining({ severity: 'error', expected: 1, actual: 2 })]);
  });

  it('T3-SUB does not apply to the 2019 （六） row, which is the group itself', () => {
    const a = set(make2019(), 'applications.results.otherDisposal.subtotal.commercial', 2);
    const fs = runAudit(a);
    expect(only(fs, 'T3-SUB')).toEqual([]);
    // …but it is part of T3-OUT's sum and its own row
    expect(only(fs, 'T3-OUT').length).toBeGreaterThan(0);
    expect(only(fs, 'T3-ROW')).toHaveLength(1);
  });

  it('T3-INT: negative and fractional counts', () => {
    const a = set(make2021(), 'applications.results.denied.prohibitedByLaw.research', -1);
    set(a, 'applications.results.denied.enforcementFiles.research', 0.5);
    const int = only(runAudit(a), 'T3-INT');
    expect(int.map((f) => f.actual).sort()).toEqual([-1, 0.5]);
    expect(int.every((f) => f.severity === 'error')).toBe(true);
  });

  it('T3-BOUND: concluded beyond what was available', () => {
    const a = make2021();
    set(a, 'applications.results.total.naturalPerson', 13);
    set(a, 'applications.results.granted.naturalPerson', 7);
    const bound = only(runAudit(a), 'T3-BOUND');
    expect(bound).toEqual([expect.objectContaining({ severity: 'error', expected: 12, actual: 13, paths: ['applications.results.total.naturalPerson', 'applications.newReceived.naturalPerson', 'applications.carriedOver.naturalPerson'] })]);
  });

  it('T3-LAYOUT: a 2024 report printing （六） as one row, and a 2019 format with three', () => {
    const a = make2021();
    a.report.applications!.results.otherDisposal = { subtotal: counts(0, 1) };
    for (const k of ['overdueCorrection', 'unpaidFee', 'other']) for (const p of rowPaths(`results.otherDisposal.${k}`)) delete a.cells[p];
    for (const p of rowPaths('results.otherDisposal.subtotal')) a.cells[p] = { raw: '0', kind: 'number' };
    const fs = runAudit(a);
    expect(only(fs, 'T3-LAYOUT')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    // the single row is read the 2019 way: the table still balances, no S-05 for the absent sub-rows
    expect(fs.filter((f) => f.severity === 'error')).toEqual([]);

    const b = make2019();
    b.report.applications!.results.otherDisposal = { overdueCorrection: counts(), unpaidFee: counts(), other: counts(0, 1) };
    const fb = runAudit(b);
    expect(only(fb, 'T3-LAYOUT')).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(only(runAudit(make2021()), 'T3-LAYOUT')).toEqual([]);
  });

  it('S-15 and T3-OUT with non-standard rows: says which version balances', () => {
    const a = make2021();
    a.report.applications!.extraRows = [{ label: '属于工作秘密', values: counts(1), group: 'denied' }];
    for (const p of ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'otherOrg', 'total']) {
      a.cells[`applications.extraRows.0.${p}`] = { raw: '0', kind: 'number' };
    }
    // the table counts the extra row in (七)总计: standard rows fall short by one
    set(a, 'applications.results.total.naturalPerson', 12);
    set(a, 'applications.results.total.total', 15);
    set(a, 'applications.newReceived.naturalPerson', 11);
    set(a, 'applications.newReceived.total', 14);
    const fs = runAudit(a);
    const out = only(fs, 'T3-OUT');
    expect(out).toHaveLength(2);
    expect(out.every((f) => f.severity === 'warning' && f.message.includes('计入非标准行后相等'))).toBe(true);
    const s15 = only(fs, 'S-15');
    expect(s15).toEqual([expect.objectContaining({ severity: 'info' })]);
    expect(s15[0].message).toContain('属于工作秘密');
    expect(s15[0].message).toContain('计入非标准行后（七）总计才平衡');

    // when the extra row does not help either, T3-OUT stays an error
    set(a, 'applications.extraRows.0.naturalPerson', 5);
    set(a, 'applications.extraRows.0.total', 5);
    const out2 = only(runAudit(a), 'T3-OUT');
    expect(out2.every((f) => f.severity === 'error' && f.message.includes('计入非标准行后'))).toBe(true);
  });

  it('every table-3 rule is registered with id, family, severity and bilingual title', () => {
    const ids = RULES.filter((r) => r.family === 'table3').map((r) => r.id);
    expect(ids).toEqual(['T3-BAL', 'T3-OUT', 'T3-ROW', 'T3-SUB', 'T3-INT', 'T3-BOUND', 'T3-LAYOUT']);
    for (const r of RULES) {
      expect(r.title.zh.length).toBeGreaterThan(0);
      expect(r.title.en.length).toBeGreaterThan(0);
    }
  });
});
