/** Builds small input trees for the batch tests in a fresh temp directory. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const STUB_PARSER = pathToFileURL(join(import.meta.dirname, 'batch-stub-parser.ts')).href;

export function tempDir(prefix = 'nianbao-batch-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

export const textReport = (agency: string, year: number, extra = '') => `${agency} ${year} 年政府信息公开工作年度报告\n一、总体情况\n${extra}\n`;

/** Hostile and irrelevant files, each with the decision batch must take. */
export const OLE_HEADER = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
export const TRUNCATED_ZIP = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3]);
export const JUNK = Uint8Array.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256));
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
