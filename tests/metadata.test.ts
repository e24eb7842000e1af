import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import { textReport } from './helpers/text-report.js';

const TITLE = '某某县人民政府办公室2023年政府信息公开工作年度报告';
const meta = async (text: string) => {
  const r = (await parseBytes(new TextEncoder().encode(text), { path: 't.md' })).report;
  return { title: r.title, agency: r.agency, year: r.year };
};
const withTitle = (line: string, text = textReport()) => text.replace(`${TITLE}\n`, `${line}\n`);

describe('metadata from messy text (issue 8 item 6)', () => {
  it('takes markdown heading marks and bold off the title and the agency', async () => {
    for (const line of [`# ${TITLE}`, `**${TITLE}**`, `# **${TITLE}**`, `## ${TITLE} ##`, `> ${TITLE}`])
      expect(await meta(withTitle(line)), line).toEqual({ title: TITLE, agency: '某某县人民政府办公室', year: 2023 });
  });

  it('reads the title from the last step of a breadcrumb, and ignores a breadcrumb that is only navigation', async () => {
    expect(await meta(withTitle(`当前位置：首页 > 政务公开 > ${TITLE}`))).toMatchObject({ title: TITLE });
    expect(await meta(`当前位置：首页 > 政务公开 > 政府信息公开年报\n${textReport()}`)).toMatchObject({ title: TITLE });
  });

  it('takes the year from the 统计期限 sentence when the title has none', async () => {
    const text = withTitle('某某县统计局政府信息公开工作年度报告', textReport({ year: 2022 }).replace('某某县人民政府办公室2022年政府信息公开工作年度报告', TITLE));
    expect(await meta(text)).toEqual({ title: '某某县统计局政府信息公开工作年度报告', agency: '某某县统计局', year: 2022 });
    const yearOnly = text.replace(/本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。/, '本报告统计时间为2022年度。');
    expect((await meta(yearOnly)).year).toBe(2022);
  });

  it('a column name is no title', async () => {
    const text = textReport().replace(`${TITLE}\n`, '当前位置：首页 > 政务公开 > 政府信息公开年报\n');
    expect((await meta(text)).title).toBeNull();
  });

  it('a title with a year wins over one without', async () => {
    expect(await meta(`政府信息公开工作年度报告\n${textReport()}`)).toMatchObject({ title: TITLE, year: 2023 });
  });

  it('keeps the agency as printed, OCR errors and all', async () => {
    expect(await meta(withTitle('某某县人民政付办公室2023年政府信息公开工作年度报告'))).toMatchObject({ agency: '某某县人民政付办公室' });
  });

  it('joins a title split over two or three lines', async () => {
    for (const split of [['某某县人民政府办公室', '2023年政府信息公开工作年度报告'], ['某某县人民政府办公室2023年政府信息', '公开工作年度报告'], ['某某县人民政府', '办公室2023年政府信息公开', '工作年度报告']])
      expect(await meta(withTitle(split.join('\n'))), split.join('/')).toMatchObject({ title: TITLE, agency: '某某县人民政府办公室' });
  });
});
