import { describe, expect, it } from 'vitest';
import { cleanLeftovers, emptiesIn } from '../src/ingest/text-leftovers.js';
import { parseBytes } from '../src/parse.js';
import { scoreShape, shapeCase } from './helpers/fuzz-shapes.js';

/**
 * HTML-to-text leftovers (issue 8): an empty cell carries its column, so decoding must keep
 * it a cell, whatever spelling of the no-break space or of the cell markup the tool left.
 */
describe('HTML leftovers in text', () => {
  it.each([
    ['&nbsp;', '行政许可&nbsp;&nbsp;&nbsp;5&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;7<br>\n行政处罚&nbsp;&nbsp;&nbsp;1&nbsp;&nbsp;&nbsp;2&nbsp;&nbsp;&nbsp;3<br>'],
    ['&#160;', '行政许可&#160;&#160;&#160;5&#160;&#160;&#160;&#160;&#160;&#160;&#160;7<br/>\n行政处罚&#160;&#160;&#160;1&#160;&#160;&#160;2&#160;&#160;&#160;3<br />'],
    ['&#xa0; and <BR>', '行政许可&#xA0;&#xA0;&#xA0;5&#xA0;&#xA0;&#xA0;&#xA0;&#xA0;&#xA0;&#xA0;7<BR>\n行政处罚&#xA0;&#xA0;&#xA0;1&#xA0;&#xA0;&#xA0;2&#xA0;&#xA0;&#xA0;3'],
    ['double-escaped &amp;nbsp;', '行政许可&amp;nbsp;&amp;nbsp;&amp;nbsp;5&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;&amp;nbsp;7\n行政处罚&amp;nbsp;&amp;nbsp;&amp;nbsp;1&amp;nbsp;&amp;nbsp;&amp;nbsp;2&amp;nbsp;&amp;nbsp;&amp;nbsp;3'],
    ['raw U+00A0', '行政许可\u00a0\u00a0\u00a05\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a07\n行政处罚\u00a0\u00a0\u00a01\u00a0\u00a0\u00a02\u00a0\u00a0\u00a03'],
    ['Word’s “&nbsp; ” pairs', '行政许可&nbsp; &nbsp; 5&nbsp; &nbsp; &nbsp; &nbsp; 7\n行政处罚&nbsp; &nbsp; 1&nbsp; &nbsp; 2&nbsp; &nbsp; 3'],
  ])('%s: cells joined by runs of no-break spaces keep an empty cell between them', (_, text) => {
    expect(cleanLeftovers(text).split('\n')).toEqual(['行政许可 | 5 |  | 7', '行政处罚 | 1 | 2 | 3']);
  });

  it('<td> remnants are fields: an empty <td>, or one holding &nbsp;, is an empty cell', () => {
    const text = '<tr><td class="x">行政许可</td><td>5</td><td>&nbsp;</td><td></td><td>7</td></tr>';
    expect(cleanLeftovers(text)).toBe('|行政许可|5| ||7|');
  });

  it('<p> and <br> at a line end add no line; inside a line they break it; inline tags leave no space', () => {
    expect(cleanLeftovers('<p>一、总体情况</p>\n<p style="x">本年度<span>行政</span><b>许可</b>5件。<br>下一行</p>')).toBe('一、总体情况\n本年度行政许可5件。\n下一行');
  });

  it('entities in prose decode; a space run inside a two-cell line of words stays spaces', () => {
    expect(cleanLeftovers('名&nbsp;&nbsp;称：报告&amp;附件 &lt;一&gt; &#8220;x&#8221;\n单位&nbsp;&nbsp;&nbsp;某某局\n甲&nbsp;&nbsp;&nbsp;乙&nbsp;&nbsp;&nbsp;丙')).toBe(
      '名  称：报告&附件 <一> “x”\n单位   某某局\n甲 | 乙 | 丙',
    );
  });

  it('an empty cell spelt as nothing, or as one unit, is read by the spelling the text shows', () => {
    // Separator 3: a run of 7 is separator, `&nbsp;`, separator; 6 is two separators.
    expect(emptiesIn(7, 3)).toBe(1);
    expect(emptiesIn(6, 3)).toBe(1);
    // 15 is three `&nbsp;` cells or four cells printed as nothing: only the text's spelling says which.
    expect(emptiesIn(15, 3)).toBeNull();
    expect(emptiesIn(15, 3, 'unit')).toBe(3);
    expect(emptiesIn(15, 3, 'nothing')).toBe(4);
    expect(emptiesIn(5, 3)).toBeNull();
    const nbsp = (n: number) => '&nbsp;'.repeat(n);
    const text = (other: number) => `甲${nbsp(3)}1${nbsp(other)}2\n乙${nbsp(3)}1${nbsp(15)}2\n丙${nbsp(3)}1${nbsp(3)}2`;
    // A run of 7 shows empties printed as `&nbsp;`; a run of 6, printed as nothing.
    expect(cleanLeftovers(text(7)).split('\n')[1]).toBe('乙 | 1 |  |  |  | 2');
    expect(cleanLeftovers(text(6)).split('\n')[1]).toBe('乙 | 1 |  |  |  |  | 2');
    // Nothing in the text says: `<td>&nbsp;</td>` is how HTML writes an empty cell.
    expect(cleanLeftovers(text(3)).split('\n')[1]).toBe('乙 | 1 |  |  |  | 2');
  });

  it('a run whose cell count is in doubt keeps the line as spaces (the row is then one that lost cells, never a shifted one)', () => {
    const rows = Array.from({ length: 10 }, (_, k) => `行${k}&nbsp;&nbsp;&nbsp;1&nbsp;&nbsp;&nbsp;2&nbsp;&nbsp;&nbsp;3`);
    const out = cleanLeftovers([...rows, '乙&nbsp;&nbsp;&nbsp;1&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;2'].join('\n')).split('\n');
    expect(out[0]).toBe('行0 | 1 | 2 | 3');
    expect(out[10]).toBe('乙   1     2');
  });

  /** The fuzz's html-leftovers rendering re-spelt as other tools print it. */
  const respell: [string, (t: string) => string][] = [
    ['&#160; and <br/>', (t) => t.replace(/&nbsp;/g, '&#160;').replace(/<br>/g, '<br/>')],
    ['&nbsp; and <br />', (t) => t.replace(/<br>/g, '<br />')],
  ];
  for (const [name, f] of respell)
    it.each([2, 4, 8])(`a table 3 with empty cells, spelt ${name}, reads every cell (#%i)`, async (seed) => {
      const c = shapeCase(seed, 'html-leftovers');
      const text = f(c.text);
      const s = scoreShape(c, await parseBytes(new TextEncoder().encode(text), { path: 'x.txt' }));
      expect({ placed: s.placed, wrong: s.wrong, errors: s.errors }).toEqual({ placed: s.cells, wrong: [], errors: [] });
    });

  it('a pipe row whose cells next to every pipe are empty is still a pipe row', async () => {
    const c = shapeCase(4, 'html-leftovers');
    const s = scoreShape(c, await parseBytes(c.bytes, { path: 'x.txt' }));
    // "5.要求行政机关确认或重新出具已获取信息 |  | 0 |  |  |  |  | 0": no pipe has text on both sides.
    expect(c.text).toContain('5.要求行政机关确认或重新出具已获取信息&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;0&nbsp;');
    expect({ placed: s.placed, wrong: s.wrong }).toEqual({ placed: s.cells, wrong: [] });
  });

  it.each([29, 33, 60])('three blank columns side by side (a run of 15) read as three `&nbsp;` cells (#%i)', async (seed) => {
    const c = shapeCase(seed, 'html-leftovers');
    const s = scoreShape(c, await parseBytes(c.bytes, { path: 'x.txt' }));
    expect(c.text).toContain('&nbsp;'.repeat(15));
    expect(s.wrong).toEqual([]);
    expect(s.placed).toBeGreaterThanOrEqual(s.cells - 7 * c.sparse.length);
  });

  it.each([2, 4, 8])('a table 3 left as <td> remnants, empty cells included, reads every cell (#%i)', async (seed) => {
    const c = shapeCase(seed, 'pipe-trailing');
    const text = c.text
      .split('\n')
      .map((l) => (l.endsWith(' |') ? `<tr><td>${l.slice(0, -2).split(' | ').join('</td><td>')}</td></tr>` : l))
      .join('\n');
    const s = scoreShape(c, await parseBytes(new TextEncoder().encode(text), { path: 'x.txt' }));
    expect({ placed: s.placed, wrong: s.wrong, errors: s.errors }).toEqual({ placed: s.cells, wrong: [], errors: [] });
  });
});

describe('space runs that are alignment, not separators', () => {
  it('text padded with &nbsp; to line up columns (runs of any length) keeps its spaces: no cell count is made from them', () => {
    const pad = (n: number) => '&nbsp;'.repeat(n);
    const text = [`甲${pad(3)}1${pad(5)}2${pad(4)}3`, `乙乙${pad(3)}1${pad(9)}2${pad(3)}3`, `丙丙丙${pad(3)}10${pad(4)}2${pad(5)}3`].join('\n');
    expect(cleanLeftovers(text)).not.toContain('|');
  });
});
