import { describe, expect, it } from 'vitest';
import { isPageMarker } from '../src/document/text-layout.js';
import { parseBytes } from '../src/parse.js';
import { COUNTS, DEFAULT_META, renderText, sampleValues } from './helpers/fill-template.js';
import { fuzzCase, mismatches, type FuzzFormat } from './helpers/fuzz-report.js';
import { SHAPES, scoreShape, shapeCase } from './helpers/fuzz-shapes.js';

/**
 * Seeded variants of a consistent 2021 report (values, label variants of
 * format.md §8.2, layout noise) in every format: each of the 200 value cells
 * must come back exactly, with the right kind for empty and placeholder cells,
 * and the audit must find no error. Seeds are fixed, so a failure reproduces.
 */

const FORMATS: FuzzFormat[] = ['docx', 'html', 'xlsx', 'tsv', 'layout', 'layout-display'];
const SEEDS_PER_FORMAT: Record<FuzzFormat, number> = { docx: 12, html: 14, xlsx: 8, tsv: 20, layout: 20, 'layout-display': 12 };

describe('recognizer fuzz: seeded variants of a consistent 2021 report read back exactly', () => {
  for (const format of FORMATS)
    for (let seed = 1; seed <= SEEDS_PER_FORMAT[format]; seed++) {
      it(`${format} #${seed}`, async () => {
        const c = await fuzzCase(seed, format);
        const r = await parseBytes(c.bytes, { path: c.path });
        expect({ case: c.name, notes: c.notes, wrong: mismatches(c, r) }).toEqual({ case: c.name, notes: c.notes, wrong: [] });
      });
    }
});

describe('what the fuzz found, pinned', () => {
  it.each(['0      /      0', '—      3      —', '0 / 0', '5/3'])('a table row of numbers and placeholders %j is no page marker', (line) => {
    expect(isPageMarker(line)).toBe(false);
  });
  it.each(['3/5', '3 / 5', '— 3 —', '-3-'])('%j still is one', (line) => {
    expect(isPageMarker(line)).toBe(true);
  });

  it('reads a laid-out row that prints only its 总计 (every applicant cell left blank)', async () => {
    const v = sampleValues(11);
    const row = 'applications.results.denied.enforcementFiles';
    for (const k of COUNTS) {
      const n = Number(v[`${row}.${k}`]);
      // Keeps every equation: the row's numbers leave the column totals and 本年新收 with it.
      for (const t of ['applications.results.total', 'applications.newReceived']) v[`${t}.${k}`] = Number(v[`${t}.${k}`]) - n;
      v[`${row}.${k}`] = k === 'total' ? 0 : null;
    }
    const r = await parseBytes(renderText(v, { style: 'layout', meta: { ...DEFAULT_META, longProse: true } }), { path: 'lone.txt' });
    expect(r.report.applications!.results.denied.enforcementFiles).toEqual({ naturalPerson: null, commercial: null, research: null, publicInterest: null, legalService: null, otherOrg: null, total: 0 });
    expect(r.cells[`${row}.commercial`].kind).toBe('blank');
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});

/**
 * The shapes fuzz (tests/helpers/fuzz-shapes.ts; the large run is bench/fuzz-shapes.ts): seeded
 * renderings in every text shape real pages arrive in, with sparse rows and cuts. Contract: every
 * value exact or not placed, never wrong; no error finding on a consistent report; one changed
 * value is caught by an error that names its cell.
 */
const QUICK_SEEDS = 4;

describe('shapes fuzz: quick run', () => {
  for (const shape of SHAPES)
    for (let seed = 1; seed <= QUICK_SEEDS; seed++) {
      it(`${shape} #${seed}: never a wrong value, no error on a consistent report`, async () => {
        const c = shapeCase(seed, shape);
        const s = scoreShape(c, await parseBytes(c.bytes, { path: `${c.name}.txt` }));
        expect({ notes: c.notes, wrong: s.wrong, errors: s.errors }).toEqual({ notes: c.notes, wrong: [], errors: [] });
      });
      it(`${shape} #${seed}: one injected error is caught where it is`, async () => {
        const c = shapeCase(seed, shape, { inject: true });
        if (!c.injected) return; // the text was cut before table 3
        const s = scoreShape(c, await parseBytes(c.bytes, { path: `${c.name}.txt` }));
        expect({ notes: c.notes, located: s.located }).toEqual({ notes: c.notes, located: true });
      });
    }
});
