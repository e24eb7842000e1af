// The README's rule table, from the registry, so the docs list exactly the rules that run.
// `--write` replaces the table between the rules markers in README.md; without it, prints it.
import { readFileSync, writeFileSync } from 'node:fs';
import { CROSS_YEAR_RULES, RULES } from '../src/audit/index.js';

export function ruleTable(): string {
  return [
    '| id | family | severity | checks |',
    '|---|---|---|---|',
    ...RULES.map((r) => `| ${r.id} | ${r.family} | ${r.severity} | ${r.title.zh} — ${r.title.en} |`),
    ...CROSS_YEAR_RULES.map((r) => `| ${r.id} | batch (cross-year) | ${r.severity} | ${r.title.zh} — ${r.title.en} |`),
  ].join('\n');
}

export const RULES_START = /<!-- rules:start[^>]*-->\n/;
export const RULES_END = '<!-- rules:end -->';

export function withRuleTable(readme: string): string {
  const start = RULES_START.exec(readme);
  const end = readme.indexOf(RULES_END);
  if (!start || end < 0) throw new Error('README.md has no rules markers');
  return readme.slice(0, start.index + start[0].length) + ruleTable() + '\n' + readme.slice(end);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--write')) {
    const url = new URL('../README.md', import.meta.url);
    writeFileSync(url, withRuleTable(readFileSync(url, 'utf8')));
    console.log('README.md rule table rewritten');
  } else console.log(ruleTable());
}
