import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';

describe('the official blank 2021 template', () => {
  it('reads as a 2021 report whose 200 value cells are all blank: no error, one S-06 per table', async () => {
    const r = await parseBytes(readFileSync('tests/fixtures/official-template-2021-blank.docx'), { path: 'template.docx' });
    expect(r.report.formatVersion).toBe('2021');
    const valueCells = Object.entries(r.cells).filter(([p]) => /^(proactive|applications|reviewLitigation)\./.test(p));
    expect(valueCells).toHaveLength(200);
    expect(valueCells.filter(([, c]) => c.kind !== 'blank')).toEqual([]);
    expect(r.report.reviewLitigation?.review).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: null });
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.filter((f) => f.rule === 'S-06').map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
  });
});
