/**
 * Value access for the audit (format.md §7): one place decides what a null means,
 * so every rule treats blanks, lost cells and derived totals the same way.
 */
import type { Cell, CellKind, Report } from '../model/index.js';
import {
  COUNT_KEYS,
  LEGAL_KEYS,
  TABLE2_2019,
  TABLE2_2021,
  TABLE4_BLOCKS,
  TABLE4_COLUMNS,
  table3Rows,
  type CountColumn,
  type ResultGroup,
  type Table2Cell,
} from '../model/structure.js';
import type { AuditInput } from './types.js';

export const PLACEHOLDER_KINDS: ReadonlySet<CellKind> = new Set<CellKind>(['blank', 'dash', 'slash']);

export type Val =
  | {
      ok: true;
      path: string;
      value: number;
      /** number: printed; placeholder: blank/dash/slash read as 0; derived: lost cell filled by the recognizer; rowSum: blank table-3 total. */
      source: 'number' | 'placeholder' | 'derived' | 'rowSum';
      /** The recognizer placed or read it by inference (cells[…].inferred), not exactly: a failing identity over it may be our reading. */
      inferred?: true;
    }
  | { ok: false; path: string; kind: 'missing' | 'text' };

export type TableId = 'table2' | 'table3' | 'table4';

/** Extra-row cells are addressed `applications.extraRows.<i>.<c>` (format.md §11) but stored under `.values`. */
function storagePath(path: string): string {
  return path.replace(/^(applications\.extraRows\.\d+)\.(?!values\.)/, '$1.values.');
}

/** Paths are few and asked for again and again: their segments are split once. */
const segmentCache = new Map<string, string[]>();

function segmentsOf(path: string): string[] {
  let segs = segmentCache.get(path);
  if (!segs) {
    segs = storagePath(path).split('.');
    if (segmentCache.size > 20000) segmentCache.clear();
    segmentCache.set(path, segs);
  }
  return segs;
}

export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of segmentsOf(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

const T3_TOTAL = /^applications\.(.+)\.total$/;

/**
 * The report's reading of table 3's （六）: the 2019 single row, or the 2021 three sub-rows.
 * Decided by what the report holds, so a 2021-year report printed with one row still balances.
 */
export function otherDisposalSingle(report: Report): boolean {
  const od = report.applications?.results.otherDisposal;
  if (!od) return report.formatVersion === '2019';
  const subRowsAbsent = od.overdueCorrection == null && od.unpaidFee == null && od.other == null;
  return subRowsAbsent && (od.subtotal != null || report.formatVersion === '2019');
}

export interface T3Row {
  /** full path, e.g. `applications.results.denied.stateSecret` */
  path: string;
  label: string;
  group?: ResultGroup;
}

export function table3RowsOf(report: Report): T3Row[] {
  const rows = table3Rows(otherDisposalSingle(report) ? '2019' : '2021');
  return rows.map((r) => ({ path: `applications.${r.path}`, label: r.label, group: r.group }));
}

export const RESULT_GROUPS: ResultGroup[] = ['denied', 'unableToProvide', 'notProcessed', 'otherDisposal'];

/** Rows whose sum is Σgroup (never a printed subtotal plus its sub-rows). */
export function groupRows(report: Report, group: ResultGroup): T3Row[] {
  if (group === 'otherDisposal' && otherDisposalSingle(report)) {
    return [{ path: 'applications.results.otherDisposal.subtotal', label: '（六）其他处理' }];
  }
  return table3RowsOf(report).filter((r) => r.group === group);
}

/** The rows that add up to results.total: granted, partiallyGranted and every group's rows. */
export function outcomeRows(report: Report): T3Row[] {
  return [
    { path: 'applications.results.granted', label: '（一）予以公开' },
    { path: 'applications.results.partiallyGranted', label: '（二）部分公开' },
    ...RESULT_GROUPS.flatMap((g) => groupRows(report, g)),
  ];
}

export function extraRowPaths(report: Report): string[] {
  return (report.applications?.extraRows ?? []).map((_, i) => `applications.extraRows.${i}`);
}

export function proactiveCells(report: Report): Table2Cell[] | null {
  const p = report.proactive as Record<string, unknown> | null;
  if (!p) return null;
  // Branch on the shape, not only the declared format: the two `fees` objects differ (format.md §5.1).
  const regs = p.regulations as Record<string, unknown> | undefined;
  if (regs && 'issued' in regs) return TABLE2_2021;
  if (regs && 'newlyMade' in regs) return TABLE2_2019;
  return report.formatVersion === '2019' ? TABLE2_2019 : TABLE2_2021;
}

export function tablePaths(report: Report, table: TableId): string[] {
  switch (table) {
    case 'table2':
      return (proactiveCells(report) ?? []).map((c) => `proactive.${c.path}`);
    case 'table3':
      if (!report.applications) return [];
      return [...table3RowsOf(report).map((r) => r.path), ...extraRowPaths(report)].flatMap((row) =>
        COUNT_KEYS.map((c) => `${row}.${c}`),
      );
    case 'table4':
      if (!report.reviewLitigation) return [];
      return TABLE4_BLOCKS.flatMap((b) => TABLE4_COLUMNS.map((c) => `reviewLitigation.${b.key}.${c.key}`));
  }
}

export function tablePresent(report: Report, table: TableId): boolean {
  if (table === 'table2') return report.proactive != null;
  if (table === 'table3') return report.applications != null;
  return report.reviewLitigation != null;
}

/**
 * Cached per input object so that the rules of one run share derived values. Inputs are
 * treated as immutable: runAudit and crossYear wrap the caller's input afresh on every call.
 */
const cache = new WeakMap<AuditInput, Values>();

export function valuesOf(input: AuditInput): Values {
  let v = cache.get(input);
  if (!v) {
    v = new Values(input);
    cache.set(input, v);
  }
  return v;
}

export class Values {
  private memo = new Map<string, Val>();
  private states = new Map<TableId, 'absent' | 'blank' | 'filled'>();
  private pathsOf = new Map<TableId, string[]>();
  constructor(readonly input: AuditInput) {}

  get report(): Report {
    return this.input.report;
  }

  cell(path: string): Cell | undefined {
    return this.input.cells[path];
  }

  raw(path: string): unknown {
    return readPath(this.input.report, path);
  }

  /** tablePaths of this run's report, built once per table: every rule's gate asks for them. */
  paths(table: TableId): string[] {
    let p = this.pathsOf.get(table);
    if (!p) {
      p = tablePaths(this.report, table);
      this.pathsOf.set(table, p);
    }
    return p;
  }

  get(path: string): Val {
    let v = this.memo.get(path);
    if (!v) {
      v = this.compute(path);
      this.memo.set(path, v);
    }
    return v;
  }

  /** Sum of values, or the first value that cannot be read. */
  sum(paths: string[]): { ok: true; value: number } | { ok: false; missing: Val[] } {
    const vals = paths.map((p) => this.get(p));
    const missing = vals.filter((v) => !v.ok);
    if (missing.length) return { ok: false, missing };
    return { ok: true, value: vals.reduce((s, v) => s + (v.ok ? v.value : 0), 0) };
  }

  isPlaceholder(path: string): boolean {
    const cell = this.cell(path);
    return this.raw(path) == null && cell !== undefined && PLACEHOLDER_KINDS.has(cell.kind);
  }

  /** A blank table-3 total whose row has printed numbers: the case T3-ROW reports as info. */
  isBlankTotalOfFilledRow(path: string): boolean {
    const m = T3_TOTAL.exec(path);
    if (!m || !this.isPlaceholder(path)) return false;
    const row = `applications.${m[1]}`;
    return COUNT_KEYS.some((c) => c !== 'total' && typeof this.raw(`${row}.${c}`) === 'number');
  }

  /** "not reported" (§7): no number, no text, no derived value, at least one placeholder. */
  tableState(table: TableId): 'absent' | 'blank' | 'filled' {
    let state = this.states.get(table);
    if (!state) {
      state = this.computeState(table);
      this.states.set(table, state);
    }
    return state;
  }

  private computeState(table: TableId): 'absent' | 'blank' | 'filled' {
    if (!tablePresent(this.report, table)) return 'absent';
    const paths = this.paths(table);
    let placeholders = 0;
    for (const p of paths) {
      if (typeof this.raw(p) === 'number') return 'filled';
      const cell = this.cell(p);
      if (!cell) continue;
      if (cell.kind === 'text' || cell.kind === 'unplaced' || cell.derived !== undefined) return 'filled';
      if (PLACEHOLDER_KINDS.has(cell.kind)) placeholders++;
    }
    return placeholders > 0 ? 'blank' : 'filled';
  }

  private compute(path: string): Val {
    const v = this.computeValue(path);
    return v.ok && this.cell(path)?.inferred !== undefined ? { ...v, inferred: true } : v;
  }

  private computeValue(path: string): Val {
    const raw = this.raw(path);
    if (typeof raw === 'number') return { ok: true, path, value: raw, source: 'number' };
    const cell = this.cell(path);
    if (cell?.derived !== undefined && !PLACEHOLDER_KINDS.has(cell.kind)) {
      return { ok: true, path, value: cell.derived, source: 'derived' };
    }
    if (cell && PLACEHOLDER_KINDS.has(cell.kind)) {
      const m = T3_TOTAL.exec(path);
      if (m) {
        // A blank total is the row's sum (§7 exception), not 0.
        const row = `applications.${m[1]}`;
        const partPaths = ['naturalPerson', ...LEGAL_KEYS].map((c) => `${row}.${c}`);
        const parts = this.sum(partPaths);
        if (!parts.ok) return { ok: false, path, kind: parts.missing[0].ok ? 'missing' : parts.missing[0].kind };
        const inferred = partPaths.some((p) => this.cell(p)?.inferred !== undefined);
        return { ok: true, path, value: parts.value, source: 'rowSum', ...(inferred ? { inferred: true as const } : {}) };
      }
      return { ok: true, path, value: 0, source: 'placeholder' };
    }
    // 'unplaced' (the row's numbers were read but not their columns) counts as not read:
    // equations that need it are not assessable, never errors.
    return { ok: false, path, kind: cell?.kind === 'text' ? 'text' : 'missing' };
  }
}

export type Text = { zh: string; en: string };

export const COLUMN_LABELS: Record<CountColumn, Text> = {
  naturalPerson: { zh: '自然人', en: 'natural persons' },
  commercial: { zh: '商业企业', en: 'commercial enterprises' },
  research: { zh: '科研机构', en: 'research institutions' },
  publicInterest: { zh: '社会公益组织', en: 'public-interest organisations' },
  legalService: { zh: '法律服务机构', en: 'legal service agencies' },
  otherOrg: { zh: '其他', en: 'other organisations' },
  total: { zh: '总计', en: 'total' },
};

const T3_ROW_EN: Record<string, string> = {
  newReceived: 'I. new applications',
  carriedOver: 'II. carried over from last year',
  'results.granted': '(1) granted',
  'results.partiallyGranted': '(2) partially granted',
  'results.total': '(7) total',
  carriedForward: 'IV. carried forward',
  'results.otherDisposal.subtotal': '(6) other disposal',
};

/** Row label in the message language; English falls back to the path below `applications.`. */
export function rowLabel(row: { path: string; label: string }, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return row.label;
  const rel = row.path.replace(/^applications\./, '');
  return T3_ROW_EN[rel] ?? rel;
}

export const T4_LABELS: Record<string, Text> = {
  review: { zh: '行政复议', en: 'administrative review' },
  litigationDirect: { zh: '行政诉讼·未经复议直接起诉', en: 'litigation without prior review' },
  litigationAfterReview: { zh: '行政诉讼·复议后起诉', en: 'litigation after review' },
  upheld: { zh: '结果维持', en: 'upheld' },
  corrected: { zh: '结果纠正', en: 'corrected' },
  other: { zh: '其他结果', en: 'other outcome' },
  pending: { zh: '尚未审结', en: 'pending' },
  total: { zh: '总计', en: 'total' },
};
