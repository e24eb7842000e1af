/**
 * The adapters' notes on a source (DocumentModel.warnings: English, one line each, part of the document
 * model's API) as P-SOURCE findings in the report's language. Each known note has a pattern, its
 * Chinese wording and whether it says how a part was read (info) rather than that a part was lost
 * (warning). A note no pattern knows stays as the adapter wrote it, and a warning: saying too much is
 * safer than hiding that something was not read.
 */
import type { Finding } from '../model/index.js';

interface NotePattern {
  test: RegExp;
  /** Chinese wording; `$1`… are the pattern's groups, `{n}` the count of the first group ("a picture" is 1). */
  zh: string;
  /** The note says how a part was read (OCR, a guessed charset, another reader), not that it was lost. */
  read?: true;
}

const COUNT = '(a picture|a vector picture|\\d+ (?:vector )?pictures)';
const PAGES = '(?:page|pages) ([\\d, ]+)';

/** Most specific first: the first pattern that matches a note words it. */
const NOTES: NotePattern[] = [
  // PDF and OFD pages
  { test: re(`^${PAGES} without a text layer \\(scanned\\?\\)$`), zh: '第 $1 页没有文字层（可能是扫描件），未读取' },
  { test: re(`^${PAGES} without text \\(scanned\\?\\)$`), zh: '第 $1 页没有文字（可能是扫描件），未读取' },
  { test: re(`^${PAGES}: the text is an invisible layer over a scan \\(another program's OCR\\), read as OCR of unknown certainty$`), zh: '第 $1 页的文字是扫描图像上的不可见文字层（其他程序的 OCR 结果），按可信度未知的 OCR 结果读取', read: true },
  { test: re(`^${COUNT} on ${PAGES} read by OCR$`), zh: '第 $2 页上的 {n} 张图片经 OCR 识别读取', read: true },
  { test: re(`^pictures on ${PAGES} read by OCR$`), zh: '第 $1 页上的图片经 OCR 识别读取', read: true },
  { test: re(`^${PAGES} read by OCR$`), zh: '第 $1 页经 OCR 识别读取', read: true },
  { test: /^(\d+) page\(s\) read by OCR$/, zh: '$1 页图像经 OCR 识别读取', read: true },
  { test: /^page (\d+) could not be read: (.*)$/, zh: '第 $1 页无法读取：$2' },
  { test: /^scanned page: OCR engine not installed: (.*)$/, zh: '扫描页未读取：未安装 OCR 引擎（$1）' },
  { test: /^scanned page: OCR failed: (.*)$/, zh: '扫描页未读取：OCR 识别失败（$1）' },
  // Pictures (DOCX, web pages, OFD, PDF pages with text)
  { test: re(`^${COUNT} on pages with text not read: OCR engine not installed: (.*)$`), zh: '有文字的页面上的 {n} 张图片未读取：未安装 OCR 引擎（$2）' },
  { test: re(`^${COUNT} not read: OCR engine not installed: (.*)$`), zh: '{n} 张图片未读取：未安装 OCR 引擎（$2）' },
  { test: /^pictures on pages with text: OCR failed: (.*)$/, zh: '有文字的页面上的图片未读取：OCR 识别失败（$1）' },
  { test: /^(\d+) more pictures on pages with text not read \((\d+) per document\)$/, zh: '另有 $1 张有文字页面上的图片未读取（每份文档最多 $2 张）' },
  { test: /^(\d+) more pictures? not read \((\d+) per document, or the time limit\): (.*)$/, zh: '另有 $1 张图片未读取（每份文档最多 $2 张，或已到时限）：$3' },
  { test: /^(\d+) more pictures not read \((\d+) per document\)$/, zh: '另有 $1 张图片未读取（每份文档最多 $2 张）' },
  { test: re(`^${COUNT} in the document read by OCR$`), zh: '文档中的 {n} 张图片经 OCR 识别读取', read: true },
  { test: re(`^${COUNT} \\(EMF/WMF\\) not read: (.*)$`), zh: '{n} 张矢量图（EMF/WMF）未读取：$2' },
  {
    test: re(`^${COUNT} shown wide enough to hold a table (?:is|are) not in the file \\(the page links to (?:it|them)\\) and not read$`),
    zh: '{n} 张宽度足以容纳表格的图片不在文件中（网页只链接到图片），未读取',
  },
  { test: /^(.+): picture not read: OCR failed: (.*)$/, zh: '$1：图片未读取，OCR 识别失败（$2）' },
  { test: /^(.+): picture no size$/, zh: '$1：图片没有尺寸，未读取' },
  { test: /^(.+): picture cannot be decoded \((.*)\)$/, zh: '$1：图片无法解码（$2），未读取' },
  // OFD packages
  { test: /^resource file (.+) is missing$/, zh: '资源文件 $1 缺失' },
  { test: /^resource file (.+) could not be read: (.*)$/, zh: '资源文件 $1 无法读取：$2' },
  // Workbooks and legacy Word files
  { test: /^hidden worksheet "(.*)" skipped$/, zh: '隐藏工作表“$1”已跳过', read: true },
  { test: /^worksheet "(.*)": not found in the workbook stream \(damaged file\?\)$/, zh: '工作表“$1”不在工作簿数据流中（文件损坏？），未读取' },
  { test: /^worksheet "(.*)": formulas without a cached result read as empty$/, zh: '工作表“$1”：没有缓存结果的公式按空值读取' },
  { test: /^doc: text longer than (\d+) characters; the rest was not read$/, zh: 'doc：正文超过 $1 个字符，其余部分未读取' },
  // Text decoding
  { test: /^unknown charset "(.*)"; guessed from the bytes$/, zh: '未知字符集“$1”，已按字节内容推断', read: true },
  { test: /^declared charset (.+) but the bytes are not valid UTF-8; decoded as GB18030$/, zh: '声明的字符集为 $1，但内容不是有效的 UTF-8，已按 GB18030 解码', read: true },
  { test: /^(\d+) undecodable byte sequence\(s\) replaced while decoding as (.+)$/, zh: '按 $2 解码时替换了 $1 处无法解码的字节序列' },
  // Another reader took over (the reason is the failed reader's own words)
  { test: /^(.*); read by the built-in reader instead$/, zh: '$1；已改用内置读取器读取', read: true },
  { test: /^(.*); read through LibreOffice instead$/, zh: '$1；已改用 LibreOffice 读取', read: true },
];

function re(source: string): RegExp {
  return new RegExp(source);
}

/** "a picture" → 1, "3 pictures" → 3. */
function countOf(phrase: string): string {
  const n = /^\d+/.exec(phrase);
  return n ? n[0] : '1';
}

/** Page lists read "2、3" in Chinese. */
function zhList(s: string): string {
  return /^[\d, ]+$/.test(s) ? s.split(/,\s*/).join('、') : s;
}

export function sourceNote(note: string, lang: 'zh' | 'en'): { severity: 'info' | 'warning'; message: string } {
  for (const p of NOTES) {
    const m = p.test.exec(note);
    if (!m) continue;
    const severity = p.read ? 'info' : 'warning';
    if (lang === 'en') return { severity, message: note };
    const message = p.zh.replace(/\{n\}/g, countOf(m[1] ?? '')).replace(/\$(\d)/g, (_, i: string) => zhList(m[Number(i)] ?? ''));
    return { severity, message };
  }
  return { severity: 'warning', message: note };
}

/**
 * The adapter's notes on the source (pages without a text layer, pictures not read, a converter's fallback)
 * as findings: a part we could not read is a warning about our reading, never silence.
 */
export function sourceNotes(warnings: readonly string[], lang: 'zh' | 'en' = 'zh'): Finding[] {
  return warnings.map((w) => ({ rule: 'P-SOURCE', ...sourceNote(w, lang), paths: [] }));
}
