/**
 * Writes docs/serve-hongze.png, the README's picture of `nianbao serve`: the hongze
 * sample's report page, scrolled to table 4 with its two errors marked and T4-REV
 * selected. Needs Debian's chromium (and a CJK font, e.g. fonts-wqy-microhei).
 *   npx tsx scripts/serve-screenshot.ts [out.png]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../src/serve/server.js';
import { Session } from '../src/serve/session.js';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'docs/serve-hongze.png'));
const session = await Session.create({ jobs: 2 });
await session.addPaths([join(root, 'samples/hongze-quzhengfu-2023.pdf'), join(root, 'samples/huaian-shizhengfu-2024.pdf')]);
const server = await startServer(session, { port: 0 });
const profile = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 760 },
});
try {
  const page = await context.newPage();
  const hongze = session.list().find((e) => e.path === 'hongze-quzhengfu-2023.pdf')!;
  await page.goto(new URL(`/r/${hongze.id}`, server.url).href);
  await page.click('button.finding[data-rule="T4-REV"]');
  // Table 4 at the bottom of the view, the sticky findings list beside it.
  await page.evaluate(`(() => { const t = document.querySelector('.t4').getBoundingClientRect(); window.scrollBy(0, t.bottom + 190 - innerHeight); })()`);
  await page.focus('td[data-path="reviewLitigation.review.total"]');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await server.close();
  await session.close();
}
