import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { exportCommand } from '../src/cli/export-command.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { Session } from '../src/serve/session.js';
import { axe, CHROMIUM, hasChromium, inPage, launchBrowser, type Browser } from './helpers/browser.js';
import { http } from './helpers/serve-http.js';
import { textReport } from './helpers/text-report.js';

const SAMPLES = resolve(import.meta.dirname, '../samples');
const HONGZE = join(SAMPLES, 'hongze-quzhengfu-2023.pdf');
const HUAIAN = join(SAMPLES, 'huaian-shizhengfu-2024.pdf');
const HOSTILE_PARSER = pathToFileURL(join(import.meta.dirname, 'helpers/serve-hostile-parser.ts')).href;
const REVIEW = ['total', 'upheld', 'corrected', 'other', 'pending'].map((k) => `reviewLitigation.review.${k}`);

if (!hasChromium) console.warn(`serve-browser tests skipped: no chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);

describe.skipIf(!hasChromium)('serve in a real browser', { timeout: 60_000 }, () => {
  let session: Session;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let hongzeUrl = '';
  const url = (p: string) => new URL(p, server.url).href;

  beforeAll(async () => {
    // The real pipeline; the hostile parser only touches files marked NIANBAO-TEST:XSS.
    session = await Session.create({ jobs: 2, parser: HOSTILE_PARSER });
    const [, b] = await Promise.all([session.addPaths([HUAIAN]), launchBrowser()]);
    browser = b;
    server = await startServer(session, { port: 0 });
    page = await browser.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await session?.close();
  });

  /** A drop of one file on the page, as a person dragging it from the file manager makes. */
  async function dropFile(p: Page, name: string, bytes: Uint8Array, type: string) {
    const arg = JSON.stringify({ name, b64: Buffer.from(bytes).toString('base64'), type });
    await inPage(
      p,
      `(({ name, b64, type }) => {
        const bin = atob(b64);
        const data = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([data], name, { type }));
        const target = document.querySelector('#drop');
        target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      })(${arg})`,
    );
  }

  it('a dropped PDF opens with T4-REV marked on the review total, expected 11, actual 0', async () => {
    await page.goto(url('/'));
    await Promise.all([page.waitForURL(/\/r\/[0-9a-f]{12}$/, { timeout: 30_000 }), dropFile(page, 'hongze-quzhengfu-2023.pdf', readFileSync(HONGZE), 'application/pdf')]);
    hongzeUrl = page.url();
    const total = page.locator('td[data-path="reviewLitigation.review.total"]');
    await expect.poll(() => total.getAttribute('class')).toContain('sev-error');
    expect(await total.getAttribute('class')).toContain('hit');
    expect(await total.getAttribute('data-rules')).toBe('T4-REV');
    expect((await total.locator('.val').textContent())?.trim()).toBe('0');
    const finding = page.locator('button.finding[data-rule="T4-REV"]');
    expect(await finding.locator('.expected').textContent()).toBe('11');
    expect(await finding.locator('.actual').textContent()).toBe('0');
    // Both table-4 errors are marked, and nothing in table 4 but their cells.
    expect(await page.locator('td[data-path="reviewLitigation.litigationAfterReview.total"].sev-error.hit').count()).toBe(1);
    const marked = await page.locator('.t4 td.v.sev-error').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    expect(marked.every((p) => /^reviewLitigation\.(review|litigationAfterReview)\./.test(p ?? ''))).toBe(true);
    // Selecting the finding marks exactly its cells.
    await finding.click();
    expect(await finding.getAttribute('aria-pressed')).toBe('true');
    const selected = await page.locator('td.v.selected').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')).sort());
    expect(selected).toEqual([...REVIEW].sort());
    // Selecting a cell lists its findings.
    await page.locator('td[data-path="reviewLitigation.review.upheld"]').click();
    await expect.poll(() => page.locator('#cell-info').textContent()).toContain('T4-REV');
    expect(await page.locator('#cell-info').textContent()).not.toContain('T4-AFT');
  }, 60_000);

  it('a clean report has no mark', async () => {
    const huaian = session.list().find((e) => e.path === 'huaian-shizhengfu-2024.pdf')!;
    await page.goto(url(`/r/${huaian.id}`));
    expect(await page.locator('h2.title').textContent()).toContain('淮安市人民政府');
    expect(await page.locator('td.v').count()).toBeGreaterThan(150);
    expect(await page.locator('td.v[class*="sev-"]').count()).toBe(0);
    expect(await page.locator('button.finding').count()).toBe(0);
    expect(await page.locator('.side .none').first().textContent()).toBe('未发现问题。');
  });

  it('switches language both ways, and the URL keeps it', async () => {
    await page.goto(hongzeUrl);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await Promise.all([page.waitForURL(/\?lang=en$/), page.click('a.lang')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#findings-h').textContent()).toContain('Findings');
    expect(await page.locator('button.finding[data-rule="T4-REV"] .message').textContent()).toMatch(/review: total \(0\)/i);
    // Links keep the language.
    expect(await page.locator('#reports a').first().getAttribute('href')).toMatch(/\?lang=en$/);
    await Promise.all([page.waitForURL((u) => !u.search), page.click('a.lang')]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('#findings-h').textContent()).toContain('问题清单');
    expect(await page.locator('button.finding[data-rule="T4-REV"] .message').textContent()).toContain('行政复议');
  });

  it('the CSV download is the bytes `nianbao export` writes for the loaded records', async () => {
    await page.goto(hongzeUrl);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.exports a[href="/export/reports.csv"]')]);
    const csv = readFileSync((await download.path())!);
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-serve-test-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'reports.jsonl'), (await http(server.url, '/export/reports.jsonl', { headers: { host: new URL(server.url).host } })).body);
    const quiet = { write: () => true };
    expect(await exportCommand([join(dir, 'reports.jsonl'), '--to', 'csv', '--out', join(dir, 'cli.csv')], { stdout: quiet, stderr: quiet })).toBe(0);
    expect(csv.equals(readFileSync(join(dir, 'cli.csv')))).toBe(true);
    expect(csv.toString('utf8')).toContain('hongze-quzhengfu-2023.pdf');
  });

  it('a report whose title and cells hold <script> and <img onerror> renders inert', async () => {
    await page.goto(url('/'));
    const text = textReport({ prose: '本年度共受理申请5件。NIANBAO-TEST:XSS' });
    await Promise.all([
      page.waitForURL(/\/r\/[0-9a-f]{12}$/, { timeout: 30_000 }),
      page.setInputFiles('#upload', { name: '<img src=x onerror=alert(1)>.txt', mimeType: 'text/plain', buffer: Buffer.from(text) }),
    ]);
    const title = await page.locator('h2.title').textContent();
    expect(title).toContain('<script>window.__xss=1</script>');
    expect(title).toContain('<img src=x onerror="window.__xss=2">');
    await page.locator('td[data-path="applications.newReceived.total"]').hover();
    await page.waitForTimeout(100);
    expect(await inPage(page, 'window.__xss')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await inPage(page, "Array.from(document.scripts).map((s) => s.getAttribute('src'))")).toEqual(['/assets/app.js']);
    expect(await page.locator('td[data-path="applications.newReceived.naturalPerson"] .val').textContent()).toBe('<img src=x onerror="window.__xss=2">');
  });

  it('an upload of a broken file shows its reason', async () => {
    await page.goto(url('/'));
    const broken = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<<'), Buffer.alloc(200, 0x20)]);
    await Promise.all([page.waitForURL(/\/r\/[0-9a-f]{12}$/, { timeout: 30_000 }), page.setInputFiles('#upload', { name: 'broken.pdf', mimeType: 'application/pdf', buffer: broken })]);
    const rec = session.list().find((e) => e.path === 'broken.pdf')!;
    expect(rec.status).toBe('failed');
    const reason = rec.status === 'failed' ? rec.reason : '';
    expect(await page.locator('.report .failed .reason').textContent()).toBe(reason);
    expect(await page.locator('table.failures').textContent()).toContain(reason);
    expect(await page.locator('table.failures').textContent()).toContain('broken.pdf');
  });

  it('an upload over the cap is refused on the page, nothing parsed', async () => {
    const small = await Session.create({ jobs: 1, maxBytes: 1000 });
    const srv = await startServer(small, { port: 0 });
    try {
      await page.goto(srv.url);
      await page.setInputFiles('#upload', { name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.alloc(5000, 0x41) });
      await expect.poll(() => page.locator('#status').textContent()).toContain('文件超过上传上限 1000 bytes (too-large)');
      expect(await page.locator('#status').textContent()).toContain('big.txt');
      // The page checks first; the server refuses on its own too, and the browser reads its 413.
      const direct = await inPage<{ status: number; body: { code: string; reason: string } }>(
        page,
        `fetch('/api/upload', { method: 'POST', headers: { 'x-file-name': 'big.txt' }, body: new Uint8Array(50000) }).then(async (r) => ({ status: r.status, body: await r.json() }))`,
      );
      expect(direct).toEqual({ status: 413, body: { status: 'failed', code: 'too-large', reason: 'the file is over the upload limit of 1000 bytes' } });
      expect(small.parsed).toBe(0);
      expect(small.list()).toHaveLength(0);
    } finally {
      await srv.close();
      await small.close();
    }
  });

  it('sorts and filters the list', async () => {
    await page.goto(url('/'));
    const agencies = () => page.locator('#reports tbody tr:not([hidden]) td[data-key="agency"]').allTextContents();
    await page.click('th[data-sort="year"] button');
    expect(await page.getAttribute('th[data-sort="year"]', 'aria-sort')).toBe('ascending');
    const years = await page.locator('#reports tbody td[data-key="year"]').allTextContents();
    expect(years).toEqual([...years].sort());
    await page.click('th[data-sort="year"] button');
    expect(await page.locator('#reports tbody td[data-key="year"]').allTextContents()).toEqual([...years].sort().reverse());
    await page.fill('#filter', '淮安');
    expect(await agencies()).toEqual(['淮安市人民政府']);
    await page.fill('#filter', '');
    expect((await agencies()).length).toBeGreaterThanOrEqual(3);
  });

  it('works with the keyboard', async () => {
    await page.goto(hongzeUrl);
    await page.keyboard.press('Tab');
    expect(await inPage(page, 'document.activeElement?.className')).toBe('skip');
    await page.keyboard.press('Enter');
    expect(page.url()).toMatch(/#report$/);
    // A finding is a button: Enter selects it, Escape clears.
    await page.focus('button.finding[data-rule="T4-AFT"]');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('button.finding[data-rule="T4-AFT"]', 'aria-pressed')).toBe('true');
    expect(await page.locator('td.v.selected').count()).toBe(5);
    await page.keyboard.press('Escape');
    expect(await page.locator('td.v.selected').count()).toBe(0);
    // Cells take focus, show their provenance, list their findings; arrows move between them.
    await page.focus('td[data-path="reviewLitigation.review.total"]');
    const tip = page.locator('td[data-path="reviewLitigation.review.total"] .tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/原文\s*“?0”?.*类型\s*数字.*页\s*4/s);
    expect(await page.locator('#cell-info').textContent()).toContain('T4-REV');
    await page.keyboard.press('ArrowLeft');
    expect(await inPage(page, 'document.activeElement?.dataset.path')).toBe('reviewLitigation.review.pending');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await inPage(page, 'document.activeElement?.dataset.path')).toBe('reviewLitigation.litigationDirect.upheld');
    // Tab reaches the findings list after the cells, in document order.
    await page.focus('td[data-path="reviewLitigation.litigationAfterReview.total"]');
    await page.keyboard.press('Tab');
    expect(await inPage(page, "document.activeElement?.getAttribute('data-rule')")).toBe('T4-REV');
  });

  it('passes axe-core with no serious or critical violation (list, report, English, failure)', async () => {
    const failed = session.list().find((e) => e.status === 'failed')!;
    for (const p of [hongzeUrl, `${hongzeUrl}?lang=en`, url(`/r/${failed.id}`), url('/')]) {
      await page.goto(p);
      const bad = (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad, `${p}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
    }
  }, 120_000);
});
