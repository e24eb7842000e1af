import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { expandGrid } from '../src/document/grid.js';
import type { Block, DocumentModel, Table } from '../src/document/model.js';
import { isNianbaoError } from '../src/errors.js';
import { read } from '../src/ingest/pdf.js';
import { KEEP_HEAP_BYTES, loadPdfium, openPdfium, renderPage } from '../src/ingest/pdf/pdfium.js';
import { foldCompat } from '../src/document/layout/text.js';
import { makePdf, type PdfPage, type PdfText } from './helpers/make-pdf.js';
import { imagePdf } from './helpers/image-pdf.js';

const SAMPLES = ['huaian-shizhengfu-2024', 'hongze-quzhengfu-2023'] as const;

function expected(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`tests/fixtures/expected/${name}.expected.json`, 'utf8')).values;
}

const docs = new Map<string, Promise<DocumentModel>>();
function sample(name: string): Promise<DocumentModel> {
  let d = docs.get(name);
  if (!d) docs.set(name, (d = read(readFileSync(`samples/${name}.pdf`), { path: `${name}.pdf` })));
  return d;
}

const squash = (s: string) => s.replace(/\s+/g, '');
const tables = (doc: DocumentModel) => doc.blocks.filter((b): b is Table => b.kind === 'table');
const tableWith = (doc: DocumentModel, label: string) => tables(doc).filter((t) => t.rows.some((r) => r.some((c) => squash(c.text).includes(label))));
const num = (s: string | undefined) => (s !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : undefined);

/** Rows of the dense grid that end in `n` numeric cells, as [label, numbers]. */
function numericRows(t: Table, n: number): { label: string; values: number[]; cols: number[] }[] {
  const out: { label: string; values: number[]; cols: number[] }[] = [];
  for (const row of expandGrid(t)) {
    const tail = row.slice(-n);
    if (tail.length !== n || tail.some((c) => num(c?.text) === undefined)) continue;
    if (new Set(tail).size !== n) continue; // a merged cell repeated across the tail is one value, not n
    const label = row.slice(0, -n).map((c) => squash(c?.text ?? '')).filter(Boolean).pop() ?? '';
    out.push({ label, values: tail.map((c) => num(c!.text)!), cols: tail.map((c) => c!.col) });
  }
  return out;
}

const T3_ROWS = [
  'newReceived', 'carriedOver', 'results.granted', 'results.partiallyGranted',
  ...['stateSecret', 'prohibitedByLaw', 'safetyStability', 'thirdPartyRights', 'internalAffairs', 'processInformation', 'enforcementFiles', 'administrativeQuery'].map((k) => `results.denied.${k}`),
  ...['notHeld', 'needsCreation', 'unclearAfterCorrection'].map((k) => `results.unableToProvide.${k}`),
  ...['complaint', 'duplicate', 'publication', 'excessive', 'confirmation'].map((k) => `results.notProcessed.${k}`),
  ...['overdueCorrection', 'unpaidFee', 'other'].map((k) => `results.otherDisposal.${k}`),
  'results.total', 'carriedForward',
];
const COUNTS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'otherOrg', 'total'];

describe.each(SAMPLES)('sample %s', (name) => {
  const values = expected(name);

  it('stitches table 3 across the page break into one exact table with the answer-key numbers', async () => {
    const doc = await sample(name);
    const t3 = tableWith(doc, '本年新收政府信息公开申请数量');
    expect(t3).toHaveLength(1);
    const t = t3[0];
    expect(t.grid).toBe('exact');
    expect(t.ruled).toBe(true);
    expect(t.endPage).toBe((t.page ?? 0) + 1);
    expect(t.rows.flat().every((c) => typeof c.page === 'number')).toBe(true);
    const rows = numericRows(t, 7);
    const known = T3_ROWS.filter((p) => `applications.${p}.total` in values);
    // Hongze prints （六） as one row, so only the rows the key has are compared, in order.
    const got = rows.map((r) => r.values);
    const want = known.map((p) => COUNTS.map((k) => values[`applications.${p}.${k}`]));
    if (name === 'huaian-shizhengfu-2024') {
      expect(got).toEqual(want);
      expect(rows[0].label).toBe('一、本年新收政府信息公开申请数量');
      expect(rows[0].values).toEqual([3001, 53, 0, 0, 61, 4, 3119]);
      const total = rows.find((r) => r.label === '（七）总计');
      expect(total?.values).toEqual([2932, 53, 0, 0, 61, 4, 3050]);
    } else {
      expect(got[0]).toEqual(want[0]);
      expect(got[1]).toEqual(want[1]);
      expect(got.at(-1)).toEqual(want.at(-1));
      expect(rows.find((r) => r.label === '（七）总计')?.values).toEqual([21, 0, 0, 0, 0, 0, 21]);
    }
    // Every data row has its numbers in the same seven grid columns.
    for (const r of rows) expect(r.cols).toEqual(rows[0].cols);
  });

  it('reads the 15 numbers of table 4 in order', async () => {
    const doc = await sample(name);
    const t4 = tableWith(doc, '未经复议直接起诉');
    expect(t4).toHaveLength(1);
    const rows = numericRows(t4[0], 15);
    expect(rows).toHaveLength(1);
    const want = ['review', 'litigationDirect', 'litigationAfterReview'].flatMap((b) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].map((k) => values[`reviewLitigation.${b}.${k}`]),
    );
    expect(rows[0].values).toEqual(want);
  });

  it('reads table 2 values beside their labels', async () => {
    const doc = await sample(name);
    const t2 = tableWith(doc, '行政事业性收费');
    expect(t2).toHaveLength(1);
    const grid = expandGrid(t2[0]);
    const valuesOf = (label: string) => {
      const row = grid.find((r) => squash(r[0]?.text ?? '') === label);
      return [...new Set(row!.slice(1))].map((c) => num(c?.text));
    };
    const p = (k: string) => values[`proactive.${k}`];
    expect(valuesOf('规章')).toEqual([p('regulations.issued'), p('regulations.repealed'), p('regulations.inForce')]);
    expect(valuesOf('行政规范性文件')).toEqual([p('normativeDocuments.issued'), p('normativeDocuments.repealed'), p('normativeDocuments.inForce')]);
    expect(valuesOf('行政许可')).toEqual([p('licensing.decisions')]);
    expect(valuesOf('行政处罚')).toEqual([p('punishment.decisions')]);
    expect(valuesOf('行政强制')).toEqual([p('coercion.decisions')]);
    expect(valuesOf('行政事业性收费')).toEqual([p('fees.amount')]);
  });

  it('drops page numbers and keeps the narrative', async () => {
    const doc = await sample(name);
    const texts = doc.blocks.flatMap((b: Block) => (b.kind === 'paragraph' ? [b.text] : b.rows.flat().map((c) => c.text)));
    for (const t of texts) expect(t).not.toMatch(/(^|\n)\s*[-—–]\s*\d+\s*[-—–]\s*($|\n)/);
    expect(doc.pages).toBe(name.startsWith('huaian') ? 6 : 5);
    expect(doc.warnings).toEqual([]);
    const paras = doc.blocks.filter((b) => b.kind === 'paragraph').map((b) => squash((b as { text: string }).text));
    const sentence = name.startsWith('huaian') ? '全市共受理政府信息公开申请3119件' : '全区受理政府信息公开申请21件';
    expect(paras.some((p) => p.includes(sentence))).toBe(true);
    expect(paras).toContain('一、总体情况');
  });
});

describe('sample-specific layout', () => {
  it('keeps every glyph of a vertical-font group label (pdfjs getTextContent drops half of it)', async () => {
    const t = tableWith(await sample('hongze-quzhengfu-2023'), '本年新收政府信息公开申请数量')[0];
    expect(t.rows.flat().some((c) => squash(c.text) === '三、本年度办理结果')).toBe(true);
    // （四）无法提供 spans its three rows, two on one page and one on the next.
    const group = t.rows.flat().find((c) => squash(c.text) === '（四）无法提供');
    expect(group?.rowSpan).toBe(3);
  });

  it('restores a group label cut by the page break', async () => {
    const t = tableWith(await sample('huaian-shizhengfu-2024'), '本年新收政府信息公开申请数量')[0];
    const group = t.rows.flat().find((c) => squash(c.text) === '（四）无法提供');
    expect(group?.rowSpan).toBe(3);
    expect(t.rows.flat().find((c) => squash(c.text) === '三、本年度办理结果')?.rowSpan).toBe(22);
  });

  it('does not detach the caller\'s buffer', async () => {
    const bytes = readFileSync('samples/hongze-quzhengfu-2023.pdf');
    const before = bytes.length;
    await read(bytes, {});
    expect(bytes.length).toBe(before);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

// ---------- synthetic PDFs ----------

const cjk = (x: number, y: number, text: string, size = 10): PdfText => ({ x, y, text, size, font: 'cjk' });

/** A ruled grid: xs left→right, ys top→bottom (PDF y, descending); texts[r][c] placed in cells; merges by null. */
function ruled(xs: number[], ys: number[], texts: (string | null)[][], opts: { noTop?: boolean; filled?: boolean } = {}): Pick<PdfPage, 'lines' | 'rects' | 'texts'> {
  const lines: [number, number, number, number][] = [];
  const out: PdfText[] = [];
  for (let r = 0; r < ys.length; r++) {
    if (r === 0 && opts.noTop) continue;
    lines.push([xs[0], ys[r], xs[xs.length - 1], ys[r]]);
  }
  for (let r = 0; r < texts.length; r++) {
    for (let c = 0; c <= texts[r].length; c++) {
      // No vertical border before a null cell (merged with its left neighbour).
      if (c > 0 && c < texts[r].length && texts[r][c] === null) continue;
      const x = c === texts[r].length ? xs[xs.length - 1] : xs[c];
      lines.push([x, ys[r], x, ys[r + 1]]);
    }
    texts[r].forEach((t, c) => {
      if (t) out.push(cjk(xs[c] + 3, ys[r + 1] + 5, t));
    });
  }
  if (opts.filled) {
    const rects = lines.map(([x1, y1, x2, y2]): [number, number, number, number] =>
      y1 === y2 ? [Math.min(x1, x2), y1 - 0.25, Math.abs(x2 - x1), 0.5] : [x1 - 0.25, Math.min(y1, y2), 0.5, Math.abs(y2 - y1)],
    );
    return { rects, texts: out };
  }
  return { lines, texts: out };
}

async function parse(pages: PdfPage[]): Promise<DocumentModel> {
  return read(makePdf(pages), {});
}

async function failure(bytes: Uint8Array, opts = {}): Promise<{ code: string; message: string }> {
  try {
    await read(bytes, opts);
  } catch (e) {
    if (isNianbaoError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('synthetic PDFs', () => {
  it('reads non-embedded CJK text through the cMaps', async () => {
    const doc = await parse([{ texts: [cjk(72, 770, '全市共受理政府信息公开申请 3119 件。', 12)] }]);
    expect(doc.blocks).toEqual([{ kind: 'paragraph', text: '全市共受理政府信息公开申请 3119 件。', page: 1 }]);
  });

  it('builds an exact table with merged cells from stroked lines and from thin filled rectangles', async () => {
    for (const filled of [false, true]) {
      const grid = ruled([72, 200, 260, 320], [700, 680, 660, 640], [['信息内容', '本年处理决定数量', null], ['行政许可', '447228', null], ['规章', '1', '0']], { filled });
      const doc = await parse([{ ...grid }]);
      const t = tables(doc);
      expect(t).toHaveLength(1);
      expect(t[0]).toMatchObject({ grid: 'exact', ruled: true, page: 1 });
      expect(t[0].endPage).toBeUndefined();
      expect(t[0].rows.map((r) => r.map((c) => [c.text, c.row, c.col, c.rowSpan, c.colSpan]))).toEqual([
        [['信息内容', 0, 0, 1, 1], ['本年处理决定数量', 0, 1, 1, 2]],
        [['行政许可', 1, 0, 1, 1], ['447228', 1, 1, 1, 2]],
        [['规章', 2, 0, 1, 1], ['1', 2, 1, 1, 1], ['0', 2, 2, 1, 1]],
      ]);
    }
  });

  it('falls back to column alignment without rulings (loose grid, x in points)', async () => {
    const texts = [
      cjk(72, 760, '二、主动公开政府信息情况', 12),
      cjk(72, 730, '信息内容'), cjk(250, 730, '本年制发件数'), cjk(350, 730, '本年废止件数'),
      cjk(72, 710, '规章'), cjk(250, 710, '1'), cjk(350, 710, '0'),
      cjk(72, 690, '行政规范性文件'), cjk(250, 690, '8'), cjk(350, 690, '26'),
    ];
    const doc = await parse([{ texts }]);
    expect(doc.blocks[0]).toMatchObject({ kind: 'paragraph', text: '二、主动公开政府信息情况' });
    const t = tables(doc);
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ grid: 'loose', ruled: false, page: 1 });
    expect(t[0].rows.map((r) => r.map((c) => c.text))).toEqual([
      ['信息内容', '本年制发件数', '本年废止件数'],
      ['规章', '1', '0'],
      ['行政规范性文件', '8', '26'],
    ]);
    const eight = t[0].rows[2][1];
    expect(eight).toMatchObject({ row: 2, col: 1, page: 1 });
    expect(eight.x0).toBeCloseTo(250, 0);
    expect(eight.x1! - eight.x0!).toBeGreaterThan(3);
  });

  it('joins a borderless row set on several lines: wrapped label, values on different lines', async () => {
    const texts = [
      cjk(72, 730, '信息内容'), cjk(250, 730, '自然人'), cjk(330, 730, '总计'),
      cjk(72, 710, '一、本年新收'), cjk(250, 710, '5'), cjk(330, 710, '5'),
      // The label fills its column and wraps; the total is top-aligned, the other value centred.
      cjk(72, 690, '（二）部分公开区分处理的只计这一'), cjk(330, 690, '33'),
      cjk(250, 678, '0'),
      cjk(72, 666, '情形'),
      cjk(72, 646, '四、结转'), cjk(250, 646, '1'), cjk(330, 646, '1'),
    ];
    const [t] = tables(await parse([{ texts }]));
    expect(t).toMatchObject({ grid: 'loose' });
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['信息内容', '自然人', '总计'],
      ['一、本年新收', '5', '5'],
      ['（二）部分公开区分处理的只计这一\n情形', '0', '33'],
      ['四、结转', '1', '1'],
    ]);
  });

  it('splits a borderless row where a value starts at a column, however narrow the gutter', async () => {
    const texts = [0, 1, 2].flatMap((r) => [cjk(72, 700 - 20 * r, `${r + 1}.事项`), ...[0, 1, 2].map((c): PdfText => ({ x: 200 + 30 * c, y: 700 - 20 * r, text: String(100 + r * 10 + c), size: 10 }))]);
    // Helvetica digits: 16.7 pt wide, 13.3 pt (1.3 em) apart, under the 1.5 em of a plain gutter.
    const [t] = tables(await parse([{ texts }]));
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([0, 1, 2].map((r) => [`${r + 1}.事项`, ...[0, 1, 2].map((c) => String(100 + r * 10 + c))]));
  });

  it('reads no space where CJK meets digits across a narrow autospace gap, and keeps typed spaces', async () => {
    const doc = await parse([{
      texts: [
        cjk(72, 770, '统计期限为', 12), { x: 72 + 60 + 2.4, y: 770, text: '2023', size: 12 }, cjk(72 + 60 + 2.4 + 26.7 + 2.4, 770, '年。', 12),
        cjk(72, 740, 'XX 县人民政府。', 12),
      ],
    }]);
    expect(doc.blocks.map((b) => (b as { text: string }).text)).toEqual(['统计期限为2023年。XX 县人民政府。']);
  });

  it('stitches a table across pages: repeated header dropped, cut row joined, page on every cell', async () => {
    const xs = [72, 250, 330, 410];
    const header = ['项目', '自然人', '总计'];
    const p1 = ruled(xs, [200, 180, 160, 140], [header, ['一、本年新收', '5', '5'], ['二、上年结转申请数量很长', '', '']]);
    // Page 2: the header again, then the rest of the cut row (values, no label) with no border on top.
    const p2top = ruled(xs, [800, 780], [header]);
    const p2 = ruled(xs, [780, 760, 740], [['', '3', '3'], ['四、结转下年度', '1', '1']], { noTop: true });
    const footer = (n: number): PdfText => ({ x: 290, y: 40, text: `- ${n} -`, size: 10 });
    const doc = await parse([
      { ...p1, texts: [...p1.texts!, footer(1)] },
      { lines: [...p2top.lines!, ...p2.lines!], texts: [...p2top.texts!, ...p2.texts!, footer(2)] },
    ]);
    expect(doc.blocks).toHaveLength(1);
    const [t] = tables(doc);
    expect(t).toMatchObject({ page: 1, endPage: 2 });
    expect(t.rows.map((r) => r.map((c) => c.text))).toEqual([header, ['一、本年新收', '5', '5'], ['二、上年结转申请数量很长', '3', '3'], ['四、结转下年度', '1', '1']]);
    expect(t.rows[2].map((c) => c.page)).toEqual([1, 2, 2]);
    expect(t.rows[3][0].page).toBe(2);
  });

  it('keeps tables apart when the columns differ', async () => {
    const a = ruled([72, 200, 300], [200, 180, 160], [['甲', '1'], ['乙', '2']]);
    const b = ruled([72, 120, 300, 400], [800, 780, 760], [['丙', '3', '4'], ['丁', '5', '6']]);
    const doc = await parse([{ ...a }, { ...b }]);
    expect(tables(doc).map((t) => [t.page, t.endPage])).toEqual([[1, undefined], [2, undefined]]);
  });

  it('drops page headers and footers', async () => {
    const long = '政府信息公开工作年度报告的正文一行写满三十个汉字左右再换行';
    const doc = await parse([
      { texts: [cjk(72, 770, long, 12), cjk(72, 750, '正文第一段。', 12), { x: 290, y: 40, text: '- 1 -', size: 10 }, cjk(280, 810, '第 1 页', 9)] },
      { texts: [cjk(72, 770, long, 12), cjk(72, 750, '正文第二段。', 12), { x: 290, y: 40, text: '2', size: 10 }, { x: 290, y: 25, text: '— 2 —', size: 10 }] },
    ]);
    expect(doc.blocks.map((b) => (b.kind === 'paragraph' ? b.text : ''))).toEqual([`${long}正文第一段。`, `${long}正文第二段。`]);
  });

  it('splits paragraphs at indentation and headings, joins wrapped lines', async () => {
    const doc = await parse([{
      texts: [
        cjk(72, 770, '一、总体情况', 12),
        cjk(96, 750, '二〇二四年，我市坚持以习近平新时代中国特色社会主义', 12),
        cjk(72, 730, '思想为指导，完成了各项任务。', 12),
        cjk(96, 710, '（一）主动公开情况。全年主动公开政府信息一千余条', 12),
        cjk(72, 690, '，持续推进。', 12),
      ],
    }]);
    expect(doc.blocks.map((b) => (b as { text: string }).text)).toEqual([
      '一、总体情况',
      '二〇二四年，我市坚持以习近平新时代中国特色社会主义思想为指导，完成了各项任务。',
      '（一）主动公开情况。全年主动公开政府信息一千余条，持续推进。',
    ]);
    expect((doc.blocks[0] as { level?: number }).level).toBe(1);
  });

  it('parses an encrypted PDF that needs no password', async () => {
    const bytes = makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }], { encrypt: { userPassword: '' } });
    const doc = await read(bytes, {});
    expect(doc.blocks).toEqual([{ kind: 'paragraph', text: '政府信息公开', page: 1 }]);
  });

  it('refuses a PDF with a user password', async () => {
    const bytes = makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }], { encrypt: { userPassword: 'secret' } });
    expect(await failure(bytes)).toEqual({ code: 'encrypted', message: 'encrypted: a password is required' });
  });

  it('reports truncated and garbage files as corrupt, in one line', async () => {
    const full = makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }, { texts: [cjk(72, 770, '第二页', 12)] }]);
    for (const bytes of [full.subarray(0, Math.floor(full.length * 0.5)), new TextEncoder().encode('%PDF-1.7\n\u0000garbage'), new Uint8Array(0)]) {
      const f = await failure(bytes);
      expect(f.code).toBe('corrupt');
      expect(f.message).not.toContain('\n');
    }
  });

  it('says no-text for a document without a text layer, and warns about single blank pages', async () => {
    expect(await failure(makePdf([{ lines: [[72, 700, 500, 700]], rects: [[72, 100, 400, 500]] }]))).toEqual({ code: 'no-text', message: 'no text layer (scanned?)' });
    // Page numbers alone do not make a text layer.
    expect((await failure(makePdf([{ texts: [{ x: 290, y: 40, text: '- 1 -' }] }]))).code).toBe('no-text');
    const doc = await parse([{ texts: [cjk(72, 770, '政府信息公开', 12)] }, {}, { rects: [[0, 0, 595, 842]] }]);
    expect(doc.pages).toBe(3);
    expect(doc.warnings).toEqual(['pages 2, 3 without a text layer (scanned?)']);
  });

  it('gives up after the timeout', async () => {
    const f = await failure(readFileSync('samples/huaian-shizhengfu-2024.pdf'), { timeoutMs: 1 });
    expect(f.code).toBe('timeout');
  });
});

describe('text helpers', () => {
  it('folds Kangxi radicals and compatibility ideographs only', () => {
    expect(foldCompat('⾏政许可')).toBe('行政许可');
    expect(foldCompat('\uF9FB\u{2F804}')).toBe('\u7099\u4F60');
    expect(foldCompat('（一）１２，：')).toBe('（一）１２，：');
  });
});

describe('images', () => {
  it('reads the text of a page that also carries a large image (a seal): images are not decoded', async () => {
    const image = `q 200 0 0 200 300 300 cm BI /W 256 /H 256 /BPC 8 /CS /G ID ${'A'.repeat(256 * 256)} EI Q`;
    const doc = await read(makePdf([{ texts: [{ x: 72, y: 700, text: '政府信息公开工作年度报告', font: 'cjk' }], raw: image }]), {});
    const text = doc.blocks.filter((b) => b.kind === 'paragraph').map((b) => (b as { text: string }).text).join('');
    expect(text).toContain('政府信息公开工作年度报告');
  });

  it('still calls a page with only an image a page without text', async () => {
    const image = `q 200 0 0 200 300 300 cm BI /W 16 /H 16 /BPC 8 /CS /G ID ${'A'.repeat(256)} EI Q`;
    expect(await failure(makePdf([{ raw: image }]))).toEqual({ code: 'no-text', message: 'no text layer (scanned?)' });
  });
});

describe('the PDFium engine', () => {
  const sixGlyphs = () => makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }]);
  /** PDFium still reads a plain page (after a trap, a longjmp, heap growth, a new instance). */
  const expectSixGlyphs = async () => {
    const doc = await openPdfium(sixGlyphs());
    try {
      expect(doc.readPage(1).glyphs).toBe(6);
    } finally {
      doc.close();
    }
  };

  it('loads its WebAssembly once per process', async () => {
    expect(loadPdfium()).toBe(loadPdfium());
    await loadPdfium();
  });

  it('gives image objects their place on the page and their pixel size', async () => {
    const image = 'q 200 0 0 100 300 300 cm BI /W 4 /H 2 /BPC 8 /CS /G ID AAAAAAAA EI Q';
    const doc = await openPdfium(makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)], raw: image }]));
    try {
      const page = doc.readPage(1);
      expect(page.images).toEqual([{ x0: 300, top: 842 - 400, x1: 500, bottom: 842 - 300, pixelWidth: 4, pixelHeight: 2 }]);
      expect(page.rotation).toBe(0);
      expect(page.glyphs).toBe(6);
    } finally {
      doc.close();
    }
  });

  it('renders a page to RGB pixels at the asked resolution, rotation applied', async () => {
    // A black bar across the top left, on a 200×100 pt page.
    const bytes = makePdf([{ width: 200, height: 100, rects: [[0, 80, 100, 20]] }]);
    const img = await renderPage(bytes, 1, 144);
    expect([img.width, img.height, img.channels, img.dpi, img.page]).toEqual([400, 200, 3, 144, 1]);
    const px = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
    expect(px(10, 10)).toEqual([0, 0, 0]);
    expect(px(390, 190)).toEqual([255, 255, 255]);
    const turned = Buffer.from(bytes).toString('latin1').replace('/Type /Page ', '/Type /Page /Rotate 90 ');
    const r = await renderPage(new Uint8Array(Buffer.from(turned, 'latin1')), 1, 72);
    expect([r.width, r.height]).toEqual([100, 200]);
    // Turned clockwise, the bar is now down the right edge's top half.
    const rp = (x: number, y: number) => r.data[(y * r.width + x) * 3];
    expect([rp(95, 10), rp(5, 10), rp(95, 190)]).toEqual([0, 255, 255]);
  });

  // The host functions of src/ingest/pdf/emscripten.ts: setjmp/longjmp (libjpeg's error exit) and heap growth.
  it('survives a JPEG that libjpeg gives up on (a longjmp out of the decoder) and reads on', async () => {
    const black = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } }).greyscale().jpeg().toBuffer());
    const good = await imagePdf([black], 72);
    expect((await renderPage(good, 1, 72)).data[(32 * 64 + 32) * 3]).toBeLessThan(16);
    const broken = good.slice();
    const sof = broken.findIndex((b, i) => b === 0xff && broken[i + 1] === 0xc0);
    expect(sof).toBeGreaterThan(0);
    broken[sof + 4] = 13; // sample precision 13 bits: libjpeg's error exit, a longjmp back into PDFium
    const img = await renderPage(broken, 1, 72);
    expect([img.width, img.height]).toEqual([64, 64]);
    // Not drawn: the page stays white where the black image would be.
    expect(img.data[(32 * 64 + 32) * 3]).toBe(255);
    await expectSixGlyphs();
  });

  it('sees its heap grow: views follow the memory', async () => {
    const wasm = await loadPdfium();
    const before = wasm.HEAPU8.length;
    const size = before + 32 * 1048576;
    const p = wasm._malloc(size);
    try {
      expect(p).toBeGreaterThan(0);
      expect(wasm.HEAPU8.length).toBeGreaterThan(before);
      expect(wasm.HEAPF64.buffer).toBe(wasm.HEAPU8.buffer);
      wasm.HEAPU8[p + size - 1] = 7;
      expect(wasm.HEAPU8[p + size - 1]).toBe(7);
    } finally {
      wasm._free(p);
    }
    await expectSixGlyphs();
  });

  it('does not keep an instance whose heap a file took past KEEP_HEAP_BYTES: the next document gets a fresh one', async () => {
    const doc = await openPdfium(sixGlyphs());
    const used = await loadPdfium();
    const p = used._malloc(KEEP_HEAP_BYTES + 1048576);
    expect(p).toBeGreaterThan(0);
    used._free(p);
    expect(await loadPdfium()).toBe(used); // still open: the instance stays
    doc.close();
    const fresh = await loadPdfium();
    expect(fresh).not.toBe(used);
    expect(fresh.HEAPU8.length).toBeLessThan(KEEP_HEAP_BYTES);
    await expectSixGlyphs();
    expect(await loadPdfium()).toBe(fresh); // a small heap is kept
  });

  it('refuses bad page numbers and keeps errors as codes', async () => {
    const bytes = makePdf([{ texts: [cjk(72, 770, '政府信息公开', 12)] }]);
    await expect(renderPage(bytes, 2)).rejects.toThrow('no page 2');
    await expect(renderPage(makePdf([{}], { encrypt: { userPassword: 'x' } }), 1)).rejects.toMatchObject({ code: 'encrypted' });
    await expect(renderPage(new TextEncoder().encode('%PDF-1.7 junk'), 1)).rejects.toMatchObject({ code: 'corrupt' });
  });
});
