import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block, DocumentModel, Paragraph, Table, TableCell } from '../src/document/model.js';
import { isPageMarker, segmentLine } from '../src/document/text-layout.js';
import { NianbaoError } from '../src/errors.js';
import { read } from '../src/ingest/text.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/text/${name}`, import.meta.url)));
const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../samples/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);
const readString = (s: string) => read(utf8(s), {});

const paragraphs = (doc: DocumentModel) => doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph');
const tables = (doc: DocumentModel) => doc.blocks.filter((b): b is Table => b.kind === 'table');
const rowAt = (doc: DocumentModel, line: number): TableCell[] | undefined => {
  for (const t of tables(doc)) for (const r of t.rows) if (r[0]?.line === line) return r;
  return undefined;
};
const allText = (b: Block) => (b.kind === 'paragraph' ? [b.text] : b.rows.flat().map((c) => c.text));
const isNum = (s: string) => /^\d+(\.\d+)?$/.test(s);

describe('decoding', () => {
  const expected = ['政府信息公开工作年度报告', '本年新收政府信息公开申请 3 件，均已答复。'];
  it.each([
    ['utf8.txt', 'utf-8'],
    ['utf8-bom.txt', 'utf-8'],
    ['utf16le-bom.txt', 'utf-16le'],
    ['utf16be-bom.txt', 'utf-16be'],
    ['gbk.txt', 'gb18030'],
  ])('%s decodes as %s', async (name, encoding) => {
    const doc = await read(fixture(name), {});
    expect(doc.format).toBe('text');
    expect(doc.encoding).toBe(encoding);
    expect(paragraphs(doc).map((p) => p.text)).toEqual(expected);
    expect(paragraphs(doc).map((p) => p.line)).toEqual([1, 3]);
    expect(doc.warnings).toEqual([]);
  });

  it('decodes GB18030 four-byte sequences that GBK lacks', async () => {
    const doc = await read(fixture('gb18030.txt'), {});
    expect(doc.encoding).toBe('gb18030');
    expect(paragraphs(doc)[0].text).toBe('申请人𠀀与䶮的申请 2 件。');
  });

  it('normalises CR and CRLF line ends and counts lines across them', async () => {
    const doc = await readString('甲。\r\n\r\n乙。\r\r丙。\n');
    expect(paragraphs(doc).map((p) => [p.text, p.line])).toEqual([
      ['甲。', 1],
      ['乙。', 3],
      ['丙。', 5],
    ]);
  });
});

describe('empty and hostile input', () => {
  it.each([[''], ['   \n\t\n\u3000\n'], ['\f\f\n']])('%j gives no blocks', async (s) => {
    const doc = await readString(s);
    expect(doc.blocks).toEqual([]);
  });

  it('never throws anything but a NianbaoError on random bytes', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(Math.floor(rand() * 600));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      if (n % 3 === 0 && bytes.length > 1) [bytes[0], bytes[1]] = [0xff, 0xfe];
      try {
        const doc = await read(bytes, {});
        expect(Array.isArray(doc.blocks)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(NianbaoError);
      }
    }
  });
});

describe('pages and footers', () => {
  it.each(['-3-', '— 3 —', '－3－', '- 3 -', '第 3 页', '第3页 共5页', '3/5', '   -12-   '])('recognises %j as a page marker', (s) => {
    expect(isPageMarker(s)).toBe(true);
  });
  it.each(['3', '2024 年', '1-3 件', '第三条', '一、总体情况'])('does not take %j for a page marker', (s) => {
    expect(isPageMarker(s)).toBe(false);
  });

  it('drops footers, counts pages and stamps page/line on blocks', async () => {
    const text = ['第一页的话。', '', '— 1 —', '第二页的话。', '第 2 页', '第三页的话。', '3/5', '第四页的话。'].join('\n');
    const doc = await readString(text);
    expect(paragraphs(doc).map((p) => [p.text, p.page, p.line])).toEqual([
      ['第一页的话。', 1, 1],
      ['第二页的话。', 2, 4],
      ['第三页的话。', 3, 6],
      ['第四页的话。', 4, 8],
    ]);
    expect(doc.pages).toBe(4);
  });

  it('counts a footer followed by a form feed as one page break, and a header after it as none', async () => {
    const text = '一页。\n-1-\n\f二页。\n-2-\n\f第 3 页\n三页。\n';
    const doc = await readString(text);
    expect(paragraphs(doc).map((p) => [p.text, p.page, p.line])).toEqual([
      ['一页。', 1, 1],
      ['二页。', 2, 3],
      ['三页。', 3, 6],
    ]);
    expect(doc.pages).toBe(3);
  });

  it('leaves pages undefined when nothing marks them', async () => {
    const doc = await readString('只有一段。\n');
    expect(doc.pages).toBeUndefined();
    expect(doc.blocks[0].page).toBe(1);
  });

  it('keeps no footer text from the layout samples and counts their pages', async () => {
    for (const [name, pages] of [
      ['huaian-shizhengfu-2024.layout.txt', 6],
      ['hongze-quzhengfu-2023.layout.txt', 5],
    ] as const) {
      const doc = await read(sample(name), {});
      expect(doc.pages).toBe(pages);
      const texts = doc.blocks.flatMap(allText);
      expect(texts.filter((t) => /^-\d+-$/.test(t) || t.includes('-3-') || t.includes('\f'))).toEqual([]);
    }
  });
});

describe('tab-separated tables', () => {
  it('keeps empty fields in place and bridges one blank line', async () => {
    const text = '标题\n\n项目\t\t甲\t乙\n行一\t\t1\t\n\n\t子项\t0\t2\n\n结尾。\n';
    const doc = await readString(text);
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'table', 'paragraph']);
    const t = tables(doc)[0];
    expect(t.grid).toBe('loose');
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['项目', '', '甲', '乙'],
      ['行一', '', '1', ''],
      ['', '子项', '0', '2'],
    ]);
    expect(t.rows[2].map((c) => [c.col, c.x0, c.x1, c.line])).toEqual([
      [0, 0, 0, 6],
      [1, 1, 1, 6],
      [2, 2, 2, 6],
      [3, 3, 3, 6],
    ]);
  });

  it('reads the ganxian sample: table 3 stays one table across its blank line', async () => {
    const doc = await read(sample('ganxian-gongxin-2024.txt'), {});
    expect(doc.encoding).toBe('utf-8');
    expect(tables(doc)).toHaveLength(3);
    const row = rowAt(doc, 67);
    expect(row?.map((c) => c.text).slice(2)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
    expect(tables(doc)[1].rows.some((r) => r[0].line === 45) && tables(doc)[1].rows.some((r) => r[0].line === 70)).toBe(true);
    // Table 4's data row: five empty fields, then ten numbers, positions kept.
    expect(rowAt(doc, 77)?.map((c) => c.text)).toEqual(['', '', '', '', '', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0']);
  });
});

describe('markdown tables', () => {
  it('reads pipe tables as exact grids and drops the separator', async () => {
    const doc = await readString('说明：\n\n| 项目 | 本年 | 上年 |\n|---|:---:|---|\n| 规章 | 1 |  |\n| 文件 \\| 其他 | 2 | 3 |\n');
    const t = tables(doc)[0];
    expect(t.grid).toBe('exact');
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['项目', '本年', '上年'],
      ['规章', '1', ''],
      ['文件 | 其他', '2', '3'],
    ]);
    expect(t.rows[1].map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([
      [1, 0, 1, 1],
      [1, 1, 1, 1],
      [1, 2, 1, 1],
    ]);
  });
});

describe('space-aligned layout', () => {
  it('splits at wide gaps, ideographic spaces and between single-spaced numbers, in display columns', () => {
    expect(segmentLine('行政许可    12　3', 'display').map((s) => [s.text, s.x0, s.x1])).toEqual([
      ['行政许可', 0, 8],
      ['12', 12, 14],
      ['3', 16, 17],
    ]);
    expect(segmentLine('  合计 21 0 0', 'display').map((s) => s.text)).toEqual(['合计 21', '0', '0']);
    expect(segmentLine('2024 年 1 月', 'display').map((s) => s.text)).toEqual(['2024 年 1 月']);
  });

  it('measures editor-aligned tables in display columns', async () => {
    const text = ['项目          本年    上年', '', '规章            1       2', '行政规范性文件  3       4', '合计            4       6', '', '以上为统计。'].join('\n');
    const doc = await readString(text);
    const t = tables(doc)[0];
    expect(t.rows.map((r) => r.map((c) => c.x0))).toEqual([
      [0, 14, 22],
      [0, 16, 24],
      [0, 16, 24],
      [0, 16, 24],
    ]);
  });

  describe.each([
    ['huaian-shizhengfu-2024.layout.txt', 123, '一、本年新收政府信息公开申请数量', ['3001', '53', '0', '0', '61', '4', '3119'], 220],
    ['hongze-quzhengfu-2023.layout.txt', 96, '一、本年新收政府信息公开申请数量', ['21', '0', '0', '0', '0', '0', '21'], 149],
  ])('%s', (name, dataLine, label, numbers, table4Line) => {
    const load = () => read(sample(name), {});

    it('gives table-3 data lines a label cell and seven numeric cells with increasing x0', async () => {
      const doc = await load();
      const row = rowAt(doc, dataLine)!;
      expect(row.map((c) => c.text)).toEqual([label, ...numbers]);
      const xs = row.map((c) => c.x0!);
      for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(row[i - 1].x1!);
      expect(row.map((c) => c.col)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it('gives the table-4 data line 15 numeric cells', async () => {
      const doc = await load();
      const row = rowAt(doc, table4Line)!;
      expect(row).toHaveLength(15);
      expect(row.every((c) => isNum(c.text))).toBe(true);
    });

    it('puts every line with a run of numbers into a table row of its own', async () => {
      const doc = await load();
      const lines = new TextDecoder().decode(sample(name)).split('\n');
      lines.forEach((l, i) => {
        if (!/(?:^|\s)\d+(?:\s+\d+){2,}(?:\s|$)/.test(l)) return;
        const row = rowAt(doc, i + 1);
        expect(row, `line ${i + 1}`).toBeDefined();
        expect(row!.filter((c) => isNum(c.text)).length).toBeGreaterThanOrEqual(3);
      });
      for (const p of paragraphs(doc)) expect(p.text).not.toMatch(/\d+\s{2,}\d+/);
    });
  });

  it('keeps wrapped labels, their numbers and vertical labels as separate rows (huaian)', async () => {
    const doc = await read(sample('huaian-shizhengfu-2024.layout.txt'), {});
    expect(rowAt(doc, 129)?.map((c) => c.text)).toEqual(['（二）部分公开（区分处理的，只计这一情']);
    expect(rowAt(doc, 130)?.map((c) => c.text)).toEqual(['447', '7', '0', '0', '0', '0', '454']);
    expect(rowAt(doc, 131)?.map((c) => c.text)).toEqual(['形，不计其他情形）']);
    expect(rowAt(doc, 135)?.map((c) => c.text)).toEqual(['三、']);
    // pdftotext puts one glyph per column, so a numbers-only row lines up with a labelled one.
    expect(Math.abs(rowAt(doc, 130)![0].x0! - rowAt(doc, 123)![1].x0!)).toBeLessThanOrEqual(2);
    expect(rowAt(doc, 139)?.map((c) => c.text)).toEqual(['年']);
    // The table crosses the page-4 footer and the form feed.
    const t3 = tables(doc).find((t) => t.rows.some((r) => r[0].line === 123))!;
    expect(t3.page).toBe(4);
    expect(t3.endPage).toBe(5);
    expect(rowAt(doc, 161)?.[0].page).toBe(5);
    expect(t3.rows.at(-1)![0].line).toBe(197);
  });

  it('ends a table region at a section heading (huaian)', async () => {
    const doc = await read(sample('huaian-shizhengfu-2024.layout.txt'), {});
    const heading = paragraphs(doc).find((p) => p.text === '三、收到和处理政府信息公开申请情况');
    expect(heading?.line).toBe(111);
    expect(paragraphs(doc).find((p) => p.text === '四、政府信息公开行政复议、行政诉讼情况')?.line).toBe(202);
    expect(doc.blocks.map((b) => b.kind).join(',')).toMatch(/table,paragraph,paragraph,table,paragraph,table,paragraph/);
  });
});

describe('paragraphs', () => {
  it('joins the wrapped paragraph about received applications (huaian)', async () => {
    const doc = await read(sample('huaian-shizhengfu-2024.layout.txt'), {});
    const hits = paragraphs(doc).filter((p) => p.text.includes('全市共受理政府信息公开申请 3119 件'));
    expect(hits).toHaveLength(1);
    expect(hits[0].text.startsWith('（二）依申请公开情况。定期对政府信息公开申请集中的领域和热点问题')).toBe(true);
    expect(hits[0].text.endsWith('其他结果 9 件，尚未审结 7 件。')).toBe(true);
    expect([hits[0].page, hits[0].line]).toEqual([2, 28]);
  });

  it('keeps title lines apart and joins a paragraph across a page footer (huaian)', async () => {
    const doc = await read(sample('huaian-shizhengfu-2024.layout.txt'), {});
    const ps = paragraphs(doc);
    expect(ps.slice(0, 2).map((p) => p.text)).toEqual(['淮安市人民政府', '2024 年政府信息公开工作年度报告']);
    const across = ps.find((p) => p.text.includes('“建设‘四最’一流营商环境高质量推进产业发展”'));
    expect(across?.line).toBe(17);
    expect(ps.some((p) => p.text.startsWith('营商环境'))).toBe(false);
  });

  it('joins hard-wrapped lines: nothing between CJK, one space between ASCII words', async () => {
    const text = [
      '   本报告由某某市人民政府办公室根据有关规定编制统计期限为全年',
      '如有疑问请联系本办公室的电子邮箱的地址是这个 mail at example',
      'dot org 统计数据以本报告所列为准不另行说明谢谢各位的大力支持。',
      '   第二段开始于缩进行，它在上一行以句号结束之后出现',
      '一、标题行',
      '正文不缩进也是新段落因为上一行是编号标题。',
    ].join('\n');
    const doc = await readString(text);
    expect(paragraphs(doc).map((p) => [p.text, p.line])).toEqual([
      ['本报告由某某市人民政府办公室根据有关规定编制统计期限为全年如有疑问请联系本办公室的电子邮箱的地址是这个 mail at example dot org 统计数据以本报告所列为准不另行说明谢谢各位的大力支持。', 1],
      ['第二段开始于缩进行，它在上一行以句号结束之后出现', 4],
      ['一、标题行', 5],
      ['正文不缩进也是新段落因为上一行是编号标题。', 6],
    ]);
  });

  it('stays fast on a large file', async () => {
    const page = new TextDecoder().decode(sample('huaian-shizhengfu-2024.layout.txt'));
    const started = performance.now();
    const doc = await readString(page.repeat(100));
    expect(doc.pages).toBe(600);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('treats unwrapped text (one paragraph per line) line by line', async () => {
    const doc = await readString('第一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长的内容\n第二段\n第三段也很长很长很长很长很长很长很长很长很长很长很长的内容\n');
    expect(paragraphs(doc)).toHaveLength(3);
  });
});

describe('prose with stray spacing', () => {
  it('does not turn double-spaced sentences into tables', async () => {
    const text = [
      '本机关严格执行保密审查制度。  全年未发生泄密事件。  工作总体平稳。',
      '加强政务公开培训，提升人员能力。  进一步规范申请办理流程，提高答复质量，确保依法依规办理每一件政府信息公开申请，做到件件有回音、事事有着落。',
    ].join('\n');
    const doc = await readString(text);
    expect(tables(doc)).toEqual([]);
    expect(paragraphs(doc)).toHaveLength(2);
  });
});

describe('long runs of whitespace', () => {
  // Trailing-space trims by regex were quadratic in an inner run of spaces: 150k tabs took 34 s.
  // The default test timeout (5 s) is what fails if that comes back.
  it.each([
    ['tabs', '\t'],
    ['spaces', ' '],
    ['ideographic spaces', '\u3000'],
  ])('150k %s inside a line read in linear time', async (_name, ch) => {
    const text = `一、总体情况\n\n本机关依法公开政府信息。\n\n政府信息公${ch.repeat(150_000)}开1\n\n${'二、主动公开政府信息情况\n'.repeat(3)}`;
    const doc = await readString(text);
    const words = allTexts(doc).join('').replace(/\s+/g, '');
    expect(words).toContain('政府信息公开1');
  });
});

function allTexts(doc: DocumentModel): string[] {
  return doc.blocks.flatMap(allText);
}
