import { TABLE3_ROWS, COUNT_KEYS } from '../../src/model/index.js';

/**
 * Writes a small tab-separated 2021 report as text, with table-3 values given
 * per path. Labels can be swapped for variants to test recognition.
 */
export interface TextReportOptions {
  agency?: string;
  year?: number;
  /** applications path → 7 values (naturalPerson … total). */
  table3?: Record<string, (number | string)[]>;
  /** Replace a row's label by these lines; the last one carries the values. */
  labels?: Record<string, string[]>;
  table4?: (number | string)[];
  prose?: string;
}

export function consistentTable3(seed = 1): Record<string, number[]> {
  const rows: Record<string, number[]> = {};
  const results = TABLE3_ROWS.filter((r) => r.path.startsWith('results.') && r.path !== 'results.total' && r.formats.includes('2021'));
  const sums = new Array(7).fill(0);
  results.forEach((r, i) => {
    const np = (i * 7 + seed) % 13;
    const legal = [(i + seed) % 3, i % 2, 0, (i + 1) % 2, (i * seed) % 4];
    const v = [np, ...legal, np + legal.reduce((a, b) => a + b, 0)];
    rows[r.path] = v;
    v.forEach((x, c) => (sums[c] += x));
  });
  rows['results.total'] = sums;
  const carriedOver = [2, 0, 1, 0, 0, 0, 3];
  const carriedForward = [1, 1, 0, 0, 0, 0, 2];
  rows['carriedOver'] = carriedOver;
  rows['carriedForward'] = carriedForward;
  rows['newReceived'] = sums.map((s, c) => s + carriedForward[c] - carriedOver[c]);
  return rows;
}

export function textReport(o: TextReportOptions = {}): string {
  const agency = o.agency ?? '某某县人民政府办公室';
  const year = o.year ?? 2023;
  const t3 = o.table3 ?? consistentTable3();
  const lines: string[] = [
    `${agency}${year}年政府信息公开工作年度报告`,
    '',
    `本报告依据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    '',
    '一、总体情况',
    '',
    o.prose ?? `${year}年，本机关共受理政府信息公开申请${t3['newReceived']?.[6] ?? 0}件。`,
    '',
    '二、主动公开政府信息情况',
    '',
    '第二十条第（一）项\t\t\t',
    '信息内容\t本年制发件数\t本年废止件数\t现行有效件数',
    '规章\t0\t0\t0',
    '行政规范性文件\t3\t1\t20',
    '第二十条第（五）项\t\t\t',
    '信息内容\t本年处理决定数量\t\t',
    '行政许可\t120\t\t',
    '第二十条第（六）项\t\t\t',
    '信息内容\t本年处理决定数量\t\t',
    '行政处罚\t45\t\t',
    '行政强制\t2\t\t',
    '第二十条第（八）项\t\t\t',
    '信息内容\t本年收费金额（单位：万元）\t\t',
    '行政事业性收费\t12.5\t\t',
    '',
    '三、收到和处理政府信息公开申请情况',
    '',
    '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t',
    '\t\t自然人\t法人或其他组织\t\t\t\t\t总计',
    '\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t',
  ];
  for (const row of TABLE3_ROWS.filter((r) => r.formats.includes('2021'))) {
    const values = t3[row.path];
    if (!values) continue;
    const label = o.labels?.[row.path] ?? [row.label];
    for (const extra of label.slice(0, -1)) lines.push(`\t${extra}`);
    lines.push(`\t${label.at(-1)}\t${values.join('\t')}`);
  }
  const t4 = o.table4 ?? [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  lines.push(
    '',
    '四、政府信息公开行政复议、行政诉讼情况',
    '',
    '行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t',
    '结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t',
    '\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
    t4.join('\t'),
    '',
    '五、存在的主要问题及改进情况',
    '',
    '存在的问题是公开内容不够全面。下一步将加强培训，改进工作。',
    '',
    '六、其他需要报告的事项',
    '',
    `本年度未收取信息处理费。`,
  );
  return lines.join('\n') + '\n';
}

export const COLS = COUNT_KEYS;
