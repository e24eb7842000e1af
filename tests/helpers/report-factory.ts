/**
 * A small, internally consistent 2021 report (and its 2019 variant) with full
 * provenance, for audit tests: every identity of format.md §9 holds, so a test
 * perturbs one cell and expects exactly the findings that perturbation causes.
 */
import type { AuditInput } from '../../src/audit/types.js';
import type { Cell, CellKind, Counts, Report } from '../../src/model/index.js';
import { COUNT_KEYS } from '../../src/model/structure.js';
import { extractNarrative } from '../../src/recognize/narrative.js';
import { readPath } from '../../src/audit/values.js';

/** naturalPerson, commercial, research, publicInterest, legalService, otherOrg → Counts with total. */
export function counts(np = 0, com = 0, res = 0, pub = 0, legal = 0, other = 0): Counts {
  return { naturalPerson: np, commercial: com, research: res, publicInterest: pub, legalService: legal, otherOrg: other, total: np + com + res + pub + legal + other };
}
const zero = () => counts();

export const SECTIONS = {
  overview:
    '2024年，本机关共受理政府信息公开申请13件，其中自然人申请10件，法人或其他组织申请3件。' +
    '本年办结14件（含上年结转2件），结转下年度继续办理1件。' +
    '办结的14件中，予以公开6件，部分公开2件，不予公开1件，无法提供3件，不予处理1件，其他处理1件。',
  proactive: '本机关公开信息100条，其中工作动态60条，政策文件40条。',
  applications: '详见下表。',
  reviewLitigation: '本年度被申请行政复议4件，其中结果维持2件，结果纠正1件，尚未审结1件；行政诉讼2件。',
  problems: '（一）存在的主要问题：公开内容不够全面。（二）改进情况：下一步将加强培训，提升公开质量。',
  other: '本年度未收取信息处理费。',
};
const HEADINGS: Record<keyof typeof SECTIONS, string> = {
  overview: '一、总体情况',
  proactive: '二、主动公开政府信息情况',
  applications: '三、收到和处理政府信息公开申请情况',
  reviewLitigation: '四、政府信息公开行政复议、行政诉讼情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
};

export function sections(texts: Partial<typeof SECTIONS> = SECTIONS): Report['sections'] {
  const out = {} as Report['sections'];
  for (const k of Object.keys(HEADINGS) as (keyof typeof SECTIONS)[]) {
    const text = texts[k];
    out[k] = text === undefined ? null : { heading: HEADINGS[k], text };
  }
  return out;
}

function applications2021(): NonNullable<Report['applications']> {
  return {
    newReceived: counts(10, 2, 0, 0, 1, 0), // 13
    carriedOver: counts(2), // 2
    results: {
      granted: counts(5, 1), // 6
      partiallyGranted: counts(2), // 2
      denied: {
        stateSecret: counts(1),
        prohibitedByLaw: zero(),
        safetyStability: zero(),
        thirdPartyRights: zero(),
        internalAffairs: zero(),
        processInformation: zero(),
        enforcementFiles: zero(),
        administrativeQuery: zero(),
      },
      unableToProvide: { notHeld: counts(2, 0, 0, 0, 1), needsCreation: zero(), unclearAfterCorrection: zero() }, // 3
      notProcessed: { complaint: zero(), duplicate: counts(1), publication: zero(), excessive: zero(), confirmation: zero() }, // 1
      otherDisposal: { overdueCorrection: zero(), unpaidFee: zero(), other: counts(0, 1) }, // 1
      total: counts(11, 2, 0, 0, 1, 0), // 14
    },
    carriedForward: counts(1), // 1
  };
}

const outcome = (upheld: number, corrected: number, other: number, pending: number) => ({ upheld, corrected, other, pending, total: upheld + corrected + other + pending });

/** Every number-valued leaf of the report, by path (extra rows addressed without `.values`). */
export function numericPaths(report: Report): string[] {
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node === 'number') out.push(path);
    else if (Array.isArray(node)) node.forEach((x, i) => walk((x as { values?: unknown }).values ?? x, `${path}.${i}`));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k);
  };
  for (const key of ['proactive', 'applications', 'reviewLitigation'] as const) walk(report[key], key);
  return out;
}

function withCells(report: Report): AuditInput {
  const cells: Record<string, Cell> = {};
  for (const p of numericPaths(report)) cells[p] = { raw: String(readPath(report, p)), kind: 'number' };
  report.narrative = extractNarrative(Object.values(report.sections).map((s) => s?.text ?? '').join('\n'));
  return { report, cells };
}

export function make2021(): AuditInput {
  const report: Report = {
    title: '某某局2024年政府信息公开工作年度报告',
    agency: '某某局',
    year: 2024,
    formatVersion: '2021',
    statisticalPeriod: { from: '2024-01-01', to: '2024-12-31' },
    sections: sections(),
    proactive: {
      regulations: { issued: 1, repealed: 0, inForce: 11 },
      normativeDocuments: { issued: 8, repealed: 2, inForce: 66 },
      licensing: { decisions: 100 },
      punishment: { decisions: 50 },
      coercion: { decisions: 3 },
      fees: { amount: 12.5 },
    },
    applications: applications2021(),
    reviewLitigation: { review: outcome(2, 1, 0, 1), litigationDirect: outcome(1, 0, 0, 0), litigationAfterReview: outcome(0, 0, 1, 0) },
    narrative: {},
  };
  return withCells(report);
}

export function make2019(): AuditInput {
  const apps = applications2021();
  apps.results.otherDisposal = { subtotal: counts(0, 1) };
  const report: Report = {
    title: '某某局2020年政府信息公开工作年度报告',
    agency: '某某局',
    year: 2020,
    formatVersion: '2019',
    statisticalPeriod: { from: '2020-01-01', to: '2020-12-31' },
    sections: sections({ ...SECTIONS, overview: SECTIONS.overview.replace('2024', '2020') }),
    proactive: {
      regulations: { newlyMade: 1, newlyPublished: 1, totalPublished: 10 },
      normativeDocuments: { newlyMade: 5, newlyPublished: 5, totalPublished: 60 },
      licensing: { previousItems: 20, change: -2, decisions: 100 },
      otherServices: { previousItems: 5, change: 1, decisions: 10 },
      punishment: { previousItems: 30, change: 0, decisions: 50 },
      coercion: { previousItems: 4, change: 0, decisions: 3 },
      fees: { previousItems: 2, change: 0 },
      procurement: { projects: 3, amount: 12.5 },
    },
    applications: apps,
    reviewLitigation: { review: outcome(2, 1, 0, 1), litigationDirect: outcome(1, 0, 0, 0), litigationAfterReview: outcome(0, 0, 1, 0) },
    narrative: {},
  };
  const input = withCells(report);
  // Printed with its unit, as consistent 2019 reports do (no unit is T2-19-UNIT's note).
  input.cells['proactive.procurement.amount'] = { ...input.cells['proactive.procurement.amount'], raw: '12.5万元', unit: '万元' };
  return input;
}

function setLeaf(report: Report, path: string, value: number | null) {
  const segs = path.replace(/^(applications\.extraRows\.\d+)\./, '$1.values.').split('.');
  let cur = report as unknown as Record<string, unknown>;
  for (const s of segs.slice(0, -1)) cur = cur[s] as Record<string, unknown>;
  cur[segs[segs.length - 1]] = value;
}

/** Prints another number in a cell. */
export function set(input: AuditInput, path: string, value: number): AuditInput {
  setLeaf(input.report, path, value);
  input.cells[path] = { raw: String(value), kind: 'number' };
  return input;
}

/** Turns a cell into a null of the given kind (blank, dash, slash, text, missing), optionally with a derived value. */
export function nullify(input: AuditInput, path: string, kind: Exclude<CellKind, 'number'>, extra: Partial<Cell> = {}): AuditInput {
  setLeaf(input.report, path, null);
  const raw = kind === 'dash' ? '—' : kind === 'slash' ? '/' : kind === 'text' ? '见附件' : '';
  input.cells[path] = { raw, kind, ...extra };
  return input;
}

/** All seven cells of a table-3 row. */
export function rowPaths(row: string): string[] {
  return COUNT_KEYS.map((c) => `applications.${row}.${c}`);
}

/** Re-extracts the narrative after a test edits section text. */
export function setSection(input: AuditInput, key: keyof typeof SECTIONS, text: string | null): AuditInput {
  input.report.sections[key] = text === null ? null : { heading: HEADINGS[key], text };
  input.report.narrative = extractNarrative(Object.values(input.report.sections).map((s) => s?.text ?? '').join('\n'));
  return input;
}
