/**
 * Regenerates the committed legacy-binary fixtures of the filled official template:
 *
 *   npx tsx scripts/make-legacy-fixtures.ts [OUT_DIR]      (default tests/fixtures/legacy)
 *
 * Needs LibreOffice (`soffice`) on PATH (the committed files were made with LibreOffice 7.4). Neither CI nor
 * the tests need it: each .doc/.xls is committed with the DOCX/XLSX it was made from, and
 * tests/ingest-doc.test.ts and tests/ingest-xls.test.ts compare the reports of the two.
 *
 *   template-full        sampleValues(11), every cell filled           (.docx → .doc, .wps; .xlsx → .xls, .et)
 *   template-blanks      sampleValues(12) with the 不予公开 rows blank, a dash and a decimal fee
 *   features             what the template lacks: a field (hyperlink), hidden text, a symbol, horizontal and
 *                        vertical merges, empty cells, a one-cell frame table, a nested table, a data
 *                        table inside a one-cell layout table, Latin text
 *
 * The .wps and .et copies are the Word 97 and BIFF8 bytes under WPS Office's names: WPS writes those same
 * formats, and no WPS writer is available here.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_META, VALUE_CELLS, fillTemplate, minimalDocx, renderXlsx, sampleValues, type FillValues } from '../tests/helpers/fill-template.js';

const outDir = path.resolve(process.argv[2] ?? 'tests/fixtures/legacy');

function blanks(): FillValues {
  const values = sampleValues(12);
  for (const c of VALUE_CELLS.filter((c) => c.path.includes('.denied.'))) values[c.path] = null;
  values['reviewLitigation.litigationAfterReview.total'] = '—';
  values['proactive.fees.amount'] = '7730.28';
  return values;
}

const w = (text: string, props = '') => `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`;
const p = (...runs: string[]) => `<w:p>${runs.join('')}</w:p>`;
const tc = (body: string, pr = '') => `<w:tc><w:tcPr><w:tcW w:w="1500" w:type="dxa"/>${pr}</w:tcPr>${body}</w:tc>`;
const tbl = (cols: number, rows: string[][]) =>
  `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>${'<w:gridCol w:w="1500"/>'.repeat(cols)}</w:tblGrid>${rows
    .map((r) => `<w:tr>${r.join('')}</w:tr>`)
    .join('')}</w:tbl>`;

/** A DOCX of the structures the template does not have (see the header). */
function featuresDocx(): Uint8Array {
  const field =
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "http://example.gov.cn/" </w:instrText></w:r>' +
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + w('政府信息公开专栏') + '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
  const body = [
    p(w('Plain Latin text, 1234.5 and a tab:'), '<w:r><w:tab/></w:r>', w('after')),
    p(w('详见'), field, w('。')),
    p(w('可见'), w('隐藏的文字', '<w:vanish/>'), w('文字')),
    // An inserted symbol (Wingdings check mark): DOCX keeps it as w:sym, Word 97 as '(' with sprmCSymbol.
    p(w('符号'), '<w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r>', w('之后')),
    tbl(4, [
      [tc(p(w('项目')), '<w:vMerge w:val="restart"/>'), tc(p(w('数量')), '<w:gridSpan w:val="3"/>')],
      [tc(p(), '<w:vMerge/>'), tc(p(w('甲'))), tc(p(w('乙'))), tc(p(w('丙')))],
      [tc(p(w('第一行'))), tc(p(w('1'))), tc(p()), tc(p(w('3')))],
      [tc(p(w('第二'), '<w:r><w:br/></w:r>', w('行'))), tc(p(w('4'))), tc(p(w('5'))), tc(p(w('6')))],
    ]),
    p(w('表格之间的段落')),
    tbl(1, [[tc(p(w('框内第一段')) + p(w('框内第二段')))]]),
    // Word's binary format has no boundary between adjacent tables: without this paragraph they would be one.
    p(w('框后的段落')),
    tbl(2, [
      [tc(p(w('外层'))), tc(p(w('含嵌套表')) + tbl(2, [[tc(p(w('内1'))), tc(p(w('内2')))]]) + p())],
      [tc(p(w('下一行'))), tc(p(w('7')))],
    ]),
    p(w('包装之前')),
    // A one-cell layout table around a data table, as pages pasted from portals are: the data table is the content.
    tbl(1, [[tc(p(w('包装内的段落')) + tbl(3, [[tc(p(w('甲'))), tc(p(w('乙'))), tc(p(w('丙')))], [tc(p(w('1'))), tc(p(w('2'))), tc(p(w('3')))]]) + p())]]),
    p(w('结束。')),
  ].join('');
  return minimalDocx(body);
}

const VARIANTS: [string, FillValues][] = [
  ['template-full', sampleValues(11)],
  ['template-blanks', blanks()],
];

const work = mkdtempSync(path.join(tmpdir(), 'nianbao-legacy-'));
// A private profile: a desktop LibreOffice already running would otherwise take the request over.
const profile = `-env:UserInstallation=file://${path.join(work, 'profile')}`;

function convert(file: string, filter: string): string {
  const r = spawnSync('soffice', [profile, '--headless', '--convert-to', filter, '--outdir', path.dirname(file), file], { encoding: 'utf8' });
  if (r.error) throw new Error(`soffice not available: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`soffice failed on ${file}: ${r.stderr}`);
  return file.replace(/\.[a-z]+$/, `.${filter.split(':')[0]}`);
}

function keep(from: string, name: string): void {
  const target = path.join(outDir, name);
  copyFileSync(from, target);
  console.log(`${path.relative(process.cwd(), target)}: ${(statSync(target).size / 1024).toFixed(0)} KB`);
}

try {
  mkdirSync(outDir, { recursive: true });
  for (const [name, values] of VARIANTS) {
    const docx = path.join(work, `${name}.docx`);
    writeFileSync(docx, fillTemplate(values, DEFAULT_META));
    const xlsx = path.join(work, `${name}.xlsx`);
    writeFileSync(xlsx, await renderXlsx(values, { formulas: true, meta: DEFAULT_META }));
    const doc = convert(docx, 'doc:MS Word 97');
    const xls = convert(xlsx, 'xls:MS Excel 97');
    keep(docx, `${name}.docx`);
    keep(doc, `${name}.doc`);
    keep(xlsx, `${name}.xlsx`);
    keep(xls, `${name}.xls`);
  }
  const features = path.join(work, 'features.docx');
  writeFileSync(features, featuresDocx());
  keep(features, 'features.docx');
  keep(convert(features, 'doc:MS Word 97'), 'features.doc');
  // WPS Office's names for the same binary formats (see above).
  copyFileSync(path.join(outDir, 'template-full.doc'), path.join(outDir, 'template-full.wps'));
  copyFileSync(path.join(outDir, 'template-full.xls'), path.join(outDir, 'template-full.et'));
} finally {
  rmSync(work, { recursive: true, force: true });
}
