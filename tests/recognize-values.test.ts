import { describe, expect, it } from 'vitest';
import { CUT_MARK, readCell } from '../src/recognize/values.js';

describe('cell values', () => {
  it('reads a cell cut off at the page edge (CUT_MARK) as unplaced, never as its remaining digits', () => {
    expect(readCell(`112${CUT_MARK}`)).toEqual({ value: null, kind: 'unplaced', raw: '112…', note: 'cut off at the page edge: digits may be lost' });
    expect(readCell('1 2…').kind).toBe('unplaced');
    expect(readCell('见附件…').kind).toBe('text');
  });

  it('reads "25.1万" in a money column as 25.1 万元, and as no count beside counts', () => {
    expect(readCell('25.1万', { money: true })).toMatchObject({ value: 25.1, kind: 'number', unit: '万元' });
    expect(readCell('3万').kind).toBe('text');
  });

  it('reads two lines of digits as one number (a wrapped cell, a page break), three or more as text', () => {
    expect(readCell('223\n1')).toMatchObject({ value: 2231, kind: 'number' });
    // A grid that lost its inner rules leaves several rows' values in one cell: never one count.
    expect(readCell('2\n0\n25\n1')).toMatchObject({ value: null, kind: 'text' });
    expect(readCell('5\n3\n1').kind).toBe('text');
  });

  it.each(['—', '-', '/', '无', '不适用', '暂无', '－'])('%j is a placeholder, never text', (raw) => {
    const v = readCell(raw);
    expect(v.value).toBeNull();
    expect(['dash', 'slash']).toContain(v.kind);
  });

  it.each([
    ['9'.repeat(400), 'a 400-digit run'],
    ['1'.repeat(16), 'sixteen digits'],
    [`${'1'.repeat(10)}.${'2'.repeat(10)}`, 'a decimal past double precision'],
  ])('%s… (%s) is text, not a rounded or infinite number', (raw) => {
    const v = readCell(raw);
    expect(v).toMatchObject({ value: null, kind: 'text' });
  });

  it.each([
    ['3,985,758', 3985758],
    ['96171.6', 96171.6],
    ['999999999999999', 999999999999999],
    ['0.0', 0],
    ['007', 7],
  ])('%s stays the number %d', (raw, n) => {
    expect(readCell(raw)).toMatchObject({ value: n, kind: 'number' });
  });
});
