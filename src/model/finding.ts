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

export { SEVERITY_ORDER, sortFindings } from './order.js';
