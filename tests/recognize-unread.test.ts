import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { COUNTS, DEFAULT_META, renderText, sampleValues } from './helpers/fill-template.js';

/**
 * What may be an error: only values read with certainty. A row whose label is in the source but
 * whose values were not read is our failure, a warning; S-05 is for a label absent from the text.
 */
function withRow(row: string, fill: (k: string, n: number) => number | null) {
  const v = sampleValues(11);
  for (const k of COUNTS) {
    const n = Number(v[`${row}.${k}`]);
    for (const t of ['applications.results.total', 'applications.newReceived']) v[`${t}.${k}`] = Number(v[`${t}.${k}`]) - n;
    v[`${row}.${k}`] = fill(k, n);
  }
  return v;
}

describe('a row present in the source whose values are not read', () => {
  const row = 'applications.results.denied.enforcementFiles';

  it('laid-out text with the whole row blank: unplaced cells, one warning, no S-05, no error', async () => {
    const v = withRow(row, () => null);
    const r = await parseBytes(renderText(v, { style: 'layout', meta: { ...DEFAULT_META, longProse: true } }), { path: 'blank-row.txt' });
    expect(r.cells[`${row}.total`].kind).toBe('unplaced');
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED')).toHaveLength(1);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
  });

  it('the same row with its label gone from the text is S-05', async () => {
    const v = withRow(row, () => null);
    const text = new TextDecoder().decode(renderText(v, { style: 'layout', meta: { ...DEFAULT_META, longProse: true } })).replace(/^.*属于行政执法案卷.*$/m, '');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 'no-row.txt' });
    expect(r.findings.filter((f) => f.rule === 'S-05').map((f) => f.message)).toEqual([expect.stringContaining('属于行政执法案卷')]);
  });
});

import { align } from '../src/recognize/align.js';

describe('sparse rows solved jointly', () => {
  const eq = { outParts: ['results.granted', 'results.partiallyGranted'], total: 'results.total', balance: { left: ['newReceived', 'carriedOver'], right: ['results.total', 'carriedForward'] } };
  const full = (path: string, slots: number[]) => ({ path, fixed: slots });

  it('places a short row when exactly one reading fits its total and the columns', () => {
    const r = align(
      [
        full('newReceived', [3, 1, 0, 0, 0, 2, 6]),
        full('carriedOver', [0, 0, 0, 0, 0, 0, 0]),
        { path: 'results.granted', values: [2, 1, 1, 4] },
        full('results.partiallyGranted', [1, 0, 0, 0, 0, 1, 2]),
        full('results.total', [3, 1, 0, 0, 0, 2, 6]),
        full('carriedForward', [0, 0, 0, 0, 0, 0, 0]),
      ],
      eq,
    );
    expect(r.unsettled.size).toBe(0);
    expect(r.placements.get('results.granted')!.slots).toEqual([2, 1, 0, 0, 0, 1, 4]);
  });

  it('leaves rows unsettled that can trade a value with another short row', () => {
    const r = align(
      [
        full('newReceived', [3, 0, 0, 0, 2, 2, 7]),
        full('carriedOver', [0, 0, 0, 0, 0, 0, 0]),
        { path: 'results.granted', values: [2, 1, 3] },
        { path: 'results.partiallyGranted', values: [1, 1, 2] },
        { path: 'results.total', values: [3, 2, 2, 7] },
        full('carriedForward', [0, 0, 0, 0, 0, 0, 0]),
      ],
      eq,
    );
    expect(r.unsettled.has('results.granted')).toBe(true);
  });
});
