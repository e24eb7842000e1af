import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Block, DocumentModel, Table } from '../src/document/model.js';
import { NianbaoError } from '../src/errors.js';
import { readDocument, sniff } from '../src/ingest/index.js';
import { read } from '../src/ingest/ofd.js';
import { parseDeltas } from '../src/ingest/ofd/content.js';
import { parsePath } from '../src/ingest/ofd/path.js';
import { prng } from './helpers/fuzz-report.js';
import { lineObject, minimalOfd, textObject } from './helpers/ofd-writer.js';

/** The shared samples beside the clone (CI), or beside the worktree folder. */
const SHARED = ['../shared/samples/ofd', '../../shared/samples/ofd'].find((d) => existsSync(d)) ?? '';
const shared = SHARED !== '';

const text = (d: DocumentModel) =>
  d.blocks.map((b) => (b.kind === 'paragraph' ? b.text : b.rows.flat().map((c) => c.text).join('\n'))).join('\n');

/** Fails unless every phrase occurs, in this order. */
function expectInOrder(d: DocumentModel, phrases: string[]): void {
  const all = text(d);
  let at = -1;
  for (const p of phrases) {
    const i = all.indexOf(p, at + 1);
    expect([p, i >= 0 && i > at]).toEqual([p, true]);
    at = i;
  }
}

const tables = (d: DocumentModel) => d.blocks.filter((b: Block): b is Table => b.kind === 'table');
const exact = (d: DocumentModel) => tables(d).filter((t) => t.grid === 'exact');
/** The cell of a ruled table whose text starts with `label`. */
function cell(d: DocumentModel, label: string) {
  for (const t of exact(d)) for (const c of t.rows.flat()) if (c.text.startsWith(label)) return { table: t, cell: c };
  return undefined;
}
/** The cell right of `label`'s in the same row. */
function rightOf(d: DocumentModel, label: string) {
  const hit = cell(d, label);
  if (!hit) return undefined;
  return hit.table.rows.flat().find((c) => c.row === hit.cell.row && c.col === hit.cell.col + hit.cell.colSpan);
}

const sample = (name: string) => read(readFileSync(`${SHARED}/${name}`), { path: name });

describe.runIf(shared)('real OFD files (../shared/samples/ofd)', () => {
  it('n.ofd: a government document, title to date in reading order, on two pages', async () => {
    const d = await sample('n.ofd');
    expect(d.format).toBe('ofd');
    expect(d.pages).toBe(2);
    expectInOrder(d, [
      '测试符路桥区卫生局文件',
      '路卫发〔2011〕76号',
      '关于同意张阿三同志辞职的批复',
      '区中医院：',
      '你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。',
      '张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作',
      '经研究，同意张阿三同志辞职。',
      '2011年3月10日',
    ]);
    // Wrapped body lines join into their paragraphs; page numbers are dropped.
    expect(d.blocks.some((b) => b.kind === 'paragraph' && b.text.startsWith('张阿三，男') && b.text.endsWith('系区中医院职工。'))).toBe(true);
    expect(text(d)).not.toContain('— 1 —');
  });

  it('发票示例.ofd: the invoice table from the template page, labels and amounts in their cells', async () => {
    const d = await sample('发票示例.ofd');
    expect(cell(d, '名称：科游迈利有限公司')).toBeDefined();
    expect(cell(d, '金额')!.cell.text.split('\n')).toEqual(['金额', '100.00', '100.00', '100.00', '¥300.00']);
    expect(cell(d, '税额')!.cell.text.split('\n')).toEqual(['税额', '6.00', '6.00', '6.00', '¥18.00']);
    expect(cell(d, '数量')!.cell.text.split('\n')).toEqual(['数量', '4', '4', '4']);
    expect(rightOf(d, '价税合计（大写）')?.text).toBe('叁佰壹拾捌圆整（小写）¥318.00');
    // Vertical labels set with DeltaY only stay in their narrow column.
    expect(cell(d, '购')?.cell.text).toBe('购\n买\n方');
    expect(rightOf(d, '购')?.text.split('\n')[0]).toBe('名称：科游迈利有限公司');
    expectInOrder(d, ['重庆增值税电子普通发票', '发票代码：050001700111', '开票日期：2020年10月10日', '校验码：14754 82292 98567 72523', '收款人：张一诺']);
  });

  it('1.ofd: another producer\'s invoice, same grid', async () => {
    const d = await sample('1.ofd');
    expect(cell(d, '金额')!.cell.text.split('\n')).toEqual(['金额', '510.68', '¥510.68']);
    expect(cell(d, '税率')!.cell.text.split('\n')).toEqual(['税率', '3%']);
    expect(rightOf(d, '价税合计（大写）')?.text).toBe('伍佰贰拾陆圆整（小写）¥526.00');
    expect(cell(d, '名称：兰溪市悦济舫餐厅')).toBeDefined();
    expectInOrder(d, ['浙江增值税电子普通发票', '发票号码：83089647', '名称：江苏京利华新材料有限公司', '收款人：管理员']);
  });

  it('999.ofd: five pages, each with its own template; the goods lists as 9-column grids', async () => {
    const d = await sample('999.ofd');
    expect(d.pages).toBe(5);
    const lists = exact(d).filter((t) => t.rows[0]?.map((c) => c.text).join('|') === '序号|项目名称|规格型号|单位|数量|单价|金额|税率|税额');
    expect(lists.map((t) => t.page)).toEqual([2, 3, 4, 5]);
    expect(lists[0].rows[1].find((c) => c.col === 6)?.text.split('\n').at(-1)).toBe('¥2600.00');
    expect(rightOf(d, '价税合计（大写）')?.text).toBe('壹万零陆佰圆整（小写）¥10600.00');
    expectInOrder(d, ['重庆增值税电子普通发票', '销售货物或者提供应税劳务、服务清单', '共 4 页第 1 页', '共 4 页第 4 页']);
  });

  it('keyword.ofd: a certificate; multi-line TextCodes (DeltaX back, DeltaY down) and a slanted watermark kept out', async () => {
    const d = await sample('keyword.ofd');
    expectInOrder(d, ['鲁（2020）泰安市不动产证明第0014777号', '中国建设银行股份有限公司泰安分行', '岱岳区青春创业开发区鑫源小区25号楼1单元601室', '担保债权数额：35万元']);
    expect(text(d)).not.toContain('房产证明');
  });

  it('文字横向-数科.ofd (Suwell): rotated glyphs through a CTM, and a horizontal row', async () => {
    const d = await sample('文字横向-数科.ofd');
    expect(text(d)).toContain('一二三四');
    expect(text(d)).toContain('1212');
  });

  it('helloworld.ofd and helloworld_with_pageblock.ofd give the same line', async () => {
    for (const f of ['helloworld.ofd', 'helloworld_with_pageblock.ofd']) {
      const d = await sample(f);
      expect(d.blocks).toEqual([{ kind: 'paragraph', text: '你好呀，OFD Reader&Writer！', page: 1 }]);
    }
  });

  it('every sample is detected as OFD by content and read without a warning', async () => {
    for (const f of ['n.ofd', '发票示例.ofd', '1.ofd', '999.ofd', '文字横向-数科.ofd', 'keyword.ofd', 'helloworld.ofd', 'helloworld_with_pageblock.ofd']) {
      const bytes = readFileSync(`${SHARED}/${f}`);
      expect([f, sniff(bytes, 'x.bin')]).toEqual([f, 'ofd']);
      const d = await readDocument(bytes, { path: f });
      expect([f, d.warnings]).toEqual([f, []]);
    }
  });
});

describe('OFD notation', () => {
  it('DeltaX with the g repeat notation', () => {
    expect(parseDeltas('g 3 1.5', 10)).toEqual([1.5, 1.5, 1.5]);
    expect(parseDeltas('1.59 g 4 3.17 1.59 3.17', 10)).toEqual([1.59, 3.17, 3.17, 3.17, 3.17, 1.59, 3.17]);
    // More deltas than glyphs: the extras are unused.
    expect(parseDeltas('g 1 3.175 -3.175', 1)).toEqual([3.175]);
    expect(parseDeltas('g x 1 2', 5)).toEqual([2]);
    expect(parseDeltas(undefined, 5)).toEqual([]);
  });

  it('AbbreviatedData: S/M start, L lines, curves flagged, C closes', () => {
    expect(parsePath('S 0 0 L 156 0 C')).toEqual([{ pts: [[0, 0], [156, 0]], closed: true, curved: false }]);
    expect(parsePath('M 0 0 L 10 0 L 10 5 L 0 5 C M 1 1 B 2 2 3 3 4 4')).toEqual([
      { pts: [[0, 0], [10, 0], [10, 5], [0, 5]], closed: true, curved: false },
      { pts: [[1, 1], [4, 4]], closed: false, curved: true },
    ]);
    // Operands without a command repeat the last one; junk is skipped.
    expect(parsePath('M 0 0 L 1 0 2 0 X 7 Q 1 1 5 5 A 1 1 0 0 1 9 9')).toEqual([{ pts: [[0, 0], [1, 0], [2, 0], [5, 5], [9, 9]], closed: false, curved: true }]);
  });
});

/** A 2×2 ruled grid at (20, 20) mm with the given cell texts. */
function grid(cells: [string, string, string, string], color = '0 0 0', last = textObject(cells[3], 72, 37)): string {
  const [x0, x1, x2, y0, y1, y2] = [20, 70, 120, 20, 30, 40];
  return [
    lineObject(x0, y0, x2, y0, color), lineObject(x0, y1, x2, y1, color), lineObject(x0, y2, x2, y2, color),
    lineObject(x0, y0, x0, y2, color), lineObject(x1, y0, x1, y2, color), lineObject(x2, y0, x2, y2, color),
    textObject(cells[0], 22, 27), textObject(cells[1], 72, 27), textObject(cells[2], 22, 37), last,
  ].join('');
}

async function errorOf(p: Promise<unknown>): Promise<NianbaoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NianbaoError);
    return e as NianbaoError;
  }
  throw new Error('expected a NianbaoError');
}

describe('OFD reader', () => {
  it('stroked PathObjects become a ruled grid', async () => {
    const d = await read(minimalOfd({ pages: [grid(['项目', '数量', '收费金额', '12'])] }));
    expect(exact(d).map((t) => t.rows.map((r) => r.map((c) => c.text)))).toEqual([[['项目', '数量'], ['收费金额', '12']]]);
  });

  it('white rulings are invisible: the same text is no grid', async () => {
    const d = await read(minimalOfd({ pages: [grid(['项目', '数量', '收费金额', '12'], '255 255 255')] }));
    expect(exact(d)).toEqual([]);
    const white = await read(minimalOfd({ pages: [grid(['项目', '数量', '收费金额', '12'], '#ff #ff #ff')] }));
    expect(exact(white)).toEqual([]);
  });

  it('colours inherited from the layer\'s DrawParam (white hides the grid) and a black one keeps it', async () => {
    const bare = grid(['项目', '数量', '收费金额', '12']).replace(/<ofd:StrokeColor Value="0 0 0"\/>/g, '');
    const res = (v: string) => `<ofd:DrawParams><ofd:DrawParam ID="5" LineWidth="0.3"><ofd:StrokeColor Value="${v}"/></ofd:DrawParam></ofd:DrawParams>`;
    const white = await read(minimalOfd({ pages: [bare], layerAttrs: ' DrawParam="5"', res: res('255 255 255') }));
    expect(exact(white)).toEqual([]);
    const black = await read(minimalOfd({ pages: [bare], layerAttrs: ' DrawParam="5"', res: res('0 0 0') }));
    expect(exact(black)).toHaveLength(1);
  });

  it('a CompositeObject draws its CompositeGraphicUnit where it stands', async () => {
    const unit = `<ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="8" Width="130" Height="30"><ofd:Content>${grid(['项目', '数量', '收费金额', '12'])}</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits>`;
    const d = await read(minimalOfd({ pages: ['<ofd:CompositeObject ID="9" Boundary="0 100 200 50" ResourceID="8"/>'], res: unit }));
    expect(exact(d).map((t) => t.rows.map((r) => r.map((c) => c.text)))).toEqual([[['项目', '数量'], ['收费金额', '12']]]);
  });

  it('CTM and Boundary: a value drawn through a scaling CTM lands in its cell', async () => {
    // Size and positions in half millimetres, the CTM halving them and moving them from the page origin
    // into the cell: the same glyphs as textObject('12', 72, 37).
    const scaled = '<ofd:TextObject ID="1" Boundary="0 0 210 297" CTM="0.5 0 0 0.5 72 32.767" Font="1" Size="8.4666"><ofd:TextCode X="0" Y="8.4666" DeltaX="4.2333">12</ofd:TextCode></ofd:TextObject>';
    const plain = await read(minimalOfd({ pages: [grid(['项目', '数量', '收费金额', '12'])] }));
    const viaCtm = await read(minimalOfd({ pages: [grid(['项目', '数量', '收费金额', ''], '0 0 0', scaled)] }));
    expect(viaCtm.blocks).toEqual(plain.blocks);
  });

  it('TextCode without DeltaX uses a default advance; spaces and a second TextCode with its own X/Y', async () => {
    const obj = '<ofd:TextObject ID="1" Boundary="20 20 100 20" Font="2" Size="4"><ofd:TextCode X="0" Y="4">AB 12</ofd:TextCode><ofd:TextCode X="0" Y="14">第二行</ofd:TextCode></ofd:TextObject>';
    const d = await read(minimalOfd({ pages: [obj] }));
    expect(text(d)).toBe('AB 12第二行');
  });

  it('text turned by a CTM (a label on its side) reads as one string', async () => {
    // 90° clockwise: the baseline runs down the page from (30, 30) mm.
    const turned = '<ofd:TextObject ID="1" Boundary="30 30 6 40" CTM="0 1 -1 0 0 0" Font="1" Size="4"><ofd:TextCode X="0" Y="0" DeltaX="g 6 4">本年度办理结果</ofd:TextCode></ofd:TextObject>';
    const d = await read(minimalOfd({ pages: [turned] }));
    expect(d.blocks.map((b) => (b.kind === 'paragraph' ? b.text : '?'))).toEqual(['本年度办理结果']);
  });

  it('objects nested in PageBlocks, and templates drawn under the page', async () => {
    const nested = `<ofd:PageBlock ID="2"><ofd:PageBlock ID="3">${textObject('第一段文字', 20, 40)}</ofd:PageBlock></ofd:PageBlock>`;
    const tpl = `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="9">${textObject('模板页眉', 20, 20)}</ofd:Layer></ofd:Content></ofd:Page>`;
    const d = await read(
      minimalOfd({
        pages: [nested],
        commonData: '<ofd:TemplatePage ID="7" BaseLoc="Tpls/T/Content.xml"/>',
        pageHead: '<ofd:Template TemplateID="7" ZOrder="Background"/>',
        files: { 'Doc_0/Tpls/T/Content.xml': tpl },
      }),
    );
    expect(text(d)).toBe('模板页眉第一段文字');
  });

  it('signatures and annotations are ignored; a slanted watermark is not read', async () => {
    const mark = '<ofd:TextObject ID="5" Boundary="50 150 80 80" CTM="0.7071 -0.7071 0.7071 0.7071 0 0" Font="1" Size="10"><ofd:TextCode X="0" Y="10" DeltaX="g 3 10">内部资料</ofd:TextCode></ofd:TextObject>';
    const d = await read(
      minimalOfd({
        pages: [textObject('正文', 20, 40) + mark],
        docBody: '<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>',
        files: { 'Doc_0/Signs/Signatures.xml': 'not even xml', 'Doc_0/Signs/Sign_0/SignedValue.dat': new Uint8Array([1, 2, 3]), 'Doc_0/Annots/Annotations.xml': '<<<' },
      }),
    );
    expect(text(d)).toBe('正文');
    expect(d.warnings).toEqual([]);
  });

  it('unprefixed elements read the same as ofd:-prefixed ones', async () => {
    const bytes = minimalOfd({ pages: [textObject('无前缀', 20, 40)] });
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
    const files = unzipSync(bytes);
    for (const k of Object.keys(files)) files[k] = strToU8(strFromU8(files[k]).replace(/ofd:/g, '').replace('xmlns:ofd=', 'xmlns='));
    expect(text(await read(zipSync(files)))).toBe('无前缀');
  });

  it('entry names with backslashes or ./ and references with a leading / or other case still resolve', async () => {
    const bytes = minimalOfd({ pages: [textObject('路径', 20, 40)] });
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
    const files = unzipSync(bytes);
    const out: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(files)) out[k === 'OFD.xml' ? './OFD.xml' : k.replace(/\//g, '\\')] = v;
    out['./OFD.xml'] = strToU8(strFromU8(files['OFD.xml']).replace('<ofd:DocRoot>Doc_0/Document.xml', '<ofd:DocRoot>/DOC_0/document.xml'));
    const odd = zipSync(out);
    expect(sniff(odd)).toBe('ofd');
    expect(text(await readDocument(odd, { path: 'odd.ofd' }))).toBe('路径');
  });

  it('a page declared and written in GBK, and a DocBody without DocRoot', async () => {
    const { encodeGbk } = await import('./helpers/fill-template.js');
    const page = `<?xml version="1.0" encoding="GB2312"?><ofd:Page xmlns:ofd="x"><ofd:Content><ofd:Layer>${textObject('国标编码', 20, 40)}</ofd:Layer></ofd:Content></ofd:Page>`;
    const bytes = minimalOfd({ pages: ['x'], files: { 'Doc_0/Pages/Page_0/Content.xml': encodeGbk(page) } });
    expect(text(await read(bytes))).toBe('国标编码');
    const noRoot = minimalOfd({ pages: [textObject('无根', 20, 40)], files: { 'OFD.xml': '<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocInfo/></ofd:DocBody></ofd:OFD>' } });
    expect(text(await read(noRoot))).toBe('无根');
  });

  it('encrypted OFD: a clear error', async () => {
    const e = await errorOf(read(minimalOfd({ pages: [textObject('正文', 20, 40)], files: { 'Encryptions.xml': '<Encryptions/>' } })));
    expect(e.code).toBe('encrypted');
    expect(e.message).toMatch(/^OFD: encrypted/);
  });

  it('broken packages: corrupt, naming OFD and the part', async () => {
    const noRoot = await errorOf(read(minimalOfd({ pages: [], files: { 'OFD.xml': '<ofd:OFD xmlns:ofd="x"><ofd:DocBody><ofd:DocRoot>Doc_9/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>' } })));
    expect([noRoot.code, noRoot.message]).toEqual(['corrupt', 'OFD: the document root Doc_9/Document.xml named in OFD.xml is missing']);
    const dtd = await errorOf(read(minimalOfd({ pages: [], files: { 'Doc_0/Document.xml': '<!DOCTYPE x [<!ENTITY a "b">]><ofd:Document/>' } })));
    expect(dtd.code).toBe('corrupt');
    expect(dtd.message).toMatch(/^OFD: Doc_0\/Document\.xml: .*DOCTYPE/);
    const noText = await errorOf(read(minimalOfd({ pages: [lineObject(10, 10, 100, 10)] })));
    expect(noText.code).toBe('no-text');
  });

  it('a page that cannot be read is a warning when others can', async () => {
    const bytes = minimalOfd({ pages: [textObject('第一页', 20, 40), 'x'], files: { 'Doc_0/Pages/Page_1/Content.xml': new Uint8Array([0x3c, 0x61, 0xff, 0xfe, 0x3e]) } });
    const d = await read(bytes);
    expect(text(d)).toBe('第一页');
    expect(d.pages).toBe(2);
    expect(d.warnings).toEqual([expect.stringMatching(/^page 2 could not be read: OFD: Doc_0\/Pages\/Page_1\/Content\.xml: XML is not valid UTF-8/)]);
  });
});

// ---------------------------------------------------------------- hostile and damaged packages

/** Resolves, or rejects with a NianbaoError: anything else (a TypeError, a RangeError, a hang) fails. */
async function outcome(bytes: Uint8Array): Promise<string> {
  try {
    const d = await readDocument(bytes, { path: 'fuzz.ofd' });
    return `ok ${d.blocks.length}`;
  } catch (e) {
    if (e instanceof NianbaoError) return e.code;
    throw e;
  }
}

const MUTATION_CHARS = ['<', '>', '"', ' ', '/', 'g', '-', '9', 'e', '.', '&', '\u0000', 'ofd:', '1e308', 'NaN', '-1e9'];

/** One seeded edit of an XML text: delete, duplicate or overwrite a slice, or cut it short. */
function mutate(s: string, r: () => number): string {
  const at = Math.floor(r() * s.length);
  const len = 1 + Math.floor(r() * 40);
  switch (Math.floor(r() * 4)) {
    case 0:
      return s.slice(0, at) + s.slice(at + len);
    case 1:
      return s.slice(0, at) + s.slice(at, at + len).repeat(1 + Math.floor(r() * 50)) + s.slice(at);
    case 2:
      return s.slice(0, at) + MUTATION_CHARS[Math.floor(r() * MUTATION_CHARS.length)] + s.slice(at + 1);
    default:
      return s.slice(0, at);
  }
}

describe('damaged OFD never crashes the reader', () => {
  const model = { pages: [grid(['项目', '数量', '收费金额', '12']) + textObject('正文第一段', 20, 80)] };
  const good = minimalOfd({ ...model, commonData: '<ofd:TemplatePage ID="7" BaseLoc="Tpls/T/Content.xml"/>', pageHead: '<ofd:Template TemplateID="7"/>', files: { 'Doc_0/Tpls/T/Content.xml': `<ofd:Page xmlns:ofd="x"><ofd:Content><ofd:Layer>${lineObject(10, 10, 200, 10)}</ofd:Layer></ofd:Content></ofd:Page>` } });

  it('cut anywhere: a clean error (corrupt) or what could be read', async () => {
    const r = prng(20240607);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const cut = good.subarray(0, Math.floor(r() * good.length));
      seen.add(await outcome(cut));
    }
    expect([...seen].every((o) => o === 'corrupt' || o.startsWith('ok') || o === 'unsupported')).toBe(true);
    expect(seen.has('corrupt')).toBe(true);
  });

  it('flipped bytes in the package: a clean error or a reading', async () => {
    const r = prng(7);
    for (let i = 0; i < 60; i++) {
      const b = new Uint8Array(good);
      for (let k = 0; k < 1 + Math.floor(r() * 8); k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      expect(await outcome(b)).toMatch(/^(ok \d+|corrupt|unsupported|too-large|no-text|encrypted)$/);
    }
  });

  it('mutated Content.xml, Document.xml and OFD.xml (seeded): a clean error or a reading', async () => {
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
    const parts = unzipSync(good);
    const names = ['Doc_0/Pages/Page_0/Content.xml', 'Doc_0/Pages/Page_0/Content.xml', 'Doc_0/Tpls/T/Content.xml', 'Doc_0/Document.xml', 'OFD.xml', 'Doc_0/PublicRes.xml'];
    const r = prng(33);
    const outcomes = new Set<string>();
    for (let i = 0; i < 150; i++) {
      const name = names[Math.floor(r() * names.length)];
      let xml = strFromU8(parts[name]);
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) xml = mutate(xml, r);
      const o = await outcome(zipSync({ ...parts, [name]: strToU8(xml) }));
      expect([i, name, o]).toEqual([i, name, expect.stringMatching(/^(ok \d+|corrupt|no-text)$/)]);
      outcomes.add(o.split(' ')[0]);
    }
    // The mutations reach both outcomes: some break the part, some leave it readable.
    expect([...outcomes].sort()).toEqual(expect.arrayContaining(['corrupt', 'ok']));
  });

  it('hostile numbers: huge repeat counts, sizes and coordinates, a zero CTM', async () => {
    const huge = [
      '<ofd:TextObject ID="1" Boundary="1e308 -1e308 1 1" Font="1" Size="1e300"><ofd:TextCode X="NaN" Y="1e308" DeltaX="g 999999999999 1e308">天地</ofd:TextCode></ofd:TextObject>',
      '<ofd:TextObject ID="2" Boundary="20 20 10 10" CTM="0 0 0 0 0 0" Font="1" Size="4"><ofd:TextCode X="0" Y="4">零矩阵</ofd:TextCode></ofd:TextObject>',
      `<ofd:PathObject ID="3" Boundary="0 0 1 1"><ofd:AbbreviatedData>${'M 0 0 L 1e308 0 '.repeat(2000)}A 1 1 0 0 1 5</ofd:AbbreviatedData></ofd:PathObject>`,
      textObject('正文', 20, 60),
    ].join('');
    // A repeat count taken literally would loop 10¹² times; the test's timeout is what catches that.
    const d = await read(minimalOfd({ pages: [huge] }));
    expect(text(d)).toContain('正文');
  });
});
