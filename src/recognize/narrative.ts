/**
 * Figures stated in the prose of sections 一–六 (format.md §10). Matching runs on
 * NFKC text with all whitespace removed, because PDF text spaces out digits and
 * words ("全市共受理政府信息公开申请 3119 件"); after NFKC the Chinese comma,
 * semicolon, colon and brackets are ASCII, so the patterns use `,;:()`.
 */
import type { NarrativeFact } from '../model/index.js';
import { isExactFigure, normalizeNarrative, sentenceAt } from '../text/narrative.js';

export type { NarrativeFact };

export { normalizeNarrative, sentenceAt };

type Add = (key: string, value: number, unit: string) => void;

interface Pattern {
  re: RegExp;
  emit(m: RegExpExecArray, add: Add, rest: string): void;
}

const num = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));

/** Clause after a match, up to the next ; or 。 — where a stated breakdown lives. */
function clause(rest: string): string {
  return /^[^;。]*/.exec(rest)?.[0] ?? '';
}

const OUTCOMES: [string, RegExp][] = [
  ['Upheld', /(?:结果)?维持(\d+)(?:件|起)/],
  ['Corrected', /(?:结果)?(?:纠正|纠错)(\d+)(?:件|起)/],
  ['Other', /其他(?:结果)?(\d+)(?:件|起)/],
  ['Pending', /尚?未审结(\d+)(?:件|起)/],
];

function breakdown(prefix: 'review' | 'litigation', rest: string, add: Add) {
  const c = clause(rest);
  for (const [suffix, re] of OUTCOMES) {
    const m = re.exec(c);
    if (m) add(`${prefix}${suffix}`, Number(m[1]), '件');
  }
}

const GROUP_KEYS: Record<string, string> = {
  予以公开及部分公开: 'grantedOrPartial',
  予以公开和部分公开: 'grantedOrPartial',
  予以公开与部分公开: 'grantedOrPartial',
  同意公开: 'granted',
  予以公开: 'granted',
  部分公开: 'partiallyGranted',
  不予公开: 'denied',
  无法提供: 'unableToProvide',
  不予处理: 'notProcessed',
  其他处理: 'otherDisposal',
};

/** Gap words that mean the count belongs to something other than applications. */
const FOREIGN = /复议|诉讼|建议|提案|议案|咨询|信访|热线|留言|来电/;
/** Gap words that make the figure a part carried over from last year, not the year's total. */
const CARRIED = /结转|上年|上一年/;
/** Gap words that make the figure an outcome group (read by its own pattern), not the concluded total. */
const OUTCOME_WORDS = /结果|予以公开|部分公开|不予|无法提供|其他处理|撤回|撤销/;

/**
 * A gap between a key word and its figure stays inside one clause: no `,;:。!?`, no
 * conjunction that opens another clause (并, 同时, 另有, 此外, 以及), and no digit (the gap
 * never skips a number). "其中11件办结，8件申请人主动撤销": the 8 belongs
 * to the next clause, so 办结 takes no number. The enumeration comma 、 lists nouns
 * inside a clause ("通过网络、信函等方式提出的申请") and may be crossed.
 */
const G = '(?:(?!并|同时|另有|此外|以及)[^,;:。!?\\d])';
/** "申请，共计15件": a clause break before 共/共计/合计/总计 still belongs to the figure. */
const TOTAL_AFTER_BREAK = '(?:,(?:共计|共|合计|总计)(?:为)?)?';
const rx = (src: string) => new RegExp(src, 'g');

/** In priority order; each match is masked so later patterns do not read it again. */
const PATTERNS: Pattern[] = [
  {
    re: /(?:行政复议(?:和|及|与|、)(?:提起)?行政诉讼|复议(?:和|及|、)诉讼)(?:类)?(?:案件)?(?:共|共计|合计)?(\d+)(件|起)/g,
    emit: (m, add) => add('reviewLitigationCases', Number(m[1]), m[2]),
  },
  { re: /相关案件(?:共|共计|合计)?(\d+)(件|起)/g, emit: (m, add) => add('reviewLitigationCases', Number(m[1]), m[2]) },
  {
    re: /行政复议(?:类)?(?:案件|申请)?(?:共|共计|合计)?(\d+)(件|起)/g,
    emit: (m, add, rest) => {
      add('reviewCases', Number(m[1]), m[2]);
      breakdown('review', rest, add);
    },
  },
  {
    re: /行政诉讼(?:类)?(?:案件)?(?:共|共计|合计)?(\d+)(件|起)/g,
    emit: (m, add, rest) => {
      add('litigationCases', Number(m[1]), m[2]);
      breakdown('litigation', rest, add);
    },
  },
  {
    // The legal-person part continues the 其中 list: it follows the first figure's clause break directly.
    re: rx(`其中[,:]?${G}{0,4}?自然人(?:提出)?(?:申请)?(\\d+)件(?:[,、]?${G}{0,4}?法人(?:或|和)其他组织(?:提出)?(?:申请)?(\\d+)件)?`),
    emit: (m, add) => {
      add('receivedNaturalPerson', Number(m[1]), '件');
      if (m[2] !== undefined) add('receivedLegal', Number(m[2]), '件');
    },
  },
  {
    re: rx(`(?:收到|受理|新收)(${G}{0,24}?)申请(?!人)(${G}{0,6}?)${TOTAL_AFTER_BREAK}${G}{0,4}?(\\d+)件`),
    emit: (m, add) => {
      if (FOREIGN.test(m[1])) return;
      // "受理上年结转申请2件" is last year's part, not the year's received figure.
      add(CARRIED.test(m[1] + m[2]) ? 'carriedOver' : 'received', Number(m[3]), '件');
    },
  },
  {
    re: rx(`(?:结转(?:至|到)?下一?年度?|转(?:入|至|到)?下一?年度|顺延(?:至|到)下一?年度?)(?:继续办理|办理|答复)?${G}{0,8}?(\\d+)件`),
    emit: (m, add) => add('carriedForward', Number(m[1]), '件'),
  },
  {
    re: rx(`另有(\\d+)件${G}{0,12}?(?:顺延|结转|转)(?:至|到|入)?下一?年`),
    emit: (m, add) => add('carriedForward', Number(m[1]), '件'),
  },
  {
    re: rx(`(?:办结|答复|办理)(${G}{0,10}?)${TOTAL_AFTER_BREAK}(\\d+)件(?:\\((?:含|包括|其中)?上年度?结转(?:申请)?(\\d+)件)?`),
    emit: (m, add) => {
      if (FOREIGN.test(m[1]) || OUTCOME_WORDS.test(m[1])) return;
      // "办理上年度结转申请1件。答复11件": the first figure is the carried-over part, the second the total.
      if (CARRIED.test(m[1])) {
        add('concludedCarriedOver', Number(m[2]), '件');
        return;
      }
      add('concluded', Number(m[2]), '件');
      if (m[3] !== undefined) add('concludedCarriedOver', Number(m[3]), '件');
    },
  },
  {
    // "上年结转政府信息公开申请2件", "(含上年结转2件)" after a received figure: last year's part, on its own.
    re: rx(`上一?年度?结转${G}{0,12}?(\\d+)件`),
    emit: (m, add) => add('carriedOver', Number(m[1]), '件'),
  },
  {
    re: /(?<!不)(予以公开(?:及|和|与)部分公开|同意公开|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:答复|的|申请)?(\d+)件(?:\((?:占比?)?(\d+(?:\.\d+)?)%\)|,?占(?:比|总数的?|比例为?)?(\d+(?:\.\d+)?)%)?/g,
    emit: (m, add) => {
      const key = GROUP_KEYS[m[1]];
      add(key, Number(m[2]), '件');
      const pct = num(m[3] ?? m[4]);
      if (pct !== undefined) add(`${key}Pct`, pct, '%');
    },
  },
  {
    re: /收取[^。]{0,20}?信息处理费(?:共计|合计|总计|金额)?(?:为|共)?(\d+(?:\.\d+)?)(万元|元)/g,
    emit: (m, add) => add('infoFeeCollected', Number(m[1]), m[2]),
  },
  {
    re: /信息处理费[^。\d]{0,10}?(?:共计|合计|总计|金额)(?:为)?(\d+(?:\.\d+)?)(万元|元)/g,
    emit: (m, add) => add('infoFeeCollected', Number(m[1]), m[2]),
  },
  { re: /未(?:收取|发生|产生)[^。\d]{0,15}?(?:信息处理费|收费)/g, emit: (_m, add) => add('infoFeeCollected', 0, '元') },
  { re: /发出收费通知(\d+)件/g, emit: (m, add) => add('infoFeeNotices', Number(m[1]), '件') },
  {
    re: /发出收费通知的?件数和总金额[^。]{0,30}?均为0(?!\d|\.\d)/g,
    emit: (m, add) => {
      add('infoFeeNotices', 0, '件');
      if (/实际收取/.test(m[0])) add('infoFeeCollected', 0, '元');
    },
  },
];

/** `s` with the spans replaced by □ (same length), built in one pass. */
function mask(s: string, spans: [number, number][]): string {
  if (spans.length === 0) return s;
  const parts: string[] = [];
  let at = 0;
  for (const [a, b] of spans) {
    parts.push(s.slice(at, a), '□'.repeat(b - a));
    at = b;
  }
  parts.push(s.slice(at));
  return parts.join('');
}

/**
 * Extracts the §10 facts. A quantity stated twice with the same value is kept once;
 * with a different value the second goes to `<key>2` (then `<key>3`…), so rules can test each.
 */
export function extractNarrative(text: string): Record<string, NarrativeFact> {
  const norm = normalizeNarrative(text);
  let work = norm;
  const facts: Record<string, NarrativeFact> = {};
  for (const p of PATTERNS) {
    const spans: [number, number][] = [];
    p.re.lastIndex = 0;
    for (let m = p.re.exec(work); m; m = p.re.exec(work)) {
      const at = m.index;
      const sentence = sentenceAt(norm, at);
      const add: Add = (key, value, unit) => {
        if (!isExactFigure(value)) return;
        let n = 1;
        for (; ; n++) {
          const k = n === 1 ? key : `${key}${n}`;
          const f = facts[k];
          if (!f) break;
          if (f.value === value && f.unit === unit) return;
        }
        facts[n === 1 ? key : `${key}${n}`] = { value, unit, text: sentence };
      };
      // Only the clause after the match is read (breakdowns); a bounded slice keeps many matches linear.
      p.emit(m, add, work.slice(at + m[0].length, at + m[0].length + 400));
      spans.push([at, at + m[0].length]);
    }
    work = mask(work, spans);
  }
  return facts;
}
