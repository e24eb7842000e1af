/**
 * Writes N synthetic disclosure reports into a directory, for bench/batch.ts:
 *   tsx bench/generate.ts DIR [N] [--formats text,docx,html,xlsx]
 *
 * Every report is a consistent 2021-format report (tests/helpers/batch-reports.ts)
 * with varied numbers; agencies get consecutive years so the cross-report pass has
 * pairs to compare; ~8 % carry an injected arithmetic error; ~5 % of files are
 * corrupt or hostile (truncated zip, binary junk, empty, .doc OLE header, one huge
 * line), as in a real download of a government site.
 *
 * Per-format writers: text is written here; DOCX/HTML/XLSX use
 * tests/helpers/fill-template.ts (fillTemplate / renderHtml / renderXlsx) when it is
 * present. To add a format, add an entry to WRITERS — the hook is `FormatWriter`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../src/model/index.js';
import { makeReport, readPath, renderText, rng, valuePaths } from '../tests/helpers/batch-reports.js';

export type FormatWriter = (report: Report) => Promise<Uint8Array>;
type Format = 'text' | 'docx' | 'html' | 'xlsx' | 'pdf';

const EXT: Record<Format, string> = { text: 'txt', docx: 'docx', html: 'html', xlsx: 'xlsx', pdf: 'pdf' };

/** fill-template keys its values by the same report paths; null stays blank. */
function fillValues(report: Report): Record<string, number | null> {
  const v: Record<string, number | null> = {};
  for (const p of valuePaths()) {
    const x = readPath(report, p);
    v[p] = typeof x === 'number' ? x : null;
  }
  return v;
}

async function loadWriters(formats: Format[]): Promise<Partial<Record<Format, FormatWriter>>> {
  const writers: Partial<Record<Format, FormatWriter>> = { text: async (r) => new TextEncoder().encode(renderText(r)) };
  if (formats.includes('pdf')) writers.pdf = pdfWriter();
  if (formats.every((f) => f === 'text' || f === 'pdf')) return writers;
  // Another developer's helper: used when present, never required.
  const spec = '../tests/helpers/fill-template.js';
  let ft: Record<string, unknown> | null = null;
  try {
    ft = (await import(spec)) as Record<string, unknown>;
  } catch {
    ft = null;
  }
  if (!ft) return writers;
  const meta = (r: Report) => ({ agency: r.agency ?? '', year: r.year ?? 2024 });
  type Fill = (values: Record<string, number | null>, meta: { agency: string; year: number }) => Uint8Array;
  type Render = (values: Record<string, number | null>, opts: Record<string, unknown>) => Uint8Array | Promise<Uint8Array>;
  if (typeof ft.fillTemplate === 'function') writers.docx = async (r) => (ft!.fillTemplate as Fill)(fillValues(r), meta(r));
  if (typeof ft.renderHtml === 'function') writers.html = async (r) => (ft!.renderHtml as Render)(fillValues(r), { meta: meta(r) });
  if (typeof ft.renderXlsx === 'function') writers.xlsx = async (r) => (ft!.renderXlsx as Render)(fillValues(r), { meta: meta(r) });
  return writers;
}

/**
 * No PDF writer runs here (LibreOffice is not a dependency), so PDFs are the real
 * sample and fixture PDFs, each copy made unique by a trailing comment (still a
 * valid PDF, another content hash): their numbers do not follow the generated
 * report, which only the timing needs.
 */
function pdfWriter(): FormatWriter {
  const here = new URL('..', import.meta.url).pathname;
  const sources = [join(here, 'samples'), join(here, 'tests/fixtures/pdf')]
    .flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.pdf')).map((f) => join(d, f)) : []))
    .map((f) => readFileSync(f))
    .filter((b) => b.length > 20_000);
  let n = 0;
  return async () => {
    const src = sources[n % sources.length];
    return Buffer.concat([src, Buffer.from(`\n%nianbao-bench ${n++}\n`)]);
  };
}

const HOSTILE: Array<[string, () => Uint8Array]> = [
  ['truncated.docx', () => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, ...Array.from({ length: 200 }, (_, i) => i % 251)])],
  ['junk.pdf', () => Uint8Array.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
  ['empty.txt', () => new Uint8Array(0)],
  ['legacy.doc', () => Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)])],
  ['hugeline.txt', () => new TextEncoder().encode('政府信息公开工作年度报告 ' + '1'.repeat(4 * 1024 * 1024))],
];

export interface Generated {
  files: number;
  byFormat: Record<string, number>;
  hostile: number;
  injected: number;
}

export async function generate(dir: string, n: number, formats: Format[] = ['text']): Promise<Generated> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const writers = await loadWriters(formats);
  const usable = formats.filter((f) => writers[f]);
  const r = rng(20240101);
  const out: Generated = { files: 0, byFormat: {}, hostile: 0, injected: 0 };
  const YEARS = [2021, 2022, 2023, 2024];
  for (let i = 0; i < n; i++) {
    if (r() < 0.05) {
      const [name, make] = HOSTILE[out.hostile % HOSTILE.length];
      const sub = join(dir, 'hostile');
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `${i}-${name}`), make());
      out.hostile++;
    } else {
      // Four consecutive years per agency, so T3-XY has pairs to check.
      const agencyNo = Math.floor(i / YEARS.length);
      const year = YEARS[i % YEARS.length];
      const inject = r() < 0.08;
      const report = makeReport({ agency: `某某市第${agencyNo}局`, year, seed: i + 1, ...(inject ? { injectError: { by: 1 + Math.floor(r() * 5) } } : {}) });
      if (inject) out.injected++;
      const format = usable[i % usable.length];
      const sub = join(dir, String(year));
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `agency-${agencyNo}.${EXT[format]}`), await writers[format]!(report));
      out.byFormat[format] = (out.byFormat[format] ?? 0) + 1;
    }
    out.files++;
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n = '200', ...rest] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: tsx bench/generate.ts DIR [N] [--formats text,docx,html,xlsx]\n');
    process.exit(2);
  }
  const fi = rest.indexOf('--formats');
  const formats = (fi >= 0 ? rest[fi + 1].split(',') : ['text']) as Format[];
  const g = await generate(dir, Number(n), formats);
  process.stdout.write(JSON.stringify(g) + '\n');
}
