import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit } from '../../src/audit/index.js';
import { isNianbaoError } from '../../src/errors.js';
import { read } from '../../src/ingest/pdf.js';
import { sortFindings } from '../../src/model/index.js';
import { recognize } from '../../src/recognize/index.js';
import { makePdf, type PdfText } from './make-pdf.js';

/** The PDFs of the engine parity test (tests/pdf-engine-parity.test.ts) and how an outcome is taken. */
const SHARED = ['/work/shared', join(process.cwd(), '..', 'shared')].find((d) => existsSync(join(d, 'hostile')));
const pdfsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pdf')).sort().map((f) => join(dir, f)) : []);
export const FILES = [...pdfsIn('samples'), ...pdfsIn('tests/fixtures/pdf')];
/** pdfjs hangs on one of these (1M nested q, never yielding) and leaves an unhandled rejection on another: PDFium alone. */
export const HOSTILE = SHARED ? pdfsIn(join(SHARED, 'hostile')) : [];

const GRID_X = [72, 200, 330, 460];
const GRID_Y = [700, 680, 660, 640];
const cjk = (x: number, y: number, text: string, size = 10): PdfText => ({ x, y, text, size, font: 'cjk' });
const table = (filled: boolean) => {
  const xs = [72, 200, 330, 460];
  const ys = [700, 680, 660, 640];
  const rules: [number, number, number, number][] = [
    ...ys.map((y): [number, number, number, number] => [xs[0], y, xs[3], y]),
    ...xs.map((x): [number, number, number, number] => [x, ys[0], x, ys[3]]),
  ];
  const texts = [cjk(80, 686, '项目'), cjk(208, 686, '申请数'), cjk(338, 686, '办结数'), cjk(80, 666, '依申请公开'), cjk(208, 666, '12'), cjk(338, 666, '11'), cjk(80, 646, '合计'), cjk(208, 646, '12'), cjk(338, 646, '11')];
  return filled
    ? { texts, rects: rules.map(([x1, y1, x2, y2]): [number, number, number, number] => (y1 === y2 ? [x1, y1 - 0.25, x2 - x1, 0.5] : [x1 - 0.25, y2, 0.5, y1 - y2])) }
    : { texts, lines: rules };
};
const full = makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }, { texts: [cjk(72, 770, '第二页', 12)] }]);
export const SYNTHETIC: [string, Uint8Array][] = [
  ['cjk paragraph', makePdf([{ texts: [cjk(72, 770, '全市共受理政府信息公开申请 3119 件。', 12), { x: 72, y: 740, text: 'Latin words, 2023 and 12.5' }] }])],
  ['stroked grid', makePdf([table(false)])],
  ['filled-rectangle grid', makePdf([table(true)])],
  ['white rules', makePdf([{ ...table(false), raw: '1 1 1 RG 72 600 m 460 600 l S' }])],
  ['rotated page', pdfWith(`${tableOps()} ${textOps()}`, '/Rotate 90')],
  ['grid and text in a form XObject under a matrix', pdfWith('q 0.8 0 0 0.8 40 60 cm /Fm1 Do Q', '', `${tableOps()} ${textOps()}`)],
  ['vertical writing', pdfWith(`${textOps()} BT /F3 12 Tf 1 0 0 1 60 600 Tm <4E09 3001 672C 5E74 5EA6 529E 7406 7ED3 679C> Tj ET`)],
  ['letter and word spacing, TJ gutters', pdfWith(`${textOps()} BT /F1 10 Tf 3 Tc 72 500 Td (223100 and more) Tj ET BT /F1 10 Tf 2 Tw 72 480 Td (word spaced text) Tj ET BT /F1 10 Tf 72 460 Td [(Left) -1000 (Right) -150 (kern) 120 (tight)] TJ ET BT /F2 10 Tf 1.5 Tc 72 440 Td <53F7 FF0C 90AE 7F16 0032 0030 0032 0033 5E74> Tj ET`)],
  ['scaled text matrix (Word: 0.05 cm, big font sizes)', pdfWith(`q 0.05 0 0 0.05 0 0 cm BT /F2 240 Tf 1440 15400 Td <653F 5E9C 4FE1 606F 516C 5F00> Tj ET BT /F1 200 Tf 1440 14800 Td (2023 12 345) Tj ET Q ${tableOps()}`)],
  ['empty-password encryption', makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }], { encrypt: { userPassword: '' } })],
  ['user password', makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }], { encrypt: { userPassword: 'secret' } })],
  ['truncated', full.subarray(0, Math.floor(full.length * 0.5))],
  ['garbage', new TextEncoder().encode('%PDF-1.7\n\u0000garbage')],
  ['empty', new Uint8Array(0)],
  ['no text', makePdf([{ lines: [[72, 700, 500, 700]], rects: [[72, 100, 400, 500]] }])],
];

/** A 3×3 ruled grid with CJK labels and numbers, as raw content-stream operators. */
function tableOps(): string {
  const ops = GRID_Y.map((y) => `0.5 w ${GRID_X[0]} ${y} m ${GRID_X[3]} ${y} l S`);
  for (const x of GRID_X) ops.push(`${x} ${GRID_Y[0]} m ${x} ${GRID_Y[3]} l S`);
  const cells = [['9879 76EE', '7533 8BF7 6570', '529E 7ED3 6570'], ['4F9D 7533 8BF7', '0031 0032', '0031 0031'], ['5408 8BA1', '0031 0032', '0031 0031']];
  cells.forEach((row, r) => row.forEach((hex, c) => ops.push(`BT /F2 10 Tf ${GRID_X[c] + 8} ${GRID_Y[r] - 14} Td <${hex.replace(/ /g, '')}> Tj ET`)));
  return ops.join('\n');
}
function textOps(): string {
  return 'BT /F2 12 Tf 72 770 Td <653F 5E9C 4FE1 606F 516C 5F00 5DE5 4F5C 5E74 5EA6 62A5 544A> Tj ET BT /F1 10 Tf 72 750 Td (Report 2023, page text) Tj ET';
}

/**
 * A one-page PDF with STSong-Light horizontal (F2) and vertical (F3), Helvetica (F1), and a form XObject
 * Fm1 holding `form`; the xref is computed, so neither engine has to repair the file.
 */
function pdfWith(content: string, pageExtra = '', form = ''): Uint8Array {
  const cid = (cmap: string, descendant: number) => `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /${cmap} /DescendantFonts [${descendant} 0 R] >>`;
  const fonts = '/Font << /F1 7 0 R /F2 5 0 R /F3 9 0 R >>';
  const stream = (dict: string, body: string) => `<< ${dict} /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${pageExtra} /Resources << ${fonts} /XObject << /Fm1 8 0 R >> >> /Contents 4 0 R >>`,
    stream('', content),
    cid('UniGB-UCS2-H', 6),
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 /FontDescriptor 10 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    stream(`/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 10 -20] /Resources << ${fonts} >>`, form),
    cid('UniGB-UCS2-V', 6),
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = Buffer.byteLength(out, 'latin1');
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

export async function outcome(bytes: Uint8Array): Promise<unknown> {
  try {
    const doc = await read(bytes, { timeoutMs: 30_000 });
    const rec = await recognize(doc, {});
    const findings = sortFindings([...rec.findings, ...runAudit({ report: rec.report, cells: rec.cells }, { lang: 'zh' })]);
    return { pages: doc.pages, warnings: doc.warnings, report: rec.report, findings, cells: rec.cells };
  } catch (e) {
    if (isNianbaoError(e)) return { error: e.code };
    throw e;
  }
}

export async function documentOf(bytes: Uint8Array): Promise<unknown> {
  try {
    return await read(bytes, { timeoutMs: 30_000 });
  } catch (e) {
    if (isNianbaoError(e)) return { error: e.code };
    throw e;
  }
}

