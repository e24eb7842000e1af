import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';
import type { ParseResult } from '../src/model/index.js';
import { VALUE_CELLS } from './helpers/fill-template.js';
import { TEMPLATE_VARIANTS, templatePdfValues } from './helpers/template-pdf.js';
import { sharedDir } from './helpers/shared.js';

/**
 * Text from generic PDF extractors (scripts/make-template-layout-text.ts writes them with pdftotext):
 * plain mode puts a table's labels in one block and its numbers in another, header words one or two
 * characters a line; -raw keeps content-stream order. Whatever is not read stays unplaced: no value
 * may differ from the truth, and no error finding may come from our reading (promises 1 and 2).
 */
const get = (o: unknown, p: string): unknown => p.split('.').reduce<unknown>((a, k) => (a == null ? undefined : (a as Record<string, unknown>)[k]), o);
const parse = (file: string) => parseBytes(readFileSync(file), { path: file });
const errors = (r: ParseResult) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`);

describe.each(TEMPLATE_VARIANTS.flatMap((v) => (['plain', 'raw'] as const).map((m) => [v, m] as const)))('template-%s as pdftotext %s text', (variant, mode) => {
  const result = parse(`tests/fixtures/text/template-${variant}.${mode}.txt`);
  const values = templatePdfValues();

  it('reads no value wrong', async () => {
    const r = await result;
    const wrong = VALUE_CELLS.filter((c) => get(r.report, c.path) != null && get(r.report, c.path) !== Number(values[c.path]));
    expect(wrong.map((c) => `${c.path}: ${values[c.path]} → ${String(get(r.report, c.path))}`)).toEqual([]);
  });

  it('raises no error finding', async () => {
    expect(errors(await result)).toEqual([]);
  });

  if (mode === 'raw')
    it('reads nearly every value of content-stream order', async () => {
      const r = await result;
      expect(VALUE_CELLS.filter((c) => get(r.report, c.path) === Number(values[c.path])).length).toBeGreaterThanOrEqual(195);
    });
  else
    it('reports the tables it could not read as unplaced, with warnings', async () => {
      const r = await result;
      expect(r.report.applications).not.toBeNull();
      expect(r.report.reviewLitigation).not.toBeNull();
      expect(r.findings.some((f) => f.rule === 'P-UNPLACED' && f.severity === 'warning')).toBe(true);
      const t4 = Object.entries(r.cells).filter(([p]) => p.startsWith('reviewLitigation.'));
      expect(t4.every(([, c]) => c.kind === 'unplaced' || c.kind === 'number')).toBe(true);
    });
});

const KEYS = ['huaian-shizhengfu-2024', 'hongze-quzhengfu-2023'].map((s) => [s, sharedDir(`samples/${s}.expected.json`)] as const);

describe.each(KEYS.flatMap(([s, k]) => (k ? (['plain', 'raw'] as const).map((m) => [s, m, k] as const) : [])))('sample %s as pdftotext %s text', (sample, mode, keyFile) => {
  const result = parse(`tests/fixtures/text/${sample}.${mode}.txt`);
  const key = JSON.parse(readFileSync(keyFile, 'utf8')) as {
    values: Record<string, unknown>;
    errorsExpected?: { paths: string[] }[];
  };

  it('reads no value of the answer key wrong', async () => {
    const r = await result;
    const wrong = Object.entries(key.values).filter(([p, v]) => get(r.report, p) != null && get(r.report, p) !== v);
    expect(wrong.map(([p, v]) => `${p}: ${String(v)} → ${String(get(r.report, p))}`)).toEqual([]);
  });

  it('raises errors only where the answer key has the source wrong', async () => {
    const r = await result;
    const allowed = new Set((key.errorsExpected ?? []).flatMap((e) => e.paths));
    const ours = r.findings.filter((f) => f.severity === 'error' && !f.paths.some((p) => allowed.has(p)));
    expect(ours.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });
});

describe('table 4 values scattered among its header words', () => {
  // The document holds only tables 3 (two rows) and 4: S-04 and S-05 are right about the rest.
  const t4Errors = (r: ParseResult) => r.findings.filter((f) => f.severity === 'error' && f.paths.some((p) => p.startsWith('reviewLitigation')));
  const doc = (numbers: string[]) =>
    [
      'XX县人民政府2023年政府信息公开工作年度报告',
      '三、收到和处理政府信息公开申请情况',
      '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 |',
      '一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |',
      '二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |',
      '四、政府信息公开行政复议、行政诉讼情况',
      '行政复议',
      '行政诉讼',
      '未经复议直接起诉',
      '结果',
      numbers[0],
      '结果',
      numbers[1],
      '其他结',
      '维持',
      '纠正',
      '果',
      ...numbers.slice(2, 6),
      '尚未',
      '审结',
      '总计',
      '复议后起诉',
      ...numbers.slice(6, 11),
      '结果维持',
      '结果纠正',
      ...numbers.slice(11),
      '五、存在的主要问题及改进情况',
      '我们将继续加强政务公开工作，提升公开质量和实效，回应社会关切。',
    ].join('\n');

  it('leaves them unplaced with one warning when reading order does not balance', async () => {
    // The true table: 72 64 178 37 351 | 13 4 8 1 26 | 12 1 1 6 20, met column by column.
    const r = await parseBytes(new TextEncoder().encode(doc(['72', '64', '178', '37', '12', '1', '1', '6', '351', '13', '4', '8', '1', '26', '20'])), { path: 'scattered.txt' });
    expect(t4Errors(r)).toEqual([]);
    expect(r.report.reviewLitigation?.review.total ?? null).toBeNull();
    expect(r.cells['reviewLitigation.review.total']?.kind).toBe('unplaced');
    expect(r.findings.filter((f) => f.rule === 'P-UNPLACED' && f.paths.includes('reviewLitigation'))).toHaveLength(1);
  });

  it('places them, saying so, when every block balances in reading order', async () => {
    const r = await parseBytes(new TextEncoder().encode(doc(['72', '64', '178', '37', '351', '13', '4', '8', '1', '26', '12', '1', '1', '6', '20'])), { path: 'scattered.txt' });
    expect(r.report.reviewLitigation?.review).toMatchObject({ upheld: 72, corrected: 64, other: 178, pending: 37, total: 351 });
    expect(r.report.reviewLitigation?.litigationAfterReview.total).toBe(20);
    expect(r.cells['reviewLitigation.review.total']?.inferred).toMatch(/分散/);
    expect(t4Errors(r)).toEqual([]);
  });
});

describe('a table whose labels are printed but which gave no reading', () => {
  it('is unplaced with a warning, not missing (no S-04)', async () => {
    const r = await parse('tests/fixtures/text/huaian-shizhengfu-2024.plain.txt');
    expect(r.findings.filter((f) => f.rule === 'S-04')).toEqual([]);
  });

  it('is still missing (S-04) when only prose mentions a few of its words', async () => {
    const text = [
      'XX县人民政府2023年政府信息公开工作年度报告',
      '一、总体情况',
      '本年度共收到政府信息公开申请12件，予以公开8件，部分公开2件，不予公开1件，无法提供1件。',
      '二、主动公开政府信息情况',
      '第二十条第（一）项',
      '信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |',
      '规章 | 0 | 0 | 3 |',
      '行政规范性文件 | 2 | 1 | 9 |',
      '三、收到和处理政府信息公开申请情况',
      '本年度收到申请12件，均已按期办结，其中属于国家秘密的不予公开1件，本机关不掌握相关政府信息的1件。',
      '四、政府信息公开行政复议、行政诉讼情况',
      '行政复议 | 行政诉讼 |',
      '0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |',
      '五、存在的主要问题及改进情况',
      '我们将继续加强政务公开工作。',
    ].join('\n');
    const r = await parseBytes(new TextEncoder().encode(text), { path: 'no-table3.txt' });
    expect(r.findings.filter((f) => f.rule === 'S-04').map((f) => f.paths[0])).toContain('applications');
  });
});
