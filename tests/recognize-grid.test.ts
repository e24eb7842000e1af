import { describe, expect, it } from 'vitest';
import type { DocumentModel, TableCell } from '../src/document/model.js';
import { COUNT_KEYS, TABLE3_ROWS } from '../src/model/index.js';
import { recognize } from '../src/recognize/index.js';
import { consistentTable3 } from './helpers/text-report.js';

const c = (text: string, row: number, col: number, rowSpan = 1, colSpan = 1): TableCell => ({ text, row, col, rowSpan, colSpan });

/**
 * An exact grid as DOCX/HTML adapters produce it: the template's merges, header
 * words split into paragraphs, and (to prove the header is read) the value
 * columns in a different order.
 */
function gridDoc(values: Record<string, number[]>, order: number[]): DocumentModel {
  const head = ['自然\n人', '商业\n企业', '科研\n机构', '社会\n公益\n组织', '法律\n服务\n机构', '其他', '总\n计'];
  const rows: TableCell[][] = [
    [c('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 0, 0, 3, 3), c('申请人情况', 0, 3, 1, 7)],
    [],
    [],
  ];
  order.forEach((k, i) => {
    if (k === 0 || k === 6) rows[1].push(c(head[k], 1, 3 + i, 2, 1));
    else rows[2].push(c(head[k], 2, 3 + i));
  });
  const legalStart = 3 + order.findIndex((k) => k >= 1 && k <= 5);
  rows[1].push(c('法人或其他组织', 1, legalStart, 1, 5));
  rows[1].sort((a, b) => a.col - b.col);
  let r = 3;
  for (const row of TABLE3_ROWS.filter((x) => x.formats.includes('2021'))) {
    const cells: TableCell[] = [];
    if (row.group || row.path.startsWith('results.')) {
      if (row.path === 'results.granted') cells.push(c('三、本年度办理结果', r, 0, 22, 1));
      if (row.group && row.path.endsWith(['stateSecret', 'notHeld', 'complaint', 'overdueCorrection'].find((s) => row.path.endsWith(s)) ?? '#'))
        cells.push(c({ denied: '（三）不予公开', unableToProvide: '（四）无法提供', notProcessed: '（五）不予处理', otherDisposal: '（六）其他处理' }[row.group]!, r, 1, { denied: 8, unableToProvide: 3, notProcessed: 5, otherDisposal: 3 }[row.group]!, 1));
      cells.push(row.group ? c(row.label, r, 2) : c(row.label, r, 1, 1, 2));
    } else cells.push(c(row.label, r, 0, 1, 3));
    order.forEach((k, i) => cells.push(c(String(values[row.path][k]), r, 3 + i)));
    rows.push(cells);
    r++;
  }
  return {
    format: 'docx',
    warnings: [],
    blocks: [
      { kind: 'paragraph', text: '某某区教育局2024年政府信息公开工作年度报告' },
      { kind: 'paragraph', text: '三、收到和处理政府信息公开申请情况' },
      { kind: 'table', grid: 'exact', rows },
    ],
  };
}

describe('exact grids', () => {
  it('maps value columns by the header (split header words, merged group labels)', async () => {
    const t3 = consistentTable3(9);
    const { report } = await recognize(gridDoc(t3, [6, 0, 1, 2, 3, 4, 5]));
    for (const [path, v] of Object.entries(t3)) {
      const row = path.split('.').reduce<unknown>((a, s) => (a as Record<string, unknown>)[s], report.applications) as Record<string, unknown>;
      const got = COUNT_KEYS.map((k) => row[k]);
      expect([path, got]).toEqual([path, v]);
    }
  });

  it('keeps blank grid cells as blank, in place', async () => {
    const t3 = consistentTable3(9);
    const doc = gridDoc(t3, [0, 1, 2, 3, 4, 5, 6]);
    const table = doc.blocks[2] as { rows: TableCell[][] };
    const grantedRow = table.rows.find((row) => row.some((x) => x.text === '（一）予以公开'))!;
    grantedRow.filter((x) => x.col >= 4 && x.col <= 8).forEach((x) => (x.text = '\u3000'));
    const { report, cells } = await recognize(doc);
    expect(report.applications!.results.granted.commercial).toBeNull();
    expect(cells['applications.results.granted.commercial']).toMatchObject({ kind: 'blank', col: 4 });
    expect(report.applications!.results.granted.naturalPerson).toBe(t3['results.granted'][0]);
    expect(report.applications!.results.granted.total).toBe(t3['results.granted'][6]);
  });
});

describe('exact grids without a readable header', () => {
  it('finds the seven value columns by their numbers when a stray empty column sits among them', async () => {
    const t3 = consistentTable3(11);
    const doc = gridDoc(t3, [0, 1, 2, 3, 4, 5, 6]);
    const table = doc.blocks[2] as { rows: TableCell[][] };
    // Drop the header words and push the 总计 column one to the right, leaving an empty column 9.
    for (const row of table.rows) {
      for (const cell of row) if (cell.row < 3 && cell.col >= 3) cell.text = '';
      for (const cell of row) if (cell.row >= 3 && cell.col === 9) cell.col = 10;
      if (row[0] && row[0].row >= 3) row.push({ text: '', row: row[0].row, col: 9, rowSpan: 1, colSpan: 1 });
    }
    const { report } = await recognize(doc);
    expect(report.applications!.results.total.total).toBe(t3['results.total'][6]);
    expect(report.applications!.newReceived.otherOrg).toBe(t3['newReceived'][5]);
  });
});

describe('S-08: tables drawn without ruling lines', () => {
  it('is reported once, as info, when the tables read had no borders', async () => {
    const { readDocument } = await import('../src/ingest/index.js');
    const { textReport } = await import('./helpers/text-report.js');
    const doc = await readDocument(new TextEncoder().encode(textReport()), { path: 'x.txt' });
    expect((await recognize(doc)).findings.filter((f) => f.rule === 'S-08')).toEqual([]);
    for (const b of doc.blocks) if (b.kind === 'table') b.ruled = false;
    expect((await recognize(doc)).findings.filter((f) => f.rule === 'S-08')).toEqual([expect.objectContaining({ severity: 'info' })]);
  });
});
