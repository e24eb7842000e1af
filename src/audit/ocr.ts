/**
 * The audit of a scanned report, where a wrong number may be our misreading rather than the source's
 * error. The table arithmetic tells them apart: when equations fail, the uncertain characters' runner-up
 * readings are tried, and the one reading that makes every failing equation it touches hold (and breaks
 * none) is taken, marked `inferred` with an info finding. An error left standing is the source's only
 * when every cell it names was read with high confidence; otherwise it becomes the warning OCR-UNSURE. So
 * does a row or table not found (S-05, S-04) where OCR read the tables: a garbled label hides a row.
 */
import type { OcrReading } from '../document/model.js';
import type { Cells, Finding, Report } from '../model/index.js';
import { readCell } from '../recognize/values.js';
import { runAudit } from './index.js';
import type { Lang } from './types.js';

/** A character read at least this surely is taken as printed. */
export const HIGH_CONFIDENCE = 0.9;
/** Runner-up readings less likely than this are not considered. */
const MIN_ALT = 0.003;
/** Rounds of one-cell corrections (each removes at least one failing equation). */
const MAX_ROUNDS = 12;

/** Characters the recogniser may give for a digit in a number cell. */
const DIGIT_LIKE: Record<string, string> = { O: '0', o: '0', D: '0', '〇': '0', '○': '0', '◯': '0', '。': '0', l: '1', I: '1', '|': '1', i: '1', Z: '2', z: '2', S: '5', s: '5', b: '6', B: '8', g: '9', q: '9' };

const digitOf = (ch: string): string | undefined => {
  const n = ch.normalize('NFKC');
  return /^\d$/.test(n) ? n : DIGIT_LIKE[n];
};

/**
 * How sure the reading of a cell's value is. For a number, what counts is the digit, not the glyph: a
 * lone 0 the model splits between 0, o and 〇 is a sure 0, so each digit's probability is summed over
 * the readings that are the same digit. Other cells: the least certain character.
 */
export function valueConfidence(r: OcrReading, kind: string): number {
  if (kind !== 'number') return r.confidence;
  let min = 1;
  for (const c of r.chars) {
    const d = digitOf(c.ch);
    let p = c.p;
    if (d !== undefined) for (const a of c.alts ?? []) if (digitOf(a.ch) === d) p += a.p;
    min = Math.min(min, p);
  }
  return Math.min(1, min);
}

export interface Recognized {
  report: Report;
  cells: Cells;
  findings: Finding[];
  /** The OCR reading behind each report cell read from a scan (the recognizer's `readings`). */
  readings?: Map<string, OcrReading>;
}

interface Candidate {
  path: string;
  text: string;
  value: number;
  /** Probability of the reading relative to the one taken (the product of the changed characters'). */
  p: number;
}

/** One-character changes of a number cell's reading into another number. */
export function alternatives(path: string, reading: OcrReading, raw: string): Candidate[] {
  const chars = reading.chars;
  const base = chars.map((c) => digitOf(c.ch) ?? c.ch);
  const out: Candidate[] = [];
  chars.forEach((c, i) => {
    if (c.p >= 0.9999) return;
    const seen = new Set<string>([base[i]]);
    for (const a of c.alts ?? []) {
      const d = digitOf(a.ch);
      if (d === undefined || seen.has(d) || a.p < MIN_ALT) continue;
      seen.add(d);
      const text = base.map((b, j) => (j === i ? d : b)).join('');
      const v = readCell(text);
      if (v.kind === 'number' && v.value !== null) out.push({ path, text, value: v.value, p: a.p / Math.max(c.p, 1e-6) });
    }
  });
  // A look-alike letter taken for a digit is a candidate of its own (the reading itself, mapped).
  const mapped = base.join('');
  if (mapped !== raw.replace(/\s+/g, '')) {
    const v = readCell(mapped);
    if (v.kind === 'number' && v.value !== null) out.push({ path, text: mapped, value: v.value, p: 1 });
  }
  return out;
}

function setPath(root: unknown, path: string, value: number): void {
  const segs = path.replace(/^(applications\.extraRows\.\d+)\.(?!values\.)/, '$1.values.').split('.');
  let cur = root as Record<string, unknown>;
  for (const s of segs.slice(0, -1)) {
    if (cur[s] === null || typeof cur[s] !== 'object') return;
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]] = value;
}

const errors = (fs: Finding[]) => fs.filter((f) => f.severity === 'error');
const key = (f: Finding) => `${f.rule}|${f.paths.join(',')}|${f.expression ?? ''}`;

function withValue(r: Recognized, c: Candidate): Recognized {
  const report = structuredClone(r.report);
  setPath(report, c.path, c.value);
  return { ...r, report, cells: { ...r.cells, [c.path]: { ...r.cells[c.path], kind: 'number' } } };
}

const MESSAGES = {
  corrected: {
    zh: (from: string, to: string) => `OCR 读作“${from}”，按表内勾稽关系更正为“${to}”`,
    en: (from: string, to: string) => `OCR read "${from}"; corrected to "${to}" by the table's arithmetic`,
  },
  unread: {
    zh: (rule: string, m: string) => `${rule}：${m}（扫描件：表格由 OCR 识别，未找到的行或表格可能是识别失败，而非报告遗漏）`,
    en: (rule: string, m: string) => `${rule}: ${m} (scanned page: the tables were read by OCR, so a row or table not found may be one it failed to read rather than one the report left out)`,
  },
  unsure: {
    zh: (rule: string, m: string) => `${rule}：${m}（扫描件识别存疑：相关单元格未能高置信度识别，可能是识别错误而非报告错误）`,
    en: (rule: string, m: string) => `${rule}: ${m} (scanned page: some cells involved were not read with high confidence, so this may be a misreading rather than an error in the report)`,
  },
};

/**
 * Confidences attached, misreadings corrected where the arithmetic singles one out, then the audit;
 * returns the recognition as corrected and all findings (the recognizer's, the corrections', the audit's).
 */
export function auditScanned(rec: Recognized, lang: Lang): Recognized {
  const readings = rec.readings ?? new Map<string, OcrReading>();
  const cells: Cells = { ...rec.cells };
  for (const [path, r] of readings) cells[path] = { ...cells[path], confidence: Math.round(valueConfidence(r, cells[path].kind) * 1000) / 1000 };
  let cur: Recognized = { report: rec.report, cells, findings: rec.findings };
  const notes: Finding[] = [];
  let audit = runAudit(cur, { lang });
  const fixed = new Set<string>();

  for (let round = 0; round < MAX_ROUNDS && errors(audit).length; round++) {
    const failing = errors(audit);
    const failingKeys = new Set(failing.map(key));
    const involved = new Set(failing.flatMap((f) => f.paths));
    const options: { c: Candidate; audit: Finding[]; solved: number }[] = [];
    for (const path of involved) {
      const r = readings.get(path);
      if (!r || fixed.has(path)) continue;
      for (const c of alternatives(path, r, cur.cells[path]?.raw ?? '')) {
        const next = runAudit(withValue(cur, c), { lang });
        const after = errors(next);
        // No equation may newly fail, and every failing one naming this cell must now hold.
        if (after.some((f) => !failingKeys.has(key(f)))) continue;
        if (after.some((f) => f.paths.includes(path))) continue;
        options.push({ c, audit: next, solved: failing.length - after.length });
      }
    }
    if (!options.length) break;
    options.sort((a, b) => b.solved - a.solved || b.c.p - a.c.p);
    const [best, second] = options;
    // Two different readings that fit the arithmetic equally well: the arithmetic does not decide.
    if (second && second.solved === best.solved && second.c.p * 3 > best.c.p && (second.c.path !== best.c.path || second.c.value !== best.c.value)) break;
    const from = cur.cells[best.c.path]?.raw ?? '';
    cur = withValue(cur, best.c);
    cur.cells[best.c.path] = { ...cur.cells[best.c.path], raw: best.c.text, inferred: MESSAGES.corrected.en(from, best.c.text) };
    fixed.add(best.c.path);
    notes.push({ rule: 'OCR-CORRECTED', severity: 'info', message: MESSAGES.corrected[lang](from, best.c.text), paths: [best.c.path], actual: best.c.value });
    audit = best.audit;
  }

  // A row or table not found is ours to doubt when OCR read the tables: a garbled label is a row not found.
  const ocrTables = new Set([...readings.keys()].map((p) => p.slice(0, p.indexOf('.'))));
  // So is a blank cell of such a table: OCR that found no text there may have missed faint or blurred figures.
  const unsure = (f: Finding) => f.paths.some((p) => {
    const c = cur.cells[p];
    if (c?.confidence !== undefined) return c.confidence < HIGH_CONFIDENCE;
    return c?.kind === 'blank' && ocrTables.has(p.slice(0, p.indexOf('.')));
  });
  const notFound = (f: Finding) => ocrTables.size > 0 && (f.rule === 'S-04' || (f.rule === 'S-05' && f.paths.some((p) => ocrTables.has(p.slice(0, p.indexOf('.'))))));
  const final = audit.map((f) => {
    if (f.severity !== 'error') return f;
    if (notFound(f)) return { ...f, rule: 'OCR-UNSURE', severity: 'warning' as const, message: MESSAGES.unread[lang](f.rule, f.message) };
    return unsure(f) ? { ...f, rule: 'OCR-UNSURE', severity: 'warning' as const, message: MESSAGES.unsure[lang](f.rule, f.message) } : f;
  });
  return { report: cur.report, cells: cur.cells, findings: [...cur.findings, ...notes, ...final] };
}
