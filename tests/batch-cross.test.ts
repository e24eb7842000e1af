import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint, normalizeAgency, summarizeAndCross } from '../src/batch/cross.js';
import type { CrossRecord } from '../src/batch/records.js';
import { serializeRecord } from '../src/batch/records.js';
import { runBatch } from '../src/batch/run.js';
import { makeReport, makeResult, renderText } from './helpers/batch-reports.js';
import { tempDir, writeTree } from './helpers/batch-tree.js';

const readCross = (out: string): CrossRecord[] =>
  readFileSync(join(out, 'cross-report.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CrossRecord);

describe('cross-report audit in a batch', () => {
  it('flags a broken carry-over between consecutive years (T3-XY) and a copied report (X-COPY), from text reports', async () => {
    const y2022 = makeReport({ agency: '某某县交通运输局', year: 2022, seed: 11 });
    const y2023 = makeReport({ agency: '某某县交通运输局', year: 2023, seed: 12, carriedOver: Object.values(y2022.applications!.carriedForward).slice(0, 6) as number[] });
    // 2024 claims 5 more carried-over natural-person applications than 2023 carried forward.
    const cf23 = Object.values(y2023.applications!.carriedForward).slice(0, 6) as number[];
    const y2024 = makeReport({ agency: '某某县交通运输局', year: 2024, seed: 13, carriedOver: [cf23[0] + 5, ...cf23.slice(1)] });
    expect(y2024.applications!.carriedOver.naturalPerson).not.toBe(y2023.applications!.carriedForward.naturalPerson);
    const copyA = makeReport({ agency: '某某县水利局', year: 2023, seed: 21 });
    const copyB = { ...makeReport({ agency: '某某县水利局', year: 2024, seed: 21 }) };

    const dir = tempDir();
    writeTree(dir, {
      'in/jt-2022.txt': renderText(y2022),
      'in/jt-2023.txt': renderText(y2023),
      'in/jt-2024.txt': renderText(y2024),
      'in/sl-2023.txt': renderText(copyA),
      'in/sl-2024.txt': renderText(copyB),
    });
    const summary = await runBatch({ inputs: ['in'], out: 'out', cwd: dir, jobs: 2 });
    expect(summary.byOutcome.ok).toBe(5);
    expect(summary.crossReport.crossYearAvailable).toBe(true);
    const cross = readCross(join(dir, 'out'));

    const xy = cross.filter((c) => c.finding.rule === 'T3-XY');
    expect(xy.length).toBeGreaterThan(0);
    expect(xy.every((c) => c.path === 'jt-2024.txt' || c.path === 'sl-2024.txt')).toBe(true);
    const broken = xy.find((c) => c.path === 'jt-2024.txt')!;
    expect(broken.related).toEqual({ path: 'jt-2023.txt', year: 2023 });
    expect(broken.finding.paths).toContain('applications.carriedOver.naturalPerson');
    expect(broken.cell?.line).toBeGreaterThan(0);
    expect(xy.some((c) => c.path === 'jt-2023.txt')).toBe(false);

    const copies = cross.filter((c) => c.finding.rule === 'X-COPY');
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ path: 'sl-2024.txt', related: { path: 'sl-2023.txt', year: 2023 }, finding: { severity: 'warning' } });
    expect(summary.crossReport.byRule['X-COPY']).toBe(1);
    // The live count (from the workers' facts) and a re-read of reports.jsonl agree, cross-report included.
    const { run: _run, ...live } = summary;
    expect(live).toEqual(await summarizeAndCross({ reports: join(dir, 'out/reports.jsonl'), cross: join(dir, 'out/cross-report.jsonl') }, { lang: 'zh', cross: true }));
    expect(readCross(join(dir, 'out'))).toEqual(cross);
  });

  it('does not call all-zero tables copies, and matches agencies across spacing and width', () => {
    const zero = makeReport({ agency: 'a', year: 2024, seed: 1 });
    const z = JSON.parse(JSON.stringify(zero), (_k, v) => (typeof v === 'number' && v > 1000 ? v : typeof v === 'number' ? 0 : v));
    expect(fingerprint(z)).toBeNull();
    expect(fingerprint(zero)).toMatch(/^[0-9a-f]{40}$/);
    expect(normalizeAgency('某某县 人民政府（办公室）')).toBe(normalizeAgency('某某县人民政府(办公室)'));
  });

  it('works from records alone (merged shards) with an injected crossYear', async () => {
    const dir = tempDir();
    const rs = [2021, 2022, 2023].map((year) => {
      const report = makeReport({ agency: '丙局', year, seed: year });
      return serializeRecord({ status: 'ok', path: `${year}.txt`, sha256: String(year).padStart(64, '0'), format: 'text', ms: 1, result: makeResult(report, { path: `${year}.txt` }) });
    });
    writeFileSync(join(dir, 'reports.jsonl'), rs.join('\n') + '\n');
    const calls: Array<[number | null, number | null]> = [];
    await summarizeAndCross(
      { reports: join(dir, 'reports.jsonl'), cross: join(dir, 'cross-report.jsonl') },
      {
        lang: 'zh',
        cross: true,
        crossYear: (p, n) => {
          calls.push([p.report.year, n.report.year]);
          return [{ rule: 'T3-XY', severity: 'warning', message: 'm', paths: ['applications.carriedOver.total'] }];
        },
      },
    );
    expect(calls).toEqual([
      [2021, 2022],
      [2022, 2023],
    ]);
    expect(readCross(dir).map((c) => [c.path, c.related.path])).toEqual([
      ['2022.txt', '2021.txt'],
      ['2023.txt', '2022.txt'],
    ]);
  });
});
