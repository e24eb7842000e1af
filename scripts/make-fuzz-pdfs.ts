/**
 * PDFs of the recognizer fuzz variants (tests/helpers/fuzz-report.ts) made by LibreOffice:
 *
 *   npx tsx scripts/make-fuzz-pdfs.ts [OUT_DIR]            regenerates the committed fixtures
 *                                                          (default tests/fixtures/pdf)
 *   npx tsx scripts/make-fuzz-pdfs.ts --check FROM-TO      converts the DOCX and HTML variants of seeds
 *                                                          FROM..TO and compares every value of each PDF
 *   npx tsx scripts/make-fuzz-pdfs.ts --check FROM-TO --shift   the same, table 3 pushed down by a seeded
 *                                                          spacer with widow control off in its cells,
 *                                                          so that page breaks fall on other rows
 *
 * Needs LibreOffice (`soffice`) and poppler-utils (`pdftotext`) on PATH and a CJK font (the committed files
 * were made with LibreOffice 7.4 and Noto Sans CJK). Neither CI nor the tests need them: each fixture PDF is
 * committed with a JSON of the 200 values its generator case holds (`expected`, as in the fuzz test), and
 * tests/e2e-pdf-fuzz.test.ts compares the PDF's report with it.
 *
 *   fuzz-docx-23         DOCX variant #23 as is: LibreOffice wraps 78576 in its narrow column as 7857 / 6
 *                        and the page break falls between the two lines (a row of table 3's middle)
 *   fuzz-docx-113-s3800  DOCX variant #113, spacer 3800 twips, widow control off: the same with 276485
 *                        in 本年新收, whose label spans three columns
 *
 * The script checks that each fixture still has a number cut by the page break, and fails otherwise.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { parseBytes } from '../src/parse.js';
import { fuzzCase, type Expected, type FuzzCase } from '../tests/helpers/fuzz-report.js';

interface Shift {
  /** Space above table 3, twips. */
  space: number;
}

const FIXTURES: { seed: number; shift?: Shift }[] = [{ seed: 23 }, { seed: 113, shift: { space: 3800 } }];

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error) throw new Error(`${cmd} not available: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * A spacer paragraph above table 3, and widow control off in its cells: with it on, LibreOffice never
 * splits a cell paragraph of fewer than four lines, so a page break would never cut a row.
 */
function shiftDocx(bytes: Uint8Array, { space }: Shift): Uint8Array {
  const files = unzipSync(bytes);
  const xml = strFromU8(files['word/document.xml']);
  const at = [...xml.matchAll(/<w:tbl>/g)][1].index;
  const end = xml.indexOf('</w:tbl>', at);
  const table = xml.slice(at, end).replaceAll('<w:widowControl/>', '<w:widowControl w:val="0"/>');
  const spacer = `<w:p><w:pPr><w:spacing w:before="${space}" w:after="0"/></w:pPr></w:p>`;
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = name === 'word/document.xml' ? strToU8(xml.slice(0, at) + spacer + table + xml.slice(end)) : data;
  return zipSync(out, { level: 6 });
}

/**
 * The fuzz HTML is a CMS page: the article sits in two layout tables, the outer 1000 px wide. A browser
 * prints that fitted to the paper; LibreOffice clips it at the right margin and drops whatever of the
 * one-row layout table does not fit on the first page. Printing the article as a browser would needs
 * the layout tables gone.
 */
function printableHtml(bytes: Uint8Array, shift?: Shift): Uint8Array {
  let s = new TextDecoder().decode(bytes);
  for (const open of [/<table width="1000"[^>]*><tr><td>/, /<table width="100%"><tr><td class="content">/]) {
    if (!open.test(s)) throw new Error(`layout table ${open} not found: fuzz-report's HTML changed`);
    s = s.replace(open, '<div>');
  }
  const close = '</td></tr></table>\n</td></tr></table>';
  if (!s.includes(close)) throw new Error('end of the layout tables not found: fuzz-report\'s HTML changed');
  s = s.replace(close, '</div>\n</div>');
  if (shift) {
    const t = s.indexOf('<TABLE border=1');
    s = `${s.slice(0, t)}<p style="margin-top:${shift.space / 20}pt">&nbsp;</p>\n${s.slice(t)}`;
  }
  return new TextEncoder().encode(s);
}

const work = mkdtempSync(path.join(tmpdir(), 'nianbao-fuzz-pdf-'));
// A private profile: a desktop LibreOffice already running would otherwise take the request over.
const profile = `-env:UserInstallation=file://${path.join(work, 'profile')}`;

/** Converts all files in one LibreOffice start (~0.3 s a file instead of ~3 s). */
function convert(files: string[]): void {
  run('soffice', [profile, '--headless', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', work, ...files]);
}

async function source(seed: number, format: 'docx' | 'html', shift?: Shift): Promise<{ name: string; file: string; c: FuzzCase }> {
  const c = await fuzzCase(seed, format);
  const name = `fuzz-${format}-${seed}${shift ? `-s${shift.space}` : ''}`;
  const file = path.join(work, `${name}.${format}`);
  writeFileSync(file, format === 'html' ? printableHtml(c.bytes, shift) : shift ? shiftDocx(c.bytes, shift) : c.bytes);
  return { name, file, c };
}

function get(obj: unknown, p: string): unknown {
  return p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Every value that reads back differently, and the audit's errors (as in tests/recognize-fuzz.test.ts). */
async function mismatches(pdf: string, expected: Record<string, Expected>): Promise<string[]> {
  const r = await parseBytes(readFileSync(pdf), { path: pdf });
  const out: string[] = [];
  for (const [p, want] of Object.entries(expected)) {
    const value = get(r.report, p) ?? null;
    const kind = r.cells[p]?.kind;
    if (value !== want.value || kind !== want.kind) out.push(`${p}: ${want.value}/${want.kind} → ${String(value)}/${kind}`);
  }
  for (const f of r.findings) if (f.severity === 'error') out.push(`error ${f.rule}: ${f.message}`);
  return out;
}

/**
 * Paths of the values of five or more digits that a page break cuts: the last line of a page ends the
 * cut row with their heads, the first line of the next holds their tails (pdftotext -raw keeps
 * LibreOffice's row-by-row order).
 */
function cutValues(pdf: string, expected: Record<string, Expected>): string[] {
  const pages = run('pdftotext', ['-raw', pdf, '-']).split('\f').map((p) => p.split('\n').filter((l) => l.trim()));
  const out = new Set<string>();
  for (let k = 0; k + 1 < pages.length; k++) {
    const head = new Set(pages[k].at(-1)?.split(/\s+/));
    const tail = new Set(pages[k + 1][0]?.split(/\s+/));
    for (const [p, e] of Object.entries(expected)) {
      const s = String(e.value);
      if (e.kind !== 'number' || s.length < 5) continue;
      for (let i = 1; i < s.length; i++) if (head.has(s.slice(0, i)) && tail.has(s.slice(i))) out.add(p);
    }
  }
  return [...out];
}

async function makeFixtures(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const sources = await Promise.all(FIXTURES.map((f) => source(f.seed, 'docx', f.shift)));
  convert(sources.map((s) => s.file));
  for (const { name, c } of sources) {
    const pdf = path.join(work, `${name}.pdf`);
    const cut = cutValues(pdf, c.expected);
    if (!cut.length) throw new Error(`${name}: no number is cut by a page break any more (LibreOffice version or fonts?)`);
    console.log(`${name}: the page break cuts ${cut.join(', ')}`);
    const target = path.join(outDir, `${name}.pdf`);
    copyFileSync(pdf, target);
    // One value a line: small, and a diff shows which values changed.
    const values = Object.entries(c.expected).map(([p, e]) => `  ${JSON.stringify(p)}: ${JSON.stringify(e)}`);
    const head = JSON.stringify({ case: c.name, notes: c.notes, cut }).slice(0, -1);
    writeFileSync(path.join(outDir, `${name}.json`), `${head},\n "expected": {\n${values.join(',\n')}\n }\n}\n`);
    console.log(`${path.relative(process.cwd(), target)}: ${(statSync(target).size / 1024).toFixed(0)} KB`);
  }
}

async function check(from: number, to: number, shifted: boolean): Promise<void> {
  const sources = [];
  for (const format of ['docx', 'html'] as const)
    for (let seed = from; seed <= to; seed++) sources.push(await source(seed, format, shifted ? { space: ((seed * 53) % 81) * 50 } : undefined));
  convert(sources.map((s) => s.file));
  let bad = 0;
  for (const { name, c } of sources) {
    const wrong = await mismatches(path.join(work, `${name}.pdf`), c.expected);
    if (!wrong.length) continue;
    bad++;
    console.log(`FAIL ${name} [${c.notes.join('; ')}]`);
    for (const w of wrong.slice(0, 12)) console.log(`    ${w}`);
  }
  console.log(`${sources.length - bad}/${sources.length} PDFs read back exactly`);
  if (bad) process.exitCode = 1;
}

try {
  const args = process.argv.slice(2);
  if (args[0] === '--check') {
    const m = /^(\d+)-(\d+)$/.exec(args[1] ?? '');
    if (!m) throw new Error('usage: --check FROM-TO [--shift]');
    await check(Number(m[1]), Number(m[2]), args.includes('--shift'));
  } else await makeFixtures(path.resolve(args[0] ?? 'tests/fixtures/pdf'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
