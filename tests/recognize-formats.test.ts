import { describe, expect, it } from 'vitest';
import { COUNT_KEYS, TABLE3_ROWS } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { consistentTable3, textReport } from './helpers/text-report.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A pdftotext-like layout: labels at the left, numbers right-aligned in fixed columns; '' leaves the cell empty. */
function layoutTable3(rows: Record<string, (number | '')[]>): string {
  const out = ['      三、收到和处理政府信息公开申请情况', '                                        申请人情况', '  自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计'];
  for (const r of TABLE3_ROWS.filter((x) => x.formats.includes('2021'))) {
    const v = rows[r.path];
    const label = r.label.length > 18 ? r.label.slice(0, 18) : r.label;
    const cells = v.map((x) => String(x).padStart(8)).join('');
    out.push(`${label}${' '.repeat(Math.max(2, 40 - label.length * 2))}${cells}`);
    if (r.label.length > 18) out.push(r.label.slice(18));
  }
  return out.join('\n');
}

describe('other layouts and formats', () => {
  it('places numbers by column position when blank cells vanished from a space-aligned layout', async () => {
    const t3 = consistentTable3(6) as Record<string, (number | '')[]>;
    // 法人 columns left empty (zeros not typed) in two rows
    const blankRow = (path: string) => {
      const v = t3[path] as number[];
      t3[path] = [v[0], '', '', '', '', '', v[0]];
    };
    t3['results.granted'] = [5, 0, 0, 0, 0, 0, 5];
    const before = t3['results.granted'];
    blankRow('results.granted');
    const text = textReport({ table3: consistentTable3(6) }).replace(/三、收到和处理政府信息公开申请情况[\s\S]*?(?=\n\n四、)/, layoutTable3(t3));
    const r = await parseBytes(enc(text), { path: 'layout.txt' });
    const granted = r.report.applications!.results.granted;
    expect(granted.naturalPerson).toBe(before[0]);
    expect(granted.total).toBe(before[6]);
    expect(granted.commercial).toBeNull();
    expect(r.cells['applications.results.granted.commercial'].kind).toBe('blank');
    expect(COUNT_KEYS.map((k) => r.report.applications!.results.partiallyGranted[k])).toEqual(t3['results.partiallyGranted']);
  });

  it('recognises a 2019-format report: 2019 table 2 and the single （六） row', async () => {
    const t3 = consistentTable3(7);
    const parts = ['results.otherDisposal.overdueCorrection', 'results.otherDisposal.unpaidFee', 'results.otherDisposal.other'].map((p) => t3[p]);
    const six = parts[0].map((_, c) => parts[0][c] + parts[1][c] + parts[2][c]);
    let text = textReport({ table3: t3, year: 2020 });
    text = text.replace(/\t1\.申请人无正当理由[^\n]*\n\t2\.申请人逾期[^\n]*\n\t3\.其他[^\n]*\n/, `\t（六）其他处理\t${six.join('\t')}\n`);
    text = text.replace(/第二十条第（一）项[\s\S]*?(?=\n\n三、)/, [
      '第二十条第（一）项\t\t\t',
      '信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量',
      '规章\t0\t0\t0',
      '规范性文件\t4\t4\t37',
      '第二十条第（五）项\t\t\t',
      '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
      '行政许可\t120\t-3\t5000',
      '其他对外管理服务事项\t10\t+2\t30',
      '第二十条第（六）项\t\t\t',
      '信息内容\t上一年项目数量\t本年增/减\t处理决定数量',
      '行政处罚\t300\t0\t800',
      '行政强制\t20\t减少1\t9',
      '第二十条第（八）项\t\t\t',
      '信息内容\t上一年项目数量\t本年增/减\t',
      '行政事业性收费\t8\t0\t',
      '第二十条第（九）项\t\t\t',
      '信息内容\t采购项目数量\t采购总金额\t',
      '政府集中采购\t12\t251000元\t',
    ].join('\n'));
    const r = await parseBytes(enc(text), { path: 'y2020.txt' });
    expect(r.report.formatVersion).toBe('2019');
    expect(r.report.proactive).toMatchObject({
      normativeDocuments: { newlyMade: 4, newlyPublished: 4, totalPublished: 37 },
      licensing: { previousItems: 120, change: -3, decisions: 5000 },
      otherServices: { previousItems: 10, change: 2, decisions: 30 },
      coercion: { change: -1 },
      fees: { previousItems: 8, change: 0 },
      procurement: { projects: 12, amount: 25.1 },
    });
    expect(r.cells['proactive.procurement.amount']).toMatchObject({ raw: '251000元', unit: '元', unitConverted: true });
    expect(r.report.applications!.results.otherDisposal).toEqual({ subtotal: Object.fromEntries(COUNT_KEYS.map((k, c) => [k, six[c]])) });
  });

  it('reads a pre-2019 report as legacy, with sections and no tables', async () => {
    const text = [
      '某某县民政局2015年政府信息公开工作年度报告',
      '',
      '一、概述',
      '2015年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。',
      '二、主动公开政府信息情况',
      '全年主动公开政府信息120条。',
      '三、依申请公开政府信息情况',
      '全年收到政府信息公开申请3件，均已按时答复。',
      '四、政府信息公开的收费及减免情况',
      '未收取任何费用。',
      '五、存在的主要问题及改进情况',
      '公开内容还不够丰富。',
      '六、其他需要报告的事项',
      '无。',
    ].join('\n');
    const r = await parseBytes(enc(text), { path: 'legacy.txt' });
    expect(r.report.formatVersion).toBe('legacy');
    expect(r.report.year).toBe(2015);
    expect(r.report.applications).toBeNull();
    expect(r.report.sections.overview?.text).toContain('认真贯彻');
    expect(r.report.sections.other?.text).toBe('无。');
  });

  it('reports an unknown format when a recent report has no tables (tables as images)', async () => {
    const text = '某某市人民政府2023年政府信息公开工作年度报告\n\n一、总体情况\n详见附表图片。\n五、存在的主要问题及改进情况\n无。\n';
    const r = await parseBytes(enc(text), { path: 'img.txt' });
    expect(r.report.formatVersion).toBe('unknown');
    expect(r.report.applications).toBeNull();
  });
});

describe('metadata variants', () => {
  it.each([
    ['某某县财政局关于2023年政府信息公开工作年度报告', '某某县财政局', 2023],
    ['2022年某某市生态环境局政府信息公开工作年度报告', '某某市生态环境局', 2022],
    ['某某镇人民政府2021年度政府信息公开工作年度报告', '某某镇人民政府', 2021],
  ])('title %s → agency %s, year %i', async (title, agency, year) => {
    const text = textReport({ agency: 'X', year }).replace(/^.*\n/, `${title}\n`);
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.agency).toBe(agency);
    expect(r.report.year).toBe(year);
  });

  it('does not let prose citing 第二十条 swallow section 一', async () => {
    const text = textReport({ prose: '按照《条例》第二十条规定主动公开信息。本年共受理政府信息公开申请5件。' });
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.sections.overview?.text).toContain('第二十条规定');
    expect(r.report.proactive).toMatchObject({ licensing: { decisions: 120 } });
  });
});

describe('headings and titles without their usual numbering', () => {
  it('finds section headings that lost their 一、 (Word list numbering is not text)', async () => {
    const text = textReport().replace(/^([一二三四五六])、/gm, '');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(Object.values(r.report.sections).every((s) => s !== null)).toBe(true);
    expect(r.report.sections.problems?.text).toContain('加强培训');
  });

  it('reads the year from a title that puts it last', async () => {
    const text = textReport({ year: 2023 }).replace(/^.*\n/, '某某县审计局政府信息公开工作年度报告（2023年度）\n');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.year).toBe(2023);
    expect(r.report.agency).toBe('某某县审计局');
  });
});

describe('table 3 without its header', () => {
  it('is found by its first rows when the corner note and 申请人情况 are missing', async () => {
    const t3 = consistentTable3(8);
    const text = textReport({ table3: t3, labels: { newReceived: ['本年新收'] } })
      .split('\n')
      .filter((l) => !/勾稽关系|^\t\t自然人|^\t\t\t商业企业/.test(l))
      .join('\n');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.applications?.newReceived.total).toBe(t3['newReceived'][6]);
    expect(r.report.applications?.carriedForward.total).toBe(t3['carriedForward'][6]);
  });
});

describe('table 4 in a space-aligned layout with a blank block', () => {
  it('places the numbers by the block headers and keeps the empty block blank', async () => {
    const t4 = [
      '     四、政府信息公开行政复议、行政诉讼情况',
      '行政复议                                行政诉讼',
      '                                        未经复议直接起诉                        复议后起诉',
      '维持  纠正  其他  尚未  总计            维持    纠正    其他    尚未    总计    维持    纠正    其他    尚未    总计',
      '                                        2       1       0       0       3       1       0       0       1       2',
    ].join('\n');
    const text = textReport().replace(/四、政府信息公开行政复议、行政诉讼情况[\s\S]*?(?=\n\n五、)/, t4.trimStart());
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.reviewLitigation?.review).toEqual({ upheld: null, corrected: null, other: null, pending: null, total: null });
    expect(r.cells['reviewLitigation.review.total'].kind).toBe('blank');
    expect(r.report.reviewLitigation?.litigationDirect).toEqual({ upheld: 2, corrected: 1, other: 0, pending: 0, total: 3 });
    expect(r.report.reviewLitigation?.litigationAfterReview).toEqual({ upheld: 1, corrected: 0, other: 0, pending: 1, total: 2 });
  });
});

describe('table 4 data row with a label of its own', () => {
  it('reads the fifteen values after a leading 件数 cell', async () => {
    const text = textReport({ table4: [2, 1, 0, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1] }).replace(/\n(2\t1\t0\t0\t3\t[^\n]*)\n/, '\n件数\t$1\n');
    expect(text).toContain('件数\t2\t1');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 't.txt' });
    expect(r.report.reviewLitigation?.review).toEqual({ upheld: 2, corrected: 1, other: 0, pending: 0, total: 3 });
    expect(r.report.reviewLitigation?.litigationAfterReview.total).toBe(1);
  });
});

describe('prose that names table words', () => {
  it('keeps section 一 text that mentions 申请人情况 out of table 3', async () => {
    const prose = '（二）申请人情况分析\n\n本机关共受理政府信息公开申请5件，均按时答复。';
    const r = await parseBytes(new TextEncoder().encode(textReport({ prose })), { path: 't.txt' });
    expect(r.report.sections.overview?.text).toContain('（二）申请人情况分析');
    expect(r.report.applications?.newReceived.total).toBe(consistentTable3()['newReceived'][6]);
  });
});

describe('S-02: section order and numbering', () => {
  it('is silent for 一→六 and notes sections out of order or numbers repeated', async () => {
    const s02 = async (text: string) => (await parseBytes(new TextEncoder().encode(text), { path: 't.txt' })).findings.filter((f) => f.rule === 'S-02');
    expect(await s02(textReport())).toEqual([]);
    const swapped = textReport().replace('五、存在的主要问题及改进情况', '五、其他需要报告的事项X').replace('六、其他需要报告的事项', '六、存在的主要问题及改进情况').replace('五、其他需要报告的事项X', '五、其他需要报告的事项');
    expect(await s02(swapped)).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('顺序') })]);
    const repeated = textReport().replace('六、其他需要报告的事项', '五、其他需要报告的事项');
    expect(await s02(repeated)).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('编号') })]);
  });
});
