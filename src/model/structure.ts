/**
 * The fixed structure of the official tables as data: every value path, its
 * official Chinese label and its group. The schema, the recognizer, the audit
 * rules and the exports all read these tables, so a row is defined once.
 */

export const COUNT_COLUMNS = [
  { key: 'naturalPerson', label: '自然人' },
  { key: 'commercial', label: '商业企业' },
  { key: 'research', label: '科研机构' },
  { key: 'publicInterest', label: '社会公益组织' },
  { key: 'legalService', label: '法律服务机构' },
  { key: 'otherOrg', label: '其他' },
  { key: 'total', label: '总计' },
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number]['key'];
export const COUNT_KEYS: CountColumn[] = COUNT_COLUMNS.map((c) => c.key);
/** 法人或其他组织: the five legal-person columns. */
export const LEGAL_KEYS: CountColumn[] = ['commercial', 'research', 'publicInterest', 'legalService', 'otherOrg'];

export type ResultGroup = 'denied' | 'unableToProvide' | 'notProcessed' | 'otherDisposal';

export interface Table3Row {
  /** Path below `applications.` */
  path: string;
  /** Official label [TPL21], with its numbering. */
  label: string;
  group?: ResultGroup;
  /** Which formats print the row. */
  formats: ReadonlyArray<'2021' | '2019'>;
}

const BOTH = ['2021', '2019'] as const;
const Y2021 = ['2021'] as const;
const Y2019 = ['2019'] as const;

/** Table 3 rows in their printed order; 2021 has 25, 2019 has 23. */
export const TABLE3_ROWS: Table3Row[] = [
  { path: 'newReceived', label: '一、本年新收政府信息公开申请数量', formats: BOTH },
  { path: 'carriedOver', label: '二、上年结转政府信息公开申请数量', formats: BOTH },
  { path: 'results.granted', label: '（一）予以公开', formats: BOTH },
  { path: 'results.partiallyGranted', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', formats: BOTH },
  { path: 'results.denied.stateSecret', label: '1.属于国家秘密', group: 'denied', formats: BOTH },
  { path: 'results.denied.prohibitedByLaw', label: '2.其他法律行政法规禁止公开', group: 'denied', formats: BOTH },
  { path: 'results.denied.safetyStability', label: '3.危及“三安全一稳定”', group: 'denied', formats: BOTH },
  { path: 'results.denied.thirdPartyRights', label: '4.保护第三方合法权益', group: 'denied', formats: BOTH },
  { path: 'results.denied.internalAffairs', label: '5.属于三类内部事务信息', group: 'denied', formats: BOTH },
  { path: 'results.denied.processInformation', label: '6.属于四类过程性信息', group: 'denied', formats: BOTH },
  { path: 'results.denied.enforcementFiles', label: '7.属于行政执法案卷', group: 'denied', formats: BOTH },
  { path: 'results.denied.administrativeQuery', label: '8.属于行政查询事项', group: 'denied', formats: BOTH },
  { path: 'results.unableToProvide.notHeld', label: '1.本机关不掌握相关政府信息', group: 'unableToProvide', formats: BOTH },
  { path: 'results.unableToProvide.needsCreation', label: '2.没有现成信息需要另行制作', group: 'unableToProvide', formats: BOTH },
  { path: 'results.unableToProvide.unclearAfterCorrection', label: '3.补正后申请内容仍不明确', group: 'unableToProvide', formats: BOTH },
  { path: 'results.notProcessed.complaint', label: '1.信访举报投诉类申请', group: 'notProcessed', formats: BOTH },
  { path: 'results.notProcessed.duplicate', label: '2.重复申请', group: 'notProcessed', formats: BOTH },
  { path: 'results.notProcessed.publication', label: '3.要求提供公开出版物', group: 'notProcessed', formats: BOTH },
  { path: 'results.notProcessed.excessive', label: '4.无正当理由大量反复申请', group: 'notProcessed', formats: BOTH },
  { path: 'results.notProcessed.confirmation', label: '5.要求行政机关确认或重新出具已获取信息', group: 'notProcessed', formats: BOTH },
  { path: 'results.otherDisposal.overdueCorrection', label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', group: 'otherDisposal', formats: Y2021 },
  { path: 'results.otherDisposal.unpaidFee', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', group: 'otherDisposal', formats: Y2021 },
  { path: 'results.otherDisposal.other', label: '3.其他', group: 'otherDisposal', formats: Y2021 },
  { path: 'results.otherDisposal.subtotal', label: '（六）其他处理', formats: Y2019 },
  { path: 'results.total', label: '（七）总计', formats: BOTH },
  { path: 'carriedForward', label: '四、结转下年度继续办理', formats: BOTH },
];

export const GROUP_LABELS: Record<ResultGroup, string> = {
  denied: '（三）不予公开',
  unableToProvide: '（四）无法提供',
  notProcessed: '（五）不予处理',
  otherDisposal: '（六）其他处理',
};

export function table3Rows(format: '2021' | '2019'): Table3Row[] {
  return TABLE3_ROWS.filter((r) => r.formats.includes(format));
}

/** Table 4: three blocks of five columns, one data row, fixed order. */
export const TABLE4_BLOCKS = [
  { key: 'review', label: '行政复议' },
  { key: 'litigationDirect', label: '行政诉讼·未经复议直接起诉' },
  { key: 'litigationAfterReview', label: '行政诉讼·复议后起诉' },
] as const;
export const TABLE4_COLUMNS = [
  { key: 'upheld', label: '结果维持' },
  { key: 'corrected', label: '结果纠正' },
  { key: 'other', label: '其他结果' },
  { key: 'pending', label: '尚未审结' },
  { key: 'total', label: '总计' },
] as const;
export type Table4Block = (typeof TABLE4_BLOCKS)[number]['key'];
export type Table4Column = (typeof TABLE4_COLUMNS)[number]['key'];

/** Table 2 cells, per format: path below `proactive.`, row label, column label, whether decimal/signed. */
export interface Table2Cell {
  path: string;
  row: string;
  column: string;
  caption: string;
  decimal?: boolean;
  signed?: boolean;
}

export const TABLE2_2021: Table2Cell[] = [
  { path: 'regulations.issued', row: '规章', column: '本年制发件数', caption: '第二十条第（一）项' },
  { path: 'regulations.repealed', row: '规章', column: '本年废止件数', caption: '第二十条第（一）项' },
  { path: 'regulations.inForce', row: '规章', column: '现行有效件数', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.issued', row: '行政规范性文件', column: '本年制发件数', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.repealed', row: '行政规范性文件', column: '本年废止件数', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.inForce', row: '行政规范性文件', column: '现行有效件数', caption: '第二十条第（一）项' },
  { path: 'licensing.decisions', row: '行政许可', column: '本年处理决定数量', caption: '第二十条第（五）项' },
  { path: 'punishment.decisions', row: '行政处罚', column: '本年处理决定数量', caption: '第二十条第（六）项' },
  { path: 'coercion.decisions', row: '行政强制', column: '本年处理决定数量', caption: '第二十条第（六）项' },
  { path: 'fees.amount', row: '行政事业性收费', column: '本年收费金额（单位：万元）', caption: '第二十条第（八）项', decimal: true },
];

const items = (row: string, key: string, caption: string): Table2Cell[] => [
  { path: `${key}.previousItems`, row, column: '上一年项目数量', caption },
  { path: `${key}.change`, row, column: '本年增/减', caption, signed: true },
  { path: `${key}.decisions`, row, column: '处理决定数量', caption },
];

export const TABLE2_2019: Table2Cell[] = [
  { path: 'regulations.newlyMade', row: '规章', column: '本年新制作数量', caption: '第二十条第（一）项' },
  { path: 'regulations.newlyPublished', row: '规章', column: '本年新公开数量', caption: '第二十条第（一）项' },
  { path: 'regulations.totalPublished', row: '规章', column: '对外公开总数量', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.newlyMade', row: '规范性文件', column: '本年新制作数量', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.newlyPublished', row: '规范性文件', column: '本年新公开数量', caption: '第二十条第（一）项' },
  { path: 'normativeDocuments.totalPublished', row: '规范性文件', column: '对外公开总数量', caption: '第二十条第（一）项' },
  ...items('行政许可', 'licensing', '第二十条第（五）项'),
  ...items('其他对外管理服务事项', 'otherServices', '第二十条第（五）项'),
  ...items('行政处罚', 'punishment', '第二十条第（六）项'),
  ...items('行政强制', 'coercion', '第二十条第（六）项'),
  { path: 'fees.previousItems', row: '行政事业性收费', column: '上一年项目数量', caption: '第二十条第（八）项' },
  { path: 'fees.change', row: '行政事业性收费', column: '本年增/减', caption: '第二十条第（八）项', signed: true },
  { path: 'procurement.projects', row: '政府集中采购', column: '采购项目数量', caption: '第二十条第（九）项' },
  { path: 'procurement.amount', row: '政府集中采购', column: '采购总金额', caption: '第二十条第（九）项', decimal: true },
];

export const SECTION_KEYS = ['overview', 'proactive', 'applications', 'reviewLitigation', 'problems', 'other'] as const;
export type SectionKey = (typeof SECTION_KEYS)[number];
export const SECTION_TITLES: Record<SectionKey, string> = {
  overview: '一、总体情况',
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  reviewLitigation: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
};
