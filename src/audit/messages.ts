/**
 * Every audit message, Chinese and English, in one table. Rules pass parameters;
 * the wording lives here so both languages stay in step.
 */
import type { Lang } from './types.js';

type Template = { zh: string; en: string };

export const MESSAGES = {
  // equations: {actual} is the printed side, {expected} the value from the parts
  'T3-BAL': {
    zh: '第一项加第二项之和（{expected}）不等于第三项加第四项之和（{actual}）：{where}',
    en: 'Item 1 + item 2 ({expected}) does not equal item 3 + item 4 ({actual}): {where}',
  },
  'T3-OUT': {
    zh: '（七）总计（{actual}）不等于各项办理结果之和（{expected}）：{where}',
    en: '(7) total ({actual}) does not equal the sum of the outcomes ({expected}): {where}',
  },
  'T3-OUT.extraBalances': {
    zh: '（七）总计（{actual}）不等于标准行之和（{expected}），计入非标准行后相等：{where}',
    en: '(7) total ({actual}) does not equal the standard rows ({expected}) but balances with the non-standard rows: {where}',
  },
  'T3-OUT.extraFails': {
    zh: '（七）总计（{actual}）不等于各项办理结果之和（{expected}），计入非标准行后（{withExtra}）也不相等：{where}',
    en: '(7) total ({actual}) equals neither the standard rows ({expected}) nor the rows with the non-standard ones ({withExtra}): {where}',
  },
  'T3-ROW': {
    zh: '{where}：总计（{actual}）不等于自然人与法人或其他组织之和（{expected}）',
    en: '{where}: total ({actual}) does not equal natural persons + legal persons ({expected})',
  },
  'T3-ROW.blank': {
    zh: '{where}：总计为空，按自然人与法人或其他组织之和推算为 {expected}',
    en: '{where}: total is blank; derived from natural persons + legal persons as {expected}',
  },
  'T3-SUB': {
    zh: '{where}：小计（{actual}）不等于各子项之和（{expected}）',
    en: '{where}: subtotal ({actual}) does not equal the sum of its rows ({expected})',
  },
  'T3-BOUND': {
    zh: '{where}（{actual}）大于第一项加第二项之和（{expected}）',
    en: '{where} ({actual}) exceeds item 1 + item 2 ({expected})',
  },
  'T3-LAYOUT.single': {
    zh: '{year}年度报告的“（六）其他处理”只有一行，应按2021年格式分为三行',
    en: 'The {year} report prints "(6) other disposal" as one row; the 2021 format has three',
  },
  'T3-LAYOUT.split': {
    zh: '2019年格式报告的“（六）其他处理”分为三行（2021年格式的行）',
    en: 'A 2019-format report prints "(6) other disposal" as three rows (the 2021 layout)',
  },
  notInteger: {
    zh: '{where}：{actual} 不是非负整数',
    en: '{where}: {actual} is not a non-negative integer',
  },
  notInt: { zh: '{where}：{actual} 不是整数', en: '{where}: {actual} is not an integer' },
  negative: { zh: '{where}：{actual} 为负数', en: '{where}: {actual} is negative' },
  'T2-FEE.unit': {
    zh: '行政事业性收费金额 {actual} 的单位可疑（表格单位为万元）{detail}',
    en: 'Administrative fee amount {actual} has a doubtful unit (the column is in 万元){detail}',
  },
  'T2-STOCK': {
    zh: '{where}：现行有效件数（{actual}）小于本年制发件数减本年废止件数（{expected}）',
    en: '{where}: documents in force ({actual}) fewer than issued − repealed ({expected})',
  },
  'T2-19-PUB': {
    zh: '{where}：本年新公开数量（{actual}）大于对外公开总数量（{expected}）',
    en: '{where}: newly published ({actual}) exceeds total published ({expected})',
  },
  'T2-19-ITEMS': {
    zh: '{where}：上一年项目数量加本年增/减为 {actual}，小于 0',
    en: '{where}: previous items + change is {actual}, below 0',
  },
  'T2-XY': {
    zh: '{where}：现行有效件数（{actual}）不等于上年现行有效件数加本年制发减本年废止（{expected}）',
    en: '{where}: documents in force ({actual}) ≠ last year\'s in force + issued − repealed ({expected})',
  },
  'T2-19-ITEMS.xy': {
    zh: '{where}：上一年项目数量（{actual}）不等于上年报告的上一年项目数量加本年增/减（{expected}）',
    en: '{where}: previous items ({actual}) ≠ last report\'s previous items + change ({expected})',
  },
  'T3-XY': {
    zh: '上年结转（{actual}）不等于上年报告的结转下年度继续办理（{expected}）：{where}',
    en: 'Carried over ({actual}) does not equal last report\'s carried forward ({expected}): {where}',
  },
  T4: {
    zh: '{where}：总计（{actual}）不等于结果维持、结果纠正、其他结果、尚未审结之和（{expected}）',
    en: '{where}: total ({actual}) does not equal upheld + corrected + other + pending ({expected})',
  },
  'T4-NOTE': {
    zh: '表四注明行政复议、行政诉讼数量含上年度结转：{note}',
    en: 'Table 4 notes that the counts include cases carried over: {note}',
  },
  // narrative
  'N.mismatch': {
    zh: '正文所述{where}（{actual}）与表格（{expected}）不一致',
    en: 'The text states {where} as {actual}; the table gives {expected}',
  },
  'N-RECV': {
    zh: '正文所述收到申请数（{actual}）既不等于本年新收（{expected}），也不等于本年新收加上年结转（{withCarried}）',
    en: 'The text states {actual} applications received; the table gives {expected} new, {withCarried} with those carried over',
  },
  'N-SPLIT.sum': {
    zh: '正文所述自然人（{n1}）与法人或其他组织（{n2}）之和（{expected}）不等于所述总数（{actual}）',
    en: 'Natural persons ({n1}) + legal persons ({n2}) = {expected}, not the stated total {actual}',
  },
  'N-GROUP': {
    zh: '正文所述{where}（{actual}）与表格（{expected}）不一致{hint}',
    en: 'The text states {where} as {actual}; the table gives {expected}{hint}',
  },
  'N-GROUP.row': { zh: '；所述数字等于子项“{row}”', en: '; the figure equals the row "{row}"' },
  'N-GROUP.column': { zh: '；所述数字等于{col}列', en: '; the figure equals the {col} column' },
  'N-PCT': {
    zh: '正文所述{where}占比 {actual}% 与计算值 {expected}% 不符（{n}/{base}）',
    en: 'The text gives {where} as {actual}%; {n}/{base} is {expected}%',
  },
  'N-LIST': {
    zh: '正文列举的各项之和（{expected}）不等于所述总数（{actual}）',
    en: 'The listed items add up to {expected}, not the stated total {actual}',
  },
  'N-CLAIM.none': {
    zh: '正文称未发生{what}，但表四{what}总计为 {actual}',
    en: 'The text says there was no {what}, but table 4 gives {actual}',
  },
  'N-CLAIM.corrected': {
    zh: '正文称{claim}，但表四结果纠正为 {actual}',
    en: 'The text claims "{claim}", but table 4 shows {actual} corrected',
  },
  'N-CLAIM.pending': {
    zh: '正文称{claim}，但表四尚有 {actual} 件尚未审结',
    en: 'The text claims "{claim}", but table 4 shows {actual} pending',
  },
  'N-CLAIM.received': {
    zh: '正文称未收到申请，但本年新收申请总计为 {actual}',
    en: 'The text says no applications were received, but table 3 gives {actual} new',
  },
  'X-FEE.notice': {
    zh: '有 {actual} 件因逾期未缴费不再处理，但第六部分未说明收费通知或信息处理费',
    en: '{actual} applications were closed for unpaid fees, but section 6 says nothing about fee notices or processing fees',
  },
  'X-FEE.conflict': {
    zh: '正文对信息处理费的陈述不一致：{values}',
    en: 'The text states the information-processing fee inconsistently: {values}',
  },
  // structure
  'S-01': { zh: '缺少第{num}部分“{title}”', en: 'Section {num} "{title}" is missing' },
  'S-03': {
    zh: '{year}年度报告使用{format}年格式，未使用最新格式（{wanted}年格式）',
    en: 'The {year} report uses the {format} format instead of the {wanted} format',
  },
  'S-03.later': {
    zh: '{year}年度报告使用{format}年格式，该格式晚于本年度适用的{wanted}年格式（补发或重新发布的报告？）',
    en: 'The {year} report uses the {format} format, later than the {wanted} format of its year (filed late or republished?)',
  },
  'S-04': { zh: '缺少表格：{title}', en: 'Table missing: {title}' },
  'P-TRUNC.end': {
    zh: '文本在{table}“{row}”行之后中断（第{line}行，来源不完整）：其后的行与表格不在来源中，不作缺失处理',
    en: 'The text ends inside {table} after the row “{row}” (line {line}; the source is incomplete): what follows is not in the source and is not reported missing',
  },
  'P-TRUNC.end.none': {
    zh: '文本在{table}中间中断（第{line}行，未读到数据行，来源不完整）：其后的内容不在来源中，不作缺失处理',
    en: 'The text ends inside {table} before any data row (line {line}; the source is incomplete): what follows is not in the source and is not reported missing',
  },
  'P-TRUNC.start': {
    zh: '文本从{table}中间开始（首个数据行为“{row}”，第{line}行）：此前的行与表格不在来源中，不作缺失处理',
    en: 'The text begins inside {table} (first data row “{row}”, line {line}): what precedes it is not in the source and is not reported missing',
  },
  'P-TRUNC.start.none': {
    zh: '文本从{table}中间开始（第{line}行）：此前的内容不在来源中，不作缺失处理',
    en: 'The text begins inside {table} (line {line}): what precedes it is not in the source and is not reported missing',
  },
  'S-05.row': { zh: '{table}缺少行：{where}', en: '{table} lacks the row {where}' },
  'S-05.column': { zh: '{table}缺少列：{where}', en: '{table} lacks the column {where}' },
  'S-06': {
    zh: '{table}有 {count} 个单元格为空或为占位符（按 0 计）：{list}',
    en: '{table} has {count} blank or placeholder cells (counted as 0): {list}',
  },
  'S-06.blankTable': {
    zh: '{table}整表为空（{count} 个单元格），视为未填报',
    en: '{table} is wholly blank ({count} cells): not reported',
  },
  'S-07': { zh: '{where}填写了文字“{raw}”而非数字', en: '{where} holds text "{raw}" instead of a number' },
  'S-11.empty': { zh: '第五部分内容为空或为套话', en: 'Section 5 is empty or boilerplate' },
  'S-11.problems': { zh: '第五部分未说明存在的主要问题', en: 'Section 5 does not state the main problems' },
  'S-11.improvements': { zh: '第五部分未说明改进情况', en: 'Section 5 does not state the improvements' },
  'S-12': {
    zh: '第六部分未报告信息处理费收取情况',
    en: 'Section 6 does not report information-processing fees',
  },
  'S-13.missing': { zh: '未说明统计期限', en: 'The statistical period is not stated' },
  'S-13.wrong': {
    zh: '统计期限 {from} 至 {to} 不是 {year} 年 1 月 1 日至 12 月 31 日',
    en: 'Statistical period {from} to {to} is not 1 Jan–31 Dec {year}',
  },
  'T2-19-UNIT': { zh: '采购总金额“{raw}”未注明单位，按原数记录（视为万元）', en: 'Procurement amount "{raw}" has no unit; kept as printed (taken as 万元)' },
  'S-10': { zh: '行标签“{label}”不是本格式的规范写法（{row}）', en: 'Row label "{label}" is not the canonical one of the format ({row})' },
  'S-14': { zh: '发布日期 {published} 晚于{kind}的期限 {due}', en: 'Published {published}, after the deadline for {kind} ({due})' },
  'S-14.government': { zh: '县级以上人民政府', en: 'governments at county level and above' },
  'S-14.department': { zh: '政府部门', en: 'government departments' },
  'S-14.all': { zh: '2008年条例', en: 'the 2008 regulations' },
  'S-15': {
    zh: '表三有非标准行“{label}”{group}',
    en: 'Table 3 has a non-standard row "{label}"{group}',
  },
  'S-15.group': { zh: '（归入{group}）', en: ' (in {group})' },
  'S-15.standardBalances': {
    zh: '；仅标准行时（七）总计平衡',
    en: '; (7) total balances with the standard rows alone',
  },
  'S-15.extraBalances': {
    zh: '；计入非标准行后（七）总计才平衡',
    en: '; (7) total balances only with the non-standard rows',
  },
  // shared
  notAssessable: {
    zh: '{count} 项核对因单元格缺失或为文字而无法进行：{list}',
    en: '{count} checks could not be made because cells are missing or hold text: {list}',
  },
  notReported: {
    zh: '{table}整表为空（未填报），{rule} 无法核对',
    en: '{table} is wholly blank (not reported); {rule} cannot be checked',
  },
  placeholderNote: { zh: '（空白或占位单元格按 0 计）', en: ' (blank or placeholder cells counted as 0)' },
  derivedNote: { zh: '（含由表格推算的缺失单元格）', en: ' (includes lost cells derived from the table)' },
  inferredNote: {
    zh: '（含版式不明、按推断读取的单元格，不相等可能源于读取，不作为报告错误）',
    en: ' (includes cells read by inference where the layout was ambiguous: the mismatch may be our reading, not an error of the report)',
  },
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof MESSAGES;

export const TABLE_NAMES: Record<'table2' | 'table3' | 'table4', Template> = {
  table2: { zh: '表二（主动公开政府信息情况）', en: 'Table 2 (proactive disclosure)' },
  table3: { zh: '表三（收到和处理政府信息公开申请情况）', en: 'Table 3 (applications)' },
  table4: { zh: '表四（行政复议、行政诉讼情况）', en: 'Table 4 (review and litigation)' },
};

/** Counts print as integers; decimals are trimmed of float noise (0.1 + 0.2). */
export function fmtNum(n: number): string {
  return String(Number(n.toFixed(6)));
}

export function msg(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return '';
    return typeof v === 'number' ? fmtNum(v) : v;
  });
}

/** A short list for messages; the finding's `paths` carries them all. */
export function listPaths(paths: string[], max = 8): string {
  return paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} …(+${paths.length - max})`;
}
