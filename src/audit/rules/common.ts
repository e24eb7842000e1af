import type { Finding } from '../../model/index.js';
import { msg, TABLE_NAMES } from '../messages.js';
import type { Lang, Rule } from '../types.js';
import type { TableId, Values } from '../values.js';

/** Table rules run on 2019/2021 reports only; legacy and unknown reports carry no such tables. */
export function tableFormat(v: Values): boolean {
  return v.report.formatVersion === '2021' || v.report.formatVersion === '2019';
}

/**
 * Decides whether a table rule can look at its table: absent tables are S-04's business,
 * a wholly blank table is "not reported" and yields one not-assessable info per rule.
 */
export function tableGate(rule: Pick<Rule, 'id'>, v: Values, table: TableId, lang: Lang): Finding[] | null {
  if (!tableFormat(v)) return [];
  const state = v.tableState(table);
  if (state === 'absent') return [];
  if (state === 'blank') {
    return [
      {
        rule: rule.id,
        severity: 'info',
        message: msg(lang, 'notReported', { table: TABLE_NAMES[table][lang], rule: rule.id }),
        paths: [],
        assessable: false,
      },
    ];
  }
  return null;
}

/** Gives rule literals the `Rule` contextual type, so `this` in `check` is the rule (its id and severity). */
export function defineRule(rule: Rule): Rule {
  return rule;
}
