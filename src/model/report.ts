import { z } from 'zod';

/**
 * Zod schemas of the output contract (shared/spec/output-contract.md). Keys are
 * English; each description carries the official Chinese label so the JSON
 * Schema written from these is readable by both audiences.
 */

const count = (label: string) => z.number().nullable().describe(label);

export const Counts = z
  .object({
    naturalPerson: count('自然人'),
    commercial: count('法人或其他组织·商业企业'),
    research: count('法人或其他组织·科研机构'),
    publicInterest: count('法人或其他组织·社会公益组织'),
    legalService: count('法人或其他组织·法律服务机构'),
    otherOrg: count('法人或其他组织·其他'),
    total: count('总计'),
  })
  .describe('一行申请人情况：自然人、法人或其他组织（五列）、总计');
export type Counts = z.infer<typeof Counts>;

const subtotal = Counts.nullable().optional().describe('小计（来源印有分组行时）');

export const Denied = z
  .object({
    stateSecret: Counts.describe('1.属于国家秘密'),
    prohibitedByLaw: Counts.describe('2.其他法律行政法规禁止公开'),
    safetyStability: Counts.describe('3.危及“三安全一稳定”'),
    thirdPartyRights: Counts.describe('4.保护第三方合法权益'),
    internalAffairs: Counts.describe('5.属于三类内部事务信息'),
    processInformation: Counts.describe('6.属于四类过程性信息'),
    enforcementFiles: Counts.describe('7.属于行政执法案卷'),
    administrativeQuery: Counts.describe('8.属于行政查询事项'),
    subtotal,
  })
  .describe('（三）不予公开');

export const UnableToProvide = z
  .object({
    notHeld: Counts.describe('1.本机关不掌握相关政府信息'),
    needsCreation: Counts.describe('2.没有现成信息需要另行制作'),
    unclearAfterCorrection: Counts.describe('3.补正后申请内容仍不明确'),
    subtotal,
  })
  .describe('（四）无法提供');

export const NotProcessed = z
  .object({
    complaint: Counts.describe('1.信访举报投诉类申请'),
    duplicate: Counts.describe('2.重复申请'),
    publication: Counts.describe('3.要求提供公开出版物'),
    excessive: Counts.describe('4.无正当理由大量反复申请'),
    confirmation: Counts.describe('5.要求行政机关确认或重新出具已获取信息'),
    subtotal,
  })
  .describe('（五）不予处理');

export const OtherDisposal = z
  .object({
    overdueCorrection: Counts.optional().describe('1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请（2021格式）'),
    unpaidFee: Counts.optional().describe('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请（2021格式）'),
    other: Counts.optional().describe('3.其他（2021格式）'),
    subtotal: Counts.nullable().optional().describe('（六）其他处理：2019格式的单行，或来源印有的小计'),
  })
  .describe('（六）其他处理');

export const ExtraRow = z
  .object({
    label: z.string(),
    values: Counts,
    group: z.enum(['denied', 'unableToProvide', 'notProcessed', 'otherDisposal']).optional(),
  })
  .describe('非标准行（§11）');

export const Applications = z
  .object({
    newReceived: Counts.describe('一、本年新收政府信息公开申请数量'),
    carriedOver: Counts.describe('二、上年结转政府信息公开申请数量'),
    results: z
      .object({
        granted: Counts.describe('（一）予以公开'),
        partiallyGranted: Counts.describe('（二）部分公开（区分处理的，只计这一情形，不计其他情形）'),
        denied: Denied,
        unableToProvide: UnableToProvide,
        notProcessed: NotProcessed,
        otherDisposal: OtherDisposal,
        total: Counts.describe('（七）总计'),
      })
      .describe('三、本年度办理结果'),
    carriedForward: Counts.describe('四、结转下年度继续办理'),
    extraRows: z.array(ExtraRow).optional().describe('非标准行（扩展）'),
  })
  .describe('三、收到和处理政府信息公开申请情况');
export type Applications = z.infer<typeof Applications>;

const issued = z.object({
  issued: count('本年制发件数'),
  repealed: count('本年废止件数'),
  inForce: count('现行有效件数'),
});
const decisions = z.object({ decisions: count('本年处理决定数量') });

export const Proactive2021 = z
  .object({
    regulations: issued.describe('第二十条第（一）项·规章'),
    normativeDocuments: issued.describe('第二十条第（一）项·行政规范性文件'),
    licensing: decisions.describe('第二十条第（五）项·行政许可'),
    punishment: decisions.describe('第二十条第（六）项·行政处罚'),
    coercion: decisions.describe('第二十条第（六）项·行政强制'),
    fees: z.object({ amount: count('本年收费金额（单位：万元）') }).describe('第二十条第（八）项·行政事业性收费'),
  })
  .describe('二、主动公开政府信息情况（2021格式）');
export type Proactive2021 = z.infer<typeof Proactive2021>;

const published = z.object({
  newlyMade: count('本年新制作数量'),
  newlyPublished: count('本年新公开数量'),
  totalPublished: count('对外公开总数量'),
});
const itemCounts = z.object({
  previousItems: count('上一年项目数量'),
  change: count('本年增/减'),
  decisions: count('处理决定数量'),
});

export const Proactive2019 = z
  .object({
    regulations: published.describe('第二十条第（一）项·规章'),
    normativeDocuments: published.describe('第二十条第（一）项·规范性文件'),
    licensing: itemCounts.describe('第二十条第（五）项·行政许可'),
    otherServices: itemCounts.describe('第二十条第（五）项·其他对外管理服务事项'),
    punishment: itemCounts.describe('第二十条第（六）项·行政处罚'),
    coercion: itemCounts.describe('第二十条第（六）项·行政强制'),
    fees: z
      .object({ previousItems: count('上一年项目数量'), change: count('本年增/减') })
      .describe('第二十条第（八）项·行政事业性收费'),
    procurement: z
      .object({ projects: count('采购项目数量'), amount: count('采购总金额（万元）') })
      .describe('第二十条第（九）项·政府集中采购'),
  })
  .describe('二、主动公开政府信息情况（2019格式）');
export type Proactive2019 = z.infer<typeof Proactive2019>;

const outcome = (label: string) =>
  z
    .object({
      upheld: count('结果维持'),
      corrected: count('结果纠正'),
      other: count('其他结果'),
      pending: count('尚未审结'),
      total: count('总计'),
    })
    .describe(label);

export const ReviewLitigation = z
  .object({
    review: outcome('行政复议'),
    litigationDirect: outcome('行政诉讼·未经复议直接起诉'),
    litigationAfterReview: outcome('行政诉讼·复议后起诉'),
    note: z.string().optional().describe('表注（扩展）'),
    includesCarryover: z.boolean().optional().describe('表注说明数量含上年度结转（扩展）'),
  })
  .describe('四、政府信息公开行政复议、行政诉讼情况');
export type ReviewLitigation = z.infer<typeof ReviewLitigation>;

const section = z
  .object({
    heading: z.string().describe('the heading as printed; empty when it was not found'),
    text: z.string(),
    inferred: z
      .enum(['position', 'number'])
      .optional()
      .describe('the title was not recognised (ext; finding P-SECTION): "number", a heading in other words placed by its number; "position", no heading, the section placed by its position among the others and the tables'),
  })
  .nullable();

export const Sections = z
  .object({
    overview: section.describe('一、总体情况'),
    proactive: section.describe('二、主动公开政府信息情况'),
    applications: section.describe('三、收到和处理政府信息公开申请情况'),
    reviewLitigation: section.describe('四、政府信息公开行政复议、行政诉讼情况'),
    problems: section.describe('五、存在的主要问题及改进情况'),
    other: section.describe('六、其他需要报告的事项'),
  })
  .describe('六个部分的标题与正文');

export const NarrativeFact = z.object({
  value: z.number(),
  unit: z.string(),
  text: z.string().describe('the sentence the figure was read from'),
});

export type NarrativeFact = z.infer<typeof NarrativeFact>;

export const FormatVersion = z.enum(['2021', '2019', 'legacy', 'unknown']);
export type FormatVersion = z.infer<typeof FormatVersion>;

const TableId = z.enum(['table2', 'table3', 'table4']);

/** Where a text cut off inside a table stops or resumes (ext). */
export const TextCut = z.object({
  table: TableId.describe('the table the text is cut inside'),
  row: z.string().nullable().describe('the last row read before the cut (end) or the first after it (start), path below the table; null when none'),
  line: z.number().int().optional().describe('1-based source line of the cut, when known'),
});
export type TextCut = z.infer<typeof TextCut>;

export const Truncation = z
  .object({
    start: TextCut.optional().describe('the text begins inside this table (a page from the middle of a report)'),
    end: TextCut.optional().describe('the text ends inside this table (a crawled page or a damaged file cut short)'),
  })
  .describe('文本不完整：从表格中间开始或在表格中间结束（扩展）');
export type Truncation = z.infer<typeof Truncation>;

export const Report = z
  .object({
    title: z.string().nullable().describe('报告标题'),
    agency: z.string().nullable().describe('发布机关'),
    year: z.number().int().nullable().describe('统计年度'),
    formatVersion: FormatVersion.describe('年报格式：2021（国办公开办函〔2021〕30号）、2019（〔2019〕60号）、legacy、unknown'),
    publishedAt: z.string().nullable().optional().describe('发布日期，ISO（扩展）'),
    formatBasisCited: z.boolean().optional().describe('引言引用国办公开办函〔2021〕30号（扩展）'),
    statisticalPeriod: z
      .object({ from: z.string(), to: z.string() })
      .nullable()
      .optional()
      .describe('统计期限（扩展）'),
    sections: Sections,
    proactive: z.union([Proactive2021, Proactive2019]).nullable().describe('二、主动公开政府信息情况'),
    applications: Applications.nullable(),
    reviewLitigation: ReviewLitigation.nullable(),
    narrative: z.record(z.string(), NarrativeFact).describe('正文中陈述的数字'),
    truncated: Truncation.optional(),
  })
  .describe('政府信息公开工作年度报告');
export type Report = z.infer<typeof Report>;
