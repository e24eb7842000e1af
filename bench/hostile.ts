/**
 * Time and peak RSS of `nianbao parse` (compiled dist/, a fresh process each, as a
 * user runs it) on large hostile inputs generated here, against the bound of
 * 5 s and 500 MB:  npx tsx bench/hostile.ts [--dir D]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hugeXmlDocx, junkText } from './large-inputs.js';

const dir = join(tmpdir(), 'nianbao-hostile-bench');
mkdirSync(dir, { recursive: true });
const cases: Array<[string, Uint8Array]> = [
  ['junk-50mb.txt', junkText(50)],
  ['junk-20mb.txt', junkText(20)],
  ['xml-118mb.docx', hugeXmlDocx(118)],
  ['xml-118mb-titled.docx', hugeXmlDocx(118, 'XX县2023年政府信息公开工作年度报告')],
  ['xml-30mb.docx', hugeXmlDocx(30)],
];
for (const [name, bytes] of cases) {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const t0 = performance.now();
  const res = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bin/nianbao.js', 'parse', file], { encoding: 'utf8' });
  const sec = (performance.now() - t0) / 1000;
  const lines = res.stderr.trim().split('\n');
  const rssMb = Number(lines.pop()) / 1024;
  process.stdout.write(`${name} (${(bytes.length / 1048576).toFixed(1)} MB): exit ${res.status}, ${sec.toFixed(2)} s, peak RSS ${rssMb.toFixed(0)} MB — ${lines.join(' | ')}\n`);
}
