import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as nianbao from '../src/index.js';
import { withRuleTable } from '../scripts/rule-table.js';

describe('public API', () => {
  it('runs the pipeline in its three steps, with the same result as parseBytes', async () => {
    const bytes = readFileSync('samples/huaian-shizhengfu-2024.layout.txt');
    const doc = await nianbao.readDocument(bytes, { path: 'h.txt' });
    expect(doc.format).toBe('text');
    const { report, cells, findings } = await nianbao.recognize(doc);
    const audit = nianbao.runAudit({ report, cells });
    const whole = await nianbao.parseBytes(bytes, { path: 'h.txt' });
    expect(whole.report).toEqual(report);
    expect(whole.findings).toHaveLength(audit.length + findings.length);
    expect(nianbao.Report.safeParse(report).success).toBe(true);
  });

  it('lists every rule with a unique id, a family, a severity and titles in both languages', () => {
    const ids = nianbao.RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of nianbao.RULES) {
      expect(r.title.zh.length).toBeGreaterThan(0);
      expect(r.title.en.length).toBeGreaterThan(0);
    }
    for (const id of ['T3-BAL', 'T3-OUT', 'T3-ROW', 'T3-SUB', 'T3-INT', 'T4-REV', 'T4-DIR', 'T4-AFT', 'T2-INT', 'N-RECV', 'N-DONE', 'N-CARRY', 'N-GROUP', 'N-REVIEW', 'N-LIST', 'S-04', 'S-05', 'S-06'])
      expect(ids).toContain(id);
  });

  it('the README rule table is the registry (run `npx tsx scripts/rule-table.ts --write` after adding a rule)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withRuleTable(readme)).toBe(readme);
    for (const r of [...nianbao.RULES, ...nianbao.CROSS_YEAR_RULES]) expect(readme).toContain(`| ${r.id} |`);
  });
});
