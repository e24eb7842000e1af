import type { Finding } from '../model/index.js';
import type { AuditInput, Lang, Rule } from './types.js';

/** The rule registry: every rule the audit runs, in report order. */
export const RULES: Rule[] = [];

export function runAudit(input: AuditInput, opts: { lang?: Lang } = {}): Finding[] {
  const lang = opts.lang ?? 'zh';
  return RULES.flatMap((rule) => rule.check(input, lang));
}
