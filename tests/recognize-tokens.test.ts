import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { read } from '../src/ingest/text.js';
import { parseBytes } from '../src/parse.js';
import { toLines } from '../src/recognize/lines.js';
import { scoreShape, shapeCase } from './helpers/fuzz-shapes.js';
import { consistentTable3, textReport } from './helpers/text-report.js';

/**
 * Cells of text joined by ONE space (flipbook text layers), empties printed as dashes (issue 8):
 * a row printed whole is its label and seven value tokens, token i in column i. The label's own
 * numbering ("1.", "（一）") is never a value, and no value is eaten into the label.
 */
const cellsOf = async (text: string) => {
  const lines = toLines(await read(new TextEncoder().encode(text), {}));
  return lines.filter((l) => l.kind === 'row').map((l) => l.cells.map((c) => c.text));
};

describe('single-space rows', () => {
  it.each([
    ['（三）不予公开 1.属于国家秘密 5 — — 145 5 — 155', ['（三）不予公开 1.属于国家秘密', '5', '—', '—', '145', '5', '—', '155']],
    ['7.属于行政执法案卷 / / 3 — — — 3', ['7.属于行政执法案卷', '/', '/', '3', '—', '—', '—', '3']],
    ['三、本年度办理结果 （一）予以公开 81517 — — 5 / — 81522', ['三、本年度办理结果 （一）予以公开', '81517', '—', '—', '5', '/', '—', '81522']],
    ['2.重复申请 4 — — 2 188 — 194', ['2.重复申请', '4', '—', '—', '2', '188', '—', '194']],
  ])('%s: the label, then one cell per token', async (row, want) => {
    const rows = await cellsOf(`${row}\n${row}\n`);
    expect(rows[0]).toEqual(want);
  });

  it('a label and a lone number with no value cell after it stay one cell ("第3条 5" is no row)', async () => {
    const rows = await cellsOf('说明 第二十条 5\n甲 乙 丙\n');
    expect(rows.flat()).not.toContain('5');
  });

  it.each([74, 5, 40, 51])('seed %i: rows printed whole are read in place, never shifted', async (seed) => {
    const c = shapeCase(seed, 'single-space');
    const s = scoreShape(c, await parseBytes(c.bytes, { path: 'x.txt' }));
    expect(s.wrong).toEqual([]);
    expect(s.errors).toEqual([]);
    // Only rows that lost cells may be left unplaced.
    expect(s.placed).toBeGreaterThanOrEqual(s.cells - 7 * c.sparse.length);
  });

  it.each([5, 40, 51, 66])('seed %i: an injected error in a row printed whole is caught where it is', async (seed) => {
    const c = shapeCase(seed, 'single-space', { inject: true });
    const s = scoreShape(c, await parseBytes(c.bytes, { path: 'x.txt' }));
    expect({ notes: c.notes, located: s.located }).toEqual({ notes: c.notes, located: true });
  });
});

describe('rows at the edges of what the text holds', () => {
  it('a label and one number between pipes ("3.其他 | 0") is a row read from the text, not a missing row (S-05)', async () => {
    const c = shapeCase(80, 'pipe-bare');
    expect(c.text).toMatch(/^3\.其他 \| 0$/mu);
    const r = await parseBytes(c.bytes, { path: 'x.txt' });
    const s = scoreShape(c, r);
    expect({ wrong: s.wrong, errors: s.errors }).toEqual({ wrong: [], errors: [] });
    expect(r.cells['applications.results.otherDisposal.other.total'].kind).not.toBe('missing');
  });

  it('a row the text ends inside (cells one per line, cut after two) is not placed, and says why', async () => {
    const c = shapeCase(115, 'bar-lines');
    expect(c.text.trimEnd().endsWith('1.信访举报投诉类申请\n|\n0\n|\n0')).toBe(true);
    const r = await parseBytes(c.bytes, { path: 'x.txt' });
    expect(scoreShape(c, r).wrong).toEqual([]);
    const row = 'applications.results.notProcessed.complaint';
    expect(r.cells[`${row}.total`]).toMatchObject({ kind: 'unplaced', raw: '0 0' });
    // The cut is reported once, by P-TRUNC naming the row; the row's cells say why they are not placed.
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED' && f.paths.includes(`${row}.total`))).toHaveLength(0);
    expect(r.cells[`${row}.total`]?.inferred).toMatch(/文本在本行中断/);
    expect(r.report.truncated?.end).toMatchObject({ table: 'table3', row: 'results.notProcessed.complaint' });
    expect(r.findings.filter((f) => f.rule === 'P-TRUNC')).toHaveLength(1);
  });

  it('longgang: the row cut after six values is kept raw, not solved into seven columns', async () => {
    const r = await parseBytes(new Uint8Array(readFileSync('tests/fixtures/excerpts/longgang-dept-2024-excerpt.md')), { path: 'longgang.md' });
    expect(r.cells['applications.results.denied.enforcementFiles.total']).toMatchObject({ kind: 'unplaced', raw: '0 0 0 0 0 0' });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('numbers printed touching (two pairs joined) that no reading fits: no total derived from them, so no error', async () => {
    // A browser's borderless print runs narrow cells together: "128 22" arrives as "12822". Dropping the
    // total always satisfies the row's own total, with the sum of the joined numbers; that is no evidence.
    const t3: Record<string, (number | string)[]> = consistentTable3(3);
    const joined = (v: (number | string)[]) => [`${v[0]}${v[1]}`, `${v[2]}${v[3]}`, v[4], v[5], v[6]];
    t3.newReceived = joined(t3.newReceived);
    t3['results.total'] = joined(t3['results.total']);
    const r = await parseBytes(new TextEncoder().encode(textReport({ table3: t3 })), { path: 'x.txt' });
    for (const row of ['newReceived', 'results.total']) {
      const total = r.cells[`applications.${row}.total`];
      expect(total).toMatchObject({ kind: 'unplaced' });
      expect(total.derived).toBeUndefined();
    }
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED')).toHaveLength(2);
  });
});
