import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchema, ParseResult } from '../src/model/index.js';
import { parseFile } from '../src/parse.js';

describe('JSON Schema', () => {
  it('schemas/report.schema.json is what `npm run schema` writes from the zod model (not stale)', () => {
    const committed = JSON.parse(readFileSync('schemas/report.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(jsonSchema())));
  });

  it('carries the official Chinese labels in descriptions', () => {
    const text = readFileSync('schemas/report.schema.json', 'utf8');
    for (const label of ['一、本年新收政府信息公开申请数量', '结果维持', '本年收费金额（单位：万元）', '（七）总计']) expect(text).toContain(label);
  });

  it('every parse output validates against the zod model', async () => {
    for (const f of ['samples/ganxian-gongxin-2024.txt', 'samples/huaian-shizhengfu-2024.layout.txt']) {
      const result = await parseFile(f);
      const check = ParseResult.safeParse(result);
      expect(check.success ? [] : check.error.issues.slice(0, 3)).toEqual([]);
    }
  });
});
