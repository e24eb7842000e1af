/**
 * What HTML-to-text tools leave in "plain" text: entities, `<br>`, cell and paragraph tags,
 * inline markup. Decoded so that a table row stays a row and an empty cell stays a cell:
 * `<td>` boundaries become `|` fields, and a line whose cells are joined by runs of
 * `&nbsp;` (any spelling) becomes `|` fields too, an empty cell being the longer run it
 * leaves (`&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;` = separator, `&nbsp;`, separator).
 * Where a run's length does not say how many cells it holds, the line keeps plain spaces:
 * the recognizer then treats the row as one that lost cells, never as a shifted one.
 */

/** Space entities (single or double escaped) and the no-break space itself: one unit of a run each. */
const SPACE_UNIT = String.raw`(?:&(?:amp;)?(?:nbsp|ensp|emsp|thinsp|#160|#x0*a0|#8194|#8195|#8201|#x200[239]|#12288|#x3000);|\u00a0)`;
/** A run of space units, ASCII spaces between them not counted (`&nbsp; &nbsp;` is Word's spelling of two). */
const SPACE_RUN = new RegExp(String.raw`${SPACE_UNIT}(?:[ \t]*${SPACE_UNIT})*`, 'giu');
const UNIT = new RegExp(SPACE_UNIT, 'giu');

const NAMED: Record<string, string> = { nbsp: ' ', ensp: ' ', emsp: '\u3000', thinsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", middot: '·', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', mdash: '—', ndash: '–', hellip: '…' };
const ENTITY = /&(?:amp;)?(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/giu;

const BR = /<br\b[^<>\n]{0,40}>/giu;
/** Tags that end a line of text: paragraphs, rows, list items, headings, table bounds. */
const BLOCK_TAG = /<\/?(?:p|div|tr|li|ul|ol|h[1-6]|table|tbody|thead|tfoot|caption|section|article|center|blockquote)\b[^<>\n]{0,300}>/giu;
const CELL_OPEN = /<t[dh]\b[^<>\n]{0,300}>/giu;
const CELL_CLOSE = /<\/t[dh]\s*>/giu;
/** Inline markup: removed without a trace, so `<span>行政</span><span>许可</span>` stays one word. */
const INLINE_TAG = /<\/?(?:span|font|b|strong|i|em|u|a|sup|sub|small|big|label|o:p|st1:[a-z]+|img|colgroup|col)\b[^<>\n]{0,300}>/giu;

/** The character an entity stands for, or null for a name this table does not know (left as printed). */
export function decodeEntity(name: string): string | null {
  const n = name.toLowerCase();
  if (n.startsWith('#')) {
    const code = n[1] === 'x' ? parseInt(n.slice(2), 16) : parseInt(n.slice(1), 10);
    if (code === 0xa0 || (code >= 0x2000 && code <= 0x200b)) return ' ';
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }
  return NAMED[n] ?? null;
}

/** Line-ending markup at a line's ends adds nothing (the line already ends); inside a line it breaks it. */
const LINE_TAG = new RegExp(`${BR.source}|${BLOCK_TAG.source}`, 'giu');
const ANY_TAG = /<[^<>\n]{0,300}>/gu;

function breakLines(line: string): string {
  if (!line.includes('<')) return line;
  // Where the line's text (outside tags) begins and ends, found once: a saved page can be one long line.
  let first = -1;
  let last = -1;
  let k = 0;
  const mark = (from: number, to: number) => {
    for (let i = from; i < to; i++)
      if (line[i].trim() !== '') {
        if (first < 0) first = i;
        last = i;
      }
  };
  for (const m of line.matchAll(ANY_TAG)) {
    mark(k, m.index);
    k = m.index + m[0].length;
  }
  mark(k, line.length);
  return line.replace(LINE_TAG, (tag, at: number) => (first < 0 || first > at || last < at + tag.length ? '' : '\n'));
}

/** `<td>a</td><td></td><td>5</td>` → `|a||5|`: each cell tag a field boundary, empty cells kept. */
function cellFields(line: string): string {
  if (!/<t[dh]\b/iu.test(line)) return line;
  return line.replace(CELL_CLOSE, '').replace(CELL_OPEN, '|').trimEnd() + '|';
}

/**
 * The separator of space-run-joined cells: the commonest inner run length over the text
 * (a run at either end of a line is indentation or padding, not a separator).
 */
function separatorLength(runs: number[][]): number {
  const count = new Map<number, number>();
  for (const r of runs) for (const len of r) count.set(len, (count.get(len) ?? 0) + 1);
  let best = 0;
  let most = 0;
  for (const [len, k] of count) if (k > most || (k === most && len < best)) [best, most] = [len, k];
  return most >= 2 ? best : 0;
}

/** No table row is this long; longer lines are prose or a page saved on one line. */
const MAX_ROW = 2000;

function innerRuns(line: string): number[] {
  const out: number[] = [];
  if (line.length > MAX_ROW || (!line.includes('&') && !line.includes('\u00a0'))) return out;
  const matches = [...line.matchAll(SPACE_RUN)];
  if (!matches.length) return out;
  // A run is inner when text stands before and after it (outside the runs themselves).
  const text = line.replace(SPACE_RUN, (m) => ' '.repeat(m.length));
  const first = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  for (const m of matches) if (first < m.index && end > m.index + m[0].length) out.push(m[0].match(UNIT)!.length);
  return out;
}

/** How an empty cell between two separators is printed: as one space unit (`&nbsp;`) or as nothing. */
type Empty = 'unit' | 'nothing';

function readings(len: number, sep: number): Map<Empty, number> {
  const out = new Map<Empty, number>();
  if (len >= sep && (len - sep) % (sep + 1) === 0) out.set('unit', (len - sep) / (sep + 1));
  if (len % sep === 0) out.set('nothing', len / sep - 1);
  return out;
}

/**
 * The text's own spelling of an empty cell: the one that some run fits and no run contradicts
 * (with a separator of 3, a run of 7 can only be separator, `&nbsp;`, separator; 6 two separators).
 */
function emptySpelling(runs: number[][], sep: number): Empty | undefined {
  const only = { unit: 0, nothing: 0 };
  for (const line of runs)
    for (const len of line) {
      const r = readings(len, sep);
      if (r.size === 1 && ![...r.values()].includes(0)) only[[...r.keys()][0]]++;
    }
  if (only.nothing > 0 && only.unit === 0) return 'nothing';
  // Nothing says otherwise: an empty HTML cell is written `<td>&nbsp;</td>` so that it is drawn.
  // Read wrongly, a row comes out wider or narrower than the table, and is then no grid row.
  return only.unit > 0 || only.nothing === 0 ? 'unit' : undefined;
}

/**
 * How many empty cells a run of `len` units holds when cells are joined by runs of `sep`:
 * an empty cell printed as one unit (`sep + n·(sep + 1)`) or as nothing (`(n + 1)·sep`).
 * Null when the readings disagree (a run of 15 with a separator of 3: three `&nbsp;` cells,
 * or four printed as nothing) and the text's spelling does not settle it, or when none fits.
 */
export function emptiesIn(len: number, sep: number, spelling?: Empty): number | null {
  const r = readings(len, sep);
  if (spelling && r.has(spelling)) return r.get(spelling)!;
  const counts = new Set(r.values());
  return counts.size === 1 ? [...counts][0] : null;
}

/**
 * Whether the runs are a tool's cell separators at all: most are exactly the separator and
 * (nearly) every other one reads as a whole number of empty cells. Runs of any length (text
 * padded with `&nbsp;` to line up columns) are alignment, and a count of cells made from them
 * could shift a value into the wrong column.
 */
function runsAreCells(runs: number[][], sep: number, spelling: Empty | undefined): boolean {
  if (sep < 2) return false;
  let exact = 0;
  let fits = 0;
  let all = 0;
  for (const line of runs)
    for (const len of line) {
      if (len < sep) continue;
      all++;
      if (len === sep) exact++;
      if (emptiesIn(len, sep, spelling) !== null) fits++;
    }
  return exact >= all / 2 && fits >= all * 0.95;
}

/** A line of cells joined by space runs as `|` fields, or null when a run's length leaves the cell count in doubt. */
function runFields(line: string, sep: number, spelling: Empty | undefined): string | null {
  const fields: string[] = [];
  let last = 0;
  let cur = '';
  for (const m of line.matchAll(SPACE_RUN)) {
    const len = m[0].match(UNIT)!.length;
    const before = (cur + line.slice(last, m.index)).trim();
    const after = line.slice(m.index + m[0].length).trim();
    last = m.index + m[0].length;
    if (!before && !fields.length) continue; // indentation
    if (!after) {
      cur = before;
      continue;
    }
    if (len < sep) {
      // Spaces inside a cell ("名&nbsp;称").
      cur = `${before} `;
      continue;
    }
    const empties = emptiesIn(len, sep, spelling);
    if (empties === null) return null;
    fields.push(before, ...new Array<string>(empties).fill(''));
    cur = '';
  }
  if (!fields.length) return null;
  fields.push((cur + line.slice(last)).trim());
  return fields.join(' | ');
}

/** A value a table cell holds: numbers, dashes, slashes. */
const VALUE = /^(?:[-+]?\d[\d,]*(?:\.\d+)?[%％]?|[—–－-]{1,2}|[/／]|无)$/u;

/** Whether a line of fields is a table row: three cells or more, or one that holds a value (not "单位  2022年1月"). */
function isRow(fields: string[]): boolean {
  return fields.length >= 3 || fields.some((f) => VALUE.test(f.trim()));
}

export function cleanLeftovers(text: string): string {
  if (!text.includes('&') && !text.includes('<') && !text.includes('\u00a0')) return text;
  const lines = text
    .split('\n')
    .flatMap((l) => breakLines(l).split('\n'))
    .map((l) => cellFields(l).replace(INLINE_TAG, ''));
  // Tabs delimit a line's cells already (a browser's copy prints a blank cell as a no-break space
  // between two tabs): its runs are cell content, not separators.
  const runs = lines.map((l) => (l.includes('\t') ? [] : innerRuns(l)));
  let sep = separatorLength(runs);
  const spelling = sep >= 2 ? emptySpelling(runs, sep) : undefined;
  if (!runsAreCells(runs, sep, spelling)) sep = 0;
  return lines
    .map((l, k) => {
      if (sep >= 2 && !l.includes('|') && runs[k].length) {
        const fields = runFields(l, sep, spelling);
        if (fields && isRow(fields.split(' | '))) return decodeEntities(fields);
      }
      return decodeEntities(l);
    })
    .join('\n');
}

function decodeEntities(line: string): string {
  return line.replace(ENTITY, (whole, name: string) => {
    return decodeEntity(name) ?? whole;
  });
}
