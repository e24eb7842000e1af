/**
 * nianbao — the public API. bytes → document → report → findings:
 *   parseFile / parseBytes   the whole pipeline for one report
 *   readDocument             ingest only (the format-neutral document model)
 *   recognize                document → typed report + cell provenance
 *   runAudit / RULES         report → findings; crossYear for consecutive years
 */
export { parseBytes, parseFile, type ParseOptions } from './parse.js';
export { readDocument, detectFormat, sniff, type IngestOptions } from './ingest/index.js';
export { recognize, type Recognition } from './recognize/index.js';
export { runAudit, RULES, crossYear, CROSS_YEAR_RULES } from './audit/index.js';
export type { AuditInput, Lang, Rule, RuleFamily } from './audit/types.js';
export { NianbaoError, isNianbaoError, type ErrorCode } from './errors.js';
export * from './model/index.js';
export type { DocumentModel, Block, Paragraph, Table, TableCell, SourceFormat, GridKind } from './document/model.js';
export { parseQueue, MAX_CONCURRENT_PARSES } from './parse.js';
export { DEFAULT_LIMITS } from './limits.js';
// Batch conversion and exports (docs/batch.md); also as the subpaths nianbao/batch and nianbao/export.
export {
  runBatch,
  crossOnly,
  outputFiles,
  OutputError,
  UsageError,
  type BatchOptions,
  type Summary,
  type RunStats,
  type CrossYear,
  type BatchRecord,
  type OkRecord,
  type FailedRecord,
  type DuplicateRecord,
  type CrossRecord,
  type Progress,
  makeProgress,
  silentProgress,
  readLines,
} from './batch/index.js';
export { exportCsv, exportXlsx, parseCsv, csvField, neutralise, valueColumns, META_COLUMNS, SHEETS, RecordError, readRecords, type ValueColumn } from './export/index.js';
