import { describe, expect, it } from 'vitest';
import { runAudit } from '../src/audit/index.js';
import { valuesOf } from '../src/audit/values.js';
import type { Finding } from '../src/model/index.js';
import { make2021, nullify, rowPaths, set } from './helpers/report-factory.js';
import { COUNT_KEYS, TABLE4_BLOCKS, TABLE4_COLUMNS } from '../src/model/structure.js';

const only = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const errors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');

describe('§7 value semantics', () => {
  it('blank, dash and slash zeros: one S-06 per table listing count and paths, no equation errors', () => {
    const a = make2021();
    nullify(a, 'applications.results.denied.prohibitedByLaw.naturalPerson', 'blank');
    nullify(a, 'applications.results.denied.prohibitedByLaw.total', 'dash');
    nullify(a, 'applications.carriedOver.research', 'slash');
    nullify(a, 'reviewLitigation.litigationDirect.corrected', 'blank');
    const fs = runAudit(a);
    expect(errors(fs)).toEqual([]);
    const s06 = only(fs, 'S-06');
    expect(s06).toHaveLength(2);
    expect(s06.every((f) => f.severity === 'warning')).toBe(true);
    const t3 = s06.find((f) => f.paths[0].startsWith('applications'))!;
    expect(t3.paths.sort()).toEqual([
      'applications.carriedOver.research',
      'applications.results.denied.prohibitedByLaw.naturalPerson',
      'applications.results.denied.prohibitedByLaw.total',
    ]);
    expect(t3.message).toContain('3 个单元格');
    expect(s06.find((f) => f.paths[0].startsWith('reviewLitigation'))!.paths).toEqual(['reviewLitigation.litigationDirect.corrected']);
  });

  it('a failing identity over a cell the recognizer inferred is a warning about our reading, not an error', () => {
    const path = 'applications.newReceived.naturalPerson';
    const exact = set(make2021(), path, 999);
    const exactBal = only(runAudit(exact), 'T3-BAL');
    expect(exactBal.length).toBeGreaterThan(0);
    expect(exactBal.every((f) => f.severity === 'error')).toBe(true);

    const inferred = set(make2021(), path, 999);
    inferred.cells[path] = { ...inferred.cells[path], inferred: '相邻两列的数紧挨着印出' };
    const fs = runAudit(inferred);
    expect(errors(fs).filter((f) => f.paths.includes(path))).toEqual([]);
    const bal = only(fs, 'T3-BAL').filter((f) => f.paths.includes(path));
    expect(bal.length).toBeGreaterThan(0);
    expect(bal.every((f) => f.severity === 'warning' && f.message.includes('按推断读取'))).toBe(true);
  });

  it('a single-value rule (integers) over an inferred cell is a warning too; over an exact one an error', () => {
    const path = 'applications.results.granted.commercial';
    const exact = set(make2021(), path, 2.5);
    expect(only(runAudit(exact), 'T3-INT').map((f) => f.severity)).toEqual(['error']);
    const inferred = set(make2021(), path, 2.5);
    inferred.cells[path] = { ...inferred.cells[path], inferred: '按位置放置' };
    const int = only(runAudit(inferred, { lang: 'en' }), 'T3-INT');
    expect(int).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('read by inference') })]);
  });

  it('a failing equation over a blank cell says the blank counted as 0', () => {
    const a = nullify(make2021(), 'applications.carriedOver.naturalPerson', 'blank');
    const bal = only(runAudit(a), 'T3-BAL');
    expect(bal.length).toBeGreaterThan(0);
    expect(bal[0].message).toContain('按 0 计');
    expect(bal.find((f) => f.message.endsWith('：自然人（空白或占位单元格按 0 计）'))).toMatchObject({ expected: 10, actual: 12 });
  });

  it('missing and text cells make their equations not assessable: info with assessable:false, no error', () => {
    const a = nullify(make2021(), 'applications.results.granted.naturalPerson', 'missing');
    nullify(a, 'reviewLitigation.review.pending', 'text');
    const fs = runAudit(a);
    expect(errors(fs)).toEqual([]);
    const na = fs.filter((f) => f.assessable === false);
    expect(na.map((f) => f.rule).sort()).toEqual(['N-REVIEW', 'T3-OUT', 'T3-ROW', 'T4-REV']);
    expect(na.every((f) => f.severity === 'info')).toBe(true);
    expect(only(fs, 'T3-OUT')[0].paths).toEqual(['applications.results.granted.naturalPerson']);
    expect(only(fs, 'S-07')).toEqual([expect.objectContaining({ severity: 'warning', paths: ['reviewLitigation.review.pending'] })]);
    // one lost cell in a row is not a missing row (S-05)
    expect(only(fs, 'S-05')).toEqual([]);
  });

  it('a lost cell with a derived value is used as that value', () => {
    const a = nullify(make2021(), 'applications.results.granted.naturalPerson', 'missing', { derived: 5 });
    expect(runAudit(a)).toEqual([]);
    const v = valuesOf(a);
    expect(v.get('applications.results.granted.naturalPerson')).toMatchObject({ ok: true, value: 5, source: 'derived' });
    // a wrong derivation still shows up, and the message says a derived cell took part
    const b = nullify(make2021(), 'applications.results.granted.naturalPerson', 'missing', { derived: 4 });
    const row = only(runAudit(b), 'T3-ROW');
    expect(row).toEqual([expect.objectContaining({ severity: 'error', expected: 5, actual: 6 })]);
    expect(row[0].message).toContain('推算');
  });

  it('a wholly blank table is not reported: one S-06, its rules not assessable, no errors', () => {
    const a = make2021();
    for (const b of TABLE4_BLOCKS) for (const c of TABLE4_COLUMNS) nullify(a, `reviewLitigation.${b.key}.${c.key}`, 'blank');
    const fs = runAudit(a);
    expect(errors(fs)).toEqual([]);
    const s06 = only(fs, 'S-06');
    expect(s06).toHaveLength(1);
    expect(s06[0].paths).toHaveLength(15);
    expect(s06[0].message).toContain('未填报');
    for (const id of ['T4-REV', 'T4-DIR', 'T4-AFT', 'T4-INT']) {
      expect(only(fs, id)).toEqual([expect.objectContaining({ severity: 'info', assessable: false })]);
    }
    // the narrative's "行政复议 4 件" is not compared against an unreported table
    expect(only(fs, 'N-REVIEW')).toEqual([]);
  });

  it('a wholly blank table 3: not reported, one S-06, no T3 or N errors/warnings', () => {
    const a = make2021();
    for (const p of Object.keys(a.cells).filter((k) => k.startsWith('applications.'))) nullify(a, p, 'blank');
    const fs = runAudit(a);
    expect(fs.filter((f) => f.severity !== 'info').map((f) => f.rule)).toEqual(['S-06']);
    expect(only(fs, 'S-06')[0].paths).toHaveLength(25 * 7);
    expect(only(fs, 'T3-BAL')).toEqual([expect.objectContaining({ assessable: false })]);
  });

  it('a blank column in a filled table is 0, so it stays checkable', () => {
    const a = make2021();
    for (const row of ['newReceived', 'results.granted', 'results.total']) nullify(a, `applications.${row}.commercial`, 'blank');
    // newReceived loses 2, granted 1, total 2: rows with a printed total now fail T3-ROW
    const fs = runAudit(a);
    expect(only(fs, 'T3-ROW').map((f) => f.expected)).toEqual([11, 5, 12]);
    expect(only(fs, 'S-06')).toHaveLength(1);
  });

  it('a path absent from cells with a numeric value is just a number', () => {
    const a = make2021();
    for (const p of rowPaths('newReceived')) delete a.cells[p];
    expect(runAudit(a)).toEqual([]);
  });

  it('a null absent from cells counts as missing', () => {
    const a = make2021();
    a.report.applications!.carriedOver.research = null;
    delete a.cells['applications.carriedOver.research'];
    const fs = runAudit(a);
    expect(errors(fs)).toEqual([]);
    expect(only(fs, 'T3-BAL')).toEqual([expect.objectContaining({ assessable: false, paths: ['applications.carriedOver.research'] })]);
  });

  it('S-05: a row or column wholly lost without derived values, one error per element', () => {
    const a = make2021();
    for (const p of rowPaths('results.notProcessed.excessive')) nullify(a, p, 'missing');
    let fs = runAudit(a);
    expect(only(fs, 'S-05')).toEqual([expect.objectContaining({ severity: 'error', paths: rowPaths('results.notProcessed.excessive') })]);
    expect(only(fs, 'S-05')[0].message).toBe('表三（收到和处理政府信息公开申请情况）缺少行：4.无正当理由大量反复申请');

    const b = make2021();
    const rows = b.report.applications ? Object.keys(b.cells).filter((p) => p.startsWith('applications.') && p.endsWith('.research')) : [];
    for (const p of rows) nullify(b, p, 'missing');
    fs = runAudit(b);
    expect(only(fs, 'S-05')).toHaveLength(1);
    expect(only(fs, 'S-05')[0].message).toContain('缺少列：科研机构');

    // derived values cover the lost cells: not S-05
    const c = make2021();
    for (const p of rowPaths('results.notProcessed.excessive')) nullify(c, p, 'missing', { derived: 0 });
    expect(only(runAudit(c), 'S-05')).toEqual([]);

    // table 4: one block lost
    const d = make2021();
    for (const col of TABLE4_COLUMNS) nullify(d, `reviewLitigation.litigationDirect.${col.key}`, 'missing');
    expect(only(runAudit(d), 'S-05').map((f) => f.message)).toEqual(['表四（行政复议、行政诉讼情况）缺少行：行政诉讼·未经复议直接起诉']);
    expect(COUNT_KEYS).toHaveLength(7);
  });

  it('a blank table-3 total whose parts are missing is not assessable', () => {
    const a = nullify(make2021(), 'applications.results.granted.total', 'blank');
    nullify(a, 'applications.results.granted.commercial', 'missing');
    expect(valuesOf(a).get('applications.results.granted.total')).toMatchObject({ ok: false });
    const fs = runAudit(set(a, 'applications.newReceived.research', 0));
    expect(errors(fs)).toEqual([]);
  });
});
