import type { Finding } from '../model/index.js';
import { sortFindings } from '../model/order.js';
import { CROSS_YEAR_RULES } from './cross-year.js';
import { NARRATIVE_RULES } from './rules/narrative.js';
import { STRUCTURE_RULES } from './rules/structure.js';
import { TABLE2_RULES } from './rules/table2.js';
import { TABLE3_RULES } from './rules/table3.js';
import { TABLE4_RULES } from './rules/table4.js';
import type { AuditInput, Lang, Rule } from './types.js';
import { msg } from './messages.js';

/** The rule registry: every rule the audit runs, in report order. */
export const RULES: Rule[] = [...STRUCTURE_RULES, ...TABLE2_RULES, ...TABLE3_RULES, ...TABLE4_RULES, ...NARRATIVE_RULES];

export { CROSS_YEAR_RULES, crossYear } from './cross-year.js';

/**
 * Rule table for the README: the per-report rules, then the cross-report rules the batch runs
 * (T2-19-ITEMS has a part of each kind and is listed once).
 */
export const RULE_TABLE: Pick<Rule, 'id' | 'family' | 'severity' | 'title'>[] = [
  ...RULES,
  ...CROSS_YEAR_RULES.filter((c) => !RULES.some((r) => r.id === c.id)),
].map(({ id, family, severity, title }) => ({ id, family, severity, title }));

export function runAudit(input: AuditInput, opts: { lang?: Lang } = {}): Finding[] {
  const lang = opts.lang ?? 'zh';
  // A fresh object per run: rules share one derived-value cache (keyed by this object) within the run,
  // and a caller that edits the report between runs never sees stale values.
  const run: AuditInput = { report: input.report, cells: input.cells };
  return sortFindings(RULES.flatMap((rule) => rule.check(run, lang)).map((f) => asReadingDoubt(f, input, lang)));
}

/**
 * An error about a value the recognizer placed or read by inference (cells[…].inferred) is a doubt about
 * our reading, not the report's fault: a warning. Identities already say so themselves (equations.ts, which
 * also sees a blank total's inferred parts); this covers the single-value rules (integers, signs, units).
 */
function asReadingDoubt(f: Finding, input: AuditInput, lang: Lang): Finding {
  if (f.severity !== 'error' || !f.paths.some((p) => input.cells?.[p]?.inferred !== undefined)) return f;
  return { ...f, severity: 'warning', message: f.message + msg(lang, 'inferredNote') };
}

export type { AuditInput, Lang, Rule, RuleFamily } from './types.js';
