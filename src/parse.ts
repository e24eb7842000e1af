import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { runAudit } from './audit/index.js';
import { auditScanned, isScanned } from './audit/ocr.js';
import type { Lang } from './audit/types.js';
import { readDocument } from './ingest/index.js';
import { recognize } from './recognize/index.js';
import { NianbaoError } from './errors.js';
import { SCHEMA_VERSION, sortFindings, type ParseResult } from './model/index.js';

export interface ParseOptions {
  /** Shown in `source.path` and in error messages. */
  path?: string;
  lang?: Lang;
}

/** bytes → document → report → findings: the whole pipeline for one file. */
export async function parseBytes(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  const path = opts.path ?? '-';
  const doc = await readDocument(bytes, { path });
  let recognition = await recognize(doc, { lang: opts.lang });
  let findings: ParseResult['findings'];
  if (isScanned(doc)) {
    // Scanned pages: misreadings corrected by the arithmetic and told apart from the source's errors.
    recognition = auditScanned(doc, recognition, opts.lang ?? 'zh');
    findings = [];
  } else findings = runAudit({ report: recognition.report, cells: recognition.cells }, { lang: opts.lang ?? 'zh' });
  return {
    schemaVersion: SCHEMA_VERSION,
    source: {
      path,
      format: doc.format,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
      ...(doc.encoding ? { encoding: doc.encoding } : {}),
    },
    report: recognition.report,
    findings: sortFindings([...recognition.findings, ...findings]),
    cells: recognition.cells,
  };
}

export async function parseFile(path: string, opts: Omit<ParseOptions, 'path'> = {}): Promise<ParseResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NianbaoError('io', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? 'error'})`);
  }
  return parseBytes(bytes, { ...opts, path });
}
