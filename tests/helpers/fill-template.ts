/**
 * Test fixtures: one set of 2021-format numbers rendered as the official DOCX
 * template (filled), as a portal HTML page (UTF-8 or GBK) and as a statistics
 * workbook (XLSX). All value-layout knowledge of the 2021 tables lives here.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync, constants as zc } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

export const TEMPLATE_PATH = fileURLToPath(new URL('../fixtures/official-template-2021-blank.docx', import.meta.url));
export function templateBytes(): Uint8Array {
  return new Uint8Array(readFileSync(TEMPLATE_PATH));
}

export type Value = string | number | null | undefined;
/** Values by report path (`proactive.fees.amount`, `applications.results.denied.stateSecret.total`, …); missing = blank. */
export type FillValues = Record<string, Value>;

export interface ReportMeta {
  agency: string;
  year: number;
  /**
   * Sections 一, 二 and 五 several lines long, as in real reports. The pdftotext layout needs it: the text
   * adapter finds the hard-wrap margin only when wrapped prose is a fair share of the page's lines. Off by
   * default so the DOCX behind the committed template PDFs (template-pdf.ts) keeps its page breaks.
   */
  longProse?: boolean;
}
export const DEFAULT_META: ReportMeta = { agency: 'XX县人民政府办公室', year: 2023 };

// ------------------------------------------------------------------ layout

/** A template cell: label text, spans, or the report path of a value cell. */
export interface Spec {
  t?: string;
  v?: string;
  rs?: number;
  cs?: number;
}

export const COUNTS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'otherOrg', 'total'] as const;
export const OUTCOMES = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;

export const vals = (prefix: string, keys: readonly string[]): Spec[] => keys.map((k) => ({ v: `${prefix}.${k}` }));
export const t = (text: string, rs = 1, cs = 1): Spec => ({ t: text, rs, cs });
export const counts = (path: string) => vals(`applications.${path}`, COUNTS);

const TABLE2: Spec[][] = [
  [t('第二十条第（一）项', 1, 4)],
  [t('信息内容'), t('本年制发件数'), t('本年废止件数'), t('现行有效件数')],
  [t('规章'), ...vals('proactive.regulations', ['issued', 'repealed', 'inForce'])],
  [t('行政规范性文件'), ...vals('proactive.normativeDocuments', ['issued', 'repealed', 'inForce'])],
  [t('第二十条第（五）项', 1, 4)],
  [t('信息内容'), t('本年处理决定数量', 1, 3)],
  [t('行政许可'), { v: 'proactive.licensing.decisions', cs: 3 }],
  [t('第二十条第（六）项', 1, 4)],
  [t('信息内容'), t('本年处理决定数量', 1, 3)],
  [t('行政处罚'), { v: 'proactive.punishment.decisions', cs: 3 }],
  [t('行政强制'), { v: 'proactive.coercion.decisions', cs: 3 }],
  [t('第二十条第（八）项', 1, 4)],
  [t('信息内容'), t('本年收费金额（单位：万元）', 1, 3)],
  [t('行政事业性收费'), { v: 'proactive.fees.amount', cs: 3 }],
];

export const DENIED: [string, string][] = [
  ['stateSecret', '1.属于国家秘密'],
  ['prohibitedByLaw', '2.其他法律行政法规禁止公开'],
  ['safetyStability', '3.危及“三安全一稳定”'],
  ['thirdPartyRights', '4.保护第三方合法权益'],
  ['internalAffairs', '5.属于三类内部事务信息'],
  ['processInformation', '6.属于四类过程性信息'],
  ['enforcementFiles', '7.属于行政执法案卷'],
  ['administrativeQuery', '8.属于行政查询事项'],
];
export const UNABLE: [string, string][] = [
  ['notHeld', '1.本机关不掌握相关政府信息'],
  ['needsCreation', '2.没有现成信息需要另行制作'],
  ['unclearAfterCorrection', '3.补正后申请内容仍不明确'],
];
export const NOT_PROCESSED: [string, string][] = [
  ['complaint', '1.信访举报投诉类申请'],
  ['duplicate', '2.重复申请'],
  ['publication', '3.要求提供公开出版物'],
  ['excessive', '4.无正当理由大量反复申请'],
  ['confirmation', '5.要求行政机关确认或重新出具已获取信息'],
];
const OTHER: [string, string][] = [
  ['overdueCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['unpaidFee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['other', '3.其他'],
];
export function group(key: string, label: string, rows: [string, string][]): Spec[][] {
  return rows.map(([k, l], i) => [...(i === 0 ? [t(label, rows.length)] : []), t(l), ...counts(`results.${key}.${k}`)]);
}

const TABLE3: Spec[][] = [
  [t('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 3, 3), t('申请人情况', 1, 7)],
  [t('自然人', 2), t('法人或其他组织', 1, 5), t('总计', 2)],
  [t('商业\n企业'), t('科研\n机构'), t('社会公益组织'), t('法律服务机构'), t('其他')],
  [t('一、本年新收政府信息公开申请数量', 1, 3), ...counts('newReceived')],
  [t('二、上年结转政府信息公开申请数量', 1, 3), ...counts('carriedOver')],
  [t('三、本年度办理结果', 22), t('（一）予以公开', 1, 2), ...counts('results.granted')],
  [t('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 1, 2), ...counts('results.partiallyGranted')],
  ...group('denied', '（三）不予公开', DENIED),
  ...group('unableToProvide', '（四）无法提供', UNABLE),
  ...group('notProcessed', '（五）不予处理', NOT_PROCESSED),
  ...group('otherDisposal', '（六）其他处理', OTHER),
  [t('（七）总计', 1, 2), ...counts('results.total')],
  [t('四、结转下年度继续办理', 1, 3), ...counts('carriedForward')],
];

export const TABLE4: Spec[][] = [
  [t('行政复议', 1, 5), t('行政诉讼', 1, 10)],
  [t('结果维持', 2), t('结果\n纠正', 2), t('其他\n结果', 2), t('尚未\n审结', 2), t('总计', 2), t('未经复议直接起诉', 1, 5), t('复议后起诉', 1, 5)],
  [...[0, 1].flatMap(() => [t('结果\n维持'), t('结果\n纠正'), t('其他\n结果'), t('尚未\n审结'), t('总计')])],
  [
    ...vals('reviewLitigation.review', OUTCOMES),
    ...vals('reviewLitigation.litigationDirect', OUTCOMES),
    ...vals('reviewLitigation.litigationAfterReview', OUTCOMES),
  ],
];

export const TABLES: Spec[][][] = [TABLE2, TABLE3, TABLE4];

export interface Placed extends Spec {
  row: number;
  col: number;
  rs: number;
  cs: number;
}

/** The template tables as grids: each spec cell with its row/column (HTML table algorithm). */
export function placed(table: Spec[][]): Placed[][] {
  const taken: boolean[][] = table.map(() => []);
  return table.map((row, r) =>
    row.map((s) => {
      let c = 0;
      while (taken[r][c]) c++;
      const rs = s.rs ?? 1;
      const cs = s.cs ?? 1;
      for (let i = r; i < r + rs; i++) for (let j = c; j < c + cs; j++) taken[i][j] = true;
      return { ...s, row: r, col: c, rs, cs };
    }),
  );
}

export interface ValueCell {
  path: string;
  /** 0-based index among the three report tables (table 2 → 0). */
  table: number;
  row: number;
  col: number;
}

/** The value cells of a set of report tables (table 2, 3, 4) with their grid positions. */
export function valueCellsOf(tables: Spec[][][]): ValueCell[] {
  return tables.flatMap((tbl, ti) => placed(tbl).flatMap((row) => row.filter((c) => c.v).map((c) => ({ path: c.v!, table: ti, row: c.row, col: c.col }))));
}

/** All 200 value cells (10 + 175 + 15) with their grid positions. */
export const VALUE_CELLS: ValueCell[] = valueCellsOf(TABLES);

/** A complete, consistent set of numbers (row totals, T3 balance) for round-trip tests. */
export function sampleValues(seed = 1): FillValues {
  const v: FillValues = {};
  // The LCG's product must stay exact (Math.imul), and its low bits cycle with a short period, so draw from
  // the high ones; the old float version degenerated to table-3 columns of zeros, which no column mix-up shows.
  let x = seed >>> 0;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (const c of VALUE_CELLS) if (c.table === 0) v[c.path] = next(500);
  v['proactive.fees.amount'] = '96171.6';
  const rows = [...new Set(VALUE_CELLS.filter((c) => c.table === 1).map((c) => c.path.slice(0, c.path.lastIndexOf('.'))))];
  const results = rows.filter((r) => r.includes('.results.') && !r.endsWith('results.total'));
  for (const k of COUNTS.slice(0, 6)) {
    let total = 0;
    for (const row of results) {
      // Mostly small counts, now and then a three-digit one, as in real reports.
      const n = next(8) === 0 ? next(400) : next(6);
      v[`${row}.${k}`] = n;
      total += n;
    }
    v[`applications.results.total.${k}`] = total;
    // T3-BAL: newReceived + carriedOver = results.total + carriedForward.
    const carriedOver = next(3);
    const carriedForward = next(3);
    v[`applications.carriedOver.${k}`] = carriedOver;
    v[`applications.carriedForward.${k}`] = carriedForward + Math.max(0, carriedOver - total - carriedForward);
    v[`applications.newReceived.${k}`] = total + Number(v[`applications.carriedForward.${k}`]) - carriedOver;
  }
  for (const row of rows) v[`${row}.total`] = COUNTS.slice(0, 6).reduce((s, k) => s + Number(v[`${row}.${k}`]), 0);
  for (const block of ['review', 'litigationDirect', 'litigationAfterReview']) {
    let sum = 0;
    for (const k of OUTCOMES.slice(0, 4)) {
      const n = next(3);
      v[`reviewLitigation.${block}.${k}`] = n;
      sum += n;
    }
    v[`reviewLitigation.${block}.total`] = sum;
  }
  return v;
}

export function valueText(v: Value): string {
  return v === null || v === undefined ? '' : String(v);
}

// ------------------------------------------------------------------ narrative

export interface Narrative {
  title: string;
  sections: { heading: string; text: string }[];
  signature: string[];
  published: string;
}

const LONG = {
  overview:
    '坚持以公开为常态、不公开为例外，围绕重点领域信息公开、政策解读和回应关切，持续提升政务公开质量和实效，切实保障人民群众的知情权、参与权、表达权和监督权。全年通过政府网站、政务新媒体等平台及时发布各类政府信息，不断拓展公开渠道，优化公开栏目设置，加强公开平台的日常监测和内容保障，推动政务公开标准化规范化建设。',
  proactive: '本年度，本机关按照《条例》第二十条的规定，认真梳理主动公开事项，及时更新政府信息公开目录，主动公开政府信息情况见下表。',
  problems: '主要问题是公开内容不够全面，政策解读形式较为单一，部分栏目更新不够及时。下一步将加强业务培训，完善工作机制，提升政务公开工作水平。',
};

export function narrative(meta: ReportMeta = DEFAULT_META): Narrative {
  const { agency, year } = meta;
  const long = meta.longProse ?? false;
  return {
    title: `${agency}${year}年政府信息公开工作年度报告`,
    sections: [
      { heading: '一、总体情况', text: `本报告统计期限为${year}年1月1日至12月31日。${year}年，${agency}认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进政务公开。${long ? LONG.overview : ''}` },
      { heading: '二、主动公开政府信息情况', text: long ? LONG.proactive : '本年度主动公开政府信息情况见下表。' },
      { heading: '三、收到和处理政府信息公开申请情况', text: '本年度收到和处理政府信息公开申请情况见下表。' },
      { heading: '四、政府信息公开行政复议、行政诉讼情况', text: '本年度政府信息公开行政复议、行政诉讼情况见下表。' },
      { heading: '五、存在的主要问题及改进情况', text: long ? LONG.problems : '主要问题是公开内容不够全面。下一步将加强业务培训，完善工作机制。' },
      { heading: '六、其他需要报告的事项', text: '本年度未收取信息处理费。' },
    ],
    signature: [agency, `${year + 1}年1月20日`],
    published: `${year + 1}-01-20`,
  };
}

// ------------------------------------------------------------------ DOCX

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const para = (text: string) => `<w:p><w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;

/** Fills the official template's value cells and narrative, re-zipped with fflate. */
export function fillTemplate(values: FillValues, meta: ReportMeta = DEFAULT_META, template: Uint8Array = templateBytes()): Uint8Array {
  const files = unzipSync(template);
  let xml = strFromU8(files['word/document.xml']);
  xml = fillTables(xml, values);
  xml = fillNarrative(xml, narrative(meta));
  const out: Zippable = {};
  for (const [name, data] of Object.entries(files)) out[name] = name === 'word/document.xml' ? strToU8(xml) : data;
  return zipSync(out, { level: 6 });
}

function fillTables(xml: string, values: FillValues): string {
  const tables: [number, number][] = [];
  for (let i = xml.indexOf('<w:tbl>'); i >= 0; i = xml.indexOf('<w:tbl>', i + 1)) tables.push([i, xml.indexOf('</w:tbl>', i) + 8]);
  if (tables.length !== 3) throw new Error(`template has ${tables.length} tables, expected 3`);
  // Replace from the end so earlier offsets stay valid.
  for (let ti = 2; ti >= 0; ti--) {
    const [a, b] = tables[ti];
    const targets = new Map(VALUE_CELLS.filter((c) => c.table === ti).map((c) => [`${c.row}:${c.col}`, c.path]));
    let r = -1;
    const tbl = xml.slice(a, b).replace(/<w:tr\b[\s\S]*?<\/w:tr>/g, (tr) => {
      r++;
      let col = 0;
      return tr.replace(/<w:tc>[\s\S]*?<\/w:tc>/g, (tc) => {
        const span = Number(/<w:gridSpan w:val="(\d+)"/.exec(tc)?.[1] ?? 1);
        const path = targets.get(`${r}:${col}`);
        col += span;
        if (!path || values[path] === null || values[path] === undefined) return tc;
        return setCellText(tc, valueText(values[path]));
      });
    });
    xml = xml.slice(0, a) + tbl + xml.slice(b);
  }
  return xml;
}

function setCellText(tc: string, text: string): string {
  const start = tc.indexOf('<w:p ') >= 0 ? tc.indexOf('<w:p ') : tc.indexOf('<w:p>');
  const openEnd = tc.indexOf('>', start) + 1;
  const pPr = /<w:pPr>[\s\S]*?<\/w:pPr>/.exec(tc.slice(start))?.[0] ?? '';
  return `${tc.slice(0, openEnd)}${pPr}<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p></w:tc>`;
}

function fillNarrative(xml: string, n: Narrative): string {
  xml = xml.replace('<w:t>政府信息公开工作年度报告格式模板</w:t>', `<w:t>${esc(n.title)}</w:t>`);
  const placeholders = ['<w:t>（文字描述）</w:t>', '<w:t>（文字描述）</w:t>', '<w:t>（文字描述，收取信息处理费情况在此处报告。）</w:t>'];
  const filled = [n.sections[0].text, n.sections[4].text, n.sections[5].text];
  placeholders.forEach((p, i) => {
    xml = xml.replace(p, `<w:t>${esc(filled[i])}</w:t>`);
  });
  for (const i of [1, 2, 3]) {
    const h = xml.indexOf(`<w:t>${n.sections[i].heading}</w:t>`);
    if (h < 0) throw new Error(`heading ${n.sections[i].heading} not in template`);
    const end = xml.indexOf('</w:p>', h) + 6;
    xml = xml.slice(0, end) + para(n.sections[i].text) + xml.slice(end);
  }
  const sect = xml.lastIndexOf('<w:sectPr');
  return xml.slice(0, sect) + n.signature.map(para).join('') + xml.slice(sect);
}

// ------------------------------------------------------------------ HTML

export interface HtmlOptions {
  /** Bytes: 'utf-8' or 'gbk'. */
  encoding?: 'utf-8' | 'gbk';
  /** What the page claims in <meta>; defaults to the real encoding (gb2312 for gbk). */
  declared?: string | null;
  meta?: ReportMeta;
  /** Tables 2, 3, 4 to print (default the 2021 ones). */
  tables?: Spec[][][];
}

/** A portal-style page: layout tables, CMS metadata table, sloppy markup, Word residue. */
export function renderHtml(values: FillValues, opts: HtmlOptions = {}): Uint8Array {
  const encoding = opts.encoding ?? 'utf-8';
  const declared = opts.declared === undefined ? (encoding === 'gbk' ? 'gb2312' : 'utf-8') : opts.declared;
  const n = narrative(opts.meta);
  const s = n.sections;
  const [TABLE2, TABLE3, TABLE4] = opts.tables ?? TABLES;
  const html = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<HTML xmlns:o="urn:schemas-microsoft-com:office:office">
<HEAD>
${declared ? `<META http-equiv="Content-Type" content="text/html; charset=${declared}">` : ''}
<TITLE>${n.title}_${opts.meta?.agency ?? DEFAULT_META.agency}</TITLE>
<style type="text/css">td { font-size: 14px } .hide { display: none }</style>
<script type="text/javascript">var tpl = "<table><tr><td>x</td></tr></table>"; document.write("</td></tr>");</script>
</HEAD>
<BODY>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center"><tr><td>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<table class="xxgk_table" width="100%" border="0">
<tr><td>名&nbsp;&nbsp;称：</td><td colspan="3">${n.title}</td></tr>
<tr><td>索&nbsp;引&nbsp;号：<td>11320000MB0000000X/${n.published.slice(0, 4)}-00012<td>发布机构：<td>${n.signature[0]}
<tr><td>公开日期：</td><td>${n.published}</td><td>分&nbsp;&nbsp;类：</td><td>政府信息公开年报</td></tr>
</table>
<table width="100%"><tr><td class="content">
<div id="zoom">
<P align=center><STRONG>${n.title}</STRONG></P>
<p>${s[0].heading}<o:p></o:p></p>
<p style="text-indent:2em">${s[0].text}
<p>${s[1].heading}</p>
<p>${s[1].text}</p>
${tableHtml(TABLE2, values, 'p')}
<P>${s[2].heading}
<P>${s[2].text}
${tableHtml(TABLE3, values, 'unclosed')}
<p>${s[3].heading}<br><span>${s[3].text}</span></p>
${tableHtml(TABLE4, values, 'p')}
<h3>${s[4].heading}</h3>
<div>${s[4].text}</div>
<p><b>${s[5].heading}</b></p><p>${s[5].text}</p>
<p style="DISPLAY: none">打印本页 关闭窗口</p>
<p align="right">${n.signature[0]}</p>
<p align="right">${n.signature[1]}</p>
</div>
</td></tr></table>
</td></tr></table>
<script>/* stats */ var a = "<td>"; </script>
</BODY></HTML>`;
  return encoding === 'gbk' ? encodeGbk(html) : new TextEncoder().encode(html);
}

/** 'p': closed cells with <p>/<o:p> residue; 'unclosed': no </td></tr>, uppercase tags. */
export function tableHtml(table: Spec[][], values: FillValues, style: 'p' | 'unclosed'): string {
  const cell = (c: Spec) => {
    const span = `${(c.rs ?? 1) > 1 ? ` rowspan="${c.rs}"` : ''}${(c.cs ?? 1) > 1 ? ` colspan=${c.cs}` : ''}`;
    const text = c.v !== undefined ? valueText(values[c.v]) : c.t!;
    const body =
      text === ''
        ? style === 'p' ? '<p><o:p>&nbsp;</o:p></p>' : '&nbsp;'
        : style === 'p'
          ? text.split('\n').map((l) => `<p class="MsoNormal"><span>${esc(l)}</span><o:p></o:p></p>`).join('')
          : text.split('\n').map(esc).join('<BR>');
    return style === 'p' ? `<td${span} valign="center">${body}</td>` : `<TD${span}>${body}`;
  };
  const rows = table.map((row) => (style === 'p' ? `<tr>${row.map(cell).join('')}</tr>` : `<TR>${row.map(cell).join('\n')}`));
  return style === 'p'
    ? `<table class="MsoNormalTable" border="1" cellspacing="0">\n<tbody>\n${rows.join('\n')}\n</tbody></table>`
    : `<TABLE border=1 cellSpacing=0 cellPadding=0 width="100%">\n${rows.join('\n')}\n</TABLE>`;
}

let gbkTable: Map<number, number[]> | undefined;

/** GBK encoder built from the platform's GB18030 decoder (no iconv in the tree). */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch.charCodeAt(0))) gbkTable.set(ch.charCodeAt(0), [a, b]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else {
      const bytes = gbkTable.get(cp);
      if (!bytes) throw new Error(`not encodable in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------ XLSX

export interface XlsxOptions {
  meta?: ReportMeta;
  /** Store numbers as text cells ("12"), as many exported sheets do. */
  numbersAsText?: boolean;
  /** Write table 3's 总计 column as SUM formulas with cached results. */
  formulas?: boolean;
  /** Tables 2, 3, 4 to print (default the 2021 ones). */
  tables?: Spec[][][];
}

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };

/** A statistics workbook: title row, narrative rows, the three tables with merged headers and borders. */
export async function renderXlsx(values: FillValues, opts: XlsxOptions = {}): Promise<Uint8Array> {
  const n = narrative(opts.meta);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('年报');
  let r = 1;
  const text = (s: string) => {
    ws.getCell(r, 1).value = s;
    r++;
  };
  ws.getCell(1, 1).value = n.title;
  ws.mergeCells(1, 1, 1, 15);
  r = 3;
  text(n.sections[0].heading);
  text(n.sections[0].text);
  (opts.tables ?? TABLES).forEach((table, ti) => {
    text(n.sections[ti + 1].heading);
    text(n.sections[ti + 1].text);
    for (const row of placed(table)) {
      for (const c of row) {
        for (let i = 0; i < c.rs; i++) for (let j = 0; j < c.cs; j++) ws.getCell(r + c.row + i, 1 + c.col + j).border = BORDER;
        const cell = ws.getCell(r + c.row, 1 + c.col);
        if (c.t !== undefined) {
          cell.value = c.t;
          cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
        } else {
          const v = values[c.v!];
          const isTotal = ti === 1 && c.v!.endsWith('.total') && c.col === 9;
          if (v === null || v === undefined || v === '') continue;
          if (isTotal && opts.formulas && typeof v === 'number') {
            const left = `${colName(1 + 3)}${r + c.row}`;
            const right = `${colName(1 + 8)}${r + c.row}`;
            cell.value = { formula: `SUM(${left}:${right})`, result: v };
          } else cell.value = typeof v === 'number' && !opts.numbersAsText ? v : String(v);
        }
        if (c.rs > 1 || c.cs > 1) ws.mergeCells(r + c.row, 1 + c.col, r + c.row + c.rs - 1, 1 + c.col + c.cs - 1);
      }
    }
    r += table.length + 1;
  });
  text(n.sections[4].heading);
  text(n.sections[4].text);
  text(n.sections[5].heading);
  text(n.sections[5].text);
  r++;
  text(n.signature[0]);
  text(n.signature[1]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function colName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

// ------------------------------------------------------------------ plain text

export interface TextOptions {
  /**
   * 'tsv': a table copied out of Word, one tab-separated field per grid column.
   * 'layout': `pdftotext -layout` output, labels left, numbers in columns, long
   * labels wrapped, blank lines between rows, page footers and form feeds.
   */
  style: 'tsv' | 'layout';
  /** How the layout counts columns: one per glyph (pdftotext, default) or CJK double width (a monospaced editor). */
  unit?: 'char' | 'display';
  meta?: ReportMeta;
  /** Tables 2, 3, 4 to print (default the 2021 ones). */
  tables?: Spec[][][];
}

export function renderText(values: FillValues, opts: TextOptions): Uint8Array {
  const tables = opts.tables ?? TABLES;
  return new TextEncoder().encode(opts.style === 'tsv' ? tsvText(values, opts.meta, tables) : layoutText(values, opts.meta, opts.unit ?? 'char', tables));
}

function tsvText(values: FillValues, meta: ReportMeta | undefined, tables: Spec[][][]): string {
  const n = narrative(meta);
  const out: string[] = [n.title, ''];
  n.sections.forEach((s, i) => {
    out.push(s.heading, '', s.text, '');
    if (i >= 1 && i <= 3) out.push(...tsvTable(tables[i - 1], values), '');
  });
  out.push(...n.signature);
  return out.join('\n') + '\n';
}

function tsvTable(table: Spec[][], values: FillValues): string[] {
  const width = Math.max(...placed(table).flatMap((row) => row.map((c) => c.col + c.cs)));
  return placed(table).map((row) => {
    const fields = new Array<string>(width).fill('');
    for (const c of row) fields[c.col] = c.v !== undefined ? valueText(values[c.v]) : c.t!.replace(/\n/g, '');
    return fields.join('\t');
  });
}

const WIDE = /[\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
/** No line may start with these (Chinese line breaking): they stay on the line before, past the margin. */
const NO_LINE_START = /[。，、；：？！）》”’]/u;

/**
 * A page of fixed-width lines. Positions and widths are given in glyphs; in
 * 'display' unit everything is stretched by two so that CJK labels, which take
 * two columns there, keep their room.
 */
class Canvas {
  readonly lines: string[][] = [];
  private readonly scale: number;
  constructor(private readonly unit: 'char' | 'display') {
    this.scale = unit === 'display' ? 2 : 1;
  }
  private width(s: string): number {
    return [...s].reduce((w, ch) => w + (this.unit === 'display' && WIDE.test(ch) ? 2 : 1), 0);
  }
  put(y: number, x: number, text: string): void {
    while (this.lines.length <= y) this.lines.push([]);
    const line = this.lines[y];
    let at = x * this.scale;
    for (const ch of text) {
      line[at] = ch;
      const w = this.width(ch);
      for (let k = 1; k < w; k++) line[at + k] = '';
      at += w;
    }
  }
  /** Splits text into lines no wider than `w` glyphs (save for punctuation that may not start a line). */
  wrap(text: string, w: number): string[] {
    const out: string[] = [];
    let cur = '';
    for (const ch of text) {
      // Nor does a line break inside a number or a Latin word.
      const inWord = /[A-Za-z0-9]/.test(ch) && /[A-Za-z0-9.]$/.test(cur);
      if (cur && this.width(cur + ch) > w * this.scale && !NO_LINE_START.test(ch) && !inWord) {
        out.push(cur);
        cur = '';
      }
      cur += ch;
    }
    return cur ? [...out, cur] : out;
  }
  text(): string[] {
    return this.lines.map((l) => Array.from(l, (ch) => ch ?? ' ').join('').trimEnd());
  }
}

const FOOTER = (page: number) => `-${page}-`;

function layoutText(values: FillValues, meta: ReportMeta | undefined, unit: 'char' | 'display', tables: Spec[][][]): string {
  const n = narrative(meta);
  const c = new Canvas(unit);
  let y = 0;
  const paragraph = (text: string, indent: number) => c.wrap('\u3000'.repeat(indent) + text, 30).forEach((l) => c.put(y++, 0, l));
  c.put(y++, 6, n.title);
  y += 2;
  const pages: string[][] = [];
  const pageBreak = () => {
    y++;
    c.put(y++, 40, FOOTER(pages.length + 1));
    pages.push(c.text());
    c.lines.length = 0;
    y = 0;
  };
  n.sections.forEach((s, i) => {
    paragraph(s.heading, 2);
    paragraph(s.text, 2);
    y++;
    if (i >= 1 && i <= 3) {
      y = [layoutTable2, layoutTable3, layoutTable4][i - 1](c, y, values, tables[i - 1]);
      y += 2;
    }
    // Tables start on a new page, as they often do in a printed report.
    if (i === 0 || i === 2) pageBreak();
  });
  y++;
  c.put(y++, 36, n.signature[0]);
  c.put(y++, 36, n.signature[1]);
  pageBreak();
  return pages.map((p) => p.join('\n') + '\n').join('\f');
}

/** Table 2: each 第二十条 block with its caption, header row and value rows. */
function layoutTable2(c: Canvas, y: number, values: FillValues, table: Spec[][] = TABLE2): number {
  const xs = [0, 14, 24, 34];
  for (const row of placed(table)) {
    // A label typed on two lines ("本年新\n制作数量") prints its second line on the spacer line below.
    for (const cell of row) {
      const parts = cell.v !== undefined ? [valueText(values[cell.v])] : cell.t!.split('\n');
      parts.slice(0, 2).forEach((part, i) => c.put(y + i, xs[cell.col], part));
    }
    y += 2;
  }
  return y;
}

const T3_LABEL = 32;
const t3x = (k: number) => T3_LABEL + k * 7;
/** Row label position and wrap width by depth: 一、… / （一）… / 1.… */
const T3_INDENT = [
  { x: 0, w: 28 },
  { x: 6, w: 20 },
  { x: 13, w: 15 },
];
const T3_GROUP_GLYPHS = ['三、', ...'本年度办理结果'];

/**
 * Table 3 as pdftotext prints it: a multi-line header, 三、本年度办理结果 one
 * glyph per line down the left edge, group labels such as （三）不予公开 wrapped
 * between their rows, numbers on the middle line of a wrapped row label (or on
 * a line of their own between its halves).
 */
function layoutTable3(c: Canvas, y: number, values: FillValues, table: Spec[][] = TABLE3): number {
  c.put(y++, t3x(3), '申请人情况');
  y++;
  const note = c.wrap(table[0][0].t!, 22);
  note.forEach((l, i) => c.put(y + i, 0, l));
  c.put(y, t3x(1) + 4, '法人或其他组织');
  y += note.length;
  c.put(y, t3x(0), '自然人');
  c.put(y, t3x(6), '总计');
  y++;
  ['商业\n企业', '科研\n机构', '社会公益\n组织', '法律服务\n机构', '其他'].forEach((l, k) => l.split('\n').forEach((part, i) => c.put(y + i, t3x(k + 1), part)));
  y += 3;

  let glyph = 0;
  let sub: { parts: string[]; rows: number; seen: number } | undefined;
  for (const row of placed(table).slice(3)) {
    // Group rowspans are 8/3/5/3; 三、本年度办理结果 spans 22 rows (20 in the 2019 table) and is drawn glyph by glyph.
    const labels = row.filter((cell) => cell.t !== undefined && cell.rs <= 8);
    const nums = row.filter((cell) => cell.v !== undefined);
    const inResults = nums[0].v!.includes('.results.');
    const group = labels.find((l) => l.rs > 1);
    if (group) sub = { parts: c.wrap(group.t!, 4), rows: group.rs, seen: 0 };
    const depth = sub ? 2 : inResults ? 1 : 0;
    const wrapped = c.wrap(labels.at(-1)!.t!, T3_INDENT[depth].w);
    const half = Math.floor(wrapped.length / 2);
    const lines = wrapped.length % 2 ? wrapped : [...wrapped.slice(0, half), '', ...wrapped.slice(half)];
    lines.forEach((l, i) => l && c.put(y + i, T3_INDENT[depth].x, l));
    nums.forEach((cell, k) => c.put(y + half, t3x(k), valueText(values[cell.v!])));
    y += lines.length;
    // The separator line after a row carries the vertical group label and the wrapped sub-group label.
    if (inResults && glyph < T3_GROUP_GLYPHS.length) c.put(y, 0, T3_GROUP_GLYPHS[glyph++]);
    if (sub) {
      const at = sub.seen - Math.max(0, Math.floor((sub.rows - 1 - sub.parts.length) / 2));
      sub.seen++;
      if (at >= 0 && at < sub.parts.length && sub.seen < sub.rows) c.put(y, 5, sub.parts[at]);
      if (sub.seen === sub.rows) sub = undefined;
    }
    y++;
  }
  return y;
}

/** Table 4: block names, sub-block names, two lines of column names, one line of 15 numbers. */
function layoutTable4(c: Canvas, y: number, values: FillValues, table: Spec[][] = TABLE4): number {
  const x = (k: number) => k * 5;
  c.put(y, x(0), '行政复议');
  c.put(y, x(5), '行政诉讼');
  y += 2;
  c.put(y, x(5), '未经复议直接起诉');
  c.put(y, x(10), '复议后起诉');
  y += 2;
  const heads = [['结果', '维持'], ['结果', '纠正'], ['其他', '结果'], ['尚未', '审结'], ['总计']];
  for (let k = 0; k < 15; k++) heads[k % 5].forEach((h, i) => c.put(y + i, x(k), h));
  y += 4;
  valueCellsOf([[], [], table])
    .filter((v) => v.table === 2)
    .sort((a, b) => a.col - b.col)
    .forEach((cell, k) => c.put(y, x(k), valueText(values[cell.path])));
  return y + 1;
}

// ------------------------------------------------------------------ hostile and synthetic containers


export interface RawEntry {
  name: string;
  /** Bytes as stored (already deflated when method is 8). */
  data: Uint8Array;
  method: 0 | 8;
  /** Uncompressed size written to the directory (may lie). */
  size: number;
}

/** A zip written byte by byte, so tests can make directories lie. CRCs are left 0 (the guard does not check them). */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const dir: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const e of entries) {
    const name = enc.encode(e.name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, e.method, true);
    local.setUint32(18, e.data.length, true);
    local.setUint32(22, e.size, true);
    local.setUint16(26, name.length, true);
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint16(10, e.method, true);
    central.setUint32(20, e.data.length, true);
    central.setUint32(24, e.size, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, offset, true);
    chunks.push(new Uint8Array(local.buffer), name, e.data);
    dir.push(new Uint8Array(central.buffer), name);
    offset += 30 + name.length + e.data.length;
  }
  const dirSize = dir.reduce((s, d) => s + d.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Math.min(entries.length, 0xffff), true);
  end.setUint16(10, Math.min(entries.length, 0xffff), true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  const all = [...chunks, ...dir, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
  let p = 0;
  for (const c of all) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export const deflated = (data: Uint8Array | string): Uint8Array =>
  new Uint8Array(deflateRawSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { level: 6 }));

/**
 * A raw deflate stream that inflates to `mb` MiB of zeros, built without
 * compressing them: one sync-flushed block primed by a zero dictionary is
 * byte-aligned and self-similar, so it can be repeated, then closed by an empty
 * final block.
 */
export function zeroBomb(mb: number): Uint8Array {
  const zeros = Buffer.alloc(1024 * 1024);
  const first = deflateRawSync(zeros, { level: 9, finishFlush: zc.Z_SYNC_FLUSH });
  const next = deflateRawSync(zeros, { level: 9, finishFlush: zc.Z_SYNC_FLUSH, dictionary: Buffer.alloc(32768) });
  const out = new Uint8Array(first.length + next.length * (mb - 1) + 2);
  out.set(first, 0);
  for (let i = 1; i < mb; i++) out.set(next, first.length + next.length * (i - 1));
  out.set([0x03, 0x00], out.length - 2);
  return out;
}

const DOCX_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** A minimal DOCX around a body fragment (and optional styles.xml content). */
export function minimalDocx(body: string, styles?: string, prolog = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'): Uint8Array {
  const files: Zippable = {
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    'word/document.xml': strToU8(`${prolog}<w:document ${DOCX_NS}><w:body>${body}<w:sectPr/></w:body></w:document>`),
  };
  if (styles) files['word/styles.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:styles ${DOCX_NS}>${styles}</w:styles>`);
  return zipSync(files);
}
