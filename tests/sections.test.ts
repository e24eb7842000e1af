import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { undress } from '../src/recognize/sections.js';
import { normLabel } from '../src/recognize/normalize.js';
import { rng } from './helpers/batch-reports.js';
import { pick } from './helpers/portal-page.js';
import { consistentTable3, textReport } from './helpers/text-report.js';

const parse = (text: string, path = 't.txt') => parseBytes(new TextEncoder().encode(text), { path });
const rules = (r: ParseResult, ...ids: string[]) => r.findings.filter((f) => ids.includes(f.rule));
const KEYS = ['overview', 'proactive', 'applications', 'reviewLitigation', 'problems', 'other'] as const;
const CN = '一二三四五六七八九十';
/** The six headings of textReport(), in order. */
const HEADINGS = ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];
/** A phrase of each section's body in textReport(). */
const BODY = ['本机关共受理政府信息公开申请', '', '', '', '存在的问题是公开内容不够全面', '本年度未收取信息处理费'];
const replaceLine = (text: string, from: string, to: string | null) => text.replace(new RegExp(`^${from}\\n`, 'm'), to === null ? '' : `${to}\n`);

describe('undress: a heading without its markdown, bold, list marks and stray characters', () => {
  const cases: [string, string, number | undefined][] = [
    ['## 一、总体情况', 'cn', 1],
    ['**二、主动公开政府信息情况**', 'cn', 2],
    ['- 三、收到和处理政府信息公开申请情况', 'cn', 3],
    ['l六、其他需要报告的事项', 'cn', 6],
    ['|四、政府信息公开行政复议、行政诉讼情况', 'cn', 4],
    ['五. 存在的主要问题及改进情况', 'cn', 5],
    ['（一）总体情况', 'paren', 1],
    ['第三部分 收到和处理政府信息公开申请情况', 'part', 3],
    ['１．总体情况', 'arabic', 1],
    ['### **6. 其他需要报告的事项**', 'arabic', 6],
    ['一 总体情况', 'cn', 1],
    ['总体情况', 'none', undefined],
  ];
  for (const [line, style, n] of cases)
    it(line, () => {
      const d = undress(normLabel(line));
      expect([d.style, d.n]).toEqual([style, n]);
      expect(d.rest).not.toMatch(/^[#*|l\-(（第一二三四五六0-9.,]/);
    });
  it('takes no stray character off a title that has no numbering after it', () => {
    expect(undress(normLabel('l总体情况')).rest).toBe('l总体情况');
  });
});

describe('the seven cases of issue 14', () => {
  const t3 = consistentTable3();
  const total = t3['results.total'][6];
  const carried = t3['carriedOver'][6];

  it('1. 其中11件办结，8件申请人主动撤销: no warning on consistent narrative figures', async () => {
    const prose = `本年度共收到政府信息公开申请${t3['newReceived'][6]}件。共办理政府信息公开申请${total}件，其中${total - 2}件办结，2件申请人主动撤销。`;
    const r = await parse(textReport({ prose }));
    expect(r.report.narrative.concluded?.value).toBe(total);
    expect(r.findings.filter((f) => f.rule.startsWith('N-'))).toEqual([]);
  });

  it('2. 办理上年度结转申请1件。答复11件: the part is the carried-over part, the total the total', async () => {
    const prose = `本年度共收到政府信息公开申请${t3['newReceived'][6]}件，办理上年度结转申请${carried}件。答复${total}件。`;
    const r = await parse(textReport({ prose }));
    expect([r.report.narrative.concludedCarriedOver?.value, r.report.narrative.concluded?.value]).toEqual([carried, total]);
    expect(r.findings.filter((f) => f.rule.startsWith('N-'))).toEqual([]);
  });

  it('3. sections 二–六 printed 三–七: one S-02 (info)', async () => {
    let text = textReport();
    for (let i = 1; i < 6; i++) text = replaceLine(text, HEADINGS[i], CN[i + 1] + HEADINGS[i].slice(1));
    const r = await parse(text);
    expect(KEYS.every((k) => r.report.sections[k])).toBe(true);
    const s02 = rules(r, 'S-02');
    expect(s02).toHaveLength(1);
    expect(s02[0]).toMatchObject({ severity: 'info', paths: ['sections.proactive', 'sections.applications', 'sections.reviewLitigation', 'sections.problems', 'sections.other'] });
    expect(s02[0].message).toContain('“三、主动公开政府信息情况”应为第二部分');
    expect(rules(r, 'S-01')).toEqual([]);
  });

  it('3b. 五、其他需要报告的事项 when there is no section on problems is its place, not a misnumbering', async () => {
    let text = replaceLine(textReport(), HEADINGS[4], null).replace('存在的问题是公开内容不够全面。下一步将加强培训，改进工作。\n', '');
    text = replaceLine(text, HEADINGS[5], '五、其他需要报告的事项');
    expect(rules(await parse(text), 'S-02')).toEqual([]);
  });

  it('4. a stray character before the heading (l六、): the section is found and holds its text', async () => {
    const r = await parse(replaceLine(textReport(), HEADINGS[5], 'l六、其他需要报告的事项'));
    expect(r.report.sections.other).toMatchObject({ heading: 'l六、其他需要报告的事项', text: '本年度未收取信息处理费。' });
    expect(r.report.sections.problems?.text).not.toContain('信息处理费');
    expect(rules(r, 'S-01', 'P-SECTION')).toEqual([]);
  });

  it('5. markdown headings (## 一、总体情况) and a # title parse as the same report', async () => {
    let text = textReport().replace(/^(某某县)/, '# $1');
    for (const h of HEADINGS) text = replaceLine(text, h, `## ${h}`);
    const r = await parse(text, 't.md');
    const plain = await parse(textReport());
    expect(r.report.title).toBe('某某县人民政府办公室2023年政府信息公开工作年度报告');
    expect(r.report.agency).toBe('某某县人民政府办公室');
    expect(KEYS.map((k) => r.report.sections[k]?.text)).toEqual(KEYS.map((k) => plain.report.sections[k]?.text));
    expect(r.report.applications).toEqual(plain.report.applications);
  });

  it('6. a PDF text whose headings 一, 五 and 六 were lost, its title split over two lines', async () => {
    let text = readFileSync(new URL('../samples/hongze-quzhengfu-2023.layout.txt', import.meta.url), 'utf8');
    for (const h of ['一、总体情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) text = text.replace(new RegExp(`^ *${h} *\\n`, 'm'), '');
    text = text.replace('2023 年政府信息公开工作年度报告', '2023 年政府信息\n    公开工作年度报告');
    const r = await parse(text);
    expect(r.report.title).toBe('洪泽区人民政府2023年政府信息公开工作年度报告');
    expect(KEYS.every((k) => r.report.sections[k])).toBe(true);
    const s = r.report.sections;
    expect(s.overview).toMatchObject({ heading: '', inferred: 'position' });
    expect(s.overview!.text).toMatch(/^本报告由淮安市洪泽区人民政府办公室/);
    expect(s.reviewLitigation!.text).toBe('');
    expect(s.problems!.text).toMatch(/^2023 年，洪泽区政府信息公开工作取得一定的成效/);
    expect(s.problems!.text).not.toContain('信息处理费');
    expect(s.other!.text).toMatch(/信息处理费 0 元。$/);
    expect(rules(r, 'S-01')).toEqual([]);
    const [p] = rules(r, 'P-SECTION');
    expect(p).toMatchObject({ severity: 'info', paths: ['sections.overview', 'sections.problems', 'sections.other'] });
    // the source's own table-4 errors are still the only errors
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule).sort()).toEqual(['T4-AFT', 'T4-REV']);
  });

  it('7. a saved government page: no chrome in any section, the title from <title>', async () => {
    const bytes = readFileSync(new URL('./fixtures/html/portal-chrome-2023.html', import.meta.url));
    const r = await parseBytes(new Uint8Array(bytes), { path: 'portal-chrome-2023.html' });
    expect(r.report.title).toBe('XX县人民政府办公室2023年政府信息公开工作年度报告');
    expect([r.report.agency, r.report.year, r.report.publishedAt]).toEqual(['XX县人民政府办公室', 2023, '2024-01-20']);
    expect(KEYS.every((k) => r.report.sections[k])).toBe(true);
    expect(r.report.sections.other!.text).toBe('本年度未收取信息处理费。\nXX县人民政府办公室\n2024年1月20日');
    const all = KEYS.map((k) => r.report.sections[k]!.text).join('\n');
    for (const chrome of ['字体', '打印本页', 'ICP备', '友情链接', '相关链接', '版权所有', '当前位置', '访问量']) expect(all).not.toContain(chrome);
  });
});

describe('missing headings recovered from their place', () => {
  it('二, 三 and 四 start at their tables', async () => {
    let text = textReport();
    for (const h of HEADINGS.slice(1, 4)) text = replaceLine(text, h, null);
    const r = await parse(text);
    expect(KEYS.map((k) => r.report.sections[k]?.inferred ?? 'heading')).toEqual(['heading', 'position', 'position', 'position', 'heading', 'heading']);
    expect(r.report.sections.overview!.text).toBe('2023年，本机关共受理政府信息公开申请' + consistentTable3()['newReceived'][6] + '件。');
    expect(rules(r, 'P-SECTION')).toHaveLength(1);
  });

  it('a heading in other words is placed by its number at the section\'s place (P-SECTION names it)', async () => {
    let text = replaceLine(textReport(), HEADINGS[2], '三、依申请公开情况');
    text = replaceLine(text, HEADINGS[4], '五、下一步工作打算');
    text = replaceLine(text, HEADINGS[5], '六、其他事项');
    const r = await parse(text);
    const s = r.report.sections;
    expect([s.applications, s.problems, s.other].map((x) => [x?.heading, x?.inferred])).toEqual([
      ['三、依申请公开情况', 'number'],
      ['五、下一步工作打算', 'number'],
      ['六、其他事项', 'number'],
    ]);
    expect(s.proactive!.text).toBe('');
    expect(s.problems!.text).toBe('存在的问题是公开内容不够全面。下一步将加强培训，改进工作。');
    expect(s.other!.text).toBe('本年度未收取信息处理费。');
    expect(rules(r, 'P-SECTION')).toEqual([expect.objectContaining({ paths: ['sections.applications', 'sections.problems', 'sections.other'], message: expect.stringContaining('“五、下一步工作打算”为第五部分') })]);
    expect(rules(r, 'S-01', 'S-02')).toEqual([]);
  });

  it('a table-3 label numbered like a section is never taken for a heading', async () => {
    const r = await parse(replaceLine(textReport(), HEADINGS[3], null));
    expect(r.report.sections.reviewLitigation).toMatchObject({ heading: '', inferred: 'position' });
  });

  it('is not attempted when the headings found are out of order', async () => {
    const text = replaceLine(replaceLine(textReport(), HEADINGS[0], null), HEADINGS[4], null).replace('三、收到和处理政府信息公开申请情况', 'X').replace('二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况').replace(/^X$/m, '二、主动公开政府信息情况');
    const r = await parse(text);
    expect(rules(r, 'P-SECTION')).toEqual([]);
    expect(rules(r, 'S-02')).toHaveLength(1);
  });

  it('a body without a fee or other-matters opening leaves 六 missing (S-01), never guessed', async () => {
    const text = replaceLine(textReport(), HEADINGS[5], null).replace('本年度未收取信息处理费。', '无。');
    const r = await parse(text);
    expect(r.report.sections.other).toBeNull();
    expect(rules(r, 'S-01')).toHaveLength(1);
  });
});

/**
 * Seeded fuzz over heading dress: markdown marks, bold, list marks, stray characters,
 * numbering styles, lost headings and titles split over lines. The contract: every section
 * is found, holds its own body and no other's, S-02 only when the numbers were changed, and
 * P-SECTION names exactly the headings that were dropped.
 */
describe('heading dress fuzz', () => {
  const FULL = '０１２３４５６７８９';
  const styles: ((i: number, title: string) => string)[] = [
    (i, t) => `${CN[i]}、${t}`,
    (i, t) => `${CN[i]}.${t}`,
    (i, t) => `${CN[i]}．${t}`,
    (i, t) => `（${CN[i]}）${t}`,
    (i, t) => `第${CN[i]}部分 ${t}`,
    (i, t) => `${i + 1}.${t}`,
    (i, t) => `${FULL[i + 1]}．${t}`,
    (i, t) => `${CN[i]} ${t}`,
  ];
  const dresses: ((h: string) => string)[] = [(h) => h, (h) => `## ${h}`, (h) => `**${h}**`, (h) => `# **${h}**`, (h) => `- ${h}`, (h) => `> ${h}`, (h) => `  ${h}  `, (h) => `${h}：`];
  const strays = ['l', '|', 'I', '.', '■', '·'];
  // Lost headings that position can recover: 一 (prose before table 2), 二–四 (their tables), 五 (prose after table 4), 六 (its fee sentence).
  const losable = [0, 1, 2, 3, 4, 5];

  for (let seed = 1; seed <= Number(process.env.SECTIONS_FUZZ ?? 40); seed++) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed * 7919);
      const style = pick(r, styles);
      const dress = pick(r, dresses);
      const lost = new Set(losable.filter(() => r() < 0.2));
      let text = textReport();
      const notes: string[] = [];
      HEADINGS.forEach((h, i) => {
        if (lost.has(i)) return void (text = replaceLine(text, h, null));
        let line = dress(style(i, h.slice(2)));
        // A stray mark only before a numbering (OCR reads a bullet or a rule as a letter).
        if (r() < 0.2 && /^[一二三四五六（第]/.test(style(i, ''))) line = pick(r, strays) + line;
        notes.push(line);
        text = replaceLine(text, h, line);
      });
      // The title split over two lines: after the agency, after the year, after 政府信息公开, or where a
      // line of 10 or more characters wraps.
      const title = '某某县人民政府办公室2023年政府信息公开工作年度报告';
      if (r() < 0.5) {
        const at = pick(r, [10, 15, 21, 10 + Math.floor(r() * (title.length - 12))]);
        text = text.replace(title, `${title.slice(0, at)}\n${title.slice(at)}`);
        notes.push(`title split at ${at}`);
      }
      const res = await parse(text, 'fuzz.md');
      const msg = `${notes.join(' / ')}; lost ${[...lost].join(',')}`;
      expect(res.report.title, msg).toBe(title);
      KEYS.forEach((k, i) => {
        const sec = res.report.sections[k];
        expect(sec, `${k}: ${msg}`).not.toBeNull();
        if (BODY[i]) expect(sec!.text, `${k}: ${msg}`).toContain(BODY[i]);
        BODY.forEach((b, j) => b && j !== i && expect(sec!.text, `${k} holds ${j}: ${msg}`).not.toContain(b));
        expect(sec!.inferred === 'position', `${k}: ${msg}`).toBe(lost.has(i));
      });
      expect(rules(res, 'S-01', 'S-02'), msg).toEqual([]);
      expect(rules(res, 'P-SECTION').flatMap((f) => f.paths), msg).toEqual([...lost].sort().map((i) => `sections.${KEYS[i]}`));
      expect(res.findings.filter((f) => f.severity === 'error'), msg).toEqual([]);
    });
  }
});

describe('a page saved as text keeps its chrome out of the sections', () => {
  it('tools and footer after 六 are not its text; a report sentence about its website stays', async () => {
    const footer = ['【字体：大 中 小】 【打印本页】 【关闭窗口】', '相关链接', '某某县人民政府办公室2022年政府信息公开工作年度报告', '友情链接：中国政府网 省政府', '主办单位：某某县人民政府办公室　电话：0000-1234567', '苏ICP备12345678号 网站标识码：3200000001'];
    const text = textReport({ prose: '2023年，本机关对政府网站友情链接进行全面排查，打印公开目录100份。' }).replace('本年度未收取信息处理费。\n', `本年度未收取信息处理费。\n某某县人民政府办公室\n2024年1月20日\n${footer.join('\n')}\n`);
    const r = await parse(text);
    expect(r.report.sections.other!.text).toBe('本年度未收取信息处理费。\n某某县人民政府办公室\n2024年1月20日');
    expect(r.report.sections.overview!.text).toBe('2023年，本机关对政府网站友情链接进行全面排查，打印公开目录100份。');
  });
});
