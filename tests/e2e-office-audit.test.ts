import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import type { Finding } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { VALUE_CELLS, fillTemplate, sampleValues } from './helpers/fill-template.js';

const CHANGED = 'applications.results.denied.stateSecret.naturalPerson';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The consistent sample with one table-3 cell raised by one, written as a filled template. */
function changedDocx(): { file: string; bytes: Uint8Array } {
  const values = sampleValues(11);
  values[CHANGED] = Number(values[CHANGED]) + 1;
  const bytes = fillTemplate(values);
  const file = join(mkdtempSync(join(tmpdir(), 'nianbao-audit-')), 'changed.docx');
  writeFileSync(file, bytes);
  return { file, bytes };
}

describe('nianbao audit: one table-3 cell changed in a filled DOCX', () => {
  const { file, bytes } = changedDocx();

  it('exits 1 and reports exactly the broken equations: T3-ROW for the row, T3-OUT for the column', async () => {
    const { code, out, err } = await run('audit', file, '--json');
    expect(err).toBe('');
    expect(code).toBe(1);
    const findings: Finding[] = JSON.parse(out).findings;
    const errors = findings.filter((f) => f.severity === 'error');
    // results.total is untouched, so T3-BAL (newReceived + carriedOver = results.total + carriedForward) still holds.
    expect(errors.map((f) => [f.rule, f.expression, f.expected, f.actual]).sort()).toEqual(
      [
        ['T3-OUT', expect.stringContaining('(.naturalPerson)'), expect.any(Number), expect.any(Number)],
        ['T3-ROW', 'results.denied.stateSecret.total = naturalPerson + Σlegal', expect.any(Number), expect.any(Number)],
      ].sort(),
    );
    for (const f of errors) {
      expect(f.paths).toContain(CHANGED);
      expect(Math.abs((f.actual ?? 0) - (f.expected ?? 0))).toBe(1);
    }
    // Nothing else is an error or looks at the changed cell.
    expect(findings.filter((f) => f.severity !== 'error' && f.paths.includes(CHANGED))).toEqual([]);
  });

  // Fails today: `renderAudit` (src/cli/format.ts) prints the location of paths[0] only, which is the printed
  // total (T3-ROW: 表2 行8 列10; T3-OUT: 表2 行27 列4), never the changed cell, the one both equations share.
  it('the readable output names the changed cell with its location', async () => {
    const parsed = await parseBytes(bytes, { path: file });
    const cell = parsed.cells[CHANGED];
    const source = VALUE_CELLS.find((c) => c.path === CHANGED)!;
    // The template's second table is report table 3; rows and columns as in the template grid.
    expect(cell).toMatchObject({ kind: 'number', table: 2, row: source.row, col: source.col });
    const { code, out } = await run('audit', file);
    expect(code).toBe(1);
    expect(out).toContain(CHANGED);
    expect(out).toMatch(new RegExp(`·自然人（${CHANGED.replace(/\./g, "\\.")}） = \\d+  @ 第2个表格 第${source.row + 1}行第${source.col + 1}列`));
  });
});
