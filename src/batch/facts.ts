import { createHash } from 'node:crypto';
import type { ParseResult, Report } from '../model/index.js';

/**
 * What the summary and the cross-report pass keep of one report, small enough to
 * send from the worker that parsed it: the main thread then counts and pairs
 * without reading a ParseResult back (it would parse every record a second time).
 */
export interface ReportFacts {
  /** Findings per rule. */
  rules: Record<string, number>;
  bySeverity: { error: number; warning: number; info: number };
  /** The report's office and year, for pairing years and spotting copies; null without both. */
  cross: CrossKey | null;
}

export interface CrossKey {
  agency: string;
  agencyRaw: string;
  year: number;
  fingerprint: string | null;
}

/** Tables need at least this many non-zero numbers before identical ones count as copied: many small offices truly report all zeros, year after year. */
export const COPY_MIN_NONZERO = 3;

export function factsOf(r: ParseResult): ReportFacts {
  const rules: Record<string, number> = {};
  const bySeverity = { error: 0, warning: 0, info: 0 };
  for (const f of r.findings) {
    bySeverity[f.severity]++;
    rules[f.rule] = (rules[f.rule] ?? 0) + 1;
  }
  const rep = r.report;
  const cross = rep.agency && rep.year !== null ? { agency: normalizeAgency(rep.agency), agencyRaw: rep.agency, year: rep.year, fingerprint: fingerprint(rep) } : null;
  return { rules, bySeverity, cross };
}

/** Same office, whatever the spacing or full-width punctuation the title was typeset with. */
export function normalizeAgency(a: string): string {
  return a
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')');
}

/**
 * A hash of the three tables' values, or null when they say too little to call a
 * copy (fewer than COPY_MIN_NONZERO non-zero numbers, or no tables).
 */
export function fingerprint(rep: Report): string | null {
  const tables = { proactive: rep.proactive, applications: rep.applications, reviewLitigation: rep.reviewLitigation };
  if (!rep.applications && !rep.proactive) return null;
  let nonzero = 0;
  const canon = canonical(tables, (v) => {
    if (typeof v === 'number' && v !== 0) nonzero++;
  });
  if (nonzero < COPY_MIN_NONZERO) return null;
  return createHash('sha1').update(canon).digest('hex');
}

function canonical(v: unknown, visit: (v: unknown) => void): string {
  visit(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return '[' + v.map((x) => canonical(x, visit)).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k], visit)).join(',') + '}';
}
