/**
 * The real pipeline, with markup written into what it read when the file content
 * carries NIANBAO-TEST:XSS: the serve tests' hostile report. A real source cannot
 * bring `<script>…</script>` into a title (the recognizer rejects `>` there), so the
 * hostile values are put where a report's text lands: title, agency, a cell's raw
 * text, a section, a finding message. Test-only: production workers never load it.
 */
import { parseBytes as realParse } from '../../src/parse.js';
import type { ParseResult } from '../../src/model/index.js';

export const SCRIPT = '<script>window.__xss=1</script>';
export const IMG = '<img src=x onerror="window.__xss=2">';

export async function parseBytes(bytes: Uint8Array, opts: { path?: string; lang?: 'zh' | 'en' } = {}): Promise<ParseResult> {
  const r = await realParse(bytes, opts);
  if (!Buffer.from(bytes).toString('utf8').includes('NIANBAO-TEST:XSS')) return r;
  r.report.title = `${SCRIPT}某某县${IMG}人民政府${r.report.year}年政府信息公开工作年度报告`;
  r.report.agency = `${SCRIPT}某某县${IMG}人民政府`;
  const cell = r.cells['applications.newReceived.total'];
  if (cell) cell.raw = `${IMG}${SCRIPT}`;
  r.cells['applications.newReceived.naturalPerson'] = { raw: `${IMG}`, kind: 'text', page: 1 };
  if (r.report.applications) r.report.applications.newReceived.naturalPerson = null;
  if (r.report.sections.overview) r.report.sections.overview.text = `概述${SCRIPT}${IMG}结束`;
  r.findings.push({ rule: 'T3-ROW', severity: 'error', message: `${IMG}${SCRIPT}`, paths: ['applications.newReceived.total'], text: `概述${SCRIPT}` });
  return r;
}
