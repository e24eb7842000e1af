import type { SectionKey } from '../model/index.js';
import { normLabel, splitNumbering, type Numbering } from './normalize.js';

/**
 * Label variants as data (format.md §8.2). Each pattern is matched on
 * normalised text with its numbering stripped; numbering is a secondary key.
 */
export interface RowPattern {
  /** Path below `applications.` */
  path: string;
  numbering: Numbering | null;
  /** Normalised label cores, canonical first. */
  labels: string[];
  /** Optional rows (group subtotals, the 2019 single （六） row) cost nothing when absent. */
  optional?: boolean;
}

const p = (path: string, numbering: string, labels: string[], optional = false): RowPattern => {
  const num = numbering ? splitNumbering(normLabel(numbering + 'x')).numbering : null;
  return { path, numbering: num, labels: labels.map(normLabel), optional };
};

/** Table 3 rows in printed order, with the optional group rows where they are printed. */
export const TABLE3_PATTERNS: RowPattern[] = [
  p('newReceived', '一、', ['本年新收政府信息公开申请数量', '本年新收']),
  p('carriedOver', '二、', ['上年结转政府信息公开申请数量', '上年结转']),
  p('results.granted', '（一）', ['予以公开']),
  p('results.partiallyGranted', '（二）', ['部分公开（区分处理的，只计这一情形，不计其他情形）', '部分公开（区分处理）', '部分公开']),
  p('results.denied.subtotal', '（三）', ['不予公开', '不予公开小计'], true),
  p('results.denied.stateSecret', '1.', ['属于国家秘密']),
  p('results.denied.prohibitedByLaw', '2.', ['其他法律行政法规禁止公开']),
  p('results.denied.safetyStability', '3.', ['危及“三安全一稳定”', '三安全一稳定']),
  p('results.denied.thirdPartyRights', '4.', ['保护第三方合法权益']),
  p('results.denied.internalAffairs', '5.', ['属于三类内部事务信息', '内部事务信息']),
  p('results.denied.processInformation', '6.', ['属于四类过程性信息']),
  p('results.denied.enforcementFiles', '7.', ['属于行政执法案卷']),
  p('results.denied.administrativeQuery', '8.', ['属于行政查询事项']),
  p('results.denied.subtotal', '', ['小计', '不予公开小计'], true),
  p('results.unableToProvide.subtotal', '（四）', ['无法提供', '无法提供小计'], true),
  p('results.unableToProvide.notHeld', '1.', ['本机关不掌握相关政府信息', '不掌握相关政府信息']),
  p('results.unableToProvide.needsCreation', '2.', ['没有现成信息需要另行制作']),
  p('results.unableToProvide.unclearAfterCorrection', '3.', ['补正后申请内容仍不明确']),
  p('results.unableToProvide.subtotal', '', ['小计', '无法提供小计'], true),
  p('results.notProcessed.subtotal', '（五）', ['不予处理', '不予处理小计'], true),
  p('results.notProcessed.complaint', '1.', ['信访举报投诉类申请']),
  p('results.notProcessed.duplicate', '2.', ['重复申请']),
  p('results.notProcessed.publication', '3.', ['要求提供公开出版物']),
  p('results.notProcessed.excessive', '4.', ['无正当理由大量反复申请']),
  p('results.notProcessed.confirmation', '5.', ['要求行政机关确认或重新出具已获取信息']),
  p('results.notProcessed.subtotal', '', ['小计', '不予处理小计'], true),
  // "（六）其他" is the group row, not 3.其他: the numbering tells them apart, the label alone cannot.
  p('results.otherDisposal.subtotal', '（六）', ['其他处理', '其他处理情况', '其他'], true),
  p('results.otherDisposal.overdueCorrection', '1.', ['申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', '逾期不补正']),
  p('results.otherDisposal.unpaidFee', '2.', ['申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '逾期未缴费']),
  p('results.otherDisposal.other', '3.', ['其他']),
  p('results.otherDisposal.subtotal', '', ['小计', '其他处理小计'], true),
  p('results.total', '（七）', ['总计', '合计', '办理结果总计']),
  p('carriedForward', '四、', ['结转下年度继续办理', '结转下一年度继续办理']),
];

/** Table 3 column headers → Counts keys; matched on the lowest header cell of a column. */
export const TABLE3_COLUMN_LABELS: { key: string; labels: string[] }[] = [
  { key: 'naturalPerson', labels: ['自然人'] },
  { key: 'commercial', labels: ['商业企业', '企业', '商业'] },
  { key: 'research', labels: ['科研机构', '科研'] },
  { key: 'publicInterest', labels: ['社会公益组织', '社会公益', '公益组织', '社会组织'] },
  { key: 'legalService', labels: ['法律服务机构', '法律服务'] },
  { key: 'otherOrg', labels: ['其他', '其他组织'] },
  { key: 'total', labels: ['总计', '合计'] },
].map((c) => ({ key: c.key, labels: c.labels.map(normLabel) }));

/** Table 4 blocks and columns as header words. */
export const TABLE4_HEADER = {
  review: normLabel('行政复议'),
  litigation: normLabel('行政诉讼'),
  direct: normLabel('未经复议直接起诉'),
  afterReview: normLabel('复议后起诉'),
};

/** Table 2 row labels per format: normalised label → path prefix below `proactive.` */
export const TABLE2_ROWS: { labels: string[]; key: string }[] = [
  { key: 'regulations', labels: ['规章'] },
  { key: 'normativeDocuments', labels: ['行政规范性文件', '规范性文件'] },
  { key: 'licensing', labels: ['行政许可'] },
  { key: 'otherServices', labels: ['其他对外管理服务事项'] },
  { key: 'punishment', labels: ['行政处罚'] },
  { key: 'coercion', labels: ['行政强制'] },
  { key: 'fees', labels: ['行政事业性收费'] },
  { key: 'procurement', labels: ['政府集中采购'] },
].map((r) => ({ key: r.key, labels: r.labels.map(normLabel) }));

/** Format signatures (§2.1), normalised. */
export const SIGNATURES = {
  '2021': ['本年制发件数', '本年废止件数', '现行有效件数', '本年收费金额(单位:万元)', '申请人逾期未按收费通知要求缴纳费用', '申请人无正当理由逾期不补正,行政机关不再处理'].map(normLabel),
  '2019': ['本年新制作数量', '本年新公开数量', '对外公开总数量', '上一年项目数量', '本年增/减', '第二十条第(九)项', '政府集中采购', '采购总金额', '其他对外管理服务事项'].map(normLabel),
  both: ['本列数据的勾稽关系为', '本年新收政府信息公开申请数量', '属于三类内部事务信息', '危及三安全一稳定', '未经复议直接起诉', '复议后起诉'].map(normLabel),
  legacy: ['依申请公开政府信息情况', '政府信息公开的收费及减免情况', '咨询处理情况', '回应解读情况', '统计指标', '当面申请数', '同意公开答复数', '不同意公开答复数', '申请信息不存在', '不属于本行政机关公开', '告知作出更改补充', '政府信息公开专项经费'].map(normLabel),
};

/** Section titles and their variants (§3), normalised without numbering. */
export const SECTION_PATTERNS: { key: SectionKey; n: number; labels: string[] }[] = (
  [
  { key: 'overview', n: 1, labels: ['总体情况', '概述', '主要工作概述', '基本工作情况'] },
  { key: 'proactive', n: 2, labels: ['主动公开政府信息情况'] },
  { key: 'applications', n: 3, labels: ['收到和处理政府信息公开申请情况'] },
  { key: 'reviewLitigation', n: 4, labels: ['政府信息公开行政复议、行政诉讼情况', '因政府信息公开工作被申请行政复议和提起行政诉讼情况', '政府信息公开行政复议和行政诉讼情况'] },
  { key: 'problems', n: 5, labels: ['存在的主要问题及改进情况', '政府信息公开工作存在的主要问题及改进情况', '存在的主要问题及整改措施', '存在问题及改进情况', '存在的主要问题和改进措施'] },
  { key: 'other', n: 6, labels: ['其他需要报告的事项', '需要说明的事项'] },
  ] as { key: SectionKey; n: number; labels: string[] }[]
).map((s) => ({ ...s, labels: s.labels.map(normLabel) }));
