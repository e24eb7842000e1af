import type { Cells, Finding, Report, Severity } from '../model/index.js';

export type Lang = 'zh' | 'en';

/** What every rule sees: the report and the provenance of its values, nothing of the source file. */
export interface AuditInput {
  report: Report;
  cells: Cells;
}

export type RuleFamily = 'table2' | 'table3' | 'table4' | 'narrative' | 'structure';

export interface Rule {
  id: string;
  family: RuleFamily;
  /** Default severity (a rule may emit lower ones, e.g. T3-ROW's info for a blank total). */
  severity: Severity;
  /** One line for the README's rule table. */
  title: { zh: string; en: string };
  check(input: AuditInput, lang: Lang): Finding[];
}
