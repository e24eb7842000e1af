import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { BatchRecord } from '../batch/records.js';
import { readRecords } from './records.js';
import { META_COLUMNS, readPath, valueColumns } from './columns.js';

/**
 * A text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or
 * CR before one), neutralised the OWASP way: a leading apostrophe makes it text.
 * Numbers are values, not text, and stay as they are (-3 is a number).
 */
export function neutralise(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

/** RFC 4180: quote a field when it holds a comma, a quote or a line break; double the quotes. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? neutralise(v) : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csvLine(fields: unknown[]): string {
  // RFC 4180 ends records with CRLF; Excel and every CSV reader accept it.
  return fields.map(csvField).join(',') + '\r\n';
}

/**
 * Writes one CSV row per record of `reports.jsonl`, streaming (one record in memory
 * at a time). UTF-8 with a BOM, so Excel opens the Chinese text correctly. A
 * value cell is empty when the report has null there (blank/placeholder/missing in
 * the source) and "0" only when 0 was printed. Returns the number of rows.
 */
export async function exportCsv(reportsFile: string, out: Writable | { write(s: string): unknown }): Promise<number> {
  const values = valueColumns();
  // A plain write() sink (the CLI's Io.stdout in tests) has no backpressure to honour.
  const write = async (s: string) => {
    if (out.write(s) === false && 'once' in out) await once(out, 'drain');
  };
  await write('\uFEFF' + csvLine([...META_COLUMNS, ...values.map((c) => c.path)]));
  let rows = 0;
  for await (const r of readRecords(reportsFile)) {
    await write(csvLine(csvRow(r, values)));
    rows++;
  }
  return rows;
}

function csvRow(r: BatchRecord, values: ReturnType<typeof valueColumns>): unknown[] {
  const meta: Record<(typeof META_COLUMNS)[number], unknown> = {
    path: r.path,
    status: r.status,
    format: r.status === 'duplicate' ? '' : (r.format ?? ''),
    sha256: r.sha256 ?? '',
    agency: '',
    year: '',
    formatVersion: '',
    title: '',
    errors: '',
    warnings: '',
    infos: '',
    code: r.status === 'failed' ? r.code : '',
    reason: r.status === 'failed' ? r.reason : '',
    duplicateOf: r.status === 'duplicate' ? r.of : '',
    ms: r.status === 'duplicate' ? '' : (r.ms ?? ''),
  };
  if (r.status !== 'ok') return [...META_COLUMNS.map((k) => meta[k]), ...values.map(() => '')];
  const rep = r.result.report;
  meta.agency = rep.agency;
  meta.year = rep.year;
  meta.formatVersion = rep.formatVersion;
  meta.title = rep.title;
  const count = (s: string) => r.result.findings.filter((f) => f.severity === s).length;
  meta.errors = count('error');
  meta.warnings = count('warning');
  meta.infos = count('info');
  return [...META_COLUMNS.map((k) => meta[k]), ...values.map((c) => readPath(rep, c.path))];
}

/** Reads RFC 4180 CSV (the tests' round trip, and anyone checking an export in code). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
