/**
 * Large seeded run of the two section fuzz families (npx tsx bench/sections-fuzz.ts [N]):
 * heading dress (tests/helpers/heading-dress.ts) and portal-page chrome
 * (tests/helpers/portal-page.ts). Prints how many renderings broke each contract.
 */
import { parseBytes } from '../src/parse.js';
import { rng } from '../tests/helpers/batch-reports.js';
import { dressedReport, sectionProblems, SECTION_KEYS, TITLE } from '../tests/helpers/heading-dress.js';
import { CHROME_MARKERS, portalOptions, portalPage } from '../tests/helpers/portal-page.js';

const n = Number(process.argv[2] ?? 1000);
const enc = new TextEncoder();
let dressBad = 0;
for (let seed = 1; seed <= n; seed++) {
  const c = dressedReport(seed);
  const problems = sectionProblems(await parseBytes(enc.encode(c.text), { path: 'fuzz.md' }), c);
  if (problems.length) {
    dressBad++;
    if (dressBad <= 10) console.log(`dress seed ${seed}: ${problems.join('; ')} (${c.notes.join(' / ')})`);
  }
}
let chromeBad = 0;
for (let seed = 1; seed <= n; seed++) {
  const o = portalOptions(rng(seed * 104729));
  const r = await parseBytes(enc.encode(portalPage(o)), { path: 'page.html' });
  const problems: string[] = [];
  if (r.report.title !== TITLE.replace('某某县', 'XX县')) problems.push(`title ${r.report.title}`);
  for (const k of SECTION_KEYS) {
    const sec = r.report.sections[k];
    if (!sec) problems.push(`${k} missing`);
    else for (const m of CHROME_MARKERS) if (`${sec.heading}\n${sec.text}`.includes(m)) problems.push(`${k} holds ${m}`);
  }
  if (r.findings.some((f) => f.severity === 'error' || f.rule === 'S-01')) problems.push('error or S-01');
  if (problems.length) {
    chromeBad++;
    if (chromeBad <= 10) console.log(`chrome seed ${seed}: ${problems.join('; ')} (${JSON.stringify(o)})`);
  }
}
console.log(`heading dress: ${n - dressBad}/${n} renderings read as the source; page chrome: ${n - chromeBad}/${n}`);
