/**
 * Regenerates the committed browser-copied texts of filled report pages: Chromium's innerText of the
 * HTML rendering (tests/helpers/fill-template.ts renderHtml, cells holding <p> paragraphs), the text a
 * user gets by selecting a report page and copying it: tabs between cells, blank cells as a space
 * between tabs, header cells broken over lines. Seeded values (tests/helpers/fuzz-report.ts);
 * tests/recognize-text-exports.test.ts reads them back.
 *
 *   npx tsx scripts/make-innertext-text.ts        (needs Debian's chromium at /usr/bin/chromium)
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { rng } from '../tests/helpers/batch-reports.js';
import { INNERTEXT_SEEDS } from '../tests/helpers/cell-lines.js';
import { renderHtml } from '../tests/helpers/fill-template.js';
import { fuzzValues } from '../tests/helpers/fuzz-report.js';

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage();
  for (const seed of INNERTEXT_SEEDS) {
    await page.setContent(new TextDecoder().decode(renderHtml(fuzzValues(rng(seed), []))));
    const out = `tests/fixtures/text/innertext/inner-${seed}.txt`;
    writeFileSync(out, await page.evaluate<string>('document.body.innerText'));
    console.log(`wrote ${out}`);
  }
} finally {
  await browser.close();
}
