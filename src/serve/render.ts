import type { CrossRecord } from '../batch/records.js';
import type { Cell, Cells, Finding, Report, Severity } from '../model/index.js';
import {
  COUNT_COLUMNS,
  GROUP_LABELS,
  LEGAL_KEYS,
  SECTION_KEYS,
  SECTION_TITLES,
  TABLE2_2019,
  TABLE2_2021,
  TABLE3_ROWS,
  TABLE4_BLOCKS,
  TABLE4_COLUMNS,
  type ResultGroup,
  type Table2Cell,
} from '../model/structure.js';
import { kindLabel, t, type UiLang } from './i18n.js';
import type { Entry } from './session.js';

/**
 * The page, rendered on the server: everything a report says reaches the HTML
 * through `esc`, and the page carries no inline script (the CSP forbids it), so
 * a report whose text holds markup shows the markup as text.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export interface PageInput {
  lang: UiLang;
  /** The upload cap, so the page can refuse a file before sending it. */
  maxBytes?: number;
  entries: readonly Entry[];
  /** The record shown below the list (`/` shows the first). */
  current?: Entry;
  findings: Finding[];
  cross: CrossRecord[];
}

const SEVERITIES: Severity[] = ['error', 'warning', 'info'];

/** Key totals of each report in the list, as `nianbao summary` prints them. */
const KEY_TOTALS = [
  { key: 'newReceived', path: 'applications.newReceived.total', label: 'keyNew' },
  { key: 'concluded', path: 'applications.results.total.total', label: 'keyDone' },
  { key: 'carriedForward', path: 'applications.carriedForward.total', label: 'keyCarry' },
  { key: 'review', path: 'reviewLitigation.review.total', label: 'keyReview' },
] as const;
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function href(path: string, lang: UiLang): string {
  return lang === 'zh' ? path : `${path}?lang=${lang}`;
}

export function renderPage(p: PageInput): string {
  const { lang } = p;
  const title = p.current?.status === 'ok' ? `${p.current.result.report.title ?? p.current.path} — ${t(lang, 'appTitle')}` : t(lang, 'appTitle');
  const self = p.current ? `/r/${p.current.id}` : '/';
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-lang="${lang}">
<a class="skip" href="#report">${esc(t(lang, 'skip'))}</a>
<header class="top">
<h1><a href="${href('/', lang)}">${esc(t(lang, 'appTitle'))}</a></h1>
<nav class="tools" aria-label="${esc(t(lang, 'export'))}">
<a class="lang" href="${href(self, lang === 'zh' ? 'en' : 'zh')}" hreflang="${lang === 'zh' ? 'en' : 'zh'}" lang="${lang === 'zh' ? 'en' : 'zh-CN'}" title="${esc(t(lang, 'langSwitchLabel'))}">${esc(t(lang, 'langSwitch'))}</a>
<span class="exports">${esc(t(lang, 'export'))}:
<a href="/export/reports.jsonl" download>JSON Lines</a>
<a href="/export/reports.csv" download>CSV</a>
<a href="/export/reports.xlsx" download>XLSX</a></span>
</nav>
<div id="drop" class="drop" data-uploading="${esc(t(lang, 'uploading'))}" data-failed="${esc(t(lang, 'uploadFailed'))}"${p.maxBytes ? ` data-max-bytes="${p.maxBytes}" data-too-large="${esc(t(lang, 'tooLarge'))}"` : ''}>${esc(t(lang, 'uploadHint'))}
<label class="button" for="upload">${esc(t(lang, 'choose'))}</label>
<input id="upload" type="file" multiple class="visually-hidden-input">
<p id="status" role="status" aria-live="polite"></p>
</div>
</header>
<main>
${renderList(p)}
<section id="report" class="report" tabindex="-1" aria-label="${esc(t(lang, 'report'))}">
${p.current ? renderRecord(p.current, p.findings, p.cross.filter((c) => c.path === p.current!.path), lang) : ''}
</section>
</main>
</body>
</html>
`;
}

function counts(findings: Finding[]): Record<Severity, number> {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

function renderList(p: PageInput): string {
  const { lang } = p;
  const ok = p.entries.filter((e) => e.status === 'ok');
  const failed = p.entries.filter((e) => e.status === 'failed');
  const dup = p.entries.filter((e) => e.status === 'duplicate');
  const sortable = (key: string, label: string, type: 'text' | 'number') =>
    `<th scope="col" aria-sort="none" data-sort="${key}" data-type="${type}"><button type="button" aria-label="${esc(t(lang, 'sortBy') + label)}">${esc(label)}</button></th>`;
  const rows = ok
    .map((e) => {
      if (e.status !== 'ok') return '';
      const r = e.result.report;
      const c = counts(e.result.findings);
      const cur = p.current?.id === e.id;
      return `<tr data-id="${esc(e.id)}"${cur ? ' class="current"' : ''}>
<td data-key="file"><a href="${href(`/r/${e.id}`, lang)}"${cur ? ' aria-current="page"' : ''}>${esc(e.path)}</a></td>
<td data-key="agency">${esc(r.agency ?? '?')}</td>
<td data-key="year">${esc(r.year ?? '')}</td>
<td data-key="formatVersion">${esc(r.formatVersion)}</td>
${KEY_TOTALS.map((k) => `<td data-key="${k.key}" class="num">${esc(readPath(r, k.path) ?? '')}</td>`).join('')}
${SEVERITIES.map((s) => `<td data-key="${s}" class="num${c[s] ? ` count-${s}` : ''}">${c[s]}</td>`).join('')}
</tr>`;
    })
    .join('\n');
  const failures = failed.length
    ? `<h3 id="failures">${esc(t(lang, 'failures'))}</h3>
<table class="failures"><thead><tr><th scope="col">${esc(t(lang, 'file'))}</th><th scope="col">${esc(t(lang, 'code'))}</th><th scope="col">${esc(t(lang, 'reason'))}</th></tr></thead><tbody>
${failed.map((e) => (e.status === 'failed' ? `<tr data-id="${esc(e.id)}"><td><a href="${href(`/r/${e.id}`, lang)}">${esc(e.path)}</a></td><td><code>${esc(e.code)}</code></td><td class="reason">${esc(e.reason)}</td></tr>` : '')).join('\n')}
</tbody></table>`
    : '';
  const duplicates = dup.length
    ? `<h3>${esc(t(lang, 'duplicates'))}</h3><ul class="duplicates">${dup.map((e) => (e.status === 'duplicate' ? `<li>${esc(e.path)} — ${esc(t(lang, 'duplicateOf'))} ${esc(e.of)}</li>` : '')).join('')}</ul>`
    : '';
  return `<section class="list" aria-labelledby="list-h">
<h2 id="list-h">${esc(t(lang, 'list'))} <span class="n">(${ok.length})</span></h2>
${ok.length ? `<p><label for="filter">${esc(t(lang, 'filter'))}</label> <input id="filter" type="search" autocomplete="off"></p>
<table id="reports" class="reports"><thead><tr>
${sortable('file', t(lang, 'file'), 'text')}${sortable('agency', t(lang, 'agency'), 'text')}${sortable('year', t(lang, 'year'), 'number')}${sortable('formatVersion', t(lang, 'formatVersion'), 'text')}${KEY_TOTALS.map((k) => sortable(k.key, t(lang, k.label), 'number')).join('')}${SEVERITIES.map((s) => sortable(s, t(lang, `${s}s` as 'errors'), 'number')).join('')}
</tr></thead><tbody>
${rows}
</tbody></table>` : `<p>${esc(t(lang, 'noReports'))}</p>`}
${failures}
${duplicates}
</section>`;
}

function renderRecord(e: Entry, findings: Finding[], cross: CrossRecord[], lang: UiLang): string {
  if (e.status === 'failed') {
    return `<h2>${esc(e.path)}</h2><p class="failed" role="alert">${esc(t(lang, 'failedFile'))}: <code>${esc(e.code)}</code> — <span class="reason">${esc(e.reason)}</span></p>`;
  }
  if (e.status === 'duplicate') return `<h2>${esc(e.path)}</h2><p>${esc(t(lang, 'duplicateOf'))} ${esc(e.of)}</p>`;
  const r = e.result.report;
  const marks = cellMarks([...findings, ...cross.map((c) => c.finding)]);
  const ctx: CellCtx = { cells: e.result.cells, marks, lang, tip: 0 };
  const v = r.formatVersion === '2019' ? '2019' : '2021';
  return `<h2 class="title">${esc(r.title ?? e.path)}</h2>
<dl class="meta">
<div><dt>${esc(t(lang, 'agency'))}</dt><dd class="agency">${esc(r.agency ?? '?')}</dd></div>
<div><dt>${esc(t(lang, 'year'))}</dt><dd>${esc(r.year ?? '?')}</dd></div>
<div><dt>${esc(t(lang, 'formatVersion'))}</dt><dd>${esc(r.formatVersion)}</dd></div>
<div><dt>${esc(t(lang, 'source'))}</dt><dd>${esc(e.path)} (${esc(e.format)}${e.result.source.pages !== undefined ? `, ${esc(t(lang, 'pages'))} ${e.result.source.pages}` : ''})</dd></div>
</dl>
<div class="layout">
<div class="tables">
${renderTable2(r, v, ctx)}
${renderTable3(r, v, ctx)}
${renderTable4(r, ctx)}
</div>
<aside class="side" aria-labelledby="findings-h">
<h3 id="findings-h">${esc(t(lang, 'findings'))} <span class="n">(${findings.length})</span></h3>
${renderFindings(findings, lang)}
${cross.length ? `<h3 id="cross-h">${esc(t(lang, 'crossFindings'))} <span class="n">(${cross.length})</span></h3>${renderFindings(cross.map((c) => c.finding), lang, cross, findings.length)}` : ''}
<div class="cell-panel" aria-labelledby="cell-h">
<h3 id="cell-h">${esc(t(lang, 'cellPanel'))}</h3>
<div id="cell-info" aria-live="polite" data-none="${esc(t(lang, 'cellNoFindings'))}"><p class="hint">${esc(t(lang, 'cellPanelHint'))}</p></div>
</div>
</aside>
</div>
${renderNarrative(r, findings, lang)}`;
}

// ---------------------------------------------------------------------------
// Findings

function renderFindings(list: Finding[], lang: UiLang, cross?: CrossRecord[], offset = 0): string {
  if (!list.length) return `<p class="none">${esc(t(lang, 'noFindings'))}</p>`;
  return `<ol class="findings">${list
    .map((f, i) => {
      const ea = [
        f.expected !== undefined ? `<span class="ea"><span class="k">${esc(t(lang, 'expected'))}</span> <span class="expected">${esc(f.expected)}</span></span>` : '',
        f.actual !== undefined ? `<span class="ea"><span class="k">${esc(t(lang, 'actual'))}</span> <span class="actual">${esc(f.actual)}</span></span>` : '',
      ].join(' ');
      const rel = cross?.[i] ? `<span class="related">${esc(t(lang, 'related'))}: ${esc(cross[i].related.path)} (${esc(cross[i].related.year ?? '?')})</span>` : '';
      return `<li><button type="button" class="finding sev-${f.severity}" id="finding-${i + offset}" data-rule="${esc(f.rule)}" data-paths="${esc(JSON.stringify(f.paths))}" aria-pressed="false">
<span class="badge sev-${f.severity}">${esc(t(lang, f.severity))}</span> <span class="rule">${esc(f.rule)}</span>
<span class="message">${esc(f.message)}</span>
${ea.trim() ? `<span class="eas">${ea}</span>` : ''}${rel}</button></li>`;
    })
    .join('\n')}</ol>`;
}

interface Mark {
  severity: Severity;
  /** The finding names this cell first: the printed value it disputes. */
  hit: boolean;
  rules: string[];
}

/** Which cells the findings name: exact paths, and every cell below a path that names a whole table or row. */
function cellMarks(findings: Finding[]): (path: string) => Mark | undefined {
  const exact = new Map<string, Mark>();
  const prefixes: Array<{ prefix: string; f: Finding }> = [];
  const add = (path: string, f: Finding, hit: boolean) => {
    const m = exact.get(path);
    if (!m) exact.set(path, { severity: f.severity, hit, rules: [f.rule] });
    else {
      if (RANK[f.severity] < RANK[m.severity]) m.severity = f.severity;
      m.hit ||= hit;
      if (!m.rules.includes(f.rule)) m.rules.push(f.rule);
    }
  };
  for (const f of findings) f.paths.forEach((p, i) => {
    add(p, f, i === 0);
    prefixes.push({ prefix: p + '.', f });
  });
  return (path) => {
    let m = exact.get(path);
    for (const { prefix, f } of prefixes) {
      if (!path.startsWith(prefix)) continue;
      m = m ? { ...m, severity: RANK[f.severity] < RANK[m.severity] ? f.severity : m.severity, rules: m.rules.includes(f.rule) ? m.rules : [...m.rules, f.rule] } : { severity: f.severity, hit: false, rules: [f.rule] };
    }
    return m;
  };
}

// ---------------------------------------------------------------------------
// Cells

interface CellCtx {
  cells: Cells;
  marks: (path: string) => Mark | undefined;
  lang: UiLang;
  tip: number;
}

function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** What the cell shows: the value read, or what stood there when there is none. */
function shown(value: unknown, cell: Cell | undefined): string {
  if (typeof value === 'number') return String(value);
  if (!cell) return '';
  switch (cell.kind) {
    case 'blank':
      return '';
    case 'missing':
      return '∅';
    default:
      return cell.raw;
  }
}

/** Provenance fields in the tooltip, first the ones every cell has; extensions (and fields added later) follow by name. */
const CELL_FIELDS: Array<{ key: string; label: Parameters<typeof t>[1] }> = [
  { key: 'raw', label: 'raw' },
  { key: 'kind', label: 'kind' },
  { key: 'page', label: 'page' },
  { key: 'table', label: 'table' },
  { key: 'row', label: 'row' },
  { key: 'col', label: 'col' },
  { key: 'line', label: 'line' },
  { key: 'inferred', label: 'inferred' },
  { key: 'derived', label: 'derived' },
];

function tipText(cell: Cell | undefined, path: string, lang: UiLang): string {
  if (!cell) return `<span class="path">${esc(path)}</span> — ${esc(t(lang, 'noCell'))}`;
  const known = new Set(CELL_FIELDS.map((f) => f.key));
  const rows = CELL_FIELDS.filter((f) => (cell as Record<string, unknown>)[f.key] !== undefined).map((f) => {
    const v = (cell as Record<string, unknown>)[f.key];
    return `<span class="f"><span class="k">${esc(t(lang, f.label))}</span> ${f.key === 'kind' ? esc(kindLabel(lang, String(v))) : f.key === 'raw' ? `<q>${esc(v)}</q>` : esc(v)}</span>`;
  });
  for (const [k, v] of Object.entries(cell)) {
    if (known.has(k) || v === undefined) continue;
    rows.push(`<span class="f"><span class="k">${esc(k)}</span> ${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</span>`);
  }
  return `<span class="path">${esc(path)}</span>${rows.join('')}`;
}

function valueCell(report: Report, path: string, ctx: CellCtx, extraValue?: unknown): string {
  const cell = ctx.cells[path];
  const value = extraValue !== undefined ? extraValue : readPath(report, path);
  const m = ctx.marks(path);
  const id = `tip-${ctx.tip++}`;
  const classes = ['v', cell ? `kind-${cell.kind}` : 'kind-none'];
  if (cell?.inferred) classes.push('inferred');
  if (m) classes.push(`sev-${m.severity}`, m.hit ? 'hit' : 'part');
  const flag = m ? `<span class="flag" aria-hidden="true">${m.severity === 'error' ? '!' : m.severity === 'warning' ? '?' : 'i'}</span><span class="sr">${esc(t(ctx.lang, m.severity))}: ${esc(m.rules.join(', '))}</span>` : '';
  const derived = cell?.derived !== undefined && typeof value !== 'number' ? `<span class="derived">(=${esc(cell.derived)})</span>` : '';
  return `<td class="${classes.join(' ')}" tabindex="0" data-path="${esc(path)}"${m ? ` data-rules="${esc(m.rules.join(' '))}"` : ''} aria-describedby="${id}"><span class="val">${esc(shown(value, cell))}</span>${derived}${flag}<span class="tip" role="tooltip" id="${id}">${tipText(cell, path, ctx.lang)}</span></td>`;
}

// ---------------------------------------------------------------------------
// Table 2

function renderTable2(r: Report, v: '2021' | '2019', ctx: CellCtx): string {
  const spec: Table2Cell[] = v === '2019' ? TABLE2_2019 : TABLE2_2021;
  const head = `<h3 id="t2-h">${esc(t(ctx.lang, 'table2'))}</h3>`;
  if (!r.proactive) return `<section class="t" aria-labelledby="t2-h">${head}<p class="none">${esc(t(ctx.lang, 'notRead'))}</p></section>`;
  const byCaption = new Map<string, Table2Cell[]>();
  for (const c of spec) (byCaption.get(c.caption) ?? byCaption.set(c.caption, []).get(c.caption)!).push(c);
  const body = [...byCaption.entries()]
    .map(([caption, cells]) => {
      const columns = [...new Set(cells.map((c) => c.column))];
      const rows = [...new Set(cells.map((c) => c.row))];
      return `<table class="grid t2"><caption>${esc(caption)}</caption><thead><tr><th scope="col">${esc(t(ctx.lang, 'infoContent'))}</th>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>
${rows
  .map(
    (row) =>
      `<tr><th scope="row">${esc(row)}</th>${columns
        .map((col) => {
          const c = cells.find((x) => x.row === row && x.column === col);
          return c ? valueCell(r, `proactive.${c.path}`, ctx) : '<td class="empty"></td>';
        })
        .join('')}</tr>`,
  )
  .join('\n')}
</tbody></table>`;
    })
    .join('\n');
  return `<section class="t" aria-labelledby="t2-h">${head}${body}</section>`;
}

// ---------------------------------------------------------------------------
// Table 3



function hasCells(cells: Cells, prefix: string): boolean {
  const p = prefix + '.';
  return Object.keys(cells).some((k) => k.startsWith(p));
}

function renderTable3(r: Report, v: '2021' | '2019', ctx: CellCtx): string {
  const head = `<h3 id="t3-h">${esc(t(ctx.lang, 'table3'))}</h3>`;
  const a = r.applications;
  if (!a) return `<section class="t" aria-labelledby="t3-h">${head}<p class="none">${esc(t(ctx.lang, 'notRead'))}</p></section>`;
  const legal = COUNT_COLUMNS.filter((c) => (LEGAL_KEYS as string[]).includes(c.key));
  const thead = `<thead>
<tr><th scope="col" rowspan="3"></th><th scope="colgroup" colspan="7">${esc(t(ctx.lang, 'applicants'))}</th></tr>
<tr><th scope="col" rowspan="2">自然人</th><th scope="colgroup" colspan="5">${esc(t(ctx.lang, 'legalPersons'))}</th><th scope="col" rowspan="2">总计</th></tr>
<tr>${legal.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('')}</tr>
</thead>`;
  const line = (label: string, path: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${esc(label)}</th>${COUNT_COLUMNS.map((c) => valueCell(r, `applications.${path}.${c.key}`, ctx)).join('')}</tr>`;
  // Rows of the detected format, plus any other row the source printed (a 2021-year report printing the 2019 single （六） row).
  const rows = TABLE3_ROWS.filter((row) => row.formats.includes(v) || hasCells(ctx.cells, `applications.${row.path}`));
  const out: string[] = [];
  let group: ResultGroup | undefined;
  const closeGroup = () => {
    if (group && group !== 'otherDisposal' && hasCells(ctx.cells, `applications.results.${group}.subtotal`)) {
      out.push(line(`${GROUP_LABELS[group]}${t(ctx.lang, 'subtotal')}`, `results.${group}.subtotal`, 'subtotal'));
    }
  };
  for (const row of rows) {
    if (row.path === 'results.granted') out.push(`<tr class="group"><th scope="rowgroup" colspan="8">${esc(t(ctx.lang, 'results'))}</th></tr>`);
    if (row.group !== group) {
      closeGroup();
      group = row.group;
      if (group) out.push(`<tr class="group"><th scope="rowgroup" colspan="8">${esc(GROUP_LABELS[group])}</th></tr>`);
    }
    out.push(line(row.label, row.path, row.group ? 'sub' : ''));
  }
  closeGroup();
  (a.extraRows ?? []).forEach((x, i) => {
    out.push(
      `<tr class="extra"><th scope="row">${esc(x.label)} <span class="tag">${esc(t(ctx.lang, 'extraRow'))}${x.group ? ` · ${esc(GROUP_LABELS[x.group])}` : ''}</span></th>${COUNT_COLUMNS.map((c) => valueCell(r, `applications.extraRows.${i}.${c.key}`, ctx, x.values[c.key])).join('')}</tr>`,
    );
  });

  return `<section class="t" aria-labelledby="t3-h">${head}<table class="grid t3">${thead}<tbody>
${out.join('\n')}
</tbody></table></section>`;
}

// ---------------------------------------------------------------------------
// Table 4

function renderTable4(r: Report, ctx: CellCtx): string {
  const head = `<h3 id="t4-h">${esc(t(ctx.lang, 'table4'))}</h3>`;
  if (!r.reviewLitigation) return `<section class="t" aria-labelledby="t4-h">${head}<p class="none">${esc(t(ctx.lang, 'notRead'))}</p></section>`;
  const [review, ...lit] = TABLE4_BLOCKS;
  const cols = TABLE4_COLUMNS.map((c) => `<th scope="col">${esc(c.label)}</th>`).join('');
  const litLabel = (label: string) => label.replace(/^行政诉讼·/, '');
  return `<section class="t" aria-labelledby="t4-h">${head}<div class="scroll"><table class="grid t4"><thead>
<tr><th scope="colgroup" colspan="5" rowspan="2">${esc(review.label)}</th><th scope="colgroup" colspan="10">${esc(t(ctx.lang, 'litigation'))}</th></tr>
<tr>${lit.map((b) => `<th scope="colgroup" colspan="5">${esc(litLabel(b.label))}</th>`).join('')}</tr>
<tr>${cols}${cols}${cols}</tr>
</thead><tbody><tr>${TABLE4_BLOCKS.map((b) => TABLE4_COLUMNS.map((c) => valueCell(r, `reviewLitigation.${b.key}.${c.key}`, ctx)).join('')).join('')}</tr></tbody></table></div></section>`;
}

// ---------------------------------------------------------------------------
// Narrative

/**
 * The text compared the way the narrative rules quote it: NFKC (full-width
 * punctuation and digits folded) and without whitespace; `at[i]` is the index in
 * the original text of the i-th compared character.
 */
function folded(text: string): { s: string; at: number[] } {
  let s = '';
  const at: number[] = [];
  let i = 0;
  for (const ch of text) {
    for (const c of ch.normalize('NFKC')) {
      if (/\s/.test(c)) continue;
      s += c;
      at.push(i);
    }
    i += ch.length;
  }
  return { s, at };
}

/** Section text with the sentences narrative findings quote wrapped in marks; every piece escaped on its own. */
export function markSentences(text: string, quotes: Array<{ text: string; severity: Severity; index: number }>): string {
  const spans: Array<{ start: number; end: number; severity: Severity; index: number }> = [];
  const hay = folded(text);
  for (const q of quotes) {
    const needle = folded(q.text).s;
    if (!needle) continue;
    const k = hay.s.indexOf(needle);
    if (k < 0) continue;
    const start = hay.at[k];
    const last = hay.at[k + needle.length - 1];
    const end = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
    if (spans.some((x) => start < x.end && end > x.start)) continue;
    spans.push({ start, end, severity: q.severity, index: q.index });
  }
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const x of spans) {
    out += esc(text.slice(pos, x.start)) + `<mark class="sev-${x.severity}" data-finding="finding-${x.index}">${esc(text.slice(x.start, x.end))}</mark>`;
    pos = x.end;
  }
  return out + esc(text.slice(pos));
}

function renderNarrative(r: Report, findings: Finding[], lang: UiLang): string {
  const quotes = findings.map((f, index) => ({ text: f.text ?? '', severity: f.severity, index })).filter((q) => q.text);
  const sections = SECTION_KEYS.map((k) => {
    const s = r.sections?.[k];
    const body = s?.text
      ? s.text
          .split('\n')
          .map((para) => `<p>${markSentences(para, quotes)}</p>`)
          .join('')
      : `<p class="none">${esc(t(lang, 'sectionMissing'))}</p>`;
    return `<section class="sec" data-section="${k}"><h4>${esc(s?.heading ?? SECTION_TITLES[k])}</h4>${body}</section>`;
  }).join('\n');
  return `<section class="narrative" aria-labelledby="narr-h"><h3 id="narr-h">${esc(t(lang, 'narrative'))}</h3>${sections}</section>`;
}
