import { z } from 'zod';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  rule: z.string().describe('rule id of format.md §9, e.g. T3-BAL'),
  severity: Severity,
  message: z.string().describe('Chinese by default; English with --lang en'),
  paths: z.array(z.string()).describe('report paths of the cells involved'),
  expected: z.number().optional().describe('the value computed from the parts'),
  actual: z.number().optional().describe('the printed value'),
  expression: z.string().optional(),
  delta: z.number().optional().describe('actual − expected (ext)'),
  text: z.string().optional().describe('the sentence a narrative rule read (ext)'),
  assessable: z.boolean().optional().describe('false when the input needed is missing (ext)'),
});
export type Finding = z.infer<typeof Finding>;

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}
