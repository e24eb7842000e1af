import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { decide } from '../src/batch/inputs.js';
import { main } from '../src/cli/main.js';
import { readDocument, sniff } from '../src/ingest/index.js';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { DEFAULT_META, VALUE_CELLS, fillTemplate, sampleValues, type FillValues } from './helpers/fill-template.js';
import { fuzzCase, mismatches } from './helpers/fuzz-report.js';
import { OFD_VARIANTS, blocksToOfd, layoutBlocks, minimalOfd, textObject, type OfdVariant } from './helpers/ofd-writer.js';
import { templatePdfValues } from './helpers/template-pdf.js';

/**
 * The filled template as OFD, laid out by tests/helpers/ofd-writer.ts from the DOCX it was filled into
 * (one TextObject per line with DeltaX, borders as PathObjects), in three producer styles: each OFD must
 * give the DOCX's report exactly, every value with a page and no error finding.
 */

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

const meta = { ...DEFAULT_META, longProse: true };

async function docxAndOfd(docx: Uint8Array, variant: OfdVariant): Promise<[ParseResult, ParseResult, Uint8Array]> {
  const model = await readDocument(docx, { path: 'report.docx' });
  const ofd = blocksToOfd(model.blocks, variant);
  return [await parseBytes(docx, { path: 'report.docx' }), await parseBytes(ofd, { path: `report-${variant}.ofd` }), ofd];
}

/** Name, values, and whether they are consistent (no error finding) or blanked (the DOCX's own findings). */
const SETS: [string, () => FillValues, boolean][] = [
  ['full, consistent values', () => sampleValues(11), true],
  ['the template PDF values (one- to four-digit counts, a decimal fee)', () => templatePdfValues(), true],
  [
    'blanks, dashes and a decimal fee (totals no longer add up)',
    () => {
      const v = sampleValues(12);
      for (const c of VALUE_CELLS.filter((c) => c.path.includes('.denied.'))) v[c.path] = null;
      v['reviewLitigation.litigationAfterReview.total'] = '—';
      v['proactive.fees.amount'] = '7730.28';
      return v;
    },
    false,
  ],
];

describe.each(OFD_VARIANTS)('filled template as OFD (%s)', (variant) => {
  it.each(SETS)('%s: the same report and findings as the DOCX, every value exact, a page on each', async (_name, values, consistent) => {
    const v = values();
    const [docx, ofd] = await docxAndOfd(fillTemplate(v, meta), variant);
    expect(ofd.source.format).toBe('ofd');
    expect(ofd.report).toEqual(docx.report);
    const wrong = VALUE_CELLS.filter((c) => get(ofd.report, c.path) !== (v[c.path] === null || v[c.path] === '—' ? null : Number(v[c.path]))).map((c) => c.path);
    expect(wrong).toEqual([]);
    expect(VALUE_CELLS.filter((c) => typeof ofd.cells[c.path]?.page !== 'number').map((c) => c.path)).toEqual([]);
    const errors = (r: ParseResult) => r.findings.filter((f) => f.severity === 'error');
    if (consistent) expect(errors(ofd)).toEqual([]);
    else expect(errors(docx).length).toBeGreaterThan(0);
    expect(ofd.findings).toEqual(docx.findings);
  });
});

describe('the OFD writer really varies what it claims', () => {
  it('the report spans pages, and table 3 is cut by a page break (stitched back)', async () => {
    const model = await readDocument(fillTemplate(sampleValues(11), meta), { path: 'report.docx' });
    const pages = layoutBlocks(model.blocks);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const [, ofd] = await docxAndOfd(fillTemplate(sampleValues(11), meta), 'plain');
    const page = (p: string) => ofd.cells[p]?.page ?? 0;
    expect(page('applications.results.total.total')).toBeGreaterThan(page('applications.newReceived.total'));
  });

  it('pageblock: objects nested in PageBlocks, g notation and a CTM; template: content drawn from TemplatePages', async () => {
    const model = await readDocument(fillTemplate(sampleValues(11), meta), { path: 'report.docx' });
    const { unzipSync, strFromU8 } = await import('fflate');
    const files = (v: OfdVariant) => Object.entries(unzipSync(blocksToOfd(model.blocks, v))).map(([k, d]) => [k, strFromU8(d)] as const);
    const nested = files('pageblock').find(([k]) => k.endsWith('Page_0/Content.xml'))![1];
    expect(nested).toMatch(/<ofd:Layer ID="\d+"><ofd:PageBlock ID="\d+"><ofd:PageBlock ID="\d+"><ofd:TextObject [^>]*CTM="0\.5 0 0 0\.5 0 0"/);
    expect(nested).toMatch(/DeltaX="g \d+ /);
    const tpl = files('template');
    expect(tpl.filter(([k]) => k.includes('/Tpls/')).length).toBeGreaterThanOrEqual(3);
    const page0 = tpl.find(([k]) => k.endsWith('Pages/Page_0/Content.xml'))![1];
    expect(page0).toContain('<Template TemplateID="1000" ZOrder="Background"/>');
    expect(page0).not.toContain('PathObject');
    expect(tpl.find(([k]) => k.endsWith('Tpls/Tpl_0/Content.xml'))![1]).toContain('PathObject');
  });
});

describe('recognizer fuzz cases as OFD', () => {
  // The DOCX cases of tests/helpers/fuzz-report.ts (label variants, values, noise), laid out as OFD.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('docx fuzz #%i read back exactly through OFD', async (seed) => {
    const c = await fuzzCase(seed, 'docx');
    const model = await readDocument(c.bytes, { path: c.path });
    const variant = OFD_VARIANTS[seed % OFD_VARIANTS.length];
    const r = await parseBytes(blocksToOfd(model.blocks, variant), { path: `fuzz-${seed}.ofd` });
    const wrong = mismatches(c, r);
    expect({ case: c.name, variant, notes: c.notes, wrong }).toEqual({ case: c.name, variant, notes: c.notes, wrong: [] });
  });
});

// ---------------------------------------------------------------- CLI

const dir = mkdtempSync(join(tmpdir(), 'nianbao-ofd-'));

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await main(args, io);
  return { code, out, err };
}

const SHARED = ['../shared/samples/ofd', '../../shared/samples/ofd'].find((d) => existsSync(d));

describe('nianbao parse on OFD', () => {
  it('a report OFD: exit 0, JSON with format ofd', async () => {
    const model = await readDocument(fillTemplate(sampleValues(11), meta), { path: 'report.docx' });
    const path = join(dir, 'report.ofd');
    writeFileSync(path, blocksToOfd(model.blocks, 'plain'));
    const { code, out } = await cli(['parse', path]);
    expect(code).toBe(0);
    expect((JSON.parse(out) as ParseResult).source).toMatchObject({ format: 'ofd', pages: expect.any(Number) });
  });

  it('an OFD that is not a report: exit 3 "not a report"', async () => {
    const path = join(dir, 'memo.ofd');
    writeFileSync(path, minimalOfd({ pages: [textObject('关于召开安全生产工作会议的通知', 30, 40) + textObject('定于9月20日上午9时在三楼会议室召开会议。', 30, 60)] }));
    const { code, out, err } = await cli(['parse', path]);
    expect({ code, out }).toEqual({ code: 3, out: '' });
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^nianbao: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*not a .*report`, 'i'))]);
  });

  it.runIf(!!SHARED)('the shared real OFD files: none is a report, each exits 3 with one line', async () => {
    for (const f of ['n.ofd', '发票示例.ofd', '1.ofd', '999.ofd', '文字横向-数科.ofd', 'keyword.ofd', 'helloworld.ofd', 'helloworld_with_pageblock.ofd']) {
      const path = join(dir, f);
      writeFileSync(path, readFileSync(`${SHARED}/${f}`));
      const { code, out, err } = await cli(['parse', path]);
      expect([f, code, out]).toEqual([f, 3, '']);
      expect([f, err.trim().split('\n').length, /not a .*report/i.test(err), /\n\s+at /.test(err)]).toEqual([f, 1, true, false]);
    }
  });

  it('a truncated OFD: exit 3, corrupt, one line', async () => {
    const model = await readDocument(fillTemplate(sampleValues(11), meta), { path: 'report.docx' });
    const ofd = blocksToOfd(model.blocks, 'plain');
    const path = join(dir, 'cut.ofd');
    writeFileSync(path, ofd.subarray(0, Math.floor(ofd.length / 2)));
    const { code, out, err } = await cli(['parse', path]);
    expect({ code, out }).toEqual({ code: 3, out: '' });
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/truncated|corrupt|zip/i)]);
  });
});

describe('batch', () => {
  it('an OFD found by walking is parsed, whatever its name', async () => {
    const bytes = minimalOfd({ pages: [textObject('正文', 20, 40)] });
    expect(decide(sniff(bytes, 'a/report.bin'), { abs: '/x/a/report.bin', rel: 'a/report.bin', explicit: false }, bytes.length)).toEqual({ action: 'parse', format: 'ofd' });
    expect(decide(sniff(bytes, 'a/年报.ofd'), { abs: '/x/a/年报.ofd', rel: 'a/年报.ofd', explicit: false }, bytes.length)).toEqual({ action: 'parse', format: 'ofd' });
  });
});
