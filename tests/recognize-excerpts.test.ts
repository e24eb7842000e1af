import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseResult } from '../src/model/index.js';
import { parseFile } from '../src/parse.js';

/**
 * Real report excerpts saved as the text they came as (shared/samples/excerpts): pipes with a
 * trailing pipe and no separator row, cells one per line between lone bars, a flipbook page with
 * headers set one character per line; each cut off inside a table. Every answer-key value must
 * come back exactly, with no error finding, and the cut reported as one warning.
 */
const dir = 'tests/fixtures/excerpts/';
const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);

describe.each([
  ['ankang-bureau-2019-excerpt', 'ankang-bureau-2019-excerpt.txt', 'end'],
  ['audit-bureau-2020-flipbook-page', 'audit-bureau-2020-flipbook-page.txt', 'start'],
  ['longgang-dept-2024-excerpt', 'longgang-dept-2024-excerpt.md', 'end'],
])('%s', (name, file, side) => {
  const want = JSON.parse(readFileSync(`${dir}${name}.expected.json`, 'utf8')).values as Record<string, unknown>;
  const result = parseFile(`${dir}${file}`);

  it('reads every value of the answer key exactly', async () => {
    const r = await result;
    const diffs = Object.entries(want)
      .filter(([path, v]) => get(r.report, path) !== v)
      .map(([path, v]) => `${path}: expected ${String(v)}, got ${String(get(r.report, path))}`);
    expect(diffs).toEqual([]);
  });

  it('raises no error finding: what is cut off is not missing', async () => {
    const r = await result;
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });

  it(`reports the cut once, as a warning (text ${side}s inside a table)`, async () => {
    const r = await result;
    const cuts = r.findings.filter((f) => f.rule === 'P-TRUNC');
    expect(cuts).toHaveLength(1);
    expect(cuts[0].severity).toBe('warning');
    expect(r.report.truncated?.[side as 'start' | 'end']).toBeDefined();
    expect(ParseResult.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });
});

describe('the cut in detail', () => {
  it('longgang ends after 7.属于行政执法案卷: the rows after it are not S-05, the rows before it are read', async () => {
    const r = await parseFile(`${dir}longgang-dept-2024-excerpt.md`);
    expect(r.report.truncated?.end).toMatchObject({ table: 'table3', row: 'results.denied.enforcementFiles' });
    expect(r.findings.filter((f) => f.rule === 'S-04' || f.rule === 'S-05')).toEqual([]);
  });

  it('the flipbook page begins at table 3 row 四 and table 4 is read from its 15 values', async () => {
    const r = await parseFile(`${dir}audit-bureau-2020-flipbook-page.txt`);
    expect(r.report.truncated?.start).toMatchObject({ table: 'table3', row: 'carriedForward' });
    expect(r.cells['reviewLitigation.litigationAfterReview.total'].kind).toBe('number');
  });

  it('ankang reads the 2019 procurement amount printed with its unit', async () => {
    const r = await parseFile(`${dir}ankang-bureau-2019-excerpt.txt`);
    expect(r.cells['proactive.procurement.amount']).toMatchObject({ raw: '160.5964万元', unit: '万元' });
    expect(r.report.truncated?.end).toMatchObject({ table: 'table3', row: null });
  });
});
