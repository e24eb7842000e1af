import type { Line } from './lines.js';
import { normLabel } from './normalize.js';

/**
 * Title, agency, year, dates (format.md §2.2). Titles are matched on text with
 * spaces removed: "2024 年政府信息公开 工作年度报告" is common.
 */

export interface Metadata {
  title: string | null;
  /** Index of the last line the title was read from, or -1 (not in the body, or none). */
  titleLine: number;
  agency: string | null;
  year: number | null;
  publishedAt: string | null;
  statisticalPeriod: { from: string; to: string } | null;
  formatBasisCited: boolean;
}

const TITLE = /(\d{4})年度?.{0,12}?政府信息公开(工作)?(年度)?(报告|年报)/;
/** The year after the subject: "某某局政府信息公开工作年度报告（2023年度）". */
const TITLE_YEAR_AFTER = /政府信息公开(工作)?(年度)?(报告|年报)[(（]?(\d{4})年?度?[)）]?$/;
const AGENCY_END = /(局|委|委员会|办|办公室|政府|人民政府|中心|院|厅|部|署|会|所|站|队|处|馆|街道|镇|乡|公司|集团|研究院|管理区|开发区|分局|支队)$/;

function compact(s: string): string {
  return s.replace(/[\s\u3000]+/g, '');
}

/** Markdown and list marks around a line (`# `, `**…**`, `> `, bullets): the dress, not the text. */
function undressLine(s: string): string {
  return s
    .replace(/^(?:#{1,6}|>|[-*+•·●■◆★]|\*\*|__)+/u, '')
    .replace(/(?:\*\*|__|#+)$/, '')
    .replace(/\*\*/g, '');
}

const CRUMB_SEP = /[>＞»›]+/;

/**
 * A breadcrumb ("当前位置：首页 > 政务公开 > 某某局2024年…报告") keeps its last step, where
 * the page names itself; any other crumb is navigation.
 */
function debreadcrumb(s: string): string {
  if (!CRUMB_SEP.test(s) && !/^(?:当前位置|您的位置|您现在的位置|所在位置)[:：]/.test(s)) return s;
  const last = s.split(CRUMB_SEP).pop() ?? '';
  return last.replace(/^(?:当前位置|您的位置|您现在的位置|所在位置)[:：]/, '');
}

/** Line text as a title candidate: spaces, markdown dress and breadcrumb steps removed. */
function candidateText(s: string): string {
  return debreadcrumb(undressLine(compact(s)));
}

/** What is left of an agency name cut by a line break: a type word with no name before it ("办公室", "人民政府"). */
const AGENCY_STUB = /^(?:.{0,2}|(?:人民)?政府(?:办公室|办)?|办公室|委员会|.?(?:局|委|办|厅|部|中心|院|署|处))$/;
/** "某某局政府信息公开工作年度报告" with no year (the year then comes from the 统计期限 sentence). */
const TITLE_NO_YEAR = /^(.{2,40}?)(?:关于)?政府信息公开(工作)?(年度)?(报告|年报)$/;
/** A title that names the report, and a site name after it: "…年度报告_某某市人民政府网站". */
const PAGE_TITLE_SUFFIX = /(报告|年报)(?:[)）])?\s*[-_|—–·:：]+.*$/;

function isoDate(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** CMS metadata table rows (名称/索引号/发布机构/公开日期) and "发布机构：…" lines. */
function cmsFields(lines: Line[]): Map<string, string> {
  const out = new Map<string, string>();
  const keys = ['发布机构', '发文机关', '公开日期', '发布日期', '成文日期', '生成日期', '名称', '标题', '索引号'];
  for (const line of lines.slice(0, 80)) {
    const cells = line.cells.filter((c) => !c.spanned);
    for (let i = 0; i < cells.length; i++) {
      const t = undressLine(compact(cells[i].text)).replace(/[:：]$/, '');
      const key = keys.find((k) => t === k);
      if (key && i + 1 < cells.length && !out.has(key)) out.set(key, undressLine(compact(cells[i + 1].text)));
      const inline = /^(发布机构|发文机关|公开日期|发布日期|成文日期)[:：](.+)$/.exec(t);
      if (inline && !out.has(inline[1])) out.set(inline[1], inline[2].split(/(?:发布机构|发文机关|公开日期|发布日期|成文日期|索引号)[:：]/)[0]);
    }
  }
  return out;
}

function dateOf(s: string | undefined): string | null {
  if (!s) return null;
  const m = /(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})/.exec(s);
  return m ? isoDate(m[1], m[2], m[3]) : null;
}

export interface MetadataSources {
  /** Lines outside the page's main content (HTML navigation, headers, sidebars): for CMS fields and headings only. */
  chrome?: Line[];
  /** The title the file declares for itself (HTML <title> / og:title). */
  declaredTitles?: string[];
}

export function readMetadata(lines: Line[], fullText: string, sources: MetadataSources = {}): Metadata {
  // Candidate title texts: paragraphs, and each cell of a table row (a CMS table's 名称 cell).
  const head: { text: string; line: number }[] = lines
    .slice(0, 30)
    .flatMap((l) => (l.kind === 'row' ? l.cells.filter((c) => !c.spanned).map((c) => ({ text: candidateText(c.text), line: l.index })) : [{ text: candidateText(l.text), line: l.index }]));
  // Assigned inside accept(): declared with their full types so the checks below are not narrowed away.
  let title = null as string | null;
  let titleYear = null as number | null;
  let titleLine = -1;
  const usable = (t: string) => !!t && t.length <= 90 && !/^附件\d*[:：]?$/.test(t) && !/当前位置|您的位置|首页[>＞»]|[>＞»]/.test(t);
  const accept = (list: { text: string; line: number }[], i: number, span: number, yearless: boolean): boolean => {
    const parts = list.slice(i, i + span).map((p) => p.text);
    if (parts.length < span || !parts.every(usable)) return false;
    const joined = parts.map((p) => p.replace(/^(名称|标题|题名|文件名称)[:：]?/, '')).join('');
    if (joined.length > 90) return false;
    const after = TITLE_YEAR_AFTER.exec(joined);
    const m = after ? null : TITLE.exec(joined);
    if (m && !/(报告|年报)$/.test(joined)) return false;
    // Without a year, only an agency's own report: "某某县统计局政府信息公开工作年度报告", never a
    // column name such as "政府信息公开年报".
    const bare = yearless && !m && !after ? TITLE_NO_YEAR.exec(joined) : null;
    if (!m && !after && !(bare && AGENCY_END.test(bare[1]) && !/^[《“"]?(?:本|我)/.test(bare[1]))) return false;
    title = joined;
    titleYear = m ? Number(m[1]) : after ? Number(after[4]) : null;
    titleLine = list[i + span - 1].line;
    // An agency line just above a title that starts with the year belongs to it; so does the head of
    // an agency name cut by the line break ("某某县人民政府办" / "公室2023年…报告").
    if (m && i > 0 && usable(list[i - 1].text)) {
      const prev = list[i - 1].text;
      const fragment = prev.length <= 30 && !/[。；，,.;:：]$/.test(prev) && !/政府信息公开|报告/.test(prev);
      const own = agencyOfTitle(joined);
      const merged = agencyOfTitle(prev + joined);
      // A cut name: the title's own agency is a stub, or the line above is long (a width-wrapped line, not a menu word).
      const cut = (!own || AGENCY_STUB.test(own) || prev.length >= 10) && !!merged && AGENCY_END.test(merged);
      if (fragment && (/^\d{4}年/.test(joined) ? AGENCY_END.test(prev) : cut)) title = prev + joined;
    }
    return true;
  };
  // A title on one line (or one CMS cell) wins over one pieced together from several lines;
  // pieces are tried only when no single line is a title (the agency and the year on two lines).
  // A title with a year wins over one without.
  const search = (list: { text: string; line: number }[]) => {
    for (const yearless of [false, true])
      for (const span of [1, 2, 3]) {
        for (let i = 0; i < list.length && !title; i++) accept(list, i, span, yearless);
        if (title) return;
      }
  };
  search(head);
  // Not in the body: the page's own title (<title>, og:title, without the site name after it),
  // then a heading outside the main content (its h1), never a link list.
  if (!title && sources.declaredTitles?.length) {
    search(sources.declaredTitles.map((t) => ({ text: candidateText(t.replace(PAGE_TITLE_SUFFIX, '$1')), line: -1 })));
    titleLine = -1;
  }
  if (!title && sources.chrome?.length) {
    search(sources.chrome.filter((l) => l.level !== undefined && l.level <= 3).map((l) => ({ text: candidateText(l.text), line: -1 })));
    titleLine = -1;
  }
  const cms = cmsFields(lines);
  // CMS fields of a page often stand outside its main content (the 索引号/发布机构 box above the article).
  for (const [k, v] of sources.chrome ? cmsFields(sources.chrome) : []) if (!cms.has(k)) cms.set(k, v);
  let agency: string | null = null;
  if (title) agency = agencyOfTitle(title);
  if (!agency && cms.get('发布机构')) agency = cms.get('发布机构')!;
  if (!agency) agency = signatureAgency(lines);

  const norm = normLabel(fullText);
  const period = /统计(?:期限|时限|周期|时间)(?:为|从|自|是)?(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|起至|-|~)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/.exec(norm);
  const statisticalPeriod = period ? { from: isoDate(period[1], period[2], period[3]), to: isoDate(period[4] ?? period[1], period[5], period[6]) } : null;
  // "统计期限为2024年度" / "统计时间为2024年": a year without the day-by-day period.
  const periodYear = /统计(?:期限|时限|周期|时间|区间|范围)[^.]{0,8}?(\d{4})年/.exec(norm);

  const publishedAt = dateOf(cms.get('公开日期') ?? cms.get('发布日期') ?? cms.get('成文日期') ?? cms.get('生成日期')) ?? signatureDate(lines);
  let year = titleYear;
  if (year === null && statisticalPeriod) year = Number(statisticalPeriod.from.slice(0, 4));
  if (year === null && periodYear) year = Number(periodYear[1]);
  if (year === null && publishedAt) year = Number(publishedAt.slice(0, 4)) - 1;
  return {
    title,
    titleLine,
    agency,
    year,
    publishedAt,
    statisticalPeriod,
    formatBasisCited: /国办公开办函\[2021\]30号/.test(norm),
  };
}

/**
 * The agency named in a title: before the year ("某某局2023年政府信息公开…"), between
 * the year and the subject ("2023年某某局政府信息公开…"), or before the subject when the
 * year comes last ("某某局政府信息公开工作年度报告（2023年度）").
 */
export function agencyOfTitle(title: string): string | null {
  const subject = title.indexOf('政府信息公开');
  const year = /\d{4}年度?/.exec(title);
  let name: string;
  if (year && year.index === 0) name = title.slice(year[0].length, subject < 0 ? undefined : subject);
  else if (year && (subject < 0 || year.index < subject)) name = title.slice(0, year.index);
  else name = subject > 0 ? title.slice(0, subject) : '';
  name = name.replace(/[《“"]/g, '').replace(/关于$/, '');
  if (name.length < 2) return null;
  return year && year.index === 0 && !AGENCY_END.test(name) ? null : name;
}

/** The closing signature: an agency name line followed by a date, at the end. */
function signatureAgency(lines: Line[]): string | null {
  const tail = lines.slice(-6);
  for (let i = tail.length - 1; i > 0; i--) {
    if (dateOf(compact(tail[i].text)) && /^\d{4}年\d{1,2}月\d{1,2}日$/.test(compact(tail[i].text))) {
      const prev = compact(tail[i - 1].text);
      if (prev.length <= 30 && AGENCY_END.test(prev)) return prev;
    }
  }
  return null;
}

function signatureDate(lines: Line[]): string | null {
  for (const l of lines.slice(-4).reverse()) {
    const t = compact(l.text);
    if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(t)) return dateOf(t);
  }
  return null;
}
