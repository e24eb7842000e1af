import { describe, expect, it } from 'vitest';
import { extractNarrative, normalizeNarrative } from '../src/recognize/narrative.js';

const values = (text: string) => Object.fromEntries(Object.entries(extractNarrative(text)).map(([k, f]) => [k, [f.value, f.unit]]));

describe('extractNarrative (format.md §10)', () => {
  it('ganxian: received, concluded and the outcome groups', () => {
    const text = '2. 依申请公开情况。依法稳妥做好政府信息依申请公开工作,2024 年,本机关共受理依申请公开 1 件,已答复 1 件,其中予以公开 0 件,不予公开 1 件,部分公开 0 件。';
    expect(values(text)).toEqual({
      received: [1, '件'],
      concluded: [1, '件'],
      granted: [0, '件'],
      denied: [1, '件'],
      partiallyGranted: [0, '件'],
    });
    expect(extractNarrative(text).received.text).toBe('依法稳妥做好政府信息依申请公开工作,2024年,本机关共受理依申请公开1件,已答复1件,其中予以公开0件,不予公开1件,部分公开0件。');
  });

  it('ganxian: a list of 条 is not an application count', () => {
    expect(values('本机关公开信息 731 条,其中主动公开工作动态 412 条,及时公开财经信息 1 条,概况信息 1 条,人事信息 1 条,发布政策文件 233 条,政策解读 81 条,计划总结 2 条。')).toEqual({});
  });

  it('ganxian: fees not collected, notices and amounts 均为 0', () => {
    expect(values('2024 年度本机关未收取信息处理费。')).toEqual({ infoFeeCollected: [0, '元'] });
    expect(values('（一）政府信息公开信息处理费收取情况。2024 年度本机关未收取信息处理费。发出收费通知的件数和总金额，以及实际收取的总金额均为 0。')).toEqual({
      infoFeeCollected: [0, '元'],
      infoFeeNotices: [0, '件'],
    });
  });

  it('huaian: received, concluded with carried-over part, carried forward, review and litigation breakdown', () => {
    const text =
      '2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。' +
      '政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件；' +
      '政府信息公开行政诉讼 46 件，其中结果维持 25 件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。';
    expect(values(text)).toEqual({
      received: [3119, '件'],
      concluded: [3050, '件'],
      concludedCarriedOver: [34, '件'],
      carriedForward: [103, '件'],
      reviewCases: [351, '件'],
      reviewUpheld: [72, '件'],
      reviewCorrected: [64, '件'],
      reviewOther: [178, '件'],
      reviewPending: [37, '件'],
      litigationCases: [46, '件'],
      litigationUpheld: [25, '件'],
      litigationCorrected: [5, '件'],
      litigationOther: [9, '件'],
      litigationPending: [7, '件'],
    });
  });

  it('huaian and hongze: fee collected in 元, including 0 元', () => {
    expect(values('2024 年，市政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 3940 元。')).toEqual({ infoFeeCollected: [3940, '元'] });
    expect(values('2023 年，区政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费 0 元。')).toEqual({ infoFeeCollected: [0, '元'] });
    expect(values('全年共收取信息处理费 0.35 万元，发出收费通知 3 件。')).toEqual({ infoFeeCollected: [0.35, '万元'], infoFeeNotices: [3, '件'] });
  });

  it('hongze: 全区受理… 21 件, with PDF line breaks and spaced digits', () => {
    expect(values('依申请公开受理渠。2023 年全区受理政府信息公开申请 21 件，\n均在法定期限答复。')).toEqual({ received: [21, '件'] });
    expect(values('全市共受理政府信息公开申请 1 259 件。')).toEqual({ received: [1259, '件'] });
    expect(values('全市共受理政府信息公开申请1,259件。')).toEqual({ received: [1259, '件'] });
  });

  it('natural / legal split and the new + carried forms', () => {
    expect(values('共收到政府信息公开申请15件，其中自然人申请12件，法人或其他组织申请3件。')).toEqual({
      received: [15, '件'],
      receivedNaturalPerson: [12, '件'],
      receivedLegal: [3, '件'],
    });
    expect(values('本年办结 20 件（含上年结转 2 件），结转下一年度继续办理 4 件。')).toEqual({
      concluded: [20, '件'],
      concludedCarriedOver: [2, '件'],
      carriedForward: [4, '件'],
    });
  });

  it('a quantity stated twice keeps both values; the same value once', () => {
    const f = extractNarrative('全年共受理政府信息公开申请 15 件。……本年度新收政府信息公开申请 13 件。……共受理政府信息公开申请15件。');
    expect(f.received.value).toBe(15);
    expect(f.received2.value).toBe(13);
    expect(f.received3).toBeUndefined();
  });

  it('outcome groups with shares; 予以公开及部分公开; 不予以公开 is not 予以公开', () => {
    expect(values('予以公开及部分公开 8 件（占 57.14%），无法提供 3 件，占 21.4%，不予处理 1 件，其他处理 1 件。')).toEqual({
      grantedOrPartial: [8, '件'],
      grantedOrPartialPct: [57.14, '%'],
      unableToProvide: [3, '件'],
      unableToProvidePct: [21.4, '%'],
      notProcessed: [1, '件'],
      otherDisposal: [1, '件'],
    });
    expect(values('同意公开 5 件，不予以公开 2 件。')).toEqual({ granted: [5, '件'] });
  });

  it('review and litigation totals, combined counts, 起', () => {
    expect(values('全年发生政府信息公开行政复议和行政诉讼案件共 5 件。')).toEqual({ reviewLitigationCases: [5, '件'] });
    expect(values('被申请行政复议 2 起，行政诉讼 1 起。')).toEqual({ reviewCases: [2, '起'], litigationCases: [1, '起'] });
  });

  it('counts of other things are not applications', () => {
    expect(values('共受理行政复议申请 3 件。办理人大代表建议 12 件。')).toEqual({ reviewCases: [3, '件'] });
  });

  it('normalizes NFKC and removes whitespace', () => {
    expect(normalizeNarrative('受理 ３ 件（含　结转）')).toBe('受理3件(含结转)');
  });

  it('a figure is bound to its clause: 办结 takes no number from the next clause', () => {
    expect(values('本年度共办理政府信息公开申请19件，其中11件办结，8件申请人主动撤销。')).toEqual({ concluded: [19, '件'] });
    expect(values('已办结，8件申请人主动撤销。')).toEqual({});
    expect(values('办理结果：予以公开3件。')).toEqual({ granted: [3, '件'] });
    expect(values('依法答复申请人并告知补正3件。')).toEqual({});
  });

  it('parts of a total are read as parts: 上年结转 before the figure', () => {
    expect(values('办理上年度结转申请1件。答复11件。')).toEqual({ concludedCarriedOver: [1, '件'], concluded: [11, '件'] });
    expect(values('本年度新收政府信息公开申请10件，受理上年结转申请2件。')).toEqual({ received: [10, '件'], carriedOver: [2, '件'] });
  });

  it('the enumeration comma stays inside a clause; 申请，共计 N 件 is one figure', () => {
    expect(values('共受理群众通过网络、信函等方式提出的政府信息公开申请15件。')).toEqual({ received: [15, '件'] });
    expect(values('共收到政府信息公开申请，共计15件。')).toEqual({ received: [15, '件'] });
  });

  it('a 150k-character digit run reads in linear time (hostile input)', () => {
    const digits = '受理申请' + '7'.repeat(150_000) + '件，其中' + '1'.repeat(50_000);
    expect(Object.keys(extractNarrative(digits))).toEqual([]);
  });

  it('其中， and 办结，共计 before the figure; 上年结转 on its own is the carried-over part', () => {
    expect(values('共收到政府信息公开申请15件，其中，自然人申请12件，法人或其他组织申请3件。')).toEqual({ received: [15, '件'], receivedNaturalPerson: [12, '件'], receivedLegal: [3, '件'] });
    expect(values('本年度办结，共计14件。')).toEqual({ concluded: [14, '件'] });
    expect(values('上年结转政府信息公开申请2件，本年新收政府信息公开申请13件。')).toEqual({ carriedOver: [2, '件'], received: [13, '件'] });
    expect(values('共受理政府信息公开申请15件（含上年结转2件）。')).toEqual({ received: [15, '件'], carriedOver: [2, '件'] });
    expect(values('结转下年度继续办理1件。')).toEqual({ carriedForward: [1, '件'] });
  });
});

describe('figures past double precision', () => {
  it('a digit run too long to be exact is no figure and no list item (its sum would be Infinity)', async () => {
    const { statedLists } = await import('../src/audit/rules/narrative.js');
    const long = '9'.repeat(200);
    expect(extractNarrative(`本年度共受理依申请公开${long}件。`).received).toBeUndefined();
    expect(extractNarrative('本年度共受理依申请公开215件。').received?.value).toBe(215);
    expect(statedLists(`政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，尚未审结${long}件。`)).toEqual([]);
    expect(statedLists('政府信息公开行政复议351件，其中结果维持72件，结果纠正64件，尚未审结215件。')).toHaveLength(1);
  });
});
