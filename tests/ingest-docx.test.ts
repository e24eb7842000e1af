import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { expandGrid, columnCount } from '../src/document/grid.js';
import type { DocumentModel, Paragraph, Table } from '../src/document/model.js';
import { NianbaoError } from '../src/errors.js';
import { read } from '../src/ingest/docx.js';
import { readDocument } from '../src/ingest/index.js';
import { openZip } from '../src/ingest/zip.js';
import {
  TABLES,
  TEMPLATE_PATH,
  VALUE_CELLS,
  deflated,
  fillTemplate,
  minimalDocx,
  placed,
  rawZip,
  sampleValues,
  templateBytes,
  zeroBomb,
} from './helpers/fill-template.js';

const tables = (doc: DocumentModel) => doc.blocks.filter((b): b is Table => b.kind === 'table');
const paragraphs = (doc: DocumentModel) => doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
const at = (t: Table, r: number, c: number) => expandGrid(t)[r]?.[c];

async function refusal(bytes: Uint8Array, reader = read): Promise<NianbaoError> {
  const start = performance.now();
  const err = await reader(bytes, {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  // A hang guard, not a speed test: a pathological reader takes tens of seconds; a loaded machine a few.
  expect(performance.now() - start).toBeLessThan(6000);
  expect(err).toBeInstanceOf(NianbaoError);
  const e = err as NianbaoError;
  expect(e.message).not.toContain('\n');
  return e;
}

describe('docx: official blank 2021 template', async () => {
  const doc = await read(templateBytes(), {});
  const [t2, t3, t4] = tables(doc);

  it('reads three exact tables of 14×4, 28×10 and 4×15', () => {
    expect(doc.format).toBe('docx');
    expect(tables(doc)).toHaveLength(3);
    for (const t of tables(doc)) expect(t.grid).toBe('exact');
    expect([t2.rows.length, columnCount(t2)]).toEqual([14, 4]);
    expect([t3.rows.length, columnCount(t3)]).toEqual([28, 10]);
    expect([t4.rows.length, columnCount(t4)]).toEqual([4, 15]);
  });

  it('keeps the template merges: corner 3×3, 三 rowspan 22, groups 8/3/5/3', () => {
    expect(t3.rows[0][0]).toMatchObject({ row: 0, col: 0, rowSpan: 3, colSpan: 3 });
    expect(t3.rows[0][0].text).toContain('本列数据的勾稽关系为');
    expect(t3.rows[0][1]).toMatchObject({ text: '申请人情况', col: 3, colSpan: 7 });
    const three = at(t3, 5, 0)!;
    expect(three).toMatchObject({ text: '三、本年度办理结果', row: 5, rowSpan: 22 });
    const groups = ['（三）不予公开', '（四）无法提供', '（五）不予处理', '（六）其他处理'].map((g) => t3.rows.flat().find((c) => c.text === g)!);
    expect(groups.map((g) => g.rowSpan)).toEqual([8, 3, 5, 3]);
    expect(groups.map((g) => g.row)).toEqual([7, 15, 18, 23]);
    expect(at(t3, 2, 4)!.text).toBe('商业\n企业');
    expect(at(t3, 2, 5)!.text).toBe('科研\n机构');
    expect(at(t4, 1, 1)!.text).toBe('结果\n纠正'); // w:br inside a run
    expect(at(t4, 2, 4)).toBe(at(t4, 1, 4)); // 总计 spans two header rows
  });

  it('matches the test layout cell for cell (positions, spans, labels)', () => {
    tables(doc).forEach((t, ti) => {
      const spec = placed(TABLES[ti]);
      expect(t.rows.map((r) => r.length)).toEqual(spec.map((r) => r.length));
      spec.forEach((row, r) =>
        row.forEach((s, i) => {
          const cell = t.rows[r][i];
          expect({ row: cell.row, col: cell.col, rowSpan: cell.rowSpan, colSpan: cell.colSpan }).toEqual({ row: s.row, col: s.col, rowSpan: s.rs, colSpan: s.cs });
          if (s.t !== undefined) expect(cell.text).toBe(s.t);
          else expect(cell.text.trim()).toBe(''); // blanks, some with U+3000 fillers
        }),
      );
    });
  });

  it('agrees with the XML: 26 gridSpans, 58 vMerges (13 restarts, 45 continuations)', () => {
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(TEMPLATE_PATH)))['word/document.xml']);
    const gridSpans = [...xml.matchAll(/<w:gridSpan w:val="(\d+)"\/>/g)].filter((m) => Number(m[1]) > 1);
    const restarts = xml.match(/<w:vMerge w:val="restart"\/>/g) ?? [];
    const continues = (xml.match(/<w:vMerge\b[^>]*\/>/g) ?? []).length - restarts.length;
    expect(gridSpans).toHaveLength(26);
    expect(restarts.length + continues).toBe(58);
    const cells = tables(doc).flatMap((t) => t.rows.flat());
    // Two of the 26 gridSpans are vMerge continuations of the corner, which produce no cell.
    expect(cells.filter((c) => c.colSpan > 1)).toHaveLength(26 - 2);
    expect(cells.filter((c) => c.rowSpan > 1)).toHaveLength(restarts.length);
    expect(cells.reduce((s, c) => s + c.rowSpan - 1, 0)).toBe(continues);
  });

  it('keeps U+3000 fillers and the narrative paragraphs', () => {
    expect(at(t2, 2, 1)!.text).toBe('\u3000\u3000');
    const texts = paragraphs(doc).map((p) => p.text);
    expect(texts).toContain('政府信息公开工作年度报告格式模板');
    for (const h of ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) {
      expect(texts).toContain(h);
    }
    // Document order: heading 二 comes before table 2, heading 三 before table 3.
    const order = doc.blocks.map((b) => (b.kind === 'table' ? 'T' : b.text.slice(0, 2)));
    expect(order.indexOf('二、')).toBeLessThan(order.indexOf('T'));
    expect(order.lastIndexOf('T')).toBeLessThan(order.indexOf('五、'));
  });
});

describe('docx: filled template', () => {
  it('puts all 200 values in the right grid cells', async () => {
    const values = sampleValues(7);
    const doc = await read(fillTemplate(values), {});
    const ts = tables(doc);
    expect(ts).toHaveLength(3);
    for (const c of VALUE_CELLS) {
      const cell = at(ts[c.table], c.row, c.col);
      expect({ path: c.path, text: cell?.text, row: cell?.row, col: cell?.col }).toEqual({ path: c.path, text: String(values[c.path]), row: c.row, col: c.col });
    }
    expect(paragraphs(doc)[0].text).toBe('XX县人民政府办公室2023年政府信息公开工作年度报告');
  });

  it('leaves blanks blank and keeps non-numeric text as written', async () => {
    const doc = await read(fillTemplate({ 'applications.newReceived.total': '1,295', 'proactive.fees.amount': '96171.6万元', 'reviewLitigation.review.total': '—' }), {});
    const [t2, t3, t4] = tables(doc);
    expect(at(t3, 3, 9)!.text).toBe('1,295');
    expect(at(t3, 3, 8)!.text).toBe('');
    expect(at(t2, 13, 1)!.text).toBe('96171.6万元');
    expect(at(t4, 3, 4)!.text).toBe('—');
  });
});

describe('docx: markup', () => {
  const p = (inner: string, pPr = '') => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}${inner}</w:p>`;
  const r = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
  const tc = (inner: string, tcPr = '') => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ''}${inner}</w:tc>`;

  it('takes heading levels from outlineLvl and from styles (by name or basedOn)', async () => {
    const styles =
      '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>' +
      '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="报告标题"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="a6"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>' +
      '<w:style w:type="paragraph" w:styleId="a7"><w:name w:val="Normal"/></w:style>';
    const doc = await read(
      minimalDocx(
        p(r('标题一'), '<w:pStyle w:val="1"/>') +
          p(r('一、总体情况'), '<w:pStyle w:val="a5"/>') +
          p(r('继承'), '<w:pStyle w:val="a6"/>') +
          p(r('直接'), '<w:outlineLvl w:val="2"/>') +
          p(r('正文'), '<w:pStyle w:val="a7"/>') +
          p(r('正文二'), '<w:pStyle w:val="1"/><w:outlineLvl w:val="9"/>'),
        styles,
      ),
      {},
    );
    expect(paragraphs(doc).map((x) => [x.text, x.level])).toEqual([
      ['标题一', 1],
      ['一、总体情况', 2],
      ['继承', 1],
      ['直接', 3],
      ['正文', undefined],
      ['正文二', undefined],
    ]);
  });

  it('reads w:t, w:tab and w:br only: no deleted text, field codes or hidden runs', async () => {
    const body = p(
      `${r('本年')}<w:r><w:tab/></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${r('3')}<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
        `<w:ins>${r('插入')}</w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:br/></w:r><w:hyperlink>${r('链接&amp;&lt;')}</w:hyperlink>`,
    );
    const doc = await read(minimalDocx(body), {});
    expect(paragraphs(doc).map((x) => x.text)).toEqual(['本年\t3插入\n链接&<']);
  });

  it('handles gridBefore/gridAfter, vMerge continuation and a vMerge without restart', async () => {
    const tbl =
      '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>' +
      `<w:tr>${tc(p(r('A')), '<w:vMerge w:val="restart"/>')}${tc(p(r('B')), '<w:gridSpan w:val="2"/>')}</w:tr>` +
      `<w:tr>${tc(p(''), '<w:vMerge/>')}${tc(p(r('C')))}${tc(p(r('D')))}</w:tr>` +
      `<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>${tc(p(r('E')))}</w:tr>` +
      `<w:tr>${tc(p(r('F')), '<w:vMerge w:val="continue"/>')}${tc(p(r('G')), '<w:gridSpan w:val="2"/>')}</w:tr>` +
      '</w:tbl>';
    const doc = await read(minimalDocx(tbl), {});
    const [t] = tables(doc);
    expect(t.rows.map((row) => row.map((c) => [c.text, c.row, c.col, c.rowSpan, c.colSpan]))).toEqual([
      [['A', 0, 0, 2, 1], ['B', 0, 1, 1, 2]],
      [['C', 1, 1, 1, 1], ['D', 1, 2, 1, 1]],
      [['E', 2, 1, 1, 1]],
      // Nothing above to continue (row 2 has no cell at column 0): kept as a cell.
      [['F', 3, 0, 1, 1], ['G', 3, 1, 1, 2]],
    ]);
  });

  it('emits nested tables after the outer one and unwraps single-cell layout tables', async () => {
    const inner = `<w:tbl><w:tr>${tc(p(r('内1')))}${tc(p(r('内2')))}</w:tr></w:tbl>`;
    const outer = `<w:tbl><w:tr>${tc(p(r('外1')) + inner + p(r('外1b')))}${tc(p(r('外2')))}</w:tr></w:tbl>`;
    const wrapper = `<w:tbl><w:tr>${tc(p(r('前言')) + outer + p(r('结语')))}</w:tr></w:tbl>`;
    const doc = await read(minimalDocx(wrapper + p(r('后'))), {});
    expect(doc.blocks.map((b) => (b.kind === 'table' ? b.rows.map((row) => row.map((c) => c.text).join('|')).join('/') : `P:${b.text}`))).toEqual([
      'P:前言',
      '外1\n外1b|外2',
      '内1|内2',
      'P:结语',
      'P:后',
    ]);
  });

  it('reads a non-report document as just a document', async () => {
    const doc = await read(minimalDocx(p(r('关于召开2024年度工作会议的通知')) + p(r('各单位：定于1月5日召开会议。'))), {});
    expect(doc.blocks).toEqual([
      { kind: 'paragraph', text: '关于召开2024年度工作会议的通知' },
      { kind: 'paragraph', text: '各单位：定于1月5日召开会议。' },
    ]);
  });
});

describe('docx: hostile input', () => {
  it('truncated file → corrupt', async () => {
    const bytes = fillTemplate(sampleValues());
    for (const cut of [0.5, 0.9, 0.999]) {
      const e = await refusal(bytes.subarray(0, Math.floor(bytes.length * cut)));
      expect(e.code).toBe('corrupt');
    }
    // Through format detection too, when the name says .docx.
    const e = await refusal(bytes.subarray(0, bytes.length >> 1), (b) => readDocument(b, { path: 'report.docx' }));
    expect(e.code).toBe('corrupt');
  });

  it('zip bomb declaring its size → too-large, without inflating', async () => {
    const bomb = zeroBomb(300);
    expect(bomb.length).toBeLessThan(400_000);
    const e = await refusal(rawZip([{ name: 'word/document.xml', data: bomb, method: 8, size: 300 * 1024 * 1024 }]));
    expect(e.code).toBe('too-large');
  });

  it('zip bomb lying about its size → too-large from the inflate cap', async () => {
    const e = await refusal(rawZip([{ name: 'word/document.xml', data: zeroBomb(300), method: 8, size: 4096 }]));
    expect(e.code).toBe('too-large');
    // Many honest-looking entries that add up past the cap.
    const many = rawZip(Array.from({ length: 5001 }, (_, i) => ({ name: `word/media/${i}.bin`, data: new Uint8Array(1), method: 0 as const, size: 1 })));
    expect((await refusal(many)).code).toBe('too-large');
  });

  it('the running total caps inflation across reads', () => {
    const zip = openZip(rawZip([{ name: 'p', data: zeroBomb(3), method: 8, size: 3 * 1024 * 1024 }]), 'docx', { maxTotalBytes: 8 * 1024 * 1024, maxEntries: 10 });
    expect(zip.read('p')!.length).toBe(3 * 1024 * 1024);
    expect(zip.read('p')!.length).toBe(3 * 1024 * 1024);
    expect(() => zip.read('p')).toThrow(/zip bomb/);
  });

  it('XML with an external entity → corrupt', async () => {
    const xxe = minimalDocx('<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>', undefined, '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>');
    const e = await refusal(xxe);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/DOCTYPE|ENTITY/);
  });

  it('a damaged deflate stream or a zip without word/document.xml → corrupt', async () => {
    const files = unzipSync(templateBytes());
    const xml = deflated(strFromU8(files['word/document.xml']));
    const broken = rawZip([{ name: 'word/document.xml', data: xml.map((b, i) => (i > 100 && i < 140 ? 0xff : b)), method: 8, size: files['word/document.xml'].length }]);
    expect((await refusal(broken)).code).toBe('corrupt');
    expect((await refusal(zipSync({ 'other.xml': new Uint8Array(3) }))).code).toBe('corrupt');
    expect((await refusal(new TextEncoder().encode('not a zip'))).code).toBe('corrupt');
  });
});
