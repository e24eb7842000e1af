import type { Report, SectionKey } from '../model/index.js';
import { SECTION_PATTERNS } from './labels.js';
import type { Line } from './lines.js';
import { dice, splitNumbering } from './normalize.js';

/**
 * Sections 一…六 by title similarity (format.md §3): numbering shifts between
 * reports (五、其他需要报告的事项), so the title decides, not the number.
 */

export interface SectionHit {
  key: SectionKey;
  index: number;
  heading: string;
  /** Text on the heading's own line after the title (adapters sometimes join them). */
  tail: string;
  /** The printed number (一 = 1), when the heading has one. */
  n?: number;
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

export function findSections(lines: Line[]): SectionHit[] {
  const hits: SectionHit[] = [];
  const seen = new Set<SectionKey>();
  for (const line of lines) {
    const own = line.cells.filter((c) => !c.spanned && c.norm !== '');
    if (own.length !== 1) continue;
    const { numbering, rest } = splitNumbering(line.norm);
    // Word's automatic list numbering is not text: a heading may come without its 一、.
    if (numbering && numbering.style !== 'cn') continue;
    const m = matchTitle(rest);
    if (!m || seen.has(m.key)) continue;
    if (!numbering && (m.score < 0.85 || rest.length > m.len + 4)) continue;
    seen.add(m.key);
    const text = own[0].text.trim();
    // Keep the printed heading; cut the body that an adapter may have joined onto it.
    const tail = rest.length > m.len + 2 ? cutAfterTitle(text, m.len) : '';
    hits.push({ key: m.key, index: line.index, heading: tail ? text.slice(0, text.length - tail.length).trim() : text, tail, ...(numbering ? { n: numbering.n } : {}) });
  }
  return hits;
}

/** The part of a printed heading line after its numbering and `len` title characters (spaces ignored). */
function cutAfterTitle(text: string, len: number): string {
  const m = /^\s*[一二三四五六七八九十]+\s*[、.．,，]\s*/.exec(text);
  let i = m ? m[0].length : 0;
  let n = 0;
  while (i < text.length && n < len) {
    if (!/\s/.test(text[i])) n++;
    i++;
  }
  return text.slice(i).replace(/^[\s。．.:：]+/, '');
}

/** Narrative text of each section: its paragraphs, not its table rows. */
export function sectionTexts(lines: Line[], hits: SectionHit[], tableLines: Set<number>): Report['sections'] {
  const sections: Report['sections'] = { overview: null, proactive: null, applications: null, reviewLitigation: null, problems: null, other: null };
  const ordered = [...hits].sort((a, b) => a.index - b.index);
  ordered.forEach((h, i) => {
    const end = i + 1 < ordered.length ? ordered[i + 1].index : lines.length;
    const parts: string[] = h.tail ? [h.tail] : [];
    for (let k = h.index + 1; k < end; k++) {
      const l = lines[k];
      if (tableLines.has(k) || l.kind !== 'paragraph') continue;
      parts.push(l.text.trim());
    }
    sections[h.key] = { heading: h.heading.replace(/\s+/g, ''), text: parts.join('\n') };
  });
  return sections;
}

/**
 * S-02 (info): the sections stand in the order 一→六 and their printed numbers rise
 * one by one without repeats. Returns what is out of order, or null when all is well.
 */
export function sectionOrderProblem(hits: SectionHit[]): { keys: SectionKey[]; zh: string; en: string } | null {
  const ordered = [...hits].sort((a, b) => a.index - b.index);
  const canonical = SECTION_PATTERNS.map((p) => p.key);
  const ranks = ordered.map((h) => canonical.indexOf(h.key));
  const outOfOrder = ranks.some((r, i) => i > 0 && r < ranks[i - 1]);
  const numbers = ordered.flatMap((h) => (h.n !== undefined ? [h.n] : []));
  const badNumbers = numbers.some((n, i) => i > 0 && n <= numbers[i - 1]);
  if (!outOfOrder && !badNumbers) return null;
  const printed = ordered.map((h) => h.heading).join(' → ');
  return {
    keys: ordered.map((h) => h.key),
    zh: `${outOfOrder ? '各部分顺序与规定格式不一致' : '各部分编号重复或倒序'}：${printed}`,
    en: `${outOfOrder ? 'Sections are not in the order of the format' : 'Section numbers repeat or go backwards'}: ${printed}`,
  };
}
