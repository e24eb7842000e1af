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
