import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse.js';

const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);
const expected = (name: string) => JSON.parse(readFileSync(`tests/fixtures/expected/${name}.expected.json`, 'utf8')) as { values: Record<string, unknown> };

describe.each([
  ['ganxian-gongxin-2024', 'samples/ganxian-gongxin-2024.txt'],
  ['huaian-shizhengfu-2024', 'samples/huaian-shizhengfu-2024.layout.txt'],
  ['hongze-quzhengfu-2023', 'samples/hongze-quzhengfu-2023.layout.txt'],
])('%s (text)', (name, file) => {
  it('gives every hand-checked value of the answer key', async () => {
    const result = await parseFile(file);
    const diffs = Object.entries(expected(name).values)
      .filter(([path, v]) => get(result.report, path) !== v)
      .map(([path, v]) => `${path}: expected ${String(v)}, got ${String(get(result.report, path))}`);
    expect(diffs).toEqual([]);
  });
});

describe('ganxian sample', () => {
  it('reads the metadata and the blank review cells as blanks', async () => {
    const r = await parseFile('samples/ganxian-gongxin-2024.txt');
    expect(r.report.title).toBe('赣县区工业和信息化局2024年政府信息公开工作年度报告');
    expect(r.report.agency).toBe('赣县区工业和信息化局');
    expect(r.report.statisticalPeriod).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(r.report.formatBasisCited).toBe(true);
    expect(r.cells['reviewLitigation.review.total'].kind).toBe('blank');
    expect(r.report.reviewLitigation?.litigationDirect.total).toBe(0);
    expect(r.report.narrative.received?.value).toBe(1);
  });

  it('places rows with a lost cell by the table arithmetic and says so', async () => {
    const r = await parseFile('samples/ganxian-gongxin-2024.txt');
    const cell = r.cells['applications.results.denied.internalAffairs.naturalPerson'];
    expect(cell.inferred).toMatch(/对齐/);
    const lost = Object.entries(r.cells).filter(([p, c]) => p.startsWith('applications.results.denied.internalAffairs.') && c.kind === 'missing');
    expect(lost).toHaveLength(1);
    expect(lost[0][1].derived).toBe(0);
    expect(r.findings.some((f) => f.rule === 'P-ALIGN' && f.severity === 'info')).toBe(true);
  });
});

describe('huaian layout sample', () => {
  it('keeps the source line of each value and the sections', async () => {
    const r = await parseFile('samples/huaian-shizhengfu-2024.layout.txt');
    expect(r.cells['applications.newReceived.total']).toMatchObject({ raw: '3119', kind: 'number', line: 123 });
    expect(r.report.agency).toBe('淮安市人民政府');
    expect(r.report.sections.other?.text).toContain('3940');
    expect(r.report.sections.applications?.text ?? '').not.toContain('申请人情况');
  });
});
