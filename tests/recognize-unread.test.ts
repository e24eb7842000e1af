/**
 * Promise 2 for rows: what we failed to read is our warning, never the source's error. A table-2 row
 * with fewer values than columns in text that keeps no trace of blank cells is not left-packed, and a
 * table-3 row whose label is printed but whose values were lost is unplaced, not S-05 "row missing".
 */
import { describe, expect, it } from 'vitest';
import type { Cells } from '../src/model/index.js';
import { COUNT_KEYS } from '../src/model/structure.js';
import { parseBytes } from '../src/parse.js';
import type { Line } from '../src/recognize/lines.js';
import { recoverUnreadRows } from '../src/recognize/unread-rows.js';
import { textReport } from './helpers/text-report.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('table 2 sparse rows in text without cell delimiters', () => {
  it('leaves the row unplaced with one warning instead of packing its values to the left', async () => {
    // Single spaces between cells (flipbook text layers), and the blank 本年废止件数 dropped.
    const text = textReport().replace('行政规范性文件\t3\t1\t20', '行政规范性文件\t3\t\t20').replace(/\t+/g, ' ');
    const r = await parseBytes(enc(text), { path: 'spaces.txt' });
    const p = r.report.proactive as unknown as Record<string, Record<string, number | null>>;
    expect(p.normativeDocuments).toEqual({ issued: null, repealed: null, inForce: null });
    for (const k of ['issued', 'repealed', 'inForce']) expect(r.cells[`proactive.normativeDocuments.${k}`].kind).toBe('unplaced');
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED' && f.paths.includes('proactive.normativeDocuments.issued'))).toHaveLength(1);
    expect(r.findings.some((f) => f.severity === 'error' && f.paths.some((x) => x.startsWith('proactive.normativeDocuments')))).toBe(false);
    // A full row in the same text is still read.
    expect(p.regulations).toEqual({ issued: 0, repealed: 0, inForce: 0 });
  });
});

describe('table 3 rows whose label is printed but whose values were lost', () => {
  const line = (text: string, index: number): Line => ({ index, kind: 'row', cells: [], norm: text, text });
  const lost = (): Cells =>
    Object.fromEntries(COUNT_KEYS.map((k) => [`applications.results.denied.safetyStability.${k}`, { raw: '', kind: 'missing' }]));

  it('are unplaced with a P-UNPLACED warning when the label is in the table text', () => {
    const cells = lost();
    const findings = recoverUnreadRows([line('2.其他法律行政法规禁止公开 0 0', 0), line('3.危及“三安全一稳定” 2 — 343', 1)], cells);
    expect(findings.map((f) => f.rule)).toEqual(['P-UNPLACED']);
    expect(Object.values(cells).every((c) => c.kind === 'unplaced')).toBe(true);
  });

  it('stay missing (S-05 is the source\'s) when the label is not printed', () => {
    const cells = lost();
    expect(recoverUnreadRows([line('2.其他法律行政法规禁止公开 0 0', 0), line('4.保护第三方合法权益 1 1', 1)], cells)).toEqual([]);
    expect(Object.values(cells).every((c) => c.kind === 'missing')).toBe(true);
  });
});
