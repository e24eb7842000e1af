import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS, fillTemplate, renderHtml, renderText, renderXlsx, sampleValues } from './helpers/fill-template.js';

const LEGAL = /^applications\..*\.(commercial|research|publicInterest|legalService|otherOrg)$/;
const LEGAL_CELLS = VALUE_CELLS.filter((c) => LEGAL.test(c.path)).map((c) => c.path);

/** A report from a body that only ever has natural-person applicants: the five 法人 columns left empty. */
function blankLegalValues() {
  const values = sampleValues(21);
  for (const path of LEGAL_CELLS) {
    const row = path.slice(0, path.lastIndexOf('.'));
    values[`${row}.total`] = values[`${row}.naturalPerson`];
    values[path] = null;
  }
  return values;
}

const FORMATS: [string, () => Promise<Uint8Array> | Uint8Array][] = [
  ['report.docx', () => fillTemplate(blankLegalValues())],
  ['report.html', () => renderHtml(blankLegalValues())],
  ['report-gbk.html', () => renderHtml(blankLegalValues(), { encoding: 'gbk' })],
  ['report.xlsx', () => renderXlsx(blankLegalValues())],
  ['report.tsv.txt', () => renderText(blankLegalValues(), { style: 'tsv' })],
  // No row carries all seven numbers, so no column positions: the arithmetic places 自然人 and 总计,
  // and in positioned text the columns left over were printed empty (blank), not lost.
  ['report.layout.txt', () => renderText(blankLegalValues(), { style: 'layout' })],
];

describe('table 3 with its five legal-person columns blank', () => {
  it.each(FORMATS)('%s: blank cells, no error, one S-06 for table 3', async (path, make) => {
    const r: ParseResult = await parseBytes(await make(), { path });
    const values = blankLegalValues();
    for (const p of LEGAL_CELLS) {
      expect([p, r.cells[p]?.kind]).toEqual([p, 'blank']);
      expect([p, p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r.report)]).toEqual([p, null]);
    }
    // The other columns still read as printed.
    for (const c of VALUE_CELLS.filter((c) => c.table === 1 && !LEGAL.test(c.path)))
      expect([c.path, c.path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r.report)]).toEqual([c.path, values[c.path]]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const s06 = r.findings.filter((f) => f.rule === 'S-06');
    expect(s06).toHaveLength(1);
    expect(s06[0].severity).toBe('warning');
    expect([...s06[0].paths].sort()).toEqual([...LEGAL_CELLS].sort());
  });
});
