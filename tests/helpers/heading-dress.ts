/**
 * Seeded renderings of one consistent text report with its headings dressed as real
 * reports print them (numbering styles, markdown, bold, list marks, stray characters),
 * some headings lost and the title split over two lines; and the check of what the
 * recognizer must read back. Shared by tests/sections.test.ts (quick) and
 * bench/sections-fuzz.ts (large run).
 */
import type { ParseResult } from '../../src/model/index.js';
import { rng } from './batch-reports.js';
import { pick } from './portal-page.js';
import { textReport } from './text-report.js';

export const SECTION_KEYS = ['overview', 'proactive', 'applications', 'reviewLitigation', 'problems', 'other'] as const;
const CN = '一二三四五六七八九十';
const FULL = '０１２３４５６７８９';
/** The six headings of textReport(), in order. */
export const HEADINGS = ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];
/** A phrase of each section's body in textReport(). */
export const BODY = ['本机关共受理政府信息公开申请', '', '', '', '存在的问题是公开内容不够全面', '本年度未收取信息处理费'];
export const TITLE = '某某县人民政府办公室2023年政府信息公开工作年度报告';

export const replaceLine = (text: string, from: string, to: string | null) => text.replace(new RegExp(`^${from}\\n`, 'm'), to === null ? '' : `${to}\n`);

const STYLES: ((i: number, title: string) => string)[] = [
  (i, t) => `${CN[i]}、${t}`,
  (i, t) => `${CN[i]}.${t}`,
  (i, t) => `${CN[i]}．${t}`,
  (i, t) => `（${CN[i]}）${t}`,
  (i, t) => `第${CN[i]}部分 ${t}`,
  (i, t) => `${i + 1}.${t}`,
  (i, t) => `${FULL[i + 1]}．${t}`,
  (i, t) => `${CN[i]} ${t}`,
];
const DRESSES: ((h: string) => string)[] = [(h) => h, (h) => `## ${h}`, (h) => `**${h}**`, (h) => `# **${h}**`, (h) => `- ${h}`, (h) => `> ${h}`, (h) => `  ${h}  `, (h) => `${h}：`];
const STRAYS = ['l', '|', 'I', '.', '■', '·'];

export interface DressedReport {
  text: string;
  /** Indexes (0 = 一) of the headings dropped. */
  lost: Set<number>;
  notes: string[];
}

export function dressedReport(seed: number): DressedReport {
  const r = rng(seed * 7919);
  const style = pick(r, STYLES);
  const dress = pick(r, DRESSES);
  // Every heading can be lost: 一 (prose before table 2), 二–四 (their tables), 五 (prose after table 4), 六 (its fee sentence).
  const lost = new Set([0, 1, 2, 3, 4, 5].filter(() => r() < 0.2));
  let text = textReport();
  const notes: string[] = [];
  HEADINGS.forEach((h, i) => {
    if (lost.has(i)) return void (text = replaceLine(text, h, null));
    let line = dress(style(i, h.slice(2)));
    // A stray mark only before a numbering (OCR reads a bullet or a rule as a letter).
    if (r() < 0.2 && /^[一二三四五六（第]/.test(style(i, ''))) line = pick(r, STRAYS) + line;
    notes.push(line);
    text = replaceLine(text, h, line);
  });
  // The title split over two lines: after the agency, after the year, after 政府信息公开, or where a
  // line of 10 or more characters wraps.
  if (r() < 0.5) {
    const at = pick(r, [10, 15, 21, 10 + Math.floor(r() * (TITLE.length - 12))]);
    text = text.replace(TITLE, `${TITLE.slice(0, at)}\n${TITLE.slice(at)}`);
    notes.push(`title split at ${at}`);
  }
  notes.push(`lost ${[...lost].join(',') || 'none'}`);
  return { text, lost, notes };
}

/**
 * What must hold: the title found; every section found, holding its own body and no other's;
 * inferred exactly where the heading was dropped; no S-01/S-02; P-SECTION naming the dropped
 * headings; no error finding. Returns the problems (empty when all holds).
 */
export function sectionProblems(res: ParseResult, c: DressedReport): string[] {
  const out: string[] = [];
  if (res.report.title !== TITLE) out.push(`title ${res.report.title}`);
  SECTION_KEYS.forEach((k, i) => {
    const sec = res.report.sections[k];
    if (!sec) return void out.push(`${k} missing`);
    if (BODY[i] && !sec.text.includes(BODY[i])) out.push(`${k} lacks its body`);
    BODY.forEach((b, j) => b && j !== i && sec.text.includes(b) && out.push(`${k} holds section ${j + 1}'s body`));
    if ((sec.inferred === 'position') !== c.lost.has(i)) out.push(`${k} inferred=${sec.inferred}`);
  });
  for (const f of res.findings) {
    if (f.rule === 'S-01' || f.rule === 'S-02' || f.severity === 'error') out.push(`${f.rule} ${f.message}`);
  }
  const named = res.findings.filter((f) => f.rule === 'P-SECTION').flatMap((f) => f.paths).join();
  const want = [...c.lost].sort().map((i) => `sections.${SECTION_KEYS[i]}`).join();
  if (named !== want) out.push(`P-SECTION names ${named || 'nothing'}, expected ${want || 'nothing'}`);
  return out;
}
