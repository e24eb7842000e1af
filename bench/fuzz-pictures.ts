/**
 * Reports whose tables are pictures ("图片版"), seeded: each HTML report rendered by Chromium, its data tables
 * captured as PNGs at the screen's own scale, then read back as a web page with data: images and as a DOCX
 * with the pictures embedded where the tables stood (tests/helpers/table-pictures.ts):
 *
 *   npx tsx bench/fuzz-pictures.ts [--n 10] [--from 1] [--verbose]
 *
 * Prints per form: the share of the 200 value cells read right, cells read as a wrong number that say
 * nothing of it (not inferred, OCR confidence ≥ 0.9: must be 0), error findings (must be 0), and seconds
 * per report. Needs Debian's chromium.
 */
import { readDocument } from '../src/ingest/index.js';
import { parseBytes } from '../src/parse.js';
import { hasChromium, launchBrowser } from '../tests/helpers/browser.js';
import { fuzzCase, mismatches } from '../tests/helpers/fuzz-report.js';
import { pictureDocx, picturePage, surelyWrong } from '../tests/helpers/table-pictures.js';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : d;
};
const n = Number(opt('--n', '10'));
const from = Number(opt('--from', '1'));
const verbose = args.includes('--verbose');
if (!hasChromium) throw new Error('chromium is needed (apt install chromium)');


const totals = { html: { right: 0, cells: 0, wrong: 0, errors: 0, ms: 0 }, docx: { right: 0, cells: 0, wrong: 0, errors: 0, ms: 0 } };
const browser = await launchBrowser();
try {
  for (let seed = from; seed < from + n; seed++) {
    const c = await fuzzCase(seed, 'html');
    const { shots, html } = await picturePage(browser, new TextDecoder().decode(c.bytes));
    const doc = await readDocument(c.bytes, { path: 'x.html' });
    const items: Parameters<typeof pictureDocx>[0] = [];
    let k = 0;
    for (const b of doc.blocks) {
      if (b.kind === 'paragraph') {
        if (!b.chrome) items.push({ text: b.text });
      } else if (shots[k]) {
        const s = shots[k++];
        if (!b.chrome) items.push({ png: s.png, widthIn: s.widthPx / 96, heightIn: s.widthPx / 192 });
      }
    }
    const forms = { html: new TextEncoder().encode(html), docx: pictureDocx(items) };
    for (const [form, bytes] of Object.entries(forms) as ['html' | 'docx', Uint8Array][]) {
      const t0 = performance.now();
      const r = await parseBytes(bytes, { path: `x.${form}` });
      const t = totals[form];
      t.ms += performance.now() - t0;
      const cells = Object.keys(c.expected).length;
      const wrong = surelyWrong(c, r);
      const errors = r.findings.filter((f) => f.severity === 'error');
      t.cells += cells;
      t.right += cells - mismatches(c, r).filter((m) => !m.startsWith('error ')).length;
      t.wrong += wrong.length;
      t.errors += errors.length;
      if (verbose && (wrong.length || errors.length)) process.stdout.write(`  ${form} #${seed}: ${[...wrong, ...errors.map((f) => `error ${f.rule}: ${f.message}`)].join(' | ')}\n`);
    }
  }
} finally {
  await browser.close();
}
for (const [form, t] of Object.entries(totals)) {
  process.stdout.write(`${form.padEnd(5)} ${n} reports  read right ${((100 * t.right) / t.cells).toFixed(1)} %  wrong as read ${t.wrong}  error findings ${t.errors}  ${(t.ms / n / 1000).toFixed(1)} s/report\n`);
}
