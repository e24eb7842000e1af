// Prints the README's rule table from the registry, so the docs list exactly the rules that run.
import { CROSS_YEAR_RULES, RULES } from '../src/audit/index.js';

const rows = [
  '| id | family | severity | checks |',
  '|---|---|---|---|',
  ...RULES.map((r) => `| ${r.id} | ${r.family} | ${r.severity} | ${r.title.zh} — ${r.title.en} |`),
  ...CROSS_YEAR_RULES.map((r) => `| ${r.id} | batch (cross-year) | ${r.severity} | ${r.title.zh} — ${r.title.en} |`),
];
console.log(rows.join('\n'));
