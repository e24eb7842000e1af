import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../src/document/grid.js';
import type { DocumentModel, Paragraph, Table } from '../src/document/model.js';
import { read as readDocx } from '../src/ingest/docx.js';
import { read } from '../src/ingest/html.js';
import { readDocument } from '../src/ingest/index.js';
import { VALUE_CELLS, encodeGbk, fillTemplate, renderHtml, sampleValues } from './helpers/fill-template.js';

const tables = (doc: DocumentModel) => doc.blocks.filter((b): b is Table => b.kind === 'table');
const paragraphs = (doc: DocumentModel) => doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
const at = (t: Table, r: number, c: number) => expandGrid(t)[r]?.[c];
const html = (s: string) => read(new TextEncoder().encode(s), {});
const shape = (t: Table) => t.rows.map((row) => row.map((c) => [c.text, c.row, c.col, c.rowSpan, c.colSpan]));
/** Report tables: the three after the CMS metadata table. */
const reportTables = (doc: DocumentModel) => tables(doc).filter((t) => t.rows.length >= 4);
const normalized = (t: Table) => t.rows.map((row) => row.map((c) => ({ text: c.text.replace(/\s+/g, ''), row: c.row, col: c.col, rowSpan: c.rowSpan, colSpan: c.colSpan })));

describe('html: portal page of the filled template', async () => {
  const values = sampleValues(3);
  const docx = reportTables(await readDocx(fillTemplate(values), {}));
  const utf8 = await read(renderHtml(values), {});
  const gbk = await read(renderHtml(values, { encoding: 'gbk' }), {});
  const lying = await read(renderHtml(values, { encoding: 'gbk', declared: 'utf-8' }), {});
  const silent = await read(renderHtml(values, { encoding: 'gbk', declared: null }), {});

  it('decodes UTF-8, GBK declared gb2312, GBK declared UTF-8 and undeclared GBK', () => {
    expect(utf8.encoding).toBe('utf-8');
    expect(gbk.encoding).toBe('gb18030');
    expect(lying.encoding).toBe('gb18030');
    expect(lying.warnings.join()).toMatch(/not valid UTF-8/);
    expect(silent.encoding).toBe('gb18030');
    for (const doc of [utf8, gbk, lying, silent]) {
      expect(paragraphs(doc).map((p) => p.text)).toContain('XX县人民政府办公室2023年政府信息公开工作年度报告');
    }
  });

  it('keeps the CMS metadata table first and the layout text as paragraphs, in order', () => {
    const kinds = utf8.blocks.map((b) => (b.kind === 'table' ? `T${b.rows.length}` : b.text.slice(0, 4)));
    expect(kinds.slice(0, 3)).toEqual(['当前位置', 'T3', 'XX县人']);
    const meta = tables(utf8)[0];
    expect(meta.rows.map((r) => r.map((c) => c.text.replace(/\s/g, '')))).toEqual([
      ['名称：', 'XX县人民政府办公室2023年政府信息公开工作年度报告'],
      ['索引号：', '11320000MB0000000X/2024-00012', '发布机构：', 'XX县人民政府办公室'],
      ['公开日期：', '2024-01-20', '分类：', '政府信息公开年报'],
    ]);
    expect(kinds.indexOf('二、主动')).toBeLessThan(kinds.indexOf('T14'));
    expect(kinds.indexOf('T14')).toBeLessThan(kinds.indexOf('三、收到'));
    expect(kinds.indexOf('T28')).toBeLessThan(kinds.indexOf('四、政府'));
    expect(kinds.indexOf('T4')).toBeLessThan(kinds.indexOf('五、存在'));
  });

  it('ignores scripts, styles, hidden blocks and the <title>', () => {
    const all = utf8.blocks.map((b) => (b.kind === 'table' ? b.rows.flat().map((c) => c.text).join() : b.text)).join('\n');
    expect(all).not.toMatch(/document\.write|font-size|打印本页|tpl/);
    expect(tables(utf8)).toHaveLength(4);
  });

  it('marks headings and splits <br> lines into paragraphs', () => {
    expect(paragraphs(utf8).find((p) => p.text === '五、存在的主要问题及改进情况')?.level).toBe(3);
    const i = utf8.blocks.findIndex((b) => b.kind === 'paragraph' && b.text === '四、政府信息公开行政复议、行政诉讼情况');
    expect((utf8.blocks[i + 1] as Paragraph).text).toBe('本年度政府信息公开行政复议、行政诉讼情况见下表。');
    expect(utf8.blocks[i].line).toBeGreaterThan(1);
  });

  it('gives the same report-table grids as the DOCX, cell for cell, in every encoding', () => {
    for (const doc of [utf8, gbk, lying, silent]) {
      const ts = reportTables(doc);
      expect(ts).toHaveLength(3);
      ts.forEach((t, i) => expect(normalized(t)).toEqual(normalized(docx[i])));
      for (const c of VALUE_CELLS) {
        expect([c.path, at(ts[c.table], c.row, c.col)?.text]).toEqual([c.path, at(docx[c.table], c.row, c.col)?.text]);
      }
    }
    // Two-paragraph header cells, as in the DOCX.
    expect(at(reportTables(utf8)[1], 2, 4)!.text).toBe('商业\n企业');
  });
});

describe('html: markup', () => {
  it('expands colspan/rowspan; rowspan occupancy shifts later cells right', async () => {
    const doc = await html('<table><tr><td rowspan=2>A<td colspan=2>B<td rowspan=3>C</tr><tr><td>D<td>E</tr><tr><td colspan=2>F<td>G</tr></table>');
    expect(shape(tables(doc)[0])).toEqual([
      [['A', 0, 0, 2, 1], ['B', 0, 1, 1, 2], ['C', 0, 3, 3, 1]],
      [['D', 1, 1, 1, 1], ['E', 1, 2, 1, 1]],
      [['F', 2, 0, 1, 2], ['G', 2, 2, 1, 1]],
    ]);
  });

  it('clips rowspans past the table end and reads rowspan=0 to the end', async () => {
    const doc = await html('<table><tr><td rowspan=9>A<td>B<tr><td>C<tr><td rowspan=0>D<td>E</table>');
    expect(shape(tables(doc)[0])).toEqual([
      [['A', 0, 0, 3, 1], ['B', 0, 1, 1, 1]],
      [['C', 1, 1, 1, 1]],
      [['D', 2, 1, 1, 1], ['E', 2, 2, 1, 1]],
    ]);
  });

  it('survives unclosed tags, uppercase, &nbsp;, <o:p> residue and a script containing </td>', async () => {
    const doc = await html(`<HTML><BODY><P>一、总体情况<P>正文
<TABLE><TR><TD>名称<TD>&nbsp;<TD><p class=MsoNormal>12<o:p></o:p></p>
<script>document.write("</td></tr></table>")</script>
<TR><TD>商业<BR>企业<TD><p>科研</p><p>机构</p><TD>  3 \n </TABLE><p>后记`);
    expect(doc.blocks.map((b) => (b.kind === 'table' ? shape(b) : b.text))).toEqual([
      '一、总体情况',
      '正文',
      [
        [['名称', 0, 0, 1, 1], ['', 0, 1, 1, 1], ['12', 0, 2, 1, 1]],
        [['商业\n企业', 1, 0, 1, 1], ['科研\n机构', 1, 1, 1, 1], ['3', 1, 2, 1, 1]],
      ],
      '后记',
    ]);
  });

  it('emits the innermost data tables and the layout text in document order', async () => {
    const doc = await html(`<table><tr><td>站点导航</td></tr><tr><td>
      <table><tr><td>正文开始<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>中间文字</td></tr></table>
      </td><td>侧栏</td></tr></table><table><tr><td>独格表格的文字</td></tr></table>`);
    expect(doc.blocks.map((b) => (b.kind === 'table' ? b.rows.map((r) => r.map((c) => c.text).join('|')).join('/') : `P:${b.text}`))).toEqual([
      'P:站点导航',
      'P:正文开始',
      'a|b/1|2',
      'P:中间文字',
      'P:侧栏',
      'P:独格表格的文字',
    ]);
  });

  it('gives h1–h6 their levels and keeps <caption> as a paragraph', async () => {
    const doc = await html('<h1>标题</h1><h2>一、总体情况</h2><h6>小</h6><table><caption>表一</caption><tr><td>x<td>y</table>');
    expect(doc.blocks.map((b) => (b.kind === 'paragraph' ? [b.text, b.level] : 'T'))).toEqual([
      ['标题', 1],
      ['一、总体情况', 2],
      ['小', 6],
      ['表一', undefined],
      'T',
    ]);
  });

  it('honours a BOM, <meta charset> and http-equiv', async () => {
    const body = '<p>政府信息公开工作年度报告</p>';
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body)]);
    expect(paragraphs(await read(withBom, {}))[0].text).toBe('政府信息公开工作年度报告');
    const gbkMeta = encodeGbk(`<html><head><meta charset="GBK"></head><body>${body}</body></html>`);
    const doc = await read(gbkMeta, {});
    expect([doc.encoding, paragraphs(doc)[0].text]).toEqual(['gb18030', '政府信息公开工作年度报告']);
    const equiv = encodeGbk(`<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"></head><body>${body}</body></html>`);
    expect(paragraphs(await read(equiv, {}))[0].text).toBe('政府信息公开工作年度报告');
  });

  it('reads MHTML with a quoted-printable or base64 HTML part', async () => {
    const page = '<html><body><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>5</td></tr></table></body></html>';
    const gbk = encodeGbk(page);
    const qp = [...gbk].map((b) => (b >= 0x80 || b === 0x3d ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b))).join('');
    const wrapQp = qp.replace(/(.{70})/g, '$1=\r\n');
    const mime = (part: string, cte: string) =>
      `From: <Saved by Windows Internet Explorer 8>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----=_NextPart_000"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n------=_NextPart_000\r\nContent-Type: text/html;\r\n\tcharset="gb2312"\r\nContent-Transfer-Encoding: ${cte}\r\nContent-Location: http://www.example.gov.cn/art/1.html\r\n\r\n${part}\r\n\r\n------=_NextPart_000\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n\r\n------=_NextPart_000--\r\n`;
    for (const file of [mime(wrapQp, 'quoted-printable'), mime(Buffer.from(gbk).toString('base64').replace(/(.{76})/g, '$1\r\n'), 'base64')]) {
      const bytes = new TextEncoder().encode(file);
      const doc = await readDocument(bytes, { path: 'report.mht' });
      expect(doc.format).toBe('html');
      expect(doc.blocks.map((b) => (b.kind === 'table' ? shape(b) : b.text))).toEqual(['二、主动公开政府信息情况', [[['规章', 0, 0, 1, 1], ['5', 0, 1, 1, 1]]]]);
    }
  });
});

describe('html: committed portal fixture', () => {
  it('reads a GBK Word-exported page with broken markup', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/office/portal-gbk-2022.html', import.meta.url)));
    const doc = await readDocument(bytes, { path: 'portal-gbk-2022.html' });
    expect(doc.format).toBe('html');
    expect(doc.encoding).toBe('gb18030');
    const texts = paragraphs(doc).map((p) => p.text);
    expect(texts).toContain('某某市自然资源局2022年政府信息公开工作年度报告');
    const [meta, t2, t4] = tables(doc);
    expect(meta.rows[0].map((c) => c.text.replace(/\s/g, ''))).toEqual(['索引号：', '000014349/2023-00021', '发布机构：', '某某市自然资源局']);
    expect(at(t2, 2, 0)!.text).toBe('规章');
    expect([at(t2, 2, 1)!.text, at(t2, 2, 2)!.text, at(t2, 2, 3)!.text]).toEqual(['0', '0', '3']);
    expect(at(t2, 6, 1)).toMatchObject({ text: '1,036', colSpan: 3 });
    expect(at(t2, 13, 1)).toMatchObject({ text: '', colSpan: 3 });
    expect(at(t4, 1, 0)).toMatchObject({ text: '结果\n维持', rowSpan: 2 });
    expect(t4.rows[3].map((c) => c.text)).toEqual(['2', '0', '1', '0', '3', '1', '0', '0', '1', '2', '0', '0', '0', '0', '0']);
  });
});
