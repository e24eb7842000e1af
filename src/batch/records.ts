import type { ParseResult } from '../model/index.js';
import type { Cell, Finding } from '../model/index.js';

/**
 * One line of `reports.jsonl`. Every input of a batch gets exactly one.
 * Keys are written in this order on purpose: `status`, `path` and `sha256` come
 * first so that resuming can index a large file by its line prefixes without
 * parsing every ParseResult (see `quickIndex`).
 */
export type BatchRecord = OkRecord | FailedRecord | DuplicateRecord;

export interface OkRecord {
  status: 'ok';
  path: string;
  sha256: string;
  format: ParseResult['source']['format'];
  result: ParseResult;
  /** Wall time from handing the file to a worker to getting its result. */
  ms: number;
}

/**
 * `code` is a NianbaoError code (`unsupported`, `corrupt`, `encrypted`, `no-text`,
 * `not-report`, `too-large`, `timeout`, `io`) or one of the batch's own:
 * `crash` (the worker died), `oom` (it hit the memory cap), `internal` (the parser
 * threw something that is not a NianbaoError: a bug worth reporting).
 */
export interface FailedRecord {
  status: 'failed';
  path: string;
  sha256?: string;
  /** What the content looked like, when it was read (pdf, docx, ole, zip, binary, …). */
  format?: string;
  code: string;
  reason: string;
  ms?: number;
}

export interface DuplicateRecord {
  status: 'duplicate';
  path: string;
  sha256: string;
  /** The path recorded first with the same content. */
  of: string;
}

/** One line of `cross-report.jsonl`: a finding about `path` that needed another report to see. */
export interface CrossRecord {
  path: string;
  agency: string | null;
  year: number | null;
  /** The other report of the comparison (previous year for T3-XY/T2-XY, the original for X-COPY). */
  related: { path: string; year: number | null };
  finding: Finding;
  /** `cells[finding.paths[0]]` of the report at `path`, so exports can point at the source. */
  cell?: Cell;
}

export function serializeRecord(r: BatchRecord): string {
  // Spelled out so the key order is the documented one whatever order the caller built the object in.
  switch (r.status) {
    case 'ok':
      return JSON.stringify({ status: r.status, path: r.path, sha256: r.sha256, format: r.format, ms: r.ms, result: r.result });
    case 'failed':
      return JSON.stringify({
        status: r.status,
        path: r.path,
        ...(r.sha256 ? { sha256: r.sha256 } : {}),
        ...(r.format ? { format: r.format } : {}),
        code: r.code,
        reason: r.reason,
        ...(r.ms !== undefined ? { ms: r.ms } : {}),
      });
    case 'duplicate':
      return JSON.stringify({ status: r.status, path: r.path, sha256: r.sha256, of: r.of });
  }
}

/**
 * An ok record around a ParseResult the worker already serialised: the same bytes as
 * serializeRecord would give, without the main thread parsing or stringifying it.
 */
export function okRecordBytes(r: Omit<OkRecord, 'result'>, resultJson: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(okPrefix(r), 'utf8'), resultJson, CLOSE]);
}

const CLOSE = Buffer.from('}');

function okPrefix(r: Omit<OkRecord, 'result'>): string {
  return JSON.stringify({ status: r.status, path: r.path, sha256: r.sha256, format: r.format, ms: r.ms }).slice(0, -1) + ',"result":';
}

const PREFIX = /^\{"status":"(ok|failed|duplicate)","path":("(?:[^"\\]|\\.)*")(?:,"sha256":"([0-9a-f]{64})")?/;

/** status, path and sha256 of a record line, from its prefix when possible (fast) or by parsing it. */
export function quickIndex(line: string): { status: BatchRecord['status']; path: string; sha256?: string } | null {
  const m = PREFIX.exec(line);
  if (m) return { status: m[1] as BatchRecord['status'], path: JSON.parse(m[2]) as string, ...(m[3] ? { sha256: m[3] } : {}) };
  try {
    const r = JSON.parse(line) as Partial<BatchRecord>;
    if (typeof r.status === 'string' && typeof r.path === 'string') {
      return { status: r.status, path: r.path, ...(typeof r.sha256 === 'string' ? { sha256: r.sha256 } : {}) };
    }
  } catch {
    // fall through: not a record
  }
  return null;
}
