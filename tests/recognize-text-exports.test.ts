import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import type { ParseResult } from '../src/model/index.js';
import { rng } from './helpers/batch-reports.js';
import { CELL_LINE_SEEDS, INNERTEXT_SEEDS } from './helpers/cell-lines.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { fuzzValues } from './helpers/fuzz-report.js';

/**
 * Text that real tools export from a report, for seeded filled templates whose values bring blank
 * columns, placeholders, zeros left blank and large numbers:
 * - LibreOffice's text export (scripts/make-cell-lines-text.ts): every table cell on a line of its own,
 *   nothing between cells, blank cells as empty lines;
 * - Chromium's innerText of the page (scripts/make-innertext-text.ts), what copying a report page gives:
 *   tabs between cells, a blank cell a space between two tabs, header cells broken over lines.
 * Contract: every value exact or not placed (never wrong), no error finding on these consistent
 * reports, and (nearly) every cell placed.
 */
const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);

/** What the arithmetic sees: the number, 0 for a placeholder or blank, null when not read. */
function arithmetic(r: ParseResult, path: string): number | null {
  const v = get(r.report, path);
  if (typeof v === 'number') return v;
  const kind = r.cells[path]?.kind;
  return kind === 'blank' || kind === 'dash' || kind === 'slash' ? 0 : null;
}

const truthOf = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^[\d,.]+$/.test(v) ? Number(v.replace(/,/g, '')) : 0);

const CASES = [
  ...CELL_LINE_SEEDS.map((seed) => ({ name: `LibreOffice text export, seed ${seed}`, seed, file: `tests/fixtures/text/cells/cells-${seed}.txt`, share: 0.95 })),
  ...INNERTEXT_SEEDS.map((seed) => ({ name: `browser innerText, seed ${seed}`, seed, file: `tests/fixtures/text/innertext/inner-${seed}.txt`, share: 1 })),
];

describe.each(CASES)('$name', ({ seed, file, share }) => {
  const result = parseBytes(readFileSync(file), { path: file });
  const values = fuzzValues(rng(seed), []);

  it('reads no value wrong and raises no error', async () => {
    const r = await result;
    const wrong = VALUE_CELLS.filter((c) => {
      const got = arithmetic(r, c.path);
      return got !== null && got !== truthOf(values[c.path]);
    }).map((c) => `${c.path}: ${String(values[c.path])} → ${String(get(r.report, c.path))} (${r.cells[c.path]?.kind})`);
    const errors = r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`);
    expect({ wrong, errors }).toEqual({ wrong: [], errors: [] });
  });

  it('places nearly every cell', async () => {
    const r = await result;
    const placed = VALUE_CELLS.filter((c) => arithmetic(r, c.path) === truthOf(values[c.path])).length;
    expect(placed).toBeGreaterThanOrEqual(Math.ceil(share * VALUE_CELLS.length));
  });
});

describe('a list of short lines is not a table set one cell per line', () => {
  it('keeps prose lines with a few figures as prose', async () => {
    const text = [
      'XX县人民政府2023年政府信息公开工作年度报告',
      '一、总体情况',
      '（一）主动公开',
      '全年发布信息',
      '1234',
      '政策解读',
      '56',
      '（二）依申请公开',
      '收到申请',
      '12',
      '二、主动公开政府信息情况',
    ].join('\n');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 'list.txt' }).catch(() => null);
    // Too few values for a table: the lines stay the section's prose.
    expect(r?.report.sections.overview?.text ?? '').toMatch(/全年发布信息/);
  });
});
