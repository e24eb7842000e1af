import {
  COUNT_COLUMNS,
  GROUP_LABELS,
  TABLE2_2019,
  TABLE2_2021,
  TABLE3_ROWS,
  TABLE4_BLOCKS,
  TABLE4_COLUMNS,
  type ResultGroup,
} from '../model/structure.js';

/**
 * The value columns of the CSV export, derived from the structure tables so that
 * adding a row to src/model/structure.ts adds a column in the right place, and the
 * order never depends on which reports a batch happened to contain:
 *
 *  1. table 2, 2021 cells (`proactive.<TABLE2_2021 path>`), then the 2019-only cells
 *     (TABLE2_2019 paths not already listed: both formats share e.g. licensing.decisions);
 *  2. table 3 in printed order (TABLE3_ROWS, both formats' rows), each row × the seven
 *     COUNT_COLUMNS, with each group's `subtotal` row right after the group's last row
 *     (otherDisposal.subtotal is itself a TABLE3 row, the 2019 format's single line);
 *  3. table 4, TABLE4_BLOCKS × TABLE4_COLUMNS.
 */
export interface ValueColumn {
  /** JSON path into `Report` (also the CSV header). */
  path: string;
  /** Chinese label, for the XLSX and the docs. */
  label: string;
}

export function valueColumns(): ValueColumn[] {
  const cols: ValueColumn[] = [];
  const seen = new Set<string>();
  const add = (path: string, label: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    cols.push({ path, label });
  };
  for (const c of [...TABLE2_2021, ...TABLE2_2019]) add(`proactive.${c.path}`, `${c.row}·${c.column}`);

  const rows = TABLE3_ROWS;
  rows.forEach((row, i) => {
    for (const c of COUNT_COLUMNS) add(`applications.${row.path}.${c.key}`, `${row.label}·${c.label}`);
    const group = row.group;
    const next = rows[i + 1];
    if (group && group !== 'otherDisposal' && next?.group !== group) {
      for (const c of COUNT_COLUMNS) add(`applications.results.${group}.subtotal.${c.key}`, `${GROUP_LABELS[group as ResultGroup]}小计·${c.label}`);
    }
  });

  for (const b of TABLE4_BLOCKS) for (const c of TABLE4_COLUMNS) add(`reviewLitigation.${b.key}.${c.key}`, `${b.label}·${c.label}`);
  return cols;
}

/** Columns before the values: one row per record, whatever its outcome. */
export const META_COLUMNS = [
  'path',
  'status',
  'format',
  'sha256',
  'agency',
  'year',
  'formatVersion',
  'title',
  'errors',
  'warnings',
  'infos',
  'code',
  'reason',
  'duplicateOf',
  'ms',
] as const;

export function readPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
