import { z } from 'zod';
import { Report } from './report.js';
import { Finding } from './finding.js';
import { Cell } from './cell.js';

export * from './report.js';
export * from './finding.js';
export * from './cell.js';
export * from './structure.js';

import { SCHEMA_VERSION } from './version.js';
export { SCHEMA_VERSION };

export const ParseResult = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    source: z.object({
      path: z.string(),
      format: z.enum(['pdf', 'docx', 'html', 'xlsx', 'text', 'ofd', 'doc', 'xls', 'image']).describe('doc: Word 97-2003 binary, also .wps; xls: BIFF8, also .et; image: PNG, JPEG or TIFF read by OCR (ext)'),
      sha256: z.string(),
      pages: z.number().int().optional(),
      encoding: z.string().optional().describe('charset the text was decoded with (ext)'),
    }),
    report: Report,
    findings: z.array(Finding).describe('audit results, errors first'),
    cells: z.record(z.string(), Cell).describe('provenance of every numeric value in report, by path'),
  })
  .describe('nianbao parse output');
export type ParseResult = z.infer<typeof ParseResult>;

/** JSON Schema (draft 2020-12) of ParseResult, as written to schemas/report.schema.json. */
export function jsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ParseResult, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return { $id: 'https://nianbao.dev/schemas/report.schema.json', title: 'nianbao ParseResult', ...schema };
}
