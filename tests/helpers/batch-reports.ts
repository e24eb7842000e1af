/**
 * Synthetic reports for the batch tests and bench: a consistent 2021-format Report
 * built from a seed, its provenance cells, a ParseResult around it, and a plain-text
 * rendering laid out like the tab-separated text of samples/ganxian-gongxin-2024.txt.
 */
import { createHash } from 'node:crypto';
import type { Cells, Counts, Finding, ParseResult, Report } from '../../src/model/index.js';
import { COUNT_KEYS, TABLE2_2021, TABLE3_ROWS, TABLE4_BLOCKS, TABLE4_COLUMNS } from '../../src/model/index.js';

export interface ReportSpec {
  agency: string;
  year: number;
  seed: number;
  /** Carried over from last year, per column (T3-XY ties it to last year's carriedForward). */
  carriedOver?: number[];
  /** Break one arithmetic identity: newReceived.total is printed `by` too high. */
  injectError?: { by: number };
}

/** Small, deterministic PRNG (mulberry32): the same seed gives the same report everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zero = (): number[] => [0, 0, 0, 0, 0, 0];
const counts = (v: number[]): Counts => {
  const [naturalPerson, commercial, research, publicInterest, legalService, otherOrg] = v;
  return { naturalPerson, commercial, research, publicInterest, legalService, otherOrg, total: v.reduce((a, b) => a + b, 0) };
};

/** A report whose tables satisfy every identity of format.md (unless `injectError`). */
export function makeReport(spec: ReportSpec): Report {
  const r = rng(spec.seed);
  const small = (max: number) => Math.floor(r() * r() * (max + 1));
  const resultRows = TABLE3_ROWS.filter((row) => row.path.startsWith('results.') && row.path !== 'results.total' && !row.path.endsWith('.subtotal'));
  const rowValues = new Map<string, number[]>();
  for (const row of resultRows) {
    // Person applicants dominate in real reports; legal persons are rarer.
    rowValues.set(row.path, [small(row.path === 'results.granted' ? 40 : 4), small(2), 0, small(1), 0, small(1)]);
  }
  const resultsTotal = zero();
  for (const v of rowValues.values()) v.forEach((x, i) => (resultsTotal[i] += x));
  const carriedForward = [small(3), small(1), 0, 0, 0, 0];
  const carriedOver = spec.carriedOver ?? [small(3), 0, 0, 0, 0, 0];
  for (let i = 0; i < 6; i++) carriedOver[i] = Math.min(carriedOver[i], resultsTotal[i] + carriedForward[i]);
  const newReceived = resultsTotal.map((t, i) => t + carriedForward[i] - carriedOver[i]);

  const get = (p: string) => counts(rowValues.get(p)!);
  const applications: Report['applications'] = {
    newReceived: counts(newReceived),
    carriedOver: counts(carriedOver),
    results: {
      granted: get('results.granted'),
      partiallyGranted: get('results.partiallyGranted'),
      denied: {
        stateSecret: get('results.denied.stateSecret'),
        prohibitedByLaw: get('results.denied.prohibitedByLaw'),
        safetyStability: get('results.denied.safetyStability'),
        thirdPartyRights: get('results.denied.thirdPartyRights'),
        internalAffairs: get('results.denied.internalAffairs'),
        processInformation: get('results.denied.processInformation'),
        enforcementFiles: get('results.denied.enforcementFiles'),
        administrativeQuery: get('results.denied.administrativeQuery'),
      },
      unableToProvide: {
        notHeld: get('results.unableToProvide.notHeld'),
        needsCreation: get('results.unableToProvide.needsCreation'),
        unclearAfterCorrection: get('results.unableToProvide.unclearAfterCorrection'),
      },
      notProcessed: {
        complaint: get('results.notProcessed.complaint'),
        duplicate: get('results.notProcessed.duplicate'),
        publication: get('results.notProcessed.publication'),
        excessive: get('results.notProcessed.excessive'),
        confirmation: get('results.notProcessed.confirmation'),
      },
      otherDisposal: {
        overdueCorrection: get('results.otherDisposal.overdueCorrection'),
        unpaidFee: get('results.otherDisposal.unpaidFee'),
        other: get('results.otherDisposal.other'),
      },
      total: counts(resultsTotal),
    },
    carriedForward: counts(carriedForward),
  };
  if (spec.injectError) applications.newReceived.total! += spec.injectError.by;

  const block = () => {
    const [upheld, corrected, other, pending] = [small(3), small(1), small(1), small(1)];
    return { upheld, corrected, other, pending, total: upheld + corrected + other + pending };
  };
  const regIssued = small(3);
  const docIssued = small(8);
  return {
    title: `${spec.agency}${spec.year}年政府信息公开工作年度报告`,
    agency: spec.agency,
    year: spec.year,
    formatVersion: '2021',
    sections: { overview: null, proactive: null, applications: null, reviewLitigation: null, problems: null, other: null },
    proactive: {
      regulations: { issued: regIssued, repealed: small(1), inForce: regIssued + small(20) },
      normativeDocuments: { issued: docIssued, repealed: small(2), inForce: docIssued + small(60) },
      licensing: { decisions: small(900) },
      punishment: { decisions: small(120) },
      coercion: { decisions: small(10) },
      fees: { amount: Math.round(r() * 5000) / 100 },
    },
    applications,
    reviewLitigation: { review: block(), litigationDirect: block(), litigationAfterReview: block() },
    narrative: {},
  };
}

/** Every numeric value path of a 2021 report, in the order the text rendering prints them. */
export function valuePaths(): string[] {
  return [
    ...TABLE2_2021.map((c) => `proactive.${c.path}`),
    ...TABLE3_ROWS.filter((r) => r.formats.includes('2021')).flatMap((r) => COUNT_KEYS.map((k) => `applications.${r.path}.${k}`)),
    ...TABLE4_BLOCKS.flatMap((b) => TABLE4_COLUMNS.map((c) => `reviewLitigation.${b.key}.${c.key}`)),
  ];
}

export function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function makeCells(report: Report): Cells {
  const cells: Cells = {};
  valuePaths().forEach((p, i) => {
    const v = readPath(report, p);
    cells[p] = { raw: v === null || v === undefined ? '' : String(v), kind: typeof v === 'number' ? 'number' : 'missing', page: 1 + Math.floor(i / 80), row: i % 40, col: i % 7, line: 30 + i };
  });
  return cells;
}

export function makeResult(report: Report, opts: { path: string; format?: ParseResult['source']['format']; findings?: Finding[]; bytes?: string }): ParseResult {
  return {
    schemaVersion: '1',
    source: { path: opts.path, format: opts.format ?? 'text', sha256: createHash('sha256').update(opts.bytes ?? opts.path).digest('hex') },
    report,
    findings: opts.findings ?? [],
    cells: makeCells(report),
  };
}

/** Plain text in the layout of the text sample: headings, tab-separated tables. */
export function renderText(report: Report): string {
  const L: string[] = [];
  const n = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const app = report.applications!;
  const pro = report.proactive as Extract<Report['proactive'], { fees: { amount: unknown } }>;
  const c = (x: Counts) => COUNT_KEYS.map((k) => n(x[k])).join('\t');
  L.push(`${report.agency} ${report.year} 年政府信息公开工作年度报告`, '');
  L.push(
    `依据《中华人民共和国政府信息公开条例》和《关于印发中华人民共和国政府信息公开工作年度报告格式的通知》(国办公开办函〔2021〕30号)要求,编制本报告。本年度报告中所列数据的统计期限自 ${report.year} 年 1 月 1 日起至 ${report.year} 年 12 月 31 日止。`,
    '',
  );
  L.push('一、总体情况', '', `${report.year} 年,本机关共受理依申请公开 ${n(app.newReceived.total)} 件。`, '');
  L.push('二、主动公开政府信息情况', '');
  L.push('第二十条第（一）项\t\t\t', '信息内容\t本年制发件数\t本年废止件数\t现行有效件数');
  L.push(`规章\t${n(pro.regulations.issued)}\t${n(pro.regulations.repealed)}\t${n(pro.regulations.inForce)}`);
  L.push(`行政规范性文件\t${n(pro.normativeDocuments.issued)}\t${n(pro.normativeDocuments.repealed)}\t${n(pro.normativeDocuments.inForce)}`);
  L.push('第二十条第（五）项\t\t\t', '信息内容\t本年处理决定数量\t\t', `行政许可\t${n(pro.licensing.decisions)}\t\t`);
  L.push('第二十条第（六）项\t\t\t', '信息内容\t本年处理决定数量\t\t', `行政处罚\t${n(pro.punishment.decisions)}\t\t`, `行政强制\t${n(pro.coercion.decisions)}\t\t`);
  L.push('第二十条第（八）项\t\t\t', '信息内容\t本年收费金额（单位：万元）\t\t', `行政事业性收费\t${n(pro.fees.amount)}\t\t`, '');
  L.push('三、收到和处理政府信息公开申请情况', '');
  L.push('(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t\t');
  L.push('\t\t自然人\t法人或其他组织\t\t\t\t\t总计\t');
  L.push('\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t');
  L.push(`一、本年新收政府信息公开申请数量\t\t${c(app.newReceived)}`);
  L.push(`二、上年结转政府信息公开申请数量\t\t${c(app.carriedOver)}`);
  const r = app.results;
  L.push(`三、本年度办理结果\t(一) 予以公开\t\t${c(r.granted)}`);
  L.push(`\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t\t${c(r.partiallyGranted)}`);
  const group = (label: string, rows: Array<[string, Counts]>) =>
    rows.forEach(([l, v], i) => L.push(`${i === 0 ? `\t${label}` : '\t'}\t${l}\t${c(v)}`));
  const d = r.denied;
  group('(三) 不予公开', [
    ['1. 属于国家秘密', d.stateSecret], ['2. 其他法律行政法规禁止公开', d.prohibitedByLaw], ['3. 危及“三安全一稳定”', d.safetyStability],
    ['4. 保护第三方合法权益', d.thirdPartyRights], ['5. 属于三类内部事务信息', d.internalAffairs], ['6. 属于四类过程性信息', d.processInformation],
    ['7. 属于行政执法案卷', d.enforcementFiles], ['8. 属于行政查询事项', d.administrativeQuery],
  ]);
  const u = r.unableToProvide;
  group('(四) 无法提供', [['1. 本机关不掌握相关政府信息', u.notHeld], ['2. 没有现成信息需要另行制作', u.needsCreation], ['3. 补正后申请内容仍不明确', u.unclearAfterCorrection]]);
  const p = r.notProcessed;
  group('(五) 不予处理', [
    ['1. 信访举报投诉类申请', p.complaint], ['2. 重复申请', p.duplicate], ['3. 要求提供公开出版物', p.publication],
    ['4. 无正当理由大量反复申请', p.excessive], ['5. 要求行政机关确认或重新出具已获取信息', p.confirmation],
  ]);
  const o = r.otherDisposal;
  group('(六) 其他处理', [
    ['1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', o.overdueCorrection!],
    ['2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', o.unpaidFee!],
    ['3. 其他', o.other!],
  ]);
  L.push(`\t(七) 总计\t\t${c(r.total)}`);
  L.push(`四、结转下年度继续办理\t\t${c(app.carriedForward)}`, '');
  L.push('四、政府信息公开行政复议、行政诉讼情况', '');
  const rl = report.reviewLitigation!;
  const b = (x: Record<string, number | null>) => TABLE4_COLUMNS.map((col) => n(x[col.key])).join('\t');
  L.push('行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t');
  L.push('结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t');
  L.push('\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计');
  L.push(`${b(rl.review)}\t${b(rl.litigationDirect)}\t${b(rl.litigationAfterReview)}`, '');
  L.push('五、存在的主要问题及改进情况', '', '1. 主动公开的深度和广度有待拓展。', '');
  L.push('六、其他需要报告的事项', '', `${report.year} 年度本机关未收取信息处理费。`, '');
  return L.join('\n');
}
