import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchCommand } from '../src/cli/batch-command.js';
import type { Io } from '../src/cli/io.js';
import { combinedStatus, main } from '../src/cli/main.js';
import type { BatchRecord } from '../src/batch/records.js';
import { STUB_PARSER, tempDir, textReport, writeTree } from './helpers/batch-tree.js';

function capture(cwd?: string): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, ...(cwd ? { cwd } : {}), out: () => out, err: () => err };
}

const GANXIAN = 'samples/ganxian-gongxin-2024.txt';
const records = (out: string) => readFileSync(join(out, 'reports.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BatchRecord);

describe('batch names with glob characters', () => {
  it('finds gx[2024].txt and a{1}.txt given literally and through --from', async () => {
    const dir = tempDir();
    writeTree(dir, { 'gx[2024].txt': textReport('甲', 2024), 'a{1}.txt': textReport('乙', 2024), 'gx2.txt': textReport('丙', 2024) });
    const { runBatch } = await import('../src/batch/run.js');
    await runBatch({ inputs: ['gx[2024].txt', 'a{1}.txt'], out: 'lit', cwd: dir, jobs: 1, parser: STUB_PARSER, cross: false });
    expect(records(join(dir, 'lit')).map((r) => [r.path, r.status]).sort()).toEqual([['a{1}.txt', 'ok'], ['gx[2024].txt', 'ok']]);
    writeFileSync(join(dir, 'list.txt'), 'gx[2024].txt\na{1}.txt\n');
    const io = capture(dir);
    expect(await batchCommand(['--from', 'list.txt', '--out', 'from2', '--quiet', '--no-cross'], io)).toBe(0);
    expect(records(join(dir, 'from2')).map((r) => r.path).sort()).toEqual(['a{1}.txt', 'gx[2024].txt']);
    // A pattern still matches when no file has its literal name: gx[2024].txt is not gx2.txt's name, but gx[2].txt matches it.
    await runBatch({ inputs: ['gx[2].txt'], out: 'glob', cwd: dir, jobs: 1, parser: STUB_PARSER, cross: false });
    expect(records(join(dir, 'glob')).map((r) => r.path)).toEqual(['gx2.txt']);
  });

  it('a malformed pattern is a usage error (exit 2), not an internal one', async () => {
    const dir = tempDir();
    writeTree(dir, { 'x.txt': 'x' });
    for (const bad of ['*.{pdf', 'x/{a,b', '[z-a]*.txt']) {
      const io = capture(dir);
      expect(await batchCommand([bad, '--out', 'o', '--quiet', '--overwrite'], io), bad).toBe(2);
      expect(io.err(), bad).toMatch(/bad glob pattern/);
      expect(io.err()).not.toMatch(/internal|\n\s+at /);
    }
  });
});

describe('exit statuses', () => {
  it('audit: an error finding outranks an unreadable file (1 over 3), documented in --help', async () => {
    expect(combinedStatus({ errors: true, unreadable: true })).toBe(1);
    expect(combinedStatus({ errors: false, unreadable: true })).toBe(3);
    expect(combinedStatus({ errors: false, unreadable: false })).toBe(0);
    const dir = tempDir();
    const broken = join(dir, 'broken.txt');
    writeFileSync(broken, readFileSync(GANXIAN, 'utf8').replace('\t(七) 总计\t1\t', '\t(七) 总计\t2\t'));
    const io = capture();
    expect(await main(['audit', join(dir, 'missing.txt'), broken], io)).toBe(1);
    expect(io.err()).toContain('missing.txt');
    expect(io.out()).toContain('[T3-BAL]');
    // Cells are named by their official labels too, not only by JSON path.
    expect(io.out()).toMatch(/（七）总计·自然人（applications\.results\.total\.naturalPerson）/);
    const help = capture();
    await main(['audit', '--help'], help);
    expect(help.out()).toMatch(/error in a report outranks/);
  }, 60_000);

  it('summary follows the table: 3 when a file cannot be read', async () => {
    const io = capture();
    expect(await main(['summary', GANXIAN, 'no/such/file.txt'], io)).toBe(3);
    expect(io.out()).toMatch(/no\/such\/file\.txt\s+FAILED: no such file/);
    expect(io.out()).toContain('1 of 2 files read as reports');
  }, 60_000);

  it('-V and --version print the version from package.json', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    for (const flag of ['-V', '--version']) {
      const io = capture();
      expect(await main([flag], io)).toBe(0);
      expect(io.out()).toBe(version + '\n');
    }
  });

  it('--timeout and --max-size are checked and applied', async () => {
    const io = capture();
    expect(await main(['parse', GANXIAN, '--timeout', 'soon'], io)).toBe(2);
    const small = capture();
    expect(await main(['parse', GANXIAN, '--max-size', '0.001'], small)).toBe(3);
    expect(small.err()).toMatch(/over the --max-size limit/);
  }, 30_000);
});

describe('audit wording', () => {
  it('a report in which nothing could be checked is 无法核验 / not assessable, not 未发现问题', async () => {
    const { parseFile } = await import('../src/parse.js');
    const { renderAudit } = await import('../src/cli/format.js');
    const r = await parseFile(GANXIAN);
    expect(renderAudit({ ...r, findings: [] }, 'zh')).toContain('未发现问题');
    const nothing = { ...r, findings: [], cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, { ...c, kind: 'blank' as const }])) };
    expect(renderAudit(nothing, 'zh')).toContain('无法核验');
    expect(renderAudit(nothing, 'zh')).not.toContain('未发现问题');
    expect(renderAudit(nothing, 'en')).toContain('not assessable');
  });
});

describe('the process entry', () => {
  it('anything that escapes every handler is one line and exit 3', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('./src/cli/main.ts').then((m) => { void m.run(['-V']); setTimeout(() => { m.progress.file = 'x.pdf'; void Promise.reject(new TypeError('escaped')); }, 50); })`], { encoding: 'utf8' });
    expect(res.status).toBe(3);
    expect(res.stderr).toBe('nianbao: x.pdf: TypeError: escaped (internal error; please report it)\n');
  }, 30_000);

  const cli = (args: string[], opts: { input?: string } = {}) =>
    spawnSync('bash', ['-c', `set -o pipefail; ${process.execPath} --import tsx -e 'import("./src/cli/main.ts").then((m) => m.run(process.argv.slice(1)))' -- ${args.join(' ')}`], { encoding: 'utf8', ...opts });

  it('a closed pipe ends quietly with status 0 (audit … | head -1)', () => {
    const res = cli(['audit', 'samples/ganxian-gongxin-2024.txt', 'samples/ganxian-gongxin-2024.txt', 'samples/ganxian-gongxin-2024.txt', '|', 'head', '-c', '1']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  }, 60_000);
});
