/**
 * Builders of the DOCX sources of the template PDF fixtures (tests/fixtures/pdf/template-*.pdf), used by
 * scripts/make-template-pdfs.ts. The script commits each DOCX beside its PDF (~20 KB): fill-template's
 * narrative may change later, and the test must compare a PDF with the very DOCX it was made from.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { COUNTS, OUTCOMES, VALUE_CELLS, fillTemplate, type FillValues } from './fill-template.js';

export type TemplateVariant = 'filled' | 'row-split' | 'borderless';
export const TEMPLATE_VARIANTS: readonly TemplateVariant[] = ['filled', 'row-split', 'borderless'];

/** Labels of the rows of table 3 that take more than one line, any of which the row-split variant cuts. */
export const MULTILINE_ROWS = [
  '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  '5.要求行政机关确认或重新出具已获取信息',
  '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
];

/**
 * One consistent set of numbers (row totals, T3-BAL, table 4 totals) with one- to four-digit values, so a
 * value read from the wrong column or row shows. fill-template's sampleValues draws table 3 from the low
 * bits of an LCG, which cycle through a handful of patterns (mostly zeros): too weak a check here.
 */
export function templatePdfValues(seed = 20240131): FillValues {
  let s = seed >>> 0;
  // mulberry32: small, deterministic, good enough in the low bits.
  const next = (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const v: FillValues = {};
  for (const c of VALUE_CELLS) if (c.table === 0) v[c.path] = next(2000);
  v['proactive.fees.amount'] = '1234.56';
  const rows = [...new Set(VALUE_CELLS.filter((c) => c.table === 1).map((c) => c.path.slice(0, c.path.lastIndexOf('.'))))];
  const results = rows.filter((r) => r.includes('.results.') && !r.endsWith('results.total'));
  for (const k of COUNTS.slice(0, 6)) {
    let total = 0;
    for (const row of results) {
      // Mostly small counts, now and then a big one, as in real reports.
      const n = next(10) === 0 ? next(900) : next(12);
      v[`${row}.${k}`] = n;
      total += n;
    }
    v[`applications.results.total.${k}`] = total;
    const carriedOver = next(40);
    const carriedForward = next(40);
    v[`applications.carriedOver.${k}`] = carriedOver;
    v[`applications.carriedForward.${k}`] = carriedForward;
    v[`applications.newReceived.${k}`] = total + carriedForward - carriedOver;
    if (Number(v[`applications.newReceived.${k}`]) < 0) {
      v[`applications.carriedOver.${k}`] = 0;
      v[`applications.newReceived.${k}`] = total + carriedForward;
    }
  }
  for (const row of rows) v[`${row}.total`] = COUNTS.slice(0, 6).reduce((sum, k) => sum + Number(v[`${row}.${k}`]), 0);
  for (const block of ['review', 'litigationDirect', 'litigationAfterReview']) {
    let sum = 0;
    for (const k of OUTCOMES.slice(0, 4)) {
      const n = next(15);
      v[`reviewLitigation.${block}.${k}`] = n;
      sum += n;
    }
    v[`reviewLitigation.${block}.total`] = sum;
  }
  return v;
}

export interface VariantOptions {
  values?: FillValues;
  /** Row-split variant: space (twips) above table 3; the script searches for one that cuts a row. */
  rowSplitSpace?: number;
}

/** The filled template DOCX of a variant, with `templatePdfValues()` by default. */
export function templateVariantDocx(variant: TemplateVariant, opts: VariantOptions = {}): Uint8Array {
  const values = opts.values ?? templatePdfValues();
  const docx = fillTemplate(values);
  if (variant === 'filled') return docx;
  const files = unzipSync(docx);
  let xml = strFromU8(files['word/document.xml']);
  xml = variant === 'row-split' ? splitRowXml(xml, opts.rowSplitSpace ?? 0) : borderlessXml(xml);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = name === 'word/document.xml' ? strToU8(xml) : data;
  return zipSync(out, { level: 6 });
}

function tableRanges(xml: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = xml.indexOf('<w:tbl>'); i >= 0; i = xml.indexOf('<w:tbl>', i + 1)) out.push([i, xml.indexOf('</w:tbl>', i) + 8]);
  return out;
}

/**
 * Pushes table 3 down with an empty spaced paragraph, and turns off widow/orphan control in its cells:
 * with it on, LibreOffice never splits a cell paragraph of fewer than four lines, so no row of the
 * template (at most three lines) would break across pages.
 */
function splitRowXml(xml: string, space: number): string {
  const [[, end2], [a, b]] = tableRanges(xml);
  // Section 三 starts a page and the template's empty paragraphs before table 3 go: the spacer alone
  // then decides where on the page table 3 starts.
  const between = xml
    .slice(end2, a)
    .replace(/<w:p[ >][\s\S]*?<\/w:p>/g, (p) => (p.includes('<w:t') ? p : ''))
    .replace(/<w:pPr>(?=(?:(?!<\/w:p>)[\s\S])*三、收到和处理政府信息公开申请情况)/, '<w:pPr><w:pageBreakBefore/>');
  const table = xml.slice(a, b).replaceAll('<w:widowControl/>', '<w:widowControl w:val="0"/>');
  const spacer = `<w:p><w:pPr><w:spacing w:before="${space}" w:after="0"/></w:pPr></w:p>`;
  return xml.slice(0, end2) + between + spacer + table + xml.slice(b);
}

const NO_CELL_BORDERS = '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>';

/** Every table and cell border set to none/nil: the tables are then only text in columns. */
function borderlessXml(xml: string): string {
  return xml
    .replace(/<w:tcBorders>[\s\S]*?<\/w:tcBorders>/g, NO_CELL_BORDERS)
    .replace(/<w:tblBorders>[\s\S]*?<\/w:tblBorders>/g, (m) => m.replace(/w:val="[a-z]+"/g, 'w:val="none"'));
}
