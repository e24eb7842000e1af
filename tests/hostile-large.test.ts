import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hugeXmlDocx, junkText } from '../bench/large-inputs.js';
import { parseBytes } from '../src/parse.js';
import { hasSignature } from '../src/ingest/signature.js';
import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

/** Time and memory of these are measured by bench/hostile.ts; here, that they are refused early and how. */
describe('large inputs refused before the layout', () => {
  it('a 50 MB junk text file: too-large; 20 MB of junk: not-report from its first part', async () => {
    await expect(parseBytes(junkText(50), { path: 'j.txt' })).rejects.toMatchObject({ code: 'too-large' });
    await expect(parseBytes(junkText(20), { path: 'j.txt' })).rejects.toMatchObject({ code: 'not-report', message: expect.stringMatching(/信息公开/) });
  }, 60_000);

  it('a DOCX inflating to 118 MB of XML: too-large from the declared size, with or without a title', async () => {
    const docx = hugeXmlDocx(118);
    expect(docx.length).toBeLessThan(2 * 1024 * 1024);
    await expect(parseBytes(docx, { path: 'x.docx' })).rejects.toMatchObject({ code: 'too-large' });
    await expect(parseBytes(hugeXmlDocx(118, 'XX县2023年政府信息公开工作年度报告'), { path: 'x.docx' })).rejects.toMatchObject({ code: 'too-large' });
    await expect(parseBytes(hugeXmlDocx(6), { path: 'x.docx' })).rejects.toMatchObject({ code: 'not-report', message: expect.stringMatching(/first MB/) });
  }, 60_000);

  it('through the CLI: exit 3 and one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nianbao-large-'));
    const file = join(dir, 'x.docx');
    writeFileSync(file, hugeXmlDocx(118));
    let err = '';
    const io: Io = { stdout: { write: () => true }, stderr: { write: (s: string) => (err += s) } };
    expect(await main(['parse', file], io)).toBe(3);
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toMatch(/MB of XML/);
  }, 60_000);

  it('the signature is found in every encoding and across markup that splits it', () => {
    const say = '政府信息公开工作年度报告';
    for (const bytes of [
      Buffer.from(say, 'utf8'),
      Buffer.from(say, 'utf16le'),
      Buffer.from([0xd5, 0xfe, 0xb8, 0xae, 0xd0, 0xc5, 0xcf, 0xa2, 0xb9, 0xab, 0xbf, 0xaa]), // GBK 政府信息公开
      Buffer.from('<w:t>信息公</w:t></w:r><w:r><w:t>开</w:t>'),
      Buffer.from('<p>&#20449;&#24687;&#20844;&#24320;</p>'),
      Buffer.from('=E5=85=AC=E5=BC=80'),
    ]) expect(hasSignature(bytes), bytes.toString('latin1')).toBe(true);
    expect(hasSignature(Buffer.from('会议通知 第一章 总则', 'utf8'))).toBe(false);
  });
});
