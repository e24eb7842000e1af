/**
 * The one arithmetic engine behind every identity rule: a rule lists equations
 * as data, this evaluates them with the §7 value semantics and builds findings.
 */
import type { Finding, Severity } from '../model/index.js';
import { msg, listPaths, type MessageKey } from './messages.js';
import type { Lang } from './types.js';
import type { Text, Val, Values } from './values.js';

export type Term = { path: string; sign?: 1 | -1; prev?: boolean } | { value: number; sign?: 1 | -1 };

export interface Equation {
  /** sum(lhs) op sum(rhs); lhs is the printed side (`actual`), rhs the parts (`expected`). */
  lhs: Term[];
  rhs: Term[];
  op: '=' | '<=' | '>=';
  /** Where the identity sits, for the message. */
  where: Text;
  expression: string;
  /** Counts are exact; amounts in 万元 use 1e-4 (format.md §9). */
  tolerance?: number;
  key?: MessageKey;
  params?: Record<string, string | number | Text>;
  text?: string;
}

export interface RuleRef {
  id: string;
  severity: Severity;
}

export type Outcome =
  | { status: 'pass'; actual: number; expected: number }
  | { status: 'na'; missing: Val[] }
  | { status: 'fail'; actual: number; expected: number; paths: string[]; placeholders: boolean; derived: boolean; inferred: boolean };

/** Paths of the previous year's report are marked so a finding can cite both reports. */
export const PREV_PREFIX = 'prev:';

function side(terms: Term[], cur: Values, prev: Values | undefined) {
  let value = 0;
  const missing: Val[] = [];
  const paths: string[] = [];
  let placeholders = false;
  let derived = false;
  let inferred = false;
  for (const t of terms) {
    const sign = t.sign ?? 1;
    if ('value' in t) {
      value += sign * t.value;
      continue;
    }
    const src = t.prev ? prev : cur;
    const shown = t.prev ? `${PREV_PREFIX}${t.path}` : t.path;
    paths.push(shown);
    if (!src) {
      missing.push({ ok: false, path: shown, kind: 'missing' });
      continue;
    }
    const v = src.get(t.path);
    if (!v.ok) {
      missing.push({ ...v, path: shown });
      continue;
    }
    value += sign * v.value;
    if (v.source === 'placeholder') placeholders = true;
    if (v.source === 'derived') derived = true;
    if (v.inferred) inferred = true;
  }
  return { value, missing, paths, placeholders, derived, inferred };
}

export function evaluate(eq: Equation, cur: Values, prev?: Values): Outcome {
  const l = side(eq.lhs, cur, prev);
  const r = side(eq.rhs, cur, prev);
  const missing = [...l.missing, ...r.missing];
  if (missing.length) return { status: 'na', missing };
  const tol = eq.tolerance ?? 1e-9;
  const d = l.value - r.value;
  const holds = eq.op === '=' ? Math.abs(d) <= tol : eq.op === '<=' ? d <= tol : d >= -tol;
  if (holds) return { status: 'pass', actual: l.value, expected: r.value };
  return {
    status: 'fail',
    actual: l.value,
    expected: r.value,
    paths: [...new Set([...l.paths, ...r.paths])],
    placeholders: l.placeholders || r.placeholders,
    derived: l.derived || r.derived,
    inferred: l.inferred || r.inferred,
  };
}

function localise(params: Equation['params'], lang: Lang): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = typeof v === 'object' ? v[lang] : v;
  return out;
}

export function failFinding(
  rule: RuleRef,
  eq: Equation,
  out: Extract<Outcome, { status: 'fail' }>,
  lang: Lang,
  severity: Severity = rule.severity,
): Finding {
  const key = eq.key ?? (rule.id as MessageKey);
  let message = msg(lang, key, {
    ...localise(eq.params, lang),
    where: eq.where[lang],
    actual: out.actual,
    expected: out.expected,
  });
  if (out.placeholders) message += msg(lang, 'placeholderNote');
  if (out.derived) message += msg(lang, 'derivedNote');
  if (out.inferred) message += msg(lang, 'inferredNote');
  const f: Finding = {
    rule: rule.id,
    // A cell whose place or value the recognizer inferred may be the wrong one: the mismatch is then our
    // reading's, so it is a warning about the reading, never an error about the report.
    severity: out.inferred && severity === 'error' ? 'warning' : severity,
    message,
    paths: out.paths,
    expected: round(out.expected),
    actual: round(out.actual),
    expression: eq.expression,
    delta: round(out.actual - out.expected),
  };
  if (eq.text !== undefined) f.text = eq.text;
  return f;
}

/** One info per rule for all the identities that could not be checked (§7: no error for lost cells). */
export function notAssessable(rule: RuleRef, missing: Val[], count: number, lang: Lang): Finding {
  const paths = [...new Set(missing.map((m) => m.path))];
  return {
    rule: rule.id,
    severity: 'info',
    message: msg(lang, 'notAssessable', { count, list: listPaths(paths) }),
    paths,
    assessable: false,
  };
}

export function checkEquations(rule: RuleRef, eqs: Equation[], cur: Values, lang: Lang, prev?: Values): Finding[] {
  const findings: Finding[] = [];
  const missing: Val[] = [];
  let naCount = 0;
  for (const eq of eqs) {
    const out = evaluate(eq, cur, prev);
    if (out.status === 'fail') findings.push(failFinding(rule, eq, out, lang));
    else if (out.status === 'na') {
      naCount++;
      missing.push(...out.missing);
    }
  }
  if (naCount) findings.push(notAssessable(rule, missing, naCount, lang));
  return findings;
}

/** Float sums of decimals (96171.6 + …) must not leak 1e-12 noise into `delta`. */
export function round(n: number): number {
  return Number(n.toFixed(6));
}

export const paths = (...ps: string[]): Term[] => ps.map((path) => ({ path }));
