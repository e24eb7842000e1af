import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';
import type { ParseResult } from '../src/model/index.js';
import { VALUE_CELLS, fillTemplate, minimalDocx, rawZip, renderHtml, renderXlsx, sampleValues, zeroBomb } from './helpers/fill-template.js';

const dir = mkdtempSync(join(tmpdir(), 'nianbao-hostile-'));

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function parse(path: string) {
  let out = '';
  let err = '';
  const io: Io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const code = await main(['parse', path], io);
  return { code, out, err };
}

/** Exit 3, nothing on stdout, one stderr line naming the file and the reason, no stack trace or internal error. */
async function expectRefused(path: string, reason: RegExp): Promise<void> {
  const { code, out, err } = await parse(path);
  expect({ code, out }).toEqual({ code: 3, out: '' });
  const lines = err.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`nianbao: ${path}: `)).toBe(true);
  expect(lines[0]).toMatch(reason);
  expect(err).not.toMatch(/\n\s+at |internal error|TypeError|RangeError/);
}

const values = sampleValues(31);
const memo = [
  '<w:p><w:r><w:t>关于召开第三季度安全生产工作会议的通知</w:t></w:r></w:p>',
  '<w:p><w:r><w:t>各科室：</w:t></w:r></w:p>',
  '<w:p><w:r><w:t>定于9月20日上午9时在三楼会议室召开安全生产工作会议，请各科室负责人准时参加。</w:t></w:r></w:p>',
  '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>议程</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>汇报人</w:t></w:r></w:p></w:tc></w:tr>',
  '<w:tr><w:tc><w:p><w:r><w:t>1.通报上季度情况</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>办公室</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
  '<w:p><w:r><w:t>县政府办公室 2024年9月18日</w:t></w:r></w:p>',
].join('');

describe('nianbao parse on hostile and broken files', () => {
  it('a truncated DOCX', async () => {
    const docx = fillTemplate(values);
    await expectRefused(file('truncated.docx', docx.subarray(0, Math.floor(docx.length / 2))), /zip|truncated|corrupt/i);
  });

  it('a zip bomb: a few hundred KB that would inflate to 1 GiB', async () => {
    const bomb = zeroBomb(1024);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expectRefused(file('bomb.docx', rawZip([{ name: 'word/document.xml', data: bomb, method: 8, size: 1024 * 1024 * 1024 }])), /zip bomb|exceeds|limit/i);
  });

  it('the same bomb whose directory lies about its size', async () => {
    await expectRefused(file('bomb-lying.docx', rawZip([{ name: 'word/document.xml', data: zeroBomb(1024), method: 8, size: 4096 }])), /zip bomb|exceeds|limit|size/i);
  });

  it('a DOCX whose document.xml declares an external entity', async () => {
    const xxe = minimalDocx(
      '<w:p><w:r><w:t>XX县2023年政府信息公开工作年度报告 &xxe;</w:t></w:r></w:p>',
      undefined,
      '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    );
    await expectRefused(file('xxe.docx', xxe), /DOCTYPE|ENTITY/);
  });

  it('a DOCX that is not a report (a meeting notice)', async () => {
    await expectRefused(file('memo.docx', minimalDocx(memo)), /not a .*report|不是/i);
  });

  it('a GBK page that declares UTF-8 reads correctly', async () => {
    const { code, out, err } = await parse(file('gbk-declared-utf8.html', renderHtml(values, { encoding: 'gbk', declared: 'utf-8' })));
    expect(err).toBe('');
    expect(code).toBe(0);
    const r: ParseResult = JSON.parse(out);
    expect(r.report).toMatchObject({ agency: 'XX县人民政府办公室', year: 2023, formatVersion: '2021' });
    const get = (p: string) => p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r.report);
    for (const c of VALUE_CELLS) expect([c.path, get(c.path)]).toEqual([c.path, Number(values[c.path])]);
  });

  it('a truncated XLSX', async () => {
    const xlsx = await renderXlsx(values);
    await expectRefused(file('truncated.xlsx', xlsx.subarray(0, Math.floor(xlsx.length * 0.6))), /zip|truncated|corrupt/i);
  });

  it('an empty file', async () => {
    await expectRefused(file('empty.docx', new Uint8Array(0)), /empty/i);
    await expectRefused(file('empty.txt', new Uint8Array(0)), /empty/i);
  });

  it('a legacy .doc (OLE compound file header)', async () => {
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expectRefused(file('report.doc', ole), /\.doc|legacy|OLE/i);
  });
});
