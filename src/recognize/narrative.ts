/**
 * Figures stated in the prose of sections 一–六 (format.md §10). Matching runs on
 * NFKC text with all whitespace removed, because PDF text spaces out digits and
 * words ("全市共受理政府信息公开申请 3119 件"); after NFKC the Chinese comma,
 * semicolon, colon and brackets are ASCII, so the patterns use `,;:()`.
 */

export interface NarrativeFact {
  value: number;
  unit: string;
  /** the (normalised) sentence the figure was read from */
  text: string;
}

export function normalizeNarrative(text: string): string {
  return (
    text
      .normalize('NFKC')
      .replace(/\s+/g, '')
      // thousands separators: 1,295 → 1295 (only a comma followed by exactly three digits)
      .replace(/(\d),(?=\d{3}(?!\d))/g, '$1')
  );
}

const SENTENCE_END = /[。!?]/;

/** The sentence of `s` that contains index `i`. */
export function sentenceAt(s: string, i: number): string {
  let a = i;
  while (a > 0 && !SENTENCE_END.test(s[a - 1])) a--;
  let b = i;
  while (b < s.length && !SENTENCE_END.test(s[b])) b++;
  return s.slice(a, Math.min(b + 1, s.length));
}

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
    re: /其中[^。;\d]{0,4}?自然人(?:提出)?(?:申请)?(\d+)件(?:[,、]?[^。;\d]{0,4}?法人(?:或|和)其他组织(?:提出)?(?:申请)?(\d+)件)?/g,
    emit: (m, add) => {
      add('receivedNaturalPerson', Number(m[1]), '件');
      if (m[2] !== undefined) add('receivedLegal', Number(m[2]), '件');
    },
  },
  {
    re: /(?:收到|受理|新收)([^。;\d]{0,20}?)申请(?!人)[^。;\d]{0,6}?(\d+)件/g,
    emit: (m, add) => {
      if (!FOREIGN.test(m[1])) add('received', Number(m[2]), '件');
    },
  },
  {
    re: /(?:结转(?:至|到)?下一?年度?|转(?:入|至|到)?下一?年度|顺延(?:至|到)下一?年度?)(?:继续办理|办理|答复)?[^。;\d]{0,8}?(\d+)件/g,
    emit: (m, add) => add('carriedForward', Number(m[1]), '件'),
  },
  {
    re: /另有(\d+)件[^。;\d]{0,12}?(?:顺延|结转|转)(?:至|到|入)?下一?年/g,
    emit: (m, add) => add('carriedForward', Number(m[1]), '件'),
  },
  {
    re: /(?:办结|答复|办理)([^。;\d]{0,10}?)(\d+)件(?:\((?:含|包括|其中)?上年度?结转(?:申请)?(\d+)件)?/g,
    emit: (m, add) => {
      if (FOREIGN.test(m[1])) return;
      add('concluded', Number(m[2]), '件');
      if (m[3] !== undefined) add('concludedCarriedOver', Number(m[3]), '件');
    },
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
        if (!Number.isFinite(value)) return;
        let n = 1;
        for (; ; n++) {
          const k = n === 1 ? key : `${key}${n}`;
          const f = facts[k];
          if (!f) break;
          if (f.value === value && f.unit === unit) return;
        }
        facts[n === 1 ? key : `${key}${n}`] = { value, unit, text: sentence };
      };
      p.emit(m, add, work.slice(at + m[0].length));
      spans.push([at, at + m[0].length]);
    }
    for (const [a, b] of spans) work = work.slice(0, a) + '□'.repeat(b - a) + work.slice(b);
  }
  return facts;
}
