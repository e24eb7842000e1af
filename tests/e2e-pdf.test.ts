import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../src/parse.js';

/**
 * End to end on the sample PDFs: every value of the hand-checked answer keys must come out of
 * parseBytes (PDF adapter → recognizer → audit), and the source errors the key lists must be reported.
 */
const SAMPLES = ['huaian-shizhengfu-2024', 'hongze-quzhengfu-2023'] as const;

interface Expected {
  values: Record<string, unknown>;
  errorsExpected: { paths: string[]; why: string }[];
}

function at(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

describe.each(SAMPLES)('%s.pdf end to end', (name) => {
  const key = JSON.parse(readFileSync(`tests/fixtures/expected/${name}.expected.json`, 'utf8')) as Expected;
  const result = parseBytes(readFileSync(`samples/${name}.pdf`), { path: `samples/${name}.pdf` });

  it('reads every answer-key value', async () => {
    const { report, source } = await result;
    expect(source.format).toBe('pdf');
    const got = Object.fromEntries(Object.keys(key.values).map((p) => [p, at(report, p)]));
    expect(got).toEqual(key.values);
  });

  it('reports the arithmetic errors of the source, and no others', async () => {
    const { findings } = await result;
    const errors = findings.filter((f) => f.severity === 'error');
    for (const e of key.errorsExpected) expect(errors.some((f) => e.paths.every((p) => f.paths.includes(p))), e.why).toBe(true);
    expect(errors).toHaveLength(key.errorsExpected.length);
  });
});
