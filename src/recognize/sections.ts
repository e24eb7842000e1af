import type { Report, SectionKey } from '../model/index.js';
import { isPageTool } from '../text/chrome.js';
import { SECTION_PATTERNS } from './labels.js';
import type { Line } from './lines.js';
import { cnToInt, dice } from './normalize.js';

/**
 * Sections 一…六 by title similarity (format.md §3): numbering shifts between
 * reports (五、其他需要报告的事项), so the title decides, not the number. Headings
 * come dressed in markdown (`## 一、`), bold (`**一、…**`), list marks, stray
 * characters left by OCR or copy-paste (`l六、`), and several numbering styles
 * (一、 一. （一） 1. １． 第一部分); the dress is taken off before the title is matched.
 * A section whose heading is lost is recovered from its position (recoverSections).
 */

export interface SectionHit {
  key: SectionKey;
  /** Line of the heading; for a recovered section, the line before its first line. */
  index: number;
  heading: string;
  /** Text on the heading's own line after the title (adapters sometimes join them). */
  tail: string;
  /** The printed number (一 = 1), when the heading has one. */
  n?: number;
  /**
   * Set when the title was not recognised: 'number', a heading of another wording found by its
   * number at the section's place ("五、下一步工作打算"); 'position', no heading at all, the section
   * placed by its position.
   */
  recovered?: 'number' | 'position';
}

type Style = 'cn' | 'part' | 'arabic' | 'paren' | 'none';

interface Dressed {
  style: Style;
  n?: number;
  rest: string;
}

/** Markdown and list marks before a heading: `#`, `>`, bullets, bold/italic markers. */
const LEAD_MARKS = /^(?:#{1,6}|>|[-*+•·●○■□◆◇▲△▶►★☆※→√]|\*\*|__|\\)+/u;
const TRAIL_MARKS = /(?:\*\*|__|\*|#+|[.:,;]|\\)+$/;
const CN = '[一二三四五六七八九十]{1,3}';
const NUMBERINGS: { style: Style; re: RegExp; n: (m: RegExpExecArray) => number }[] = [
  { style: 'part', re: new RegExp(`^第(${CN}|\\d{1,2})(?:部分|章|节)[,.:]?`), n: (m) => toInt(m[1]) },
  { style: 'cn', re: new RegExp(`^(${CN})[,.:]`), n: (m) => cnToInt(m[1]) },
  { style: 'paren', re: new RegExp(`^\\((${CN}|\\d{1,2})\\)[,.:]?`), n: (m) => toInt(m[1]) },
  { style: 'arabic', re: /^(\d{1,2})(?:[.,:)](?!\d)|(?=[^\d.,]))/, n: (m) => Number(m[1]) },
];
/** What a stray character may stand before: a Chinese numbering (glued to its title or not), 第…部分, （一）. */
const NUMBERED = new RegExp(`^(?:${CN}|第(?:${CN}|\\d{1,2})部分|\\(${CN}\\))`);

/**
 * One or two stray characters before a numbered heading (`l六、`, `|三、`, `.二、`, `I## 六、`):
 * OCR reads a bullet or a rule as a letter. Only taken off when a numbering follows.
 */
function stripStray(s: string): string {
  for (let k = 1; k <= 2 && k < s.length; k++) {
    if (/[\p{Script=Han}\d(]/u.test(s.slice(0, k))) break;
    const rest = s.slice(k).replace(LEAD_MARKS, '');
    if (NUMBERED.test(rest)) return rest;
  }
  return s;
}

function toInt(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : cnToInt(s);
}

/** The heading line without its dress: numbering style and number, and the title text after it. */
export function undress(norm: string): Dressed {
  let s = stripStray(norm.replace(LEAD_MARKS, ''));
  s = s.replace(LEAD_MARKS, '').replace(TRAIL_MARKS, '');
  for (const { style, re, n } of NUMBERINGS) {
    const m = re.exec(s);
    if (m) return { style, n: n(m), rest: s.slice(m[0].length).replace(LEAD_MARKS, '') };
  }
  // "一 总体情况" with its space removed by normalisation: a numeral glued to the title.
  const glued = new RegExp(`^(${CN})(?=[^一二三四五六七八九十])`).exec(s);
  if (glued) {
    const rest = s.slice(glued[0].length);
    const m = matchTitle(rest);
    if (m && m.score === 1) return { style: 'cn', n: cnToInt(glued[1]), rest };
  }
  return { style: 'none', rest: s };
}

function matchTitle(rest: string): { key: SectionKey; len: number; score: number } | null {
  let best: { key: SectionKey; len: number; score: number } | null = null;
  for (const s of SECTION_PATTERNS)
    for (const l of s.labels) {
      const head = rest.slice(0, l.length);
      const score = rest.startsWith(l) ? 1 : dice(head, l);
      if (score >= 0.72 && (!best || score > best.score)) best = { key: s.key, len: l.length, score };
    }
  return best;
}

/** How much a numbering style says "this is a section heading" (sub-heads use （一） and 1.). */
const STYLE_RANK: Record<Style, number> = { cn: 3, part: 3, arabic: 2, none: 1, paren: 0 };

interface Candidate extends SectionHit {
  style: Style;
  score: number;
}

function candidate(line: Line): Candidate | null {
  const own = line.cells.filter((c) => !c.spanned && c.norm !== '');
  if (own.length !== 1 || line.norm.length > 80) return null;
  const d = undress(line.norm);
  const m = matchTitle(d.rest);
  if (!m) return null;
  const strong = d.style === 'cn' || d.style === 'part';
  // Sub-heads and bare lines must be the title itself, not a sentence that starts like one.
  if (!strong && (m.score < 0.85 || d.rest.length > m.len + 4)) return null;
  const text = own[0].text.trim();
  // Keep the printed heading; cut the body that an adapter may have joined onto it.
  const tail = d.rest.length > m.len + 2 ? cutAfterTitle(text, m.len) : '';
  const heading = (tail ? text.slice(0, text.length - tail.length) : text).trim();
  return { key: m.key, index: line.index, heading, tail, ...(d.n !== undefined ? { n: d.n } : {}), style: d.style, score: m.score };
}

export function findSections(lines: Line[]): SectionHit[] {
  const best = new Map<SectionKey, Candidate>();
  for (const line of lines) {
    const c = candidate(line);
    if (!c) continue;
    const prev = best.get(c.key);
    // The strongest numbering wins, then the closest title; the first such line otherwise.
    if (!prev || STYLE_RANK[c.style] > STYLE_RANK[prev.style] || (STYLE_RANK[c.style] === STYLE_RANK[prev.style] && c.score > prev.score)) best.set(c.key, c);
  }
  return [...best.values()]
    .sort((a, b) => a.index - b.index)
    .map(({ style: _s, score: _c, ...hit }) => hit);
}

/** The part of a printed heading line after its numbering and `len` title characters (spaces ignored). */
function cutAfterTitle(text: string, len: number): string {
  // The dress before the title, in the printed text: marks, stray characters, numbering.
  const m = /^[\s#>*_\-+•·●○■□◆◇▲△▶►★☆※→√\\]*(?:[^\p{Script=Han}\d(（\s]{1,2}(?=[一二三四五六七八九十第(（]))?\s*(?:第\s*[一二三四五六七八九十\d]{1,3}\s*(?:部分|章|节)|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})?\s*[、.．,，:：]?[\s*_]*/u.exec(text);
  let i = m ? m[0].length : 0;
  let n = 0;
  while (i < text.length && n < len) {
    if (!/\s/.test(text[i])) n++;
    i++;
  }
  return text.slice(i).replace(/^[\s。．.:：*_]+/, '');
}

// ---------------------------------------------------------------- recovery

/**
 * A heading in other words, found by its number at the section's place: a short line numbered
 * like a section (一、 or 第一部分) with the section's number, no figures and no clause punctuation.
 * Sections 二–四 look just above their table (a table-3 label such as 四、结转下年度继续办理 carries
 * figures, or stands inside the table); 一, 五 and 六 look through their whole span of prose.
 */
function numberedHeading(lines: Line[], key: SectionKey, rank: number, lo: number, hi: number, anchor: number, title: number): SectionHit | null {
  const atTable = key === 'proactive' || key === 'applications' || key === 'reviewLitigation';
  if (atTable && anchor < 0) return null;
  const from = atTable ? Math.max(lo + 1, anchor - 3) : Math.max(lo, title) + 1;
  const to = atTable ? anchor : hi;
  const found: number[] = [];
  for (let k = from; k < to; k++) {
    const l = lines[k];
    if (l.kind !== 'paragraph' || l.norm.length > 40) continue;
    const d = undress(l.norm);
    if ((d.style === 'cn' || d.style === 'part') && d.n === rank + 1 && d.rest.length >= 2 && d.rest.length <= 30 && !/[\d,.;]/.test(d.rest)) found.push(k);
  }
  // Above a table the nearest line wins; in prose the first.
  const k = atTable ? found.at(-1) : found[0];
  if (k === undefined) return null;
  return { key, index: k, heading: lines[k].text.trim(), tail: '', n: rank + 1, recovered: 'number' };
}

/** Where the tables lie, as line indices (-1 when absent): the anchors of sections 二, 三, 四 and 五. */
export interface TableAnchors {
  t2: number;
  t3: number;
  t4: number;
  /** First line after table 4 that is prose, or -1. */
  afterT4: number;
  /** The title's last line, or -1. */
  title: number;
}

/** A paragraph that opens section 六 when its heading is lost (format.md §3: fees, other matters). */
const OTHER_OPENING = /^(?:\(?[一二三四五六七八九十\d]{1,2}[).,:]?)?[^.]{0,30}?(?:信息处理费|收费情况|其他需要报告|需要说明的|人大代表建议|政协(?:委员)?提案|政务公开工作要点|工作要点落实)/;

const ORDER: SectionKey[] = SECTION_PATTERNS.map((p) => p.key);

/**
 * Sections whose heading was not found, placed by their position among the others:
 * the prose between the title and 二 is 一; 二, 三 and 四 start at their tables; the prose
 * after table 4 is 五; a paragraph on fees or other matters after 五's first paragraph opens 六.
 * Only when the headings found stand in the order 一→六 (otherwise positions mean nothing).
 * Returns the recovered hits; the caller says so in a finding.
 */
export function recoverSections(lines: Line[], found: SectionHit[], anchors: TableAnchors, tableLines: Set<number>): SectionHit[] {
  const ranks = found.map((h) => ORDER.indexOf(h.key));
  if (ranks.some((r, i) => i > 0 && r < ranks[i - 1])) return [];
  const at = new Map<SectionKey, number>(found.map((h) => [h.key, h.index]));
  const out: SectionHit[] = [];
  const prose = (k: number) => lines[k].kind === 'paragraph' && !tableLines.has(k);
  const nextStart = (rank: number) => {
    for (let r = rank + 1; r < ORDER.length; r++) {
      const i = at.get(ORDER[r]);
      if (i !== undefined) return i;
    }
    return lines.length;
  };
  const prevStart = (rank: number) => {
    for (let r = rank - 1; r >= 0; r--) {
      const i = at.get(ORDER[r]);
      if (i !== undefined) return i;
    }
    return -1;
  };
  ORDER.forEach((key, rank) => {
    if (at.has(key)) return;
    const lo = prevStart(rank);
    const hi = nextStart(rank);
    let first = -1;
    switch (key) {
      case 'overview':
        for (let k = Math.max(anchors.title, lo) + 1; k < hi && first < 0; k++) if (prose(k)) first = k;
        break;
      case 'proactive':
        first = anchors.t2;
        break;
      case 'applications':
        first = anchors.t3;
        break;
      case 'reviewLitigation':
        first = anchors.t4;
        break;
      case 'problems':
        first = anchors.afterT4;
        break;
      case 'other': {
        // Inside 五's range: the first paragraph that opens 六, after at least one paragraph of 五.
        let seen = 0;
        for (let k = lo + 1; k < hi && first < 0; k++) {
          if (!prose(k)) continue;
          if (seen > 0 && OTHER_OPENING.test(lines[k].norm) && /[。；;:：]$|^.{0,30}$/.test(lines[k - 1]?.text.trim() ?? '')) first = k;
          seen++;
        }
        break;
      }
    }
    const numbered = numberedHeading(lines, key, rank, lo, hi, first, anchors.title);
    if (numbered) {
      at.set(key, numbered.index);
      out.push(numbered);
      return;
    }
    if (first <= lo || first >= hi) return;
    const hit: SectionHit = { key, index: first - 1, heading: '', tail: '', recovered: 'position' };
    at.set(key, hit.index);
    out.push(hit);
  });
  return out;
}

/** Narrative text of each section: its paragraphs, not its table rows. */
export function sectionTexts(lines: Line[], hits: SectionHit[], tableLines: Set<number>): Report['sections'] {
  const sections: Report['sections'] = { overview: null, proactive: null, applications: null, reviewLitigation: null, problems: null, other: null };
  const ordered = [...hits].sort((a, b) => a.index - b.index);
  ordered.forEach((h, i) => {
    const last = i + 1 === ordered.length;
    const end = last ? lines.length : ordered[i + 1].index + (ordered[i + 1].recovered === 'position' ? 1 : 0);
    const parts: string[] = h.tail ? [h.tail] : [];
    for (let k = h.index + 1; k < end; k++) {
      const l = lines[k];
      if (tableLines.has(k) || l.kind !== 'paragraph') continue;
      // A page saved as text keeps its tools and footer (打印本页, 友情链接, ICP备): not the report's
      // text. After the last section's body, the first of them starts the page footer.
      if (isPageTool(l.text)) {
        if (last && parts.length > 0) break;
        continue;
      }
      parts.push(l.text.trim());
    }
    sections[h.key] = { heading: h.heading.replace(/\s+/g, ''), text: parts.join('\n'), ...(h.recovered ? { inferred: h.recovered } : {}) };
  });
  return sections;
}

/**
 * S-02 (info): the sections stand in the order 一→六, their printed numbers rise without
 * repeats, and each number is its section's place: its number in the format, or its
 * ordinal among the headings printed (五、其他需要报告的事项 when there is no 五 on problems).
 * Returns what is wrong, or null when all is well. Recovered sections have no number.
 */
export function sectionOrderProblem(hits: SectionHit[]): { keys: SectionKey[]; zh: string; en: string } | null {
  const ordered = [...hits].filter((h) => !h.recovered).sort((a, b) => a.index - b.index);
  const ranks = ordered.map((h) => ORDER.indexOf(h.key));
  const outOfOrder = ranks.some((r, i) => i > 0 && r < ranks[i - 1]);
  const numbers = ordered.flatMap((h) => (h.n !== undefined ? [h.n] : []));
  const badNumbers = numbers.some((n, i) => i > 0 && n <= numbers[i - 1]);
  const misplaced = outOfOrder ? [] : ordered.filter((h, i) => h.n !== undefined && h.n !== ranks[i] + 1 && h.n !== i + 1);
  if (!outOfOrder && !badNumbers && misplaced.length === 0) return null;
  const printed = ordered.map((h) => h.heading).join(' → ');
  const zh: string[] = [];
  const en: string[] = [];
  if (outOfOrder) {
    zh.push(`各部分顺序与规定格式不一致：${printed}`);
    en.push(`Sections are not in the order of the format: ${printed}`);
  } else if (badNumbers) {
    zh.push(`各部分编号重复或倒序：${printed}`);
    en.push(`Section numbers repeat or go backwards: ${printed}`);
  }
  if (misplaced.length) {
    const cn = (n: number) => '一二三四五六七八九十'[n - 1] ?? String(n);
    zh.push(`各部分编号与其位置不符：${misplaced.map((h) => `“${h.heading}”应为第${cn(ORDER.indexOf(h.key) + 1)}部分`).join('，')}`);
    en.push(`Section numbers do not match their place: ${misplaced.map((h) => `"${h.heading}" is section ${ORDER.indexOf(h.key) + 1}`).join(', ')}`);
  }
  return { keys: (misplaced.length ? misplaced : ordered).map((h) => h.key), zh: zh.join('；'), en: en.join('; ') };
}
